import "server-only";
import type { Kysely, Transaction } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { log } from "@/lib/log";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import type { ProbeOptions } from "@/lib/exchange/probe";
import { interruptStaleRuns, runTest } from "@/lib/test-runs/run";
import { isState, type OnboardingState } from "@/lib/onboarding/lifecycle";
import { claimVerification, newHolder, releaseVerification, renewVerification, staleVerifications } from "@/lib/onboarding/verification-lease";
import type { TestRun } from "@/lib/test-runs/store";
import { markVerified, openLatestCredentialForProbe } from "@/lib/credentials/store";
import { getAppAccess } from "@/lib/app-access/consent";
import { graphProbeFor, markAppAccessVerified } from "@/lib/app-access/lifecycle";
import type { RunTestInput } from "@/lib/test-runs/run";
import { appAccessSetup } from "@/lib/app-access/app";
import { parseTrack } from "@/lib/guide/ids";
import { afterFailureInMail } from "@/lib/onboarding/next-step";
import { queueRosterRecheck } from "@/lib/roster/store";

/**
 * What a verification tests: the newest saved credential (EWS impersonation), or for a graph_app onboarding the
 * Microsoft Graph app-access test of its trusted consent and saved scope, never sending mail (nobody is watching).
 */
async function whatToTest(db: Kysely<Database>, onboardingId: string): Promise<{ run: Pick<RunTestInput, "probe" | "graph" | "credentialId">; credentialId?: string } | undefined> {
  if ((await getAppAccess(db, onboardingId)).method === "graph_app") {
    const graph = await graphProbeFor(db, onboardingId);
    return graph ? { run: { graph: { input: { ...graph.input, sendTestMail: false }, options: graph.options, ownApp: graph.ownApp } } } : undefined;
  }
  const saved = await openLatestCredentialForProbe(db, onboardingId);
  return saved ? { run: { probe: saved.input, credentialId: saved.credentialId }, credentialId: saved.credentialId } : undefined;
}


/**
 * The verification loop: a submission is tested by the app itself and the onboarding
 * moves to verified or needs_attention; the brokerage (and, when a verified brokerage starts failing, staff)
 * is told by mail through the outbox. Only a verified credential supersedes the ones before it.
 */
export const SYSTEM: Actor = { kind: "system", label: "MoxiEngage Onboarding" };

export type VerifyOptions = { probeOptions?: Omit<ProbeOptions, "signal" | "onStep">; signal?: AbortSignal; onStep?: ProbeOptions["onStep"] };
/** The newest saved credential when the caller has already opened it (lib/test-runs/start.ts): not decrypted twice. */
type SavedCredential = NonNullable<Awaited<ReturnType<typeof openLatestCredentialForProbe>>>;

function links(onboardingId: string) {
  const base = config().appUrl;
  return { workspace: `${base}/o`, staffDetail: `${base}/staff/onboardings/${onboardingId}` };
}

/**
 * Tests the newest saved credential of a submitted onboarding (or one staff asked to re-verify) and records
 * the outcome. The onboarding is claimed under a verification lease (lib/onboarding/verification-lease.ts)
 * in the same transaction that moves it to `verifying`, and the test run renews the lease while it runs.
 * Only a finished run is a verdict: a cancelled one (the staff member closed the stream) puts the onboarding
 * back where it was, with no mail. Returns the test run, or undefined when there was nothing to verify (or
 * another process is verifying it).
 */
export async function verifyOnboarding(
  db: Kysely<Database>,
  onboardingId: string,
  trigger: "submission" | "staff",
  actor: Actor = SYSTEM,
  options: VerifyOptions & { saved?: SavedCredential } = {},
): Promise<TestRun | undefined> {
  const onboarding = await getOnboarding(db, onboardingId);
  if (!onboarding || !VERIFIABLE.includes(onboarding.state)) return undefined;
  const saved = options.saved ? { run: { probe: options.saved.input, credentialId: options.saved.credentialId }, credentialId: options.saved.credentialId } : await whatToTest(db, onboardingId);
  if (!saved) return undefined;
  const holder = newHolder();
  const claimed = await db.transaction().execute(async (trx) => {
    if (!(await claimVerification(trx, onboardingId, holder, VERIFIABLE))) return false;
    await transition(db, onboardingId, "verifying", actor, { trx, details: { trigger } });
    return true;
  });
  if (!claimed) return undefined;
  let run: TestRun;
  try {
    run = await runTest(db, { onboardingId, trigger, actor, ...saved.run, probeOptions: options.probeOptions, signal: options.signal, onStep: options.onStep, leaseHolder: holder });
  } catch (error) {
    // Never leave an onboarding stuck in "verifying": record the failure as needing attention.
    log.error({ err: error, onboardingId }, "verification could not run");
    await db.transaction().execute(async (trx) => {
      if (!(await renewVerification(trx, onboardingId, holder))) return;
      await transition(db, onboardingId, "needs_attention", SYSTEM, { trx, details: { reason: "the test could not run" } });
      await releaseVerification(trx, onboardingId, holder);
    });
    throw error;
  }
  if (run.status === "finished") await recordOutcome(db, onboardingId, run, saved.credentialId, "verifying", holder);
  else await endWithoutVerdict(db, onboardingId, holder, run.status === "cancelled" ? "cancelled" : "interrupted", run.id);
  return run;
}

const VERIFIABLE: readonly OnboardingState[] = ["submitted", "needs_attention", "verified"];

/**
 * Ends a verification that has no verdict (cancelled, or its process stopped): the onboarding goes back to
 * the state it was verified from, nobody is mailed, no credential changes. Returns that state, or undefined
 * when `holder` no longer holds the lease (someone else already ended it).
 */
async function endWithoutVerdict(db: Kysely<Database>, onboardingId: string, holder: string, reason: "cancelled" | "interrupted", testRunId?: string): Promise<OnboardingState | undefined> {
  return db.transaction().execute(async (trx) => {
    if (!(await renewVerification(trx, onboardingId, holder))) return undefined;
    const onboarding = await getOnboarding(trx, onboardingId);
    let back: OnboardingState | undefined;
    if (onboarding?.state === "verifying") {
      back = await stateBeforeVerifying(trx, onboardingId);
      await transition(db, onboardingId, back, SYSTEM, { trx, type: "verification_ended", details: { reason, testRunId: testRunId ?? null } });
    }
    await releaseVerification(trx, onboardingId, holder);
    return back;
  });
}

/** The state the latest move to `verifying` came from (the event log is the record); a submission if unknown. */
async function stateBeforeVerifying(db: Transaction<Database>, onboardingId: string): Promise<OnboardingState> {
  const row = await db
    .selectFrom("events")
    .select("from_state")
    .where("onboarding_id", "=", onboardingId)
    .where("to_state", "=", "verifying")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  const from = row?.from_state;
  return from && isState(from) && VERIFIABLE.includes(from) ? from : "submitted";
}

/**
 * The resume job's work: runs whose process stopped are ended as interrupted, and every onboarding left in
 * `verifying` under a stale lease is taken over (a conditional claim, so one instance does it), put back where
 * it was verified from, and — when that was a submission waiting for its verdict — verified again.
 */
export async function resumeStaleVerifications(db: Kysely<Database>, now = new Date(), options: VerifyOptions = {}): Promise<{ interruptedRuns: number; resumed: string[]; ended: string[] }> {
  const interruptedRuns = (await interruptStaleRuns(db, now)).length;
  const resumed: string[] = [];
  const ended: string[] = [];
  for (const id of await staleVerifications(db, now)) {
    const holder = newHolder();
    if (!(await claimVerification(db, id, holder, ["verifying"], now))) continue;
    const back = await endWithoutVerdict(db, id, holder, "interrupted");
    if (!back) continue;
    log.warn({ onboardingId: id, back }, "verification interrupted (its process stopped); ended");
    ended.push(id);
    if (back === "submitted" && !(await repeatedlyInterrupted(db, id))) {
      await verifyOnboarding(db, id, "submission", SYSTEM, options);
      resumed.push(id);
    }
  }
  return { interruptedRuns, resumed, ended };
}

/** After this many interrupted runs in a row the resume job stops retrying on its own. */
export const MAX_INTERRUPTED_IN_A_ROW = 3;

/**
 * True when the latest runs of an onboarding were all interrupted: something about it stops the process
 * (a crash the tenant's answers cause, say), and resuming it again and again would take every instance down
 * in turn. It stays `submitted` with its interrupted runs on show; staff re-running it is not held back.
 */
export async function repeatedlyInterrupted(db: Kysely<Database>, onboardingId: string): Promise<boolean> {
  const latest = await db
    .selectFrom("test_runs")
    .select("status")
    .where("onboarding_id", "=", onboardingId)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(MAX_INTERRUPTED_IN_A_ROW)
    .execute();
  const stuck = latest.length === MAX_INTERRUPTED_IN_A_ROW && latest.every((r) => r.status === "interrupted");
  if (stuck) log.error({ onboardingId }, `verification interrupted ${MAX_INTERRUPTED_IN_A_ROW} times in a row; not resumed automatically`);
  return stuck;
}

async function recordOutcome(db: Kysely<Database>, onboardingId: string, run: TestRun, credentialId: string | undefined, from: "verifying" | "verified", holder: string) {
  const onboarding = (await getOnboarding(db, onboardingId))!;
  const urls = links(onboardingId);
  await db.transaction().execute(async (trx) => {
    // A lease lost while the probe ran (taken over as stale) means another process has decided since: this
    // result is kept as a run but moves nothing. (Checked with a write, so SQLite takes its write lock first.)
    if (!(await renewVerification(trx, onboardingId, holder))) return;
    await releaseVerification(trx, onboardingId, holder);
    // Staff may have moved it meanwhile (revoked it, say): the result is kept as a run and moves nothing.
    if ((await getOnboarding(trx, onboardingId))?.state !== from) return;
    if (run.outcome === "passed") {
      if (from === "verifying") {
        await transition(db, onboardingId, "verified", SYSTEM, { trx, details: { testRunId: run.id } });
        await enqueueMail(trx, {
          to: onboarding.contactEmail,
          template: "verified",
          onboardingId,
          message: mailTemplates.verified({ brokerage: onboarding.brokerageName, workspaceUrl: urls.workspace }),
        });
      }
      if (credentialId) await markVerified(trx, credentialId);
      else await markAppAccessVerified(trx, onboardingId);
      return;
    }
    await transition(db, onboardingId, "needs_attention", SYSTEM, { trx, details: { testRunId: run.id, cause: run.primaryCause } });
    await enqueueMail(trx, {
      to: onboarding.contactEmail,
      template: "needs_attention",
      onboardingId,
      message: mailTemplates.needsAttention({
        brokerage: onboarding.brokerageName,
        workspaceUrl: urls.workspace,
        findings: run.findings,
        closing: afterFailureInMail({
          track: parseTrack(onboarding.track),
          method: (await getAppAccess(trx, onboardingId)).method,
          appAccessAvailable: appAccessSetup() !== undefined,
          findings: run.findings,
        }),
      }),
    });
    // Staff hear of it when credentials that worked stop working, or when a finding says MoxiWorks must act (an
    // Exchange Online tenant that refuses passwords, the app's own setup): one alert per failed verification.
    const staffMustAct = run.findings.find((f) => f.actor === "moxiworks");
    if (from === "verified" || staffMustAct) {
      await enqueueMail(trx, {
        to: config().staffAlertEmail,
        template: "staff_alert",
        onboardingId,
        message: mailTemplates.staffAlert({
          brokerage: onboarding.brokerageName,
          detailUrl: urls.staffDetail,
          cause: run.findings[0]?.title ?? run.primaryCause,
          reverification: from === "verified",
          moxiworksMustAct: staffMustAct?.title ?? null,
        }),
      });
    }
  });
}

/**
 * Scheduled re-verification of a verified onboarding: it stays verified while the test passes, so an expired
 * password or a removed role is found before agents notice; a failure alerts staff and the brokerage.
 * The onboarding is claimed first (one conditional update), so a second instance running the same job skips
 * it; with `dueBefore` it is re-checked under the claim, so one just re-verified elsewhere is not probed again.
 */
export async function reverifyOnboarding(db: Kysely<Database>, onboardingId: string, options: VerifyOptions & { dueBefore?: Date } = {}): Promise<TestRun | undefined> {
  const holder = newHolder();
  if (!(await claimVerification(db, onboardingId, holder, ["verified"]))) return undefined;
  try {
    if (options.dueBefore && !(await lastTestedBefore(db, onboardingId, options.dueBefore))) return undefined;
    const saved = await whatToTest(db, onboardingId);
    if (!saved) return undefined;
    // Unattended: the read and write checks run, the test message is never sent (nobody asked for mail in the agent's mailbox).
    const probeOptions = { ...options.probeOptions, sendTestMessage: false };
    const run = await runTest(db, { onboardingId, trigger: "scheduled", actor: SYSTEM, ...saved.run, probeOptions, signal: options.signal, leaseHolder: holder });
    if (run.status === "finished") await recordOutcome(db, onboardingId, run, saved.credentialId, "verified", holder);
    if (run.status === "finished" && run.outcome === "passed") await recheckRosterSample(db, onboardingId);
    return run;
  } finally {
    await releaseVerification(db, onboardingId, holder);
  }
}

/**
 * Still verified: the roster (if any) is re-checked too — the mailboxes that failed last time and a small sample
 * of the reachable ones — as a background roster check the `roster` job runs. A failure to queue it is logged,
 * never a failed re-verification.
 */
async function recheckRosterSample(db: Kysely<Database>, onboardingId: string): Promise<void> {
  try {
    const queued = await queueRosterRecheck(db, onboardingId);
    if (queued.ok) log.info({ onboardingId, checkId: queued.checkId, total: queued.total }, "roster re-check queued after re-verification");
  } catch (error) {
    log.warn({ err: error, onboardingId }, "roster re-check not queued");
  }
}

async function lastTestedBefore(db: Kysely<Database>, onboardingId: string, cutoff: Date): Promise<boolean> {
  const row = await db.selectFrom("test_runs").select((eb) => eb.fn.max("started_at").as("last")).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  return !row?.last || String(row.last) <= cutoff.toISOString();
}

/** Every verified onboarding whose last test is older than the interval. */
export async function dueForReverification(db: Kysely<Database>, intervalHours: number, now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - intervalHours * 3600_000).toISOString();
  const rows = await db
    .selectFrom("onboardings")
    .leftJoin(
      (eb) => eb.selectFrom("test_runs").select(["onboarding_id", (e) => e.fn.max("started_at").as("last")]).groupBy("onboarding_id").as("t"),
      (join) => join.onRef("t.onboarding_id", "=", "onboardings.id"),
    )
    .select("onboardings.id")
    .where("onboardings.state", "=", "verified")
    .where((eb) => eb.or([eb("t.last", "is", null), eb("t.last", "<=", cutoff)]))
    .execute();
  return rows.map((r) => r.id);
}
