import type { TestRun } from "@/lib/test-runs/store";
import type { TestRunView } from "@/lib/test-runs/visibility";
import { FindingCards } from "@/components/diagnosis/finding-cards";
import { StepList } from "./step-list";

const TRIGGER: Record<TestRun["trigger"], string> = { manual: "Run by hand", submission: "After submission", scheduled: "Scheduled re-check", staff: "Run by MoxiWorks" };

/**
 * Earlier test runs, newest first: who, when, outcome, and the findings and log of each. Runs shown to a
 * vendor come masked from lib/test-runs/visibility.ts (no log, no step details); this only renders them.
 */
export function TestHistory({ runs, headingLevel = 3, workspaceGuide }: { runs: (TestRun | TestRunView)[]; headingLevel?: 3 | 4; workspaceGuide?: string }) {
  const H = `h${headingLevel}` as "h3" | "h4";
  if (runs.length === 0) return <p>No test has run yet.</p>;
  return (
    <ol className="space-y-3" aria-label="Test history">
      {runs.map((run) => (
        <li key={run.id} data-testid="test-run" data-outcome={run.outcome ?? run.status} className="rounded border border-slate-300 bg-white p-4">
          <details>
            <summary className="cursor-pointer">
              <H className="inline text-base font-semibold">
                {run.status === "running" ? "Running" : run.status === "cancelled" ? "Cancelled" : run.status === "interrupted" ? "Interrupted" : run.outcome === "passed" ? "Passed" : "Failed"}
              </H>{" "}
              · <time dateTime={run.startedAt}>{run.startedAt.replace("T", " ").slice(0, 16)} UTC</time> · {TRIGGER[run.trigger]} by {run.actor.label}
              {run.primaryCause && run.outcome === "failed" && <> · cause: {run.findings[0]?.title ?? run.primaryCause}</>}
            </summary>
            <div className="mt-3 space-y-4">
              <p className="text-sm">Service account {run.serviceAccount}, test mailbox {run.testMailbox}{run.elapsedMs !== null && <>, {run.elapsedMs} ms</>}.</p>
              {run.outcome === "failed" && run.findings.length > 0 && <FindingCards diagnosis={{ primaryCause: run.findings[0]!.cause, findings: run.findings }} headingLevel={4} workspaceGuide={workspaceGuide} />}
              <StepList steps={run.steps} />
              {!("visibility" in run && run.visibility === "masked") && (
                <details>
                  <summary className="cursor-pointer text-sm">Full log (Remote Connectivity Analyzer style)</summary>
                  <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs whitespace-pre-wrap">{run.log}</pre>
                </details>
              )}
            </div>
          </details>
        </li>
      ))}
    </ol>
  );
}
