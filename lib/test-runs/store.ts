import "server-only";
import type { Kysely } from "kysely";
import type { Database, TestRunsTable } from "@/lib/db/schema";
import type { Finding } from "@/lib/diagnosis/diagnose";
import type { ProbeStep } from "@/lib/exchange/steps";

/** Stored test runs: who triggered each, when, the log, the outcome and the findings. Never a password. */
export type TestTrigger = "manual" | "submission" | "scheduled" | "staff";

export type TestRun = {
  id: string;
  onboardingId: string;
  credentialId: string | null;
  trigger: TestTrigger;
  actor: { kind: string; label: string };
  status: "running" | "finished" | "cancelled" | "interrupted";
  outcome: "passed" | "failed" | null;
  failedStage: string | null;
  primaryCause: string | null;
  serviceAccount: string;
  testMailbox: string;
  steps: ProbeStep[];
  log: string;
  findings: Finding[];
  startedAt: string;
  finishedAt: string | null;
  elapsedMs: number | null;
};

export function toTestRun(row: TestRunsTable): TestRun {
  return {
    id: row.id,
    onboardingId: row.onboarding_id,
    credentialId: row.credential_id,
    trigger: row.trigger as TestTrigger,
    actor: { kind: row.actor_kind, label: row.actor_label },
    status: row.status as TestRun["status"],
    outcome: row.outcome as TestRun["outcome"],
    failedStage: row.failed_stage,
    primaryCause: row.primary_cause,
    serviceAccount: row.service_account,
    testMailbox: row.test_mailbox,
    steps: JSON.parse(row.steps) as ProbeStep[],
    log: row.log,
    findings: JSON.parse(row.findings) as Finding[],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    elapsedMs: row.elapsed_ms,
  };
}

export async function listTestRuns(db: Kysely<Database>, onboardingId: string, limit = 20): Promise<TestRun[]> {
  const rows = await db.selectFrom("test_runs").selectAll().where("onboarding_id", "=", onboardingId).orderBy("started_at", "desc").orderBy("id", "desc").limit(limit).execute();
  return rows.map(toTestRun);
}

export async function getTestRun(db: Kysely<Database>, onboardingId: string, id: string): Promise<TestRun | undefined> {
  const row = await db.selectFrom("test_runs").selectAll().where("id", "=", id).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  return row && toTestRun(row);
}
