import { When } from "./when";

/**
 * The detail page's "Test runs" region. Takes the runs as a prop so the test-run history can be wired in
 * without touching the page layout; until then it says that no test has run.
 */
export type TestRunSummary = { id: string; startedAt: string; status: string; outcome: string | null; primaryCause: string | null; actor: { label: string } };

export function TestRunsSection({ runs }: { runs: TestRunSummary[] }) {
  return (
    <section id="test-runs" aria-labelledby="test-runs-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="test-runs-title" className="text-lg font-semibold">Test runs</h2>
      {runs.length === 0 ? (
        <p data-testid="no-test-runs">No connection test has run yet for this onboarding.</p>
      ) : (
        <ul className="space-y-2">
          {runs.map((r) => (
            <li key={r.id}>
              <When iso={r.startedAt} />: {r.status === "finished" ? `test ${r.outcome ?? "finished"}` : r.status}
              {r.primaryCause ? ` (likely cause: ${r.primaryCause.replace(/_/g, " ")})` : ""} — {r.actor.label}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
