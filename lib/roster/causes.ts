import type { Cause } from "@/lib/diagnosis/causes";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { guidanceFor, type GuidanceTrack } from "@/lib/diagnosis/guidance";
import type { Failure } from "@/lib/exchange/failures";
import type { ProbeResult } from "@/lib/exchange/probe";
import type { RecordedExchange } from "@/lib/exchange/http-client";

/**
 * Why one mailbox could not be reached, in the project's cause vocabulary: the probe's typed diagnosis
 * (FAILURE_CAUSES refined by what the server itself said), run on the mailbox's failure and exchanges.
 * One roster-only refinement: access refused for SOME mailboxes while others are reachable is the scope
 * (the management scope of the impersonation role / the RBAC for Applications scope), not a missing grant —
 * Exchange answers both with the same code, only the rest of the roster tells them apart.
 */
export type RosterCause = Cause | "not_in_scope";

export const ROSTER_CAUSE_WORDS: Record<"not_in_scope", { title: string; explanation: string }> = {
  not_in_scope: {
    title: "Not in the scope the access covers",
    explanation: "Other agents' mailboxes are reachable with the same access, but this one is refused: it is outside the group or management scope the access was limited to. Add the mailbox to the scope group (or the scope's filter), wait for the change to apply, then re-check.",
  },
};

export function causeOfMailbox(failure: Failure, exchanges: RecordedExchange[], track: "ews" | "graph", guidanceTrack: GuidanceTrack = "unknown"): Cause {
  const stage = track === "ews" ? "impersonate" : "contacts-read";
  const result: ProbeResult = {
    outcome: "failed",
    failedStage: stage,
    failure,
    steps: [{ id: stage, title: "", status: "failed", startedAt: "", elapsedMs: 0, details: [], failure, http: exchanges }],
    log: "",
    startedAt: "",
    elapsedMs: 0,
    roundTrips: 0,
  };
  return diagnoseProbe(result, { track: guidanceTrack }).primaryCause ?? "unknown";
}

const SCOPE_CAUSES: ReadonlySet<Cause> = new Set(["impersonation_denied", "app_access_denied"]);

/** The cause as shown: a scope refusal among reachable mailboxes reads as "not in scope". */
export function shownCause(cause: Cause, anyReachable: boolean): RosterCause {
  return anyReachable && SCOPE_CAUSES.has(cause) ? "not_in_scope" : cause;
}

export type CauseText = { title: string; explanation: string; guideStep: string };

/** Plain words and the guide step that fixes it. */
export function causeText(cause: RosterCause, track: "ews" | "graph", guidanceTrack: GuidanceTrack = "unknown"): CauseText {
  if (cause === "not_in_scope") {
    const g = guidanceFor(track === "ews" ? "impersonation_denied" : "app_access_denied", track === "graph" ? "microsoft-365" : guidanceTrack);
    return { ...ROSTER_CAUSE_WORDS.not_in_scope, guideStep: g.guideStep };
  }
  const g = guidanceFor(cause, track === "graph" ? "microsoft-365" : guidanceTrack);
  return { title: g.title, explanation: g.explanation, guideStep: g.guideStep };
}
