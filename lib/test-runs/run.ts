import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { diagnose } from "@/lib/diagnosis/diagnose";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { runProbe, type ProbeInput, type ProbeOptions } from "@/lib/exchange/probe";
import type { ProbeStep } from "@/lib/exchange/steps";
import { TRACKS, type Track } from "@/lib/guide/ids";
import { log } from "@/lib/log";
import { appendEvent, getOnboarding, type Actor } from "@/lib/onboarding/store";
import { toTestRun, type TestRun, type TestTrigger } from "./store";

/**
 * Runs the impersonation test for an onboarding and keeps the result: the probe's steps and log (already
 * scrubbed of the password by the probe), the diagnosis of that log for the onboarding's track, and an event.
 */
export type RunTestInput = {
  onboardingId: string;
  trigger: TestTrigger;
  actor: Actor;
  probe: ProbeInput;
  credentialId?: string | null;
  signal?: AbortSignal;
  onStep?: (step: ProbeStep) => void;
  probeOptions?: Omit<ProbeOptions, "signal" | "onStep">;
};

export async function runTest(db: Kysely<Database>, input: RunTestInput): Promise<TestRun> {
  const onboarding = await getOnboarding(db, input.onboardingId);
  if (!onboarding) throw new Error("onboarding not found");
  const track: GuidanceTrack = (TRACKS as readonly string[]).includes(onboarding.track ?? "") ? (onboarding.track as Track) : "unknown";
  const id = newId();
  const startedAt = nowIso();
  await db
    .insertInto("test_runs")
    .values({
      id,
      onboarding_id: input.onboardingId,
      credential_id: input.credentialId ?? null,
      trigger: input.trigger,
      actor_kind: input.actor.kind,
      actor_label: input.actor.label,
      status: "running",
      outcome: null,
      failed_stage: null,
      primary_cause: null,
      service_account: input.probe.serviceAccount.trim(),
      test_mailbox: input.probe.testMailbox.trim(),
      steps: "[]",
      log: "",
      findings: "[]",
      started_at: startedAt,
      finished_at: null,
      elapsed_ms: null,
    })
    .execute();

  const result = await runProbe(input.probe, { ...input.probeOptions, signal: input.signal, onStep: input.onStep });
  const cancelled = input.signal?.aborted ?? false;
  const diagnosis = result.outcome === "passed" ? { primaryCause: null, findings: [] } : diagnose(result.log, { track });
  const finishedAt = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("test_runs")
      .set({
        status: cancelled ? "cancelled" : "finished",
        outcome: result.outcome,
        failed_stage: result.failedStage ?? null,
        primary_cause: diagnosis.primaryCause,
        steps: JSON.stringify(result.steps),
        log: result.log,
        findings: JSON.stringify(diagnosis.findings),
        finished_at: finishedAt,
        elapsed_ms: result.elapsedMs,
      })
      .where("id", "=", id)
      .execute();
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "test_run",
      actor: input.actor,
      details: { testRunId: id, trigger: input.trigger, outcome: cancelled ? "cancelled" : result.outcome, failedStage: result.failedStage ?? null, primaryCause: diagnosis.primaryCause },
      at: finishedAt,
    });
  });
  log.info({ onboardingId: input.onboardingId, testRunId: id, trigger: input.trigger, outcome: result.outcome, cause: diagnosis.primaryCause, ms: result.elapsedMs }, "test run finished");
  const row = await db.selectFrom("test_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return toTestRun(row);
}
