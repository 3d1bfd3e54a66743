import { performance } from "node:perf_hooks";
import type { ProbeStep, StageId, StepStatus } from "./steps";

/**
 * The steps of one probe run, in the order they started: each start/finish is sent (scrubbed, as a copy)
 * to the live listener. Shared by the EWS test (lib/exchange/probe.ts) and the Graph test (lib/graph).
 */
export class StepBook {
  readonly steps: ProbeStep[] = [];
  private starts = new Map<ProbeStep, number>();
  constructor(
    private readonly onStep: ((s: ProbeStep) => void) | undefined,
    private readonly scrub: <T>(v: T) => T,
  ) {}
  private emit(step: ProbeStep) {
    try {
      this.onStep?.(this.scrub(structuredClone(step)));
    } catch {
      /* a listener's problem must not break the probe */
    }
  }
  start(id: StageId, title: string): ProbeStep {
    const step: ProbeStep = { id, title, status: "running", startedAt: new Date().toISOString(), elapsedMs: 0, details: [] };
    this.steps.push(step);
    this.starts.set(step, performance.now());
    this.emit(step);
    return step;
  }
  /** `elapsedMs` overrides the wall time when the stage's own time is measured (a connect inside a longer request). */
  finish(step: ProbeStep, status: StepStatus, result: string, extra: Partial<Pick<ProbeStep, "details" | "failure" | "http">> = {}, elapsedMs?: number): void {
    if (step.status !== "running") return;
    Object.assign(step, { status, result }, extra);
    step.elapsedMs = elapsedMs ?? Math.round(performance.now() - (this.starts.get(step) ?? performance.now()));
    this.emit(step);
  }
  /** A stage that was not run: recorded so every log has the same shape. */
  skip(id: StageId, title: string, why: string): void {
    if (this.steps.some((s) => s.id === id)) return;
    const step = this.start(id, title);
    this.finish(step, "skipped", why);
  }
}
