import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { ErrorCode } from "@/lib/errors";
import { getAppAccess } from "@/lib/app-access/consent";
import { parseTrack } from "@/lib/guide/ids";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import type { RosterLineError, RosterFlag } from "./parse";
import { causeText, type RosterCause } from "./causes";
import { outcomesCsv, type MailboxOutcome } from "./report";
import { cancelRosterCheck, kickRosterCheck, rosterOutcomes, rosterProgress, saveRoster, startRosterCheck, type RosterProgress } from "./store";

/**
 * The roster as the workspace and the staff page use it: save a list and start its check, re-check the failed
 * ones, cancel, and read progress and outcomes. Whoever calls has already been authorised for the onboarding.
 */
export type RosterView = RosterProgress & { mailboxes: MailboxOutcome[]; track: "ews" | "graph" };

export type RosterActionResult =
  | { ok: true; saved?: number; flagged?: RosterFlag[]; errors?: RosterLineError[]; duplicates?: number; total: number }
  | { ok: false; code: ErrorCode; message?: string; errors?: RosterLineError[] };

async function tracks(db: Kysely<Database>, onboardingId: string): Promise<{ track: "ews" | "graph"; guidanceTrack: GuidanceTrack }> {
  const o = await db.selectFrom("onboardings").select("track").where("id", "=", onboardingId).executeTakeFirst();
  const rec = await getAppAccess(db, onboardingId);
  return { track: rec.method === "graph_app" ? "graph" : "ews", guidanceTrack: parseTrack(o?.track) ?? "unknown" };
}

async function start(db: Kysely<Database>, onboardingId: string, scope: "all" | "failed", by: string) {
  const started = await startRosterCheck(db, onboardingId, scope, by);
  if (!started.ok) return started;
  await kickRosterCheck(db, started.checkId);
  return started;
}

export async function submitRoster(db: Kysely<Database>, onboardingId: string, list: string, by: string): Promise<RosterActionResult> {
  const saved = await saveRoster(db, onboardingId, list);
  if (!saved.ok) {
    if (saved.code === "roster_refused") return { ok: false, code: "invalid_input", message: saved.message, errors: saved.errors };
    return { ok: false, code: saved.code };
  }
  const started = await start(db, onboardingId, "all", by);
  if (!started.ok) return { ok: false, code: started.code === "roster_empty" ? "roster_empty" : started.code, errors: saved.errors };
  return { ok: true, saved: saved.saved, flagged: saved.flagged, errors: saved.errors, duplicates: saved.duplicates, total: started.total };
}

export async function recheckRoster(db: Kysely<Database>, onboardingId: string, scope: "all" | "failed", by: string): Promise<RosterActionResult> {
  const started = await start(db, onboardingId, scope, by);
  return started.ok ? { ok: true, total: started.total } : { ok: false, code: started.code };
}

export async function cancelRoster(db: Kysely<Database>, onboardingId: string): Promise<boolean> {
  return cancelRosterCheck(db, onboardingId);
}

export async function rosterView(db: Kysely<Database>, onboardingId: string): Promise<RosterView> {
  const t = await tracks(db, onboardingId);
  const [progress, mailboxes] = await Promise.all([rosterProgress(db, onboardingId), rosterOutcomes(db, onboardingId, t.track, t.guidanceTrack)]);
  return { ...progress, mailboxes, track: t.track };
}

export async function rosterCsv(db: Kysely<Database>, onboardingId: string, origin: string): Promise<string> {
  const t = await tracks(db, onboardingId);
  return outcomesCsv(await rosterOutcomes(db, onboardingId, t.track, t.guidanceTrack), origin);
}

/** Staff: counts only, with the cause titles for the onboarding's track. */
export async function rosterSummaryFor(db: Kysely<Database>, onboardingId: string): Promise<{ progress: RosterProgress; causeTitles: Record<string, string> }> {
  const t = await tracks(db, onboardingId);
  const progress = await rosterProgress(db, onboardingId);
  const causeTitles: Record<string, string> = {};
  for (const cause of Object.keys(progress.counts.byCause)) causeTitles[cause] = causeText(cause as RosterCause, t.track, t.guidanceTrack).title;
  return { progress, causeTitles };
}
