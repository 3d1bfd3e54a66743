import "server-only";
import { randomInt, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { isCause, type Cause } from "@/lib/diagnosis/causes";
import type { FailureCode } from "@/lib/exchange/failures";
import { log } from "@/lib/log";
import { rosterDomains, rosterSetup, type RosterSetup } from "./access";
import { causeOfMailbox, shownCause, type RosterCause } from "./causes";
import { checkRoster, type MailboxResult } from "./check";
import { parseRoster, type RosterFlag, type RosterLineError } from "./parse";
import { describeOutcome, type MailboxOutcome } from "./report";

/**
 * The roster of an onboarding and its checks, in the database (migration 017_roster).
 * A check is a background job under its own lease (`roster_checks.holder` / `lease_until`, renewed while it
 * runs): with several instances one runs it; when its process dies the lease goes stale and the `roster` job
 * (lib/jobs/scheduler.ts) of any instance takes it over and checks what is still pending. Each outcome is written
 * only onto an entry still pending for that check, so a mailbox is never counted twice and none is lost (at
 * most the few in flight at the crash are asked again). Results are written in small batches.
 */
type Db = Kysely<Database>;

export const ROSTER_LEASE_MS = 30_000;
const RENEW_MS = 5_000;
const FLUSH_MS = 250;
const FLUSH_AT = 100;
const INSERT_CHUNK = 500;

export type SaveRosterResult =
  | { ok: true; saved: number; flagged: RosterFlag[]; errors: RosterLineError[]; duplicates: number }
  | { ok: false; code: "not_found" | "roster_refused" | "roster_check_running"; message?: string; errors?: RosterLineError[] };

async function runningCheck(db: Db, onboardingId: string) {
  return db.selectFrom("roster_checks").selectAll().where("onboarding_id", "=", onboardingId).where("state", "=", "running").executeTakeFirst();
}

/** Replaces the onboarding's roster with a pasted/uploaded list. A refused list leaves the saved one as it was. */
export async function saveRoster(db: Db, onboardingId: string, text: string): Promise<SaveRosterResult> {
  const domains = await rosterDomains(db, onboardingId);
  if (!domains) return { ok: false, code: "not_found" };
  const parsed = parseRoster(text, { domains });
  if (!parsed.ok) return { ok: false, code: "roster_refused", message: parsed.message, errors: parsed.errors };
  return db.transaction().execute(async (trx) => {
    if (await runningCheck(trx, onboardingId)) return { ok: false as const, code: "roster_check_running" as const };
    await trx.deleteFrom("roster_entries").where("onboarding_id", "=", onboardingId).execute();
    const rows = parsed.addresses.map((address, position) => ({ onboarding_id: onboardingId, address_key: address.toLowerCase(), address, position, outcome: "pending", cause: null, failure_code: null, server_code: null, check_id: null, checked_at: null }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("roster_entries").values(rows.slice(i, i + INSERT_CHUNK)).execute();
    log.info({ onboardingId, saved: rows.length, flagged: parsed.flagged.length, errors: parsed.errors.length }, "roster saved");
    return { ok: true as const, saved: rows.length, flagged: parsed.flagged, errors: parsed.errors, duplicates: parsed.duplicates };
  });
}

export type StartRosterResult = { ok: true; checkId: string; total: number } | { ok: false; code: "not_found" | "roster_empty" | "roster_check_running" | "no_verified_access" };

/** all: every mailbox; failed: the failed (and never checked) ones; sample: those plus a few reachable ones. */
export type RosterScope = "all" | "failed" | "sample";

/** How many reachable mailboxes the daily re-check asks again: 5 % of them, at least one, at most 25. */
export function reachableSampleSize(reachable: number): number {
  return reachable <= 0 ? 0 : Math.min(25, Math.max(1, Math.ceil(reachable * 0.05)));
}

/** `k` distinct items picked uniformly at random (partial Fisher–Yates). */
function pickRandom<T>(items: T[], k: number): T[] {
  const a = [...items];
  for (let i = 0; i < Math.min(k, a.length); i++) {
    const j = i + randomInt(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** A second running check for the onboarding, refused by the unique index roster_checks_one_running (022). */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

/** Starts a check of the mailboxes in `scope`. The check then runs in the background (the `roster` job takes it). */
export async function startRosterCheck(db: Db, onboardingId: string, scope: RosterScope, requestedBy: string, options: { skipAccessCheck?: boolean } = {}): Promise<StartRosterResult> {
  const o = await db.selectFrom("onboardings").select("state").where("id", "=", onboardingId).executeTakeFirst();
  if (!o || o.state === "revoked") return { ok: false, code: "not_found" };
  if (!options.skipAccessCheck) {
    const s = await rosterSetup(db, onboardingId);
    if (!s.ok) return { ok: false, code: s.problem };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      if (await runningCheck(trx, onboardingId)) return { ok: false as const, code: "roster_check_running" as const };
      const id = newId();
      let sample: string[] = [];
      if (scope === "sample") {
        const reachable = await trx.selectFrom("roster_entries").select("address_key").where("onboarding_id", "=", onboardingId).where("outcome", "=", "reachable").execute();
        sample = pickRandom(reachable.map((r) => r.address_key), reachableSampleSize(reachable.length));
      }
      let q = trx.updateTable("roster_entries").set({ outcome: "pending", check_id: id }).where("onboarding_id", "=", onboardingId);
      if (scope === "failed") q = q.where("outcome", "in", ["failed", "pending"]);
      if (scope === "sample") q = q.where((eb) => (sample.length ? eb.or([eb("outcome", "in", ["failed", "pending"]), eb("address_key", "in", sample)]) : eb("outcome", "in", ["failed", "pending"])));
      const updated = Number((await q.executeTakeFirst()).numUpdatedRows);
      if (updated === 0) return { ok: false as const, code: "roster_empty" as const };
      await trx.insertInto("roster_checks").values({ id, onboarding_id: onboardingId, state: "running", scope, track: null, total: updated, requested_by: requestedBy, created_at: nowIso(), started_at: null, finished_at: null, holder: null, lease_until: null, cancel_requested: 0, access_failure: null, roster_reachable: null, roster_total: null }).execute();
      log.info({ onboardingId, checkId: id, scope, total: updated }, "roster check started");
      return { ok: true as const, checkId: id, total: updated };
    });
  } catch (error) {
    // Another start won the race between the read above and this insert: its check is the one that runs.
    if (isUniqueViolation(error)) return { ok: false, code: "roster_check_running" };
    throw error;
  }
}

/**
 * The daily re-check after a scheduled re-verification (lib/verification/workflow.ts): the mailboxes that
 * failed last time and a small random sample of the reachable ones, queued for the `roster` job. Nothing when
 * the onboarding has no roster, or a check is already running (never two at once).
 */
export async function queueRosterRecheck(db: Db, onboardingId: string): Promise<StartRosterResult> {
  const any = await db.selectFrom("roster_entries").select("address_key").where("onboarding_id", "=", onboardingId).limit(1).executeTakeFirst();
  if (!any) return { ok: false, code: "roster_empty" };
  return startRosterCheck(db, onboardingId, "sample", "system:reverify");
}

export async function cancelRosterCheck(db: Db, onboardingId: string): Promise<boolean> {
  const r = await db.updateTable("roster_checks").set({ cancel_requested: 1 }).where("onboarding_id", "=", onboardingId).where("state", "=", "running").executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Takes the check's lease when nobody holds it (or the holder's lease went stale). */
export async function claimRosterCheck(db: Db, checkId: string, holder: string, now = new Date(), leaseMs = ROSTER_LEASE_MS): Promise<boolean> {
  const r = await db
    .updateTable("roster_checks")
    .set({ holder, lease_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where("id", "=", checkId)
    .where("state", "=", "running")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now.toISOString()), eb("holder", "=", holder)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type RunRosterOptions = { setup?: RosterSetup; leaseMs?: number; renewMs?: number; concurrency?: number; mailboxDeadlineMs?: number; signal?: AbortSignal };

/** Runs a claimed check to its end (or until cancelled, or its lease is lost). */
export async function runRosterCheck(db: Db, checkId: string, holder: string, options: RunRosterOptions = {}): Promise<"done" | "cancelled" | "failed" | "lost" | "stopped"> {
  const check = await db.selectFrom("roster_checks").selectAll().where("id", "=", checkId).executeTakeFirst();
  if (!check || check.state !== "running" || check.holder !== holder) return "lost";
  const leaseMs = options.leaseMs ?? ROSTER_LEASE_MS;
  const finish = async (state: "done" | "cancelled" | "failed", accessFailure: string | null = null) => {
    // The whole roster's figures as this check leaves them: the dashboard's "agents reachable N of M".
    const figures = await db
      .selectFrom("roster_entries")
      .select([(eb) => eb.fn.countAll<number | string>().as("total"), (eb) => eb.fn.sum<number | string | null>(eb.case().when("outcome", "=", "reachable").then(1).else(0).end()).as("reachable")])
      .where("onboarding_id", "=", check.onboarding_id)
      .executeTakeFirst();
    await db
      .updateTable("roster_checks")
      .set({ state, finished_at: nowIso(), access_failure: accessFailure, lease_until: null, roster_reachable: Number(figures?.reachable ?? 0), roster_total: Number(figures?.total ?? 0) })
      .where("id", "=", checkId)
      .where("holder", "=", holder)
      .execute();
    return state;
  };
  let setup = options.setup;
  if (!setup) {
    const s = await rosterSetup(db, check.onboarding_id);
    if (!s.ok) return finish("failed", s.problem);
    setup = s.setup;
  }
  await db.updateTable("roster_checks").set({ track: setup.track, started_at: check.started_at ?? nowIso() }).where("id", "=", checkId).execute();
  const pending = await db.selectFrom("roster_entries").select("address").where("onboarding_id", "=", check.onboarding_id).where("check_id", "=", checkId).where("outcome", "=", "pending").orderBy("position").execute();

  const controller = new AbortController();
  let why: "cancelled" | "lost" | "stopped" | undefined;
  const stop = (reason: "cancelled" | "lost" | "stopped") => {
    why ??= reason;
    controller.abort();
  };
  if (options.signal?.aborted) stop("stopped");
  options.signal?.addEventListener("abort", () => stop("stopped"), { once: true });
  const renew = setInterval(async () => {
    try {
      const r = await db.updateTable("roster_checks").set({ lease_until: new Date(Date.now() + leaseMs).toISOString() }).where("id", "=", checkId).where("holder", "=", holder).where("state", "=", "running").executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return stop("lost");
      const c = await db.selectFrom("roster_checks").select("cancel_requested").where("id", "=", checkId).executeTakeFirst();
      if (c?.cancel_requested) stop("cancelled");
    } catch (error) {
      log.warn({ err: error, checkId }, "roster lease renewal failed");
    }
  }, options.renewMs ?? RENEW_MS);

  let buffer: MailboxResult[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = buffer;
    buffer = [];
    if (!batch.length) return writing;
    const at = nowIso();
    // One UPDATE per distinct outcome in the batch (all the reachable ones together), not one per mailbox.
    const groups = new Map<string, { values: { outcome: string; cause: string | null; failure_code: string | null; server_code: string | null }; keys: string[] }>();
    for (const r of batch) {
      const values = r.reachable
        ? { outcome: "reachable", cause: null, failure_code: null, server_code: null }
        : { outcome: "failed", cause: causeOfMailbox(r.failure!, r.exchanges ?? [], setup.track, setup.guidanceTrack), failure_code: r.failure?.code ?? null, server_code: r.failure?.server?.code ?? null };
      const k = JSON.stringify(values);
      const g = groups.get(k) ?? { values, keys: [] };
      g.keys.push(r.address.toLowerCase());
      groups.set(k, g);
    }
    writing = writing.then(() =>
      db.transaction().execute(async (trx) => {
        for (const { values, keys } of groups.values()) {
          await trx
            .updateTable("roster_entries")
            .set({ ...values, checked_at: at })
            .where("onboarding_id", "=", check.onboarding_id)
            .where("address_key", "in", keys)
            .where("check_id", "=", checkId)
            .where("outcome", "=", "pending")
            .execute();
        }
      }),
    );
    return writing;
  };
  const flusher = setInterval(() => void flush(), FLUSH_MS);
  let summary;
  try {
    summary = await checkRoster(
      setup.access,
      pending.map((p) => p.address),
      {
        concurrency: options.concurrency ?? config().rosterConcurrency,
        mailboxDeadlineMs: options.mailboxDeadlineMs ?? config().rosterMailboxDeadlineMs,
        allowedHosts: setup.allowedHosts,
        extraCaPem: setup.extraCaPem,
        signal: controller.signal,
        // A full batch is written before the worker takes its next mailbox: the store keeps up with the checks.
        onResult: async (r) => {
          buffer.push(r);
          if (buffer.length >= FLUSH_AT) await flush();
        },
      },
    );
  } finally {
    clearInterval(renew);
    clearInterval(flusher);
    await flush();
  }
  if (why === "lost" || why === "stopped") return why;
  if (why === "cancelled") return finish("cancelled");
  if (summary.accessFailure) {
    const cause = causeOfMailbox(summary.accessFailure, [], setup.track, setup.guidanceTrack);
    await db.updateTable("roster_entries").set({ outcome: "failed", cause, failure_code: summary.accessFailure.code, server_code: summary.accessFailure.server?.code ?? null, checked_at: nowIso() }).where("check_id", "=", checkId).where("outcome", "=", "pending").execute();
    return finish("failed", summary.accessFailure.code);
  }
  log.info({ onboardingId: check.onboarding_id, checkId, checked: summary.checked, reachable: summary.reachable, elapsedMs: summary.elapsedMs }, "roster check finished");
  return finish("done");
}

/** This process's id as a roster-check holder, and the checks it is running. */
const HOLDER = `${process.pid}-${randomUUID().slice(0, 8)}`;
const running = new Map<string, Promise<unknown>>();

/** Claims and runs a check in the background of this process (after a start, and from the `roster` job). */
export async function kickRosterCheck(db: Db, checkId: string, options: RunRosterOptions = {}): Promise<boolean> {
  if (running.has(checkId)) return true;
  if (!(await claimRosterCheck(db, checkId, HOLDER, new Date(), options.leaseMs))) return false;
  const p = runRosterCheck(db, checkId, HOLDER, options)
    .catch((error) => log.error({ err: error, checkId }, "roster check failed to run"))
    .finally(() => running.delete(checkId));
  running.set(checkId, p);
  return true;
}

/** The `roster` job: every running check that nobody holds (a new one, or one whose process died) is taken over. */
export async function resumeRosterChecks(db: Db, now = new Date(), options: RunRosterOptions = {}): Promise<string[]> {
  const rows = await db
    .selectFrom("roster_checks")
    .select("id")
    .where("state", "=", "running")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now.toISOString())]))
    .execute();
  const taken: string[] = [];
  for (const { id } of rows) if (await kickRosterCheck(db, id, options)) taken.push(id);
  return taken;
}

/** Waits for this process's background checks (tests, shutdown). */
export async function settleRosterChecks(): Promise<void> {
  await Promise.all([...running.values()]);
}

export type RosterProgress = {
  check: { id: string; state: string; scope: string; total: number; done: number; startedAt: string | null; finishedAt: string | null; etaSeconds: number | null; accessFailure: string | null } | null;
  counts: { total: number; reachable: number; failed: number; pending: number; byCause: Partial<Record<RosterCause, number>> };
};

/** Counts by outcome and cause, and the latest check with its estimated time left. Counts only: no addresses. */
export async function rosterProgress(db: Db, onboardingId: string, now = new Date()): Promise<RosterProgress> {
  const rows = await db.selectFrom("roster_entries").select(["outcome", "cause", (eb) => eb.fn.countAll<number | string>().as("n")]).where("onboarding_id", "=", onboardingId).groupBy(["outcome", "cause"]).execute();
  const counts: RosterProgress["counts"] = { total: 0, reachable: 0, failed: 0, pending: 0, byCause: {} };
  for (const r of rows) {
    const n = Number(r.n);
    counts.total += n;
    if (r.outcome === "reachable") counts.reachable += n;
    else if (r.outcome === "failed") counts.failed += n;
    else counts.pending += n;
  }
  for (const r of rows) {
    if (r.outcome !== "failed") continue;
    const c = shownCause(isCause(r.cause) ? r.cause : "unknown", counts.reachable > 0);
    counts.byCause[c] = (counts.byCause[c] ?? 0) + Number(r.n);
  }
  const c = await db.selectFrom("roster_checks").selectAll().where("onboarding_id", "=", onboardingId).orderBy("created_at", "desc").executeTakeFirst();
  let check: RosterProgress["check"] = null;
  if (c) {
    const left = await db.selectFrom("roster_entries").select((eb) => eb.fn.countAll<number | string>().as("n")).where("check_id", "=", c.id).where("outcome", "=", "pending").executeTakeFirst();
    const pendingNow = Number(left?.n ?? 0);
    const done = c.total - pendingNow;
    const elapsed = c.started_at ? (now.getTime() - Date.parse(c.started_at)) / 1000 : 0;
    const eta = c.state === "running" && done > 0 && elapsed > 0 ? Math.ceil((pendingNow * elapsed) / done) : null;
    check = { id: c.id, state: c.state, scope: c.scope, total: c.total, done, startedAt: c.started_at, finishedAt: c.finished_at, etaSeconds: eta, accessFailure: c.access_failure };
  }
  return { check, counts };
}

/** Every mailbox with its outcome, in list order (the table and the CSV). */
export async function rosterOutcomes(db: Db, onboardingId: string, track: "ews" | "graph" = "ews", guidanceTrack: Parameters<typeof describeOutcome>[2] = "unknown"): Promise<MailboxOutcome[]> {
  const rows = await db.selectFrom("roster_entries").selectAll().where("onboarding_id", "=", onboardingId).orderBy("position").execute();
  const anyReachable = rows.some((r) => r.outcome === "reachable");
  return rows.map((r) =>
    describeOutcome(
      {
        address: r.address,
        reachable: r.outcome === "pending" ? null : r.outcome === "reachable",
        cause: r.outcome === "failed" ? shownCause((isCause(r.cause) ? r.cause : "unknown") as Cause, anyReachable) : null,
        failureCode: (r.failure_code as FailureCode | null) ?? null,
        serverCode: r.server_code,
        checkedAt: r.checked_at,
      },
      track,
      guidanceTrack,
    ),
  );
}

/** Deletes the roster and its checks (revoke). */
export async function deleteRoster(db: Db, onboardingId: string): Promise<void> {
  await db.updateTable("roster_checks").set({ cancel_requested: 1 }).where("onboarding_id", "=", onboardingId).where("state", "=", "running").execute();
  await db.deleteFrom("roster_entries").where("onboarding_id", "=", onboardingId).execute();
  await db.deleteFrom("roster_checks").where("onboarding_id", "=", onboardingId).execute();
}
