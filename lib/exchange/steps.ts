import type { Failure } from "./failures";
import type { RecordedExchange } from "./http-client";

/** One stage of the probe, as shown live and stored. Titles read like the Remote Connectivity Analyzer's. */
export type StepStatus = "running" | "passed" | "failed" | "skipped" | "warning";

/**
 * The EWS impersonation test's stages, in log order: reaching the mailbox, opening its folders, then what the sync
 * does there (list-contact … find-sent, lib/exchange/items.ts). Their ids differ from the Graph test's on purpose:
 * stageOrder looks an id up in one list or the other.
 */
export const STAGE_IDS = [
  "input",
  "autodiscover",
  "connect",
  "authenticate",
  "impersonate",
  "folder-contacts",
  "folder-calendar",
  "folder-sentitems",
  "list-contact",
  "write-contact",
  "view-calendar",
  "write-event",
  "send-message",
  "find-sent",
  "summary",
] as const;
/** The Microsoft Graph app-access test's stages (lib/graph), in log order. */
export const GRAPH_STAGE_IDS = [
  "input",
  "tenant",
  "token",
  "graph",
  "contacts-read",
  "contacts-write",
  "calendar-read",
  "calendar-write",
  "send-mail",
  "out-of-scope",
  "summary",
] as const;
export type EwsStageId = (typeof STAGE_IDS)[number];
export type GraphStageId = (typeof GRAPH_STAGE_IDS)[number];
export type StageId = EwsStageId | GraphStageId;

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

/** Where a stage sits in its test's log (EWS or Graph; a run never mixes them), for sorting live steps. */
export function stageOrder(id: StageId): number {
  if (id === "summary") return 100;
  const ews = (STAGE_IDS as readonly string[]).indexOf(id);
  return ews >= 0 ? ews : (GRAPH_STAGE_IDS as readonly string[]).indexOf(id);
}
