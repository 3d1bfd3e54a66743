import { failure, FAILURE_TITLES, ProbeError, type Failure } from "./failures";
import type { StepBook } from "./step-book";
import type { StageId } from "./steps";

/**
 * The frame both connection tests run their stages in (EWS: lib/exchange/probe.ts; Microsoft Graph:
 * lib/graph/probe.ts): one deadline for the whole test, the caller's cancel, and a close-out that leaves no step
 * "running" in the log whatever stopped it. `signal` is what every request of the test listens to.
 */
export class ProbeRun {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCancel = () => this.controller.abort(new ProbeError("cancelled", "The test was cancelled."));

  constructor(
    deadlineMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(new ProbeError("deadline", `The test did not finish within its ${deadlineMs} ms deadline.`)), deadlineMs);
    if (outer?.aborted) this.onCancel();
    else outer?.addEventListener("abort", this.onCancel, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Runs the stages until they end, or until the deadline or a cancel stops them. The race is the last line of
   * defence: if anything inside ignores the abort, the test still returns on time. Steps still running then are
   * failed with what stopped them (`fail` records the verdict: the test's first failure wins); `cleanup` closes
   * the test's connections either way.
   */
  async stages<Id extends StageId>(book: StepBook, work: () => Promise<void>, fail: (stage: Id, f: Failure) => void, cleanup: () => void): Promise<void> {
    const signal = this.controller.signal;
    const stopped = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    try {
      await Promise.race([work(), stopped.then(() => new Promise<void>((r) => setTimeout(r, 50)))]);
    } catch {
      fail((book.steps.find((s) => s.status === "running")?.id ?? "summary") as Id, failure("internal_error", "The probe hit an unexpected internal error."));
    } finally {
      clearTimeout(this.timer);
      this.outer?.removeEventListener("abort", this.onCancel);
      cleanup();
    }
    const why = signal.aborted && signal.reason instanceof ProbeError ? signal.reason.toFailure() : undefined;
    for (const s of book.steps) {
      if (s.status !== "running") continue;
      const f = why ?? failure("internal_error", "The stage did not finish.");
      fail(s.id as Id, f);
      book.finish(s, "failed", f.message, { failure: f });
    }
  }
}

/** The summary step of either test: the stage it stopped at and why, or what it proved. */
export function finishSummary(book: StepBook, title: string, failed: { stage: StageId; failure: Failure } | undefined, proved: string): void {
  const summary = book.start("summary", title);
  if (failed) book.finish(summary, "failed", `Failed at the ${failed.stage} stage: ${FAILURE_TITLES[failed.failure.code]}.`, { failure: failed.failure, details: [failed.failure.message] });
  else book.finish(summary, "passed", proved);
}
