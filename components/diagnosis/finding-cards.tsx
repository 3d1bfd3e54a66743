import type { Diagnosis, Finding } from "@/lib/diagnosis/diagnose";
import { guideStepHref } from "@/lib/onboarding/journey";

const ACTOR_LABEL: Record<Finding["actor"], string> = {
  brokerage_admin: "Your email administrator",
  email_vendor: "Your email vendor",
  moxiworks: "MoxiWorks",
};

/** Below this the finding is a guess from a generic signal (a bare status code) or nothing placed at all. */
const SURE = 0.5;

function confidenceLabel(c: number) {
  if (c >= 0.8) return "Very likely";
  if (c >= SURE) return "Likely";
  return "We are not sure";
}

/** Findings as cards: the cause in plain words, who acts, what to do, the guide step that fixes it, and the evidence. */
export function FindingCards({ diagnosis, headingLevel = 3, workspaceGuide }: { diagnosis: Diagnosis; headingLevel?: 2 | 3 | 4; workspaceGuide?: string }) {
  const H = `h${headingLevel}` as "h2" | "h3" | "h4";
  if (diagnosis.primaryCause === null) {
    return (
      <p role="status" className="rounded border border-green-700 bg-green-50 px-4 py-3">
        This log shows a test that passed: there is nothing to fix.
      </p>
    );
  }
  return (
    <ol className="space-y-4" aria-label="Findings, most likely first">
      {diagnosis.findings.map((f, i) => (
        <li key={`${f.cause}-${i}`} data-testid="finding" data-cause={f.cause} className={`rounded-lg border bg-white p-5 shadow-sm ${i === 0 ? "border-amber-700 border-l-4" : "border-slate-300"}`}>
          <p className="text-sm font-medium text-slate-700">
            {i === 0 ? "Most likely cause" : "Also found"} · {confidenceLabel(f.confidence)}
          </p>
          <H className="mt-1 text-lg font-semibold">{f.title}</H>
          <p className="mt-2">{f.explanation}</p>
          <p className="mt-3 font-medium">Who acts: {ACTOR_LABEL[f.actor]}</p>
          {f.actions.length > 0 && (
            <ol className="mt-2 list-decimal space-y-1 pl-6">
              {f.actions.map((a) => <li key={a}>{a}</li>)}
            </ol>
          )}
          <p className="mt-3">
            {/* A finding only MoxiWorks can act on has no step the reader can fix it with: the link explains instead. */}
            <a href={guideStepHref(f.guideStep, workspaceGuide)}>{f.actor === "moxiworks" ? "Open the guide step about this" : "Open the guide step that fixes this"}</a>
          </p>
          {f.evidence.length > 0 && f.confidence < SURE && (
            <div className="mt-3">
              <p className="text-sm font-medium">We are not sure. These are the lines that made us look:</p>
              <pre data-testid="evidence" className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-sm whitespace-pre-wrap">{f.evidence.join("\n")}</pre>
            </div>
          )}
          {f.evidence.length > 0 && f.confidence >= SURE && (
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-medium">What in the log shows this</summary>
              <pre data-testid="evidence" className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-sm whitespace-pre-wrap">{f.evidence.join("\n")}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
