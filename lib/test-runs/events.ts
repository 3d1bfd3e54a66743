import type { ProbeStep } from "@/lib/exchange/steps";
import type { TestRun } from "@/lib/test-runs/store";

/**
 * What POST /api/test-runs streams, one JSON object per line: the server (lib/test-runs/start.ts) sends these and
 * the browser (components/test-run/live-test.tsx) reads them, so both sides share this one union.
 */
export type TestRunSummary = Pick<TestRun, "id" | "outcome" | "failedStage" | "primaryCause" | "findings" | "elapsedMs">;

export type TestStreamEvent =
  | { type: "step"; step: ProbeStep }
  | { type: "done"; run: TestRunSummary }
  | { type: "error"; message: string };
