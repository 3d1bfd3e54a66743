import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { rosterSetup } from "./access";
import type { RosterFlag, RosterLineError } from "./parse";
import type { MailboxOutcome } from "./report";
import { claimRosterCheck, rosterOutcomes, rosterProgress, runRosterCheck, saveRoster, startRosterCheck, type RosterProgress } from "./store";

export type RosterReport = {
  onboardingId: string;
  track: "ews" | "graph";
  counts: RosterProgress["counts"];
  mailboxes: MailboxOutcome[];
  flagged: RosterFlag[];
  errors: RosterLineError[];
  duplicates: number;
  state: string;
  accessFailure: string | null;
  elapsedMs: number;
};

export type RosterRefusal = { ok: false; code: "not_found" | "no_verified_access" | "roster_refused" | "roster_check_running" | "roster_empty"; message: string; lineErrors?: RosterLineError[] };

const MESSAGES: Record<Exclude<RosterRefusal["code"], "roster_refused">, string> = {
  not_found: "No such onboarding (or it was revoked).",
  no_verified_access: "The onboarding has no verified access yet: the roster is checked with the verified service account or app access.",
  roster_check_running: "A roster check is already running for this onboarding; wait for it or cancel it.",
  roster_empty: "The list has no address to check.",
};

/**
 * The CLI's use case: the list replaces the onboarding's saved roster (as pasting it does), and a check of every
 * mailbox runs here, to its end, under the check's lease like the background job's; then the outcomes.
 */
export async function checkRosterNow(db: Kysely<Database>, onboardingId: string, text: string): Promise<{ ok: true; report: RosterReport } | RosterRefusal> {
  const started = Date.now();
  const setup = await rosterSetup(db, onboardingId);
  if (!setup.ok) return { ok: false, code: setup.problem, message: MESSAGES[setup.problem] };
  const saved = await saveRoster(db, onboardingId, text);
  if (!saved.ok) {
    if (saved.code === "roster_refused") return { ok: false, code: "roster_refused", message: saved.message ?? "The list was refused.", lineErrors: saved.errors };
    return { ok: false, code: saved.code, message: MESSAGES[saved.code] };
  }
  const start = await startRosterCheck(db, onboardingId, "all", "cli", { skipAccessCheck: true });
  if (!start.ok) return { ok: false, code: start.code, message: MESSAGES[start.code] };
  const holder = `cli-${process.pid}-${randomUUID().slice(0, 8)}`;
  if (await claimRosterCheck(db, start.checkId, holder)) await runRosterCheck(db, start.checkId, holder, { setup: setup.setup });
  const progress = await rosterProgress(db, onboardingId);
  return {
    ok: true,
    report: {
      onboardingId,
      track: setup.setup.track,
      counts: progress.counts,
      mailboxes: await rosterOutcomes(db, onboardingId, setup.setup.track, setup.setup.guidanceTrack),
      flagged: saved.flagged,
      errors: saved.errors,
      duplicates: saved.duplicates,
      state: progress.check?.state ?? "done",
      accessFailure: progress.check?.accessFailure ?? null,
      elapsedMs: Date.now() - started,
    },
  };
}
