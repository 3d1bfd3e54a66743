import type { ProbeStep } from "@/lib/exchange/steps";

const STATUS_TEXT: Record<ProbeStep["status"], string> = {
  running: "In progress",
  passed: "Passed",
  failed: "Failed",
  skipped: "Not run",
  warning: "Warning",
};
const STATUS_CLASS: Record<ProbeStep["status"], string> = {
  running: "border-brand-600 bg-brand-50",
  passed: "border-green-700 bg-green-50",
  failed: "border-red-700 bg-red-50",
  skipped: "border-slate-300 bg-slate-50 text-slate-700",
  warning: "border-amber-700 bg-amber-50",
};
const ICON: Record<ProbeStep["status"], string> = { running: "…", passed: "✓", failed: "✗", skipped: "–", warning: "!" };

/** The probe's stages as a list, each with its status and time; details and HTTP exchanges on demand. */
export function StepList({ steps }: { steps: ProbeStep[] }) {
  return (
    <ol className="space-y-2" aria-label="Test steps">
      {steps.map((s) => (
        <li key={s.id} data-testid="test-step" data-stage={s.id} data-status={s.status} className={`rounded border-l-4 px-3 py-2 ${STATUS_CLASS[s.status]}`}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="font-medium">
              <span aria-hidden="true" className="mr-2 inline-block w-4">{ICON[s.status]}</span>
              {s.title}
            </p>
            <p className="text-sm text-slate-700">
              <span className="sr-only">Status: </span>{STATUS_TEXT[s.status]}
              {s.status !== "running" && s.status !== "skipped" && <> · {s.elapsedMs} ms</>}
            </p>
          </div>
          {s.result && <p className="mt-1 text-sm">{s.result}</p>}
          {(s.details.length > 0 || (s.http?.length ?? 0) > 0) && (
            <details className="mt-1 text-sm">
              <summary className="cursor-pointer">Additional details</summary>
              {s.details.length > 0 && <ul className="mt-1 list-disc pl-5">{s.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
              {s.http?.map((x, i) => (
                <pre key={i} className="mt-2 overflow-x-auto rounded bg-white p-2 text-xs whitespace-pre-wrap">
                  {`${x.method} ${x.url}\n→ ${x.status ?? x.failure?.message ?? "no answer"} in ${x.timings.totalMs} ms\n` +
                    (x.responseHeaders ?? []).map(([k, v]) => `${k}: ${v}`).join("\n")}
                </pre>
              ))}
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
