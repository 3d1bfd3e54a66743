import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { forOwnApp } from "@/lib/diagnosis/own-app-guidance";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { runProbe, type ProbeInput, type ProbeOptions } from "@/lib/exchange/probe";
import type { ProbeStep } from "@/lib/exchange/steps";
import { parseTrack } from "@/lib/guide/ids";
import { log } from "@/lib/log";
import { recordConnectionTest } from "@/lib/metrics/registry";
import { appendEvent, getOnboarding, type Actor } from "@/lib/onboarding/store";
import { HEARTBEAT_MS, renewVerification } from "@/lib/onboarding/verification-lease";
import { runGraphProbe, type GraphProbeInput, type GraphProbeOptions } from "@/lib/graph/probe";
import { toTestRun, type TestRun, type TestTrigger } from "./store";

/**
 * Runs the impersonation test for an onboarding and keeps the result: the probe's steps and log (already
 * scrubbed of the password by the probe), the diagnosis of that log for the onboarding's track, and an event.
 */
export type RunTestInput = {
  onboardingId: string;
  trigger: TestTrigger;
  actor: Actor;
  /** The EWS impersonation test's input; or `graph` for a graph_app onboarding (Microsoft Graph app-access test). */
  probe?: ProbeInput;
  graph?: { input: GraphProbeInput; options: GraphProbeOptions; /** The brokerage's own app registration: its guidance, not MoxiWorks's. */ ownApp?: boolean };
  credentialId?: string | null;
  signal?: AbortSignal;
  onStep?: (step: ProbeStep) => void;
  probeOptions?: Omit<ProbeOptions, "signal" | "onStep">;
  /** The verification lease this run works under (lib/onboarding/verification-lease.ts): renewed with the heartbeat. */
  leaseHolder?: string;
  /** How often the heartbeat beats (default HEARTBEAT_MS); tests shorten it. */
  heartbeatMs?: number;
};

export async function runTest(db: Kysely<Database>, input: RunTestInput): Promise<TestRun> {
  const onboarding = await getOnboarding(db, input.onboardingId);
  if (!onboarding) throw new Error("onboarding not found");
  const track: GuidanceTrack = parseTrack(onboarding.track) ?? "unknown";
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
      service_account: input.graph ? "MoxiEngage app (Microsoft Graph)" : input.probe!.serviceAccount.trim(),
      test_mailbox: (input.graph ? input.graph.input.testMailbox : input.probe!.testMailbox).trim(),
      steps: "[]",
      log: "",
      findings: "[]",
      started_at: startedAt,
      finished_at: null,
      elapsed_ms: null,
      heartbeat_at: startedAt,
    })
    .execute();

  // The heartbeat says this process is still working on the run (and its verification): if the process dies,
  // both go stale and the resume job ends them (lib/jobs/scheduler.ts) instead of leaving them running.
  // A lease lost meanwhile (taken over as stale) stops the probe: its result would no longer count.
  const controller = new AbortController();
  const onCancel = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) onCancel();
  else input.signal?.addEventListener("abort", onCancel, { once: true });
  const heartbeat = setInterval(() => {
    void beat(db, id, input).then((kept) => { if (!kept) controller.abort(new Error("verification lease lost")); }, (error: unknown) => log.warn({ err: error, testRunId: id }, "test run heartbeat failed"));
  }, input.heartbeatMs ?? HEARTBEAT_MS);
  let result: Awaited<ReturnType<typeof runProbe>>;
  try {
    result = input.graph
      ? await runGraphProbe(input.graph.input, { ...input.graph.options, signal: controller.signal, onStep: input.onStep })
      : await runProbe(input.probe!, { ...input.probeOptions, signal: controller.signal, onStep: input.onStep });
  } finally {
    clearInterval(heartbeat);
    input.signal?.removeEventListener("abort", onCancel);
  }
  const cancelled = controller.signal.aborted;
  // Typed: from the failure code and what the server said, not from re-reading our own log.
  const diagnosed = diagnoseProbe(result, { track });
  const diagnosis = input.graph?.ownApp ? { ...diagnosed, findings: forOwnApp(diagnosed.findings) } : diagnosed;
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
        heartbeat_at: finishedAt,
      })
      .where("id", "=", id)
      .where("status", "=", "running") // not if the resume job already ended it as interrupted
      .execute();
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "test_run",
      actor: input.actor,
      details: { testRunId: id, trigger: input.trigger, outcome: cancelled ? "cancelled" : result.outcome, failedStage: result.failedStage ?? null, primaryCause: diagnosis.primaryCause },
      at: finishedAt,
    });
  });
  recordConnectionTest({ method: input.graph ? "graph" : "ews", outcome: cancelled ? "cancelled" : result.outcome, cause: diagnosis.primaryCause, elapsedMs: result.elapsedMs });
  log.info({ onboardingId: input.onboardingId, testRunId: id, trigger: input.trigger, outcome: result.outcome, cause: diagnosis.primaryCause, ms: result.elapsedMs }, "test run finished");
  const row = await db.selectFrom("test_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return toTestRun(row);
}

async function beat(db: Kysely<Database>, id: string, input: RunTestInput): Promise<boolean> {
  const now = new Date();
  await db.updateTable("test_runs").set({ heartbeat_at: now.toISOString() }).where("id", "=", id).where("status", "=", "running").execute();
  return input.leaseHolder ? renewVerification(db, input.onboardingId, input.leaseHolder, now) : true;
}

/** A run is stale when its heartbeat is older than this: its process stopped (three beats missed). */
export const STALE_RUN_MS = 3 * HEARTBEAT_MS;

/**
 * Ends runs whose process stopped mid-run (crash, kill, restart) as `interrupted`, each with its event, so no
 * run stays `running` for good. An interrupted run has no outcome: it is never a verdict. Returns their ids.
 */
export async function interruptStaleRuns(db: Kysely<Database>, now = new Date(), onboardingId?: string): Promise<string[]> {
  const cutoff = new Date(now.getTime() - STALE_RUN_MS).toISOString();
  let q = db
    .selectFrom("test_runs")
    .select(["id", "onboarding_id", "trigger"])
    .where("status", "=", "running")
    .where((eb) => eb.or([eb("heartbeat_at", "<=", cutoff), eb.and([eb("heartbeat_at", "is", null), eb("started_at", "<=", cutoff)])]));
  if (onboardingId) q = q.where("onboarding_id", "=", onboardingId);
  const ended: string[] = [];
  for (const run of await q.execute()) {
    const at = now.toISOString();
    await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable("test_runs").set({ status: "interrupted", outcome: null, finished_at: at }).where("id", "=", run.id).where("status", "=", "running").executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return;
      await appendEvent(trx, { onboardingId: run.onboarding_id, type: "test_run", actor: { kind: "system", label: "MoxiEngage Onboarding" }, details: { testRunId: run.id, trigger: run.trigger, outcome: "interrupted" }, at });
      ended.push(run.id);
    });
  }
  return ended;
}
