import type { Metadata } from "next";
import Link from "next/link";
import { AddressDetector } from "@/components/detect/address-detector";
import { MxHelper } from "@/components/guide/mx-helper";
import { Section } from "@/components/guide/section";
import { overview } from "@/lib/guide/content/common";
import { GUIDE_TRACKS, GUIDE_TRACK_LABELS } from "@/lib/guide/ids";
import { guideFor } from "@/lib/guide/tracks";

export const metadata: Metadata = {
  title: "Setup guide",
  description: "Connect your brokerage's mailboxes to MoxiEngage: choose where your mail is hosted and follow the steps, with checklists and copyable commands.",
};

const OVERVIEW = overview({ host: "Microsoft 365 or Exchange", hostLong: "Microsoft 365 or Exchange", prefix: "" });

// The track links do not prefetch: a reader opens one track, and prefetching all four as they scroll into view
// fetched and parsed ~800 KB of page data on the main thread (Lighthouse blocking time 205 → 117 ms, perf 0.95 → 0.98).
// The track pages are prerendered, so following a link is still quick.
export default function GuideIndexPage() {
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold">MoxiEngage setup guide</h1>
        <p className="max-w-3xl text-lg text-slate-800">
          This guide sets up the service account MoxiEngage uses to sync your agents&apos; contacts and calendars and to send mail from their
          mailboxes. The steps depend on where your mailboxes are hosted, so start by choosing that.
        </p>
      </header>

      <section aria-labelledby="choose-track" className="space-y-4">
        <h2 id="choose-track" className="text-2xl font-bold">
          Where is your mail hosted?
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2">
          {GUIDE_TRACKS.map((track) => (
            <li key={track} className="rounded-lg border border-slate-300 bg-white p-4 shadow-sm">
              <h3 className="text-lg font-semibold">
                <Link href={`/guide/${track}`} prefetch={false}>{GUIDE_TRACK_LABELS[track]}</Link>
              </h3>
              <p className="mt-1 text-sm text-slate-800">{guideFor(track).summary}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="not-sure" className="space-y-3 rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="not-sure" className="text-2xl font-bold">
          Not sure?
        </h2>
        <p className="max-w-3xl">
          Enter your email address (or just your domain) and we look up where its mail is hosted: its public DNS records and
          Microsoft&apos;s public sign-in and Autodiscover endpoints. Nothing is read from your mailbox.
        </p>
        <AddressDetector />
        <details className="space-y-3">
          <summary className="cursor-pointer font-medium">Or work it out yourself from the MX (mail) record</summary>
          <p className="max-w-3xl">Your email domain&apos;s DNS records usually tell. Look up its MX (mail) record:</p>
          <pre tabIndex={0} className="max-w-2xl overflow-x-auto rounded bg-slate-900 px-3 py-2 text-sm text-slate-50">nslookup -type=mx yourdomain.com</pre>
          <ul className="max-w-3xl list-disc space-y-1 pl-6">
            <li>
              Ends in <code>mail.protection.outlook.com</code> or <code>mx.microsoft</code>: the mailboxes are in <strong>Microsoft 365</strong>. If you
              pay GoDaddy or another provider for it and sign in through their page, choose{" "}
              <Link href="/guide/microsoft-365-reseller" prefetch={false}>Microsoft 365 through a reseller</Link>.
            </li>
            <li>
              A name of your own (for example <code>mail.yourdomain.com</code>): usually <Link href="/guide/exchange-server" prefetch={false}>Exchange Server</Link> run by
              your organization.
            </li>
            <li>
              A provider&apos;s name (for example <code>emailsrvr.com</code>, <code>serverdata.net</code>): probably{" "}
              <Link href="/guide/hosted-exchange" prefetch={false}>hosted Exchange</Link> — ask the provider whether it is Exchange.
            </li>
            <li>
              A filtering service (Mimecast, Proofpoint, Barracuda…) hides the mail host. Look up <code>autodiscover.yourdomain.com</code> instead:
              <code> autodiscover.outlook.com</code> means Microsoft 365.
            </li>
            <li>Google (<code>google.com</code>) means Google Workspace: this guide does not apply; contact MoxiWorks onboarding.</li>
          </ul>
          <MxHelper />
        </details>
      </section>

      <Section section={OVERVIEW} online={false} />
    </div>
  );
}
