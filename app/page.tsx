import Link from "next/link";

export default function HomePage() {
  return (
    <div className="space-y-10">
      <section aria-labelledby="intro" className="space-y-3">
        <h1 id="intro" className="text-3xl font-bold tracking-tight">Connect your brokerage&apos;s mailboxes to MoxiEngage</h1>
        <p className="max-w-3xl text-lg text-slate-700">
          MoxiEngage keeps each agent&apos;s contacts and calendar in step with their Exchange mailbox and sends some
          mail on their behalf. This portal walks your email administrator through setting up the service account it
          needs, tests the connection for you, and hands the credentials to MoxiWorks securely — no PDFs, no passwords
          by email.
        </p>
      </section>

      <section aria-labelledby="who" className="space-y-4">
        <h2 id="who" className="text-xl font-semibold">Where would you like to start?</h2>
        <ul className="grid gap-4 md:grid-cols-3">
          <li className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h3 className="font-semibold">Brokerage administrator</h3>
            <p className="mt-2 text-sm text-slate-700">
              Open the private link MoxiWorks sent you. It takes you to your brokerage&apos;s workspace, where your
              progress, the connection test and the secure credential form are kept.
            </p>
            <p className="mt-3 text-sm text-slate-700">No link? Ask your MoxiWorks contact to send a new one.</p>
          </li>
          <li className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h3 className="font-semibold">Email vendor or IT provider</h3>
            <p className="mt-2 text-sm text-slate-700">
              Read or print the setup guide for your kind of mail system. If the brokerage shared a vendor link, open
              it to tick the checklist and run the connection test with them.
            </p>
            <p className="mt-3"><Link href="/guide">Open the setup guide</Link></p>
          </li>
          <li className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h3 className="font-semibold">MoxiWorks staff</h3>
            <p className="mt-2 text-sm text-slate-700">
              See every brokerage&apos;s progress, test history and next action, and send invitations.
            </p>
            <p className="mt-3"><Link href="/staff">Staff sign-in</Link></p>
          </li>
        </ul>
      </section>
    </div>
  );
}
