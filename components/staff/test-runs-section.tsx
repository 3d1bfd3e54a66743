import type { ReactNode } from "react";
import { TestHistory } from "@/components/test-run/history";
import type { TestRun } from "@/lib/test-runs/store";
import { operatorNotesFor } from "@/lib/test-runs/operator-notes";

/**
 * The detail page's "Test runs" region: every connection test of this onboarding with its log and diagnosis.
 * `children` is room for controls (re-run verification) that belong with the history.
 */
export function TestRunsSection({ runs, children }: { runs: TestRun[]; children?: ReactNode }) {
  return (
    <section id="test-runs" aria-labelledby="test-runs-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="test-runs-title" className="text-lg font-semibold">Test runs</h2>
      {children}
      <OperatorNotes run={runs.find((r) => r.outcome === "failed")} />
      {runs.length === 0 ? <p data-testid="no-test-runs">No connection test has run yet for this onboarding.</p> : <TestHistory runs={runs} headingLevel={3} />}
    </section>
  );
}

/** For the latest failed run: what it means for this server's settings (named here only, never to the brokerage). */
function OperatorNotes({ run }: { run: TestRun | undefined }) {
  const notes = run ? operatorNotesFor(run.steps) : [];
  if (notes.length === 0) return null;
  return (
    <div role="note" data-testid="operator-notes" className="rounded border-l-4 border-slate-600 bg-slate-50 px-3 py-2 text-sm">
      <p className="font-semibold">Server settings (MoxiWorks staff only), for the latest failed run</p>
      <ul className="mt-1 list-disc space-y-1 pl-5 break-words">
        {notes.map((n) => (
          <li key={n.code}>{n.note}</li>
        ))}
      </ul>
    </div>
  );
}
