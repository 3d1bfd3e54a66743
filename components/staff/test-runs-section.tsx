import type { ReactNode } from "react";
import { TestHistory } from "@/components/test-run/history";
import type { TestRun } from "@/lib/test-runs/store";

/**
 * The detail page's "Test runs" region: every connection test of this onboarding with its log and diagnosis.
 * `children` is room for controls (re-run verification) that belong with the history.
 */
export function TestRunsSection({ runs, children }: { runs: TestRun[]; children?: ReactNode }) {
  return (
    <section id="test-runs" aria-labelledby="test-runs-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="test-runs-title" className="text-lg font-semibold">Test runs</h2>
      {children}
      {runs.length === 0 ? <p data-testid="no-test-runs">No connection test has run yet for this onboarding.</p> : <TestHistory runs={runs} headingLevel={3} />}
    </section>
  );
}
