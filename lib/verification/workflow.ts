import "server-only";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { log } from "@/lib/log";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import type { ProbeOptions } from "@/lib/exchange/probe";
import { runTest } from "@/lib/test-runs/run";
import type { TestRun } from "@/lib/test-runs/store";
import { markVerified, openLatestCredentialForProbe } from "@/lib/credentials/store";


/**
 * The verification loop: a submission is tested by the app itself and the onboarding
 * moves to verified or needs_attention; the brokerage (and, when a verified brokerage starts failing, staff)
 * is told by mail through the outbox. Only a verified credential supersedes the ones before it.
 */
export const SYSTEM: Actor = { kind: "system", label: "MoxiEngage Onboarding" };

export type VerifyOptions = { probeOptions?: Omit<ProbeOptions, "signal" | "onStep">; signal?: AbortSignal; onStep?: ProbeOptions["onStep"] };

function links(onboardingId: string) {
  const base = config().appUrl;
  return { workspace: `${base}/o`, staffDetail: `${base}/staff/onboardings/${onboardingId}` };
}

/**
 * Tests the newest saved credential of a submitted onboarding (or one staff asked to re-verify) and records
 * the outcome. Returns the test run, or undefined when there was nothing to verify.
 */
export async function verifyOnboarding(
  db: Kysely<Database>,
  onboardingId: string,
  trigger: "submission" | "staff",
  actor: Actor = SYSTEM,
  options: VerifyOptions = {},
): Promise<TestRun | undefined> {
  const onboarding = await getOnboarding(db, onboardingId);
  if (!onboarding || !["submitted", "needs_attention", "verified"].includes(onboarding.state)) return undefined;
  const saved = await openLatestCredentialForProbe(db, onboardingId);
  if (!saved) return undefined;
  await transition(db, onboardingId, "verifying", actor, { details: { trigger } });
  let run: TestRun;
  try {
    run = await runTest(db, { onboardingId, trigger, actor, probe: saved.input, credentialId: saved.credentialId, probeOptions: options.probeOptions, signal: options.signal, onStep: options.onStep });
  } catch (error) {
    // Never leave an onboarding stuck in "verifying": record the failure as needing attention.
    log.error({ err: error, onboardingId }, "verification could not run");
    await transition(db, onboardingId, "needs_attention", SYSTEM, { details: { reason: "the test could not run" } });
    throw error;
  }
  await recordOutcome(db, onboardingId, run, saved.credentialId, "verifying");
  return run;
}

async function recordOutcome(db: Kysely<Database>, onboardingId: string, run: TestRun, credentialId: string, from: "verifying" | "verified") {
  const onboarding = (await getOnboarding(db, onboardingId))!;
  const urls = links(onboardingId);
  if (run.outcome === "passed") {
    await db.transaction().execute(async (trx) => {
      if (from === "verifying") {
        await transition(db, onboardingId, "verified", SYSTEM, { trx, details: { testRunId: run.id } });
        await enqueueMail(trx, {
          to: onboarding.contactEmail,
          template: "verified",
          onboardingId,
          message: mailTemplates.verified({ brokerage: onboarding.brokerageName, workspaceUrl: urls.workspace }),
        });
      }
      await markVerified(trx, credentialId);
    });
    return;
  }
  await db.transaction().execute(async (trx) => {
    await transition(db, onboardingId, "needs_attention", SYSTEM, { trx, details: { testRunId: run.id, cause: run.primaryCause } });
    await enqueueMail(trx, {
      to: onboarding.contactEmail,
      template: "needs_attention",
      onboardingId,
      message: mailTemplates.needsAttention({ brokerage: onboarding.brokerageName, workspaceUrl: urls.workspace, findings: run.findings }),
    });
    if (from === "verified") {
      await enqueueMail(trx, {
        to: config().staffAlertEmail,
        template: "staff_alert",
        onboardingId,
        message: mailTemplates.staffAlert({ brokerage: onboarding.brokerageName, detailUrl: urls.staffDetail, cause: run.findings[0]?.title ?? run.primaryCause }),
      });
    }
  });
}

/**
 * Scheduled re-verification of a verified onboarding: it stays verified while the test passes, so an expired
 * password or a removed role is found before agents notice; a failure alerts staff and the brokerage.
 */
export async function reverifyOnboarding(db: Kysely<Database>, onboardingId: string, options: VerifyOptions = {}): Promise<TestRun | undefined> {
  const onboarding = await getOnboarding(db, onboardingId);
  if (onboarding?.state !== "verified") return undefined;
  const saved = await openLatestCredentialForProbe(db, onboardingId);
  if (!saved) return undefined;
  // Unattended: the read and write checks run, the test message is never sent (nobody asked for mail in the agent's mailbox).
  const probeOptions = { ...options.probeOptions, sendTestMessage: false };
  const run = await runTest(db, { onboardingId, trigger: "scheduled", actor: SYSTEM, probe: saved.input, credentialId: saved.credentialId, probeOptions, signal: options.signal });
  await recordOutcome(db, onboardingId, run, saved.credentialId, "verified");
  return run;
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
