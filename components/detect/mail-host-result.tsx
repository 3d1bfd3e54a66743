import Link from "next/link";
import type { MailHostView } from "@/lib/detect/view";
import { TRACK_LABELS } from "@/lib/guide/ids";

const CONFIDENCE_WORDS = { high: "sure", medium: "fairly sure", low: "not very sure", none: "could not tell" } as const;

/**
 * What the detector found, in plain words with its evidence. `guideLinks` links the tracks to the public guide
 * (the guide's "not sure" box); in the workspace the track is chosen in the question right beside it instead.
 */
export function MailHostResult({ view, guideLinks = false, headingLevel = 3 }: { view: MailHostView; guideLinks?: boolean; headingLevel?: 3 | 4 }) {
  const H = `h${headingLevel}` as const;
  const trackName = (t: NonNullable<MailHostView["track"]>) =>
    guideLinks ? <Link href={`/guide/${t}`} prefetch={false}>{TRACK_LABELS[t]}</Link> : <strong>{TRACK_LABELS[t]}</strong>;
  return (
    <div className="space-y-2 rounded border border-slate-300 bg-slate-50 p-4" data-testid="mail-host-result" data-host={view.host}>
      <H className="font-semibold">
        {view.host === "unknown" ? `We could not tell where ${view.domain}'s mail is hosted` : `${view.domain}: ${view.hostLabel}`}
        {view.host !== "unknown" && <span className="font-normal text-slate-700"> ({CONFIDENCE_WORDS[view.confidence]})</span>}
      </H>
      <p>{view.summary}</p>
      {view.track && <p>Guide to follow: {trackName(view.track)}.</p>}
      {view.alsoTracks.length > 0 && (
        <p>
          Some of your mailboxes are elsewhere: for those, follow {view.alsoTracks.map((t, i) => <span key={t}>{i > 0 && " or "}{trackName(t)}</span>)} instead.
        </p>
      )}
      {view.tenantId && (
        <p className="text-sm text-slate-700">
          Microsoft 365 tenant id: <code className="break-all">{view.tenantId}</code>
        </p>
      )}
      {view.ewsUrl && (
        <p className="text-sm text-slate-700">
          EWS URL: <code className="break-all">{view.ewsUrl}</code>
        </p>
      )}
      {view.evidence.length > 0 && (
        <details>
          <summary className="cursor-pointer font-medium">What we looked at ({view.evidence.length})</summary>
          <ul className="mt-2 list-disc space-y-1 pl-6 text-sm">
            {view.evidence.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
