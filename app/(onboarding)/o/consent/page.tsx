import type { Metadata } from "next";
import Link from "next/link";
import { CONSENT_TEXTS } from "@/lib/app-access/consent-texts";
import { isConsentOutcome } from "@/lib/app-access/consent";

export const metadata: Metadata = { title: "Microsoft 365 consent", robots: { index: false } };

/** The plain page after Microsoft's admin-consent screen: what happened and how to retry. Reads only our codes. */
export default async function ConsentResultPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const outcome = isConsentOutcome(sp.outcome) ? sp.outcome : "missing_params";
  const code = typeof sp.code === "string" && /^\d{4,7}$/.test(sp.code) ? sp.code : undefined;
  const text = CONSENT_TEXTS[outcome];
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-3xl font-bold">{text.title}</h1>
      <p data-consent-outcome={outcome} className={text.ok ? "text-green-900" : "text-slate-900"}>
        {text.body}
      </p>
      {code ? <p className="text-sm text-slate-700">Microsoft&apos;s code: AADSTS{code}</p> : null}
      <div className="flex flex-wrap gap-4">
        {text.retry ? (
          // A plain link: /api/consent/start redirects to Microsoft; a client-side navigation or prefetch must never do that.
          // eslint-disable-next-line @next/next/no-html-link-for-pages
          <a href="/api/consent/start" className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            Try again
          </a>
        ) : null}
        <Link href="/o" prefetch={false} className="rounded border border-slate-500 px-4 py-2 font-semibold">
          Back to your workspace
        </Link>
      </div>
    </div>
  );
}
