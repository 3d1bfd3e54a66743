import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { onboardingIn } from "@/lib/credentials/testing/fixtures";
import { listEvents } from "@/lib/onboarding/store";
import { interruptStaleRuns, STALE_RUN_MS } from "./run";

describeEachDatabase("interrupted test runs", (handle) => {
  it("a run whose heartbeat is fresh stays running; a stale one (or an old one without a heartbeat) ends interrupted, once", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const now = new Date();
    const run = (rid: string, startedAt: Date, heartbeat: Date | null) => ({
      id: rid, onboarding_id: id, credential_id: null, trigger: "manual", actor_kind: "brokerage", actor_label: "Ada", status: "running", outcome: null, failed_stage: null, primary_cause: null,
      service_account: "svc@acme.test", test_mailbox: "m@acme.test", steps: "[]", log: "", findings: "[]", started_at: startedAt.toISOString(), finished_at: null, elapsed_ms: null, heartbeat_at: heartbeat?.toISOString() ?? null,
    });
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await db.insertInto("test_runs").values([
      run(`${id}-live`, ago(10 * 60_000), ago(1000)), // long, but its process is still beating
      run(`${id}-stale`, ago(10 * 60_000), ago(STALE_RUN_MS + 1000)),
      run(`${id}-legacy`, ago(STALE_RUN_MS + 1000), null), // from before heartbeats
    ]).execute();
    const ended = await interruptStaleRuns(db, now);
    expect(ended.filter((r) => r.startsWith(id)).sort()).toEqual([`${id}-legacy`, `${id}-stale`]);
    const rows = await db.selectFrom("test_runs").select(["id", "status", "outcome"]).where("onboarding_id", "=", id).orderBy("id").execute();
    expect(rows).toEqual([
      { id: `${id}-legacy`, status: "interrupted", outcome: null },
      { id: `${id}-live`, status: "running", outcome: null },
      { id: `${id}-stale`, status: "interrupted", outcome: null },
    ]);
    expect((await interruptStaleRuns(db, now)).filter((r) => r.startsWith(id))).toEqual([]);
    expect((await listEvents(db, id)).filter((e) => e.type === "test_run").map((e) => e.details.outcome)).toEqual(["interrupted", "interrupted"]);
  });
});
