import type { Failure } from "./failures";
import type { RecordedExchange } from "./http-client";

/** One stage of the probe, as shown live and stored. Titles read like the Remote Connectivity Analyzer's. */
export type StepStatus = "running" | "passed" | "failed" | "skipped" | "warning";

export const STAGE_IDS = ["input", "autodiscover", "connect", "authenticate", "impersonate", "folder-contacts", "folder-calendar", "folder-sentitems", "summary"] as const;
export type StageId = (typeof STAGE_IDS)[number];

export type ProbeStep = {
  id: StageId;
  /** "Attempting to …" */
  title: string;
  status: StepStatus;
  startedAt: string;
  elapsedMs: number;
  /** One sentence: what was found (passed) or what went wrong (failed). */
  result?: string;
  details: string[];
  failure?: Failure;
  http?: RecordedExchange[];
};
