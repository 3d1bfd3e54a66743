import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { childDatabaseEnv, TSX_ARGS } from "@/lib/testing/child-database";
import { simForChildProcesses } from "@/lib/testing/sim-for-children";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { getOnboarding } from "@/lib/onboarding/store";
import { verifyOnboarding } from "@/lib/verification/workflow";

/**
 * Issue 17 item 14: the re-verification job's lease (30 min) is not renewed, so behind slow tenants a second
 * instance takes the job over while the first is still working. Two real processes: the first starts the job;
 * once its first probe is in flight the second runs the job at a time its lease has run out. Each onboarding
 * must still be probed once.
 */
const execFileP = promisify(execFile);
const children = simForChildProcesses("claims");
const sim = () => children.sim();

describeEachDatabase("re-verification on two instances", (handle) => {
  it("claims each onboarding: a second instance taking the job over never re-probes one", async () => {
    const { db } = handle();
    sim().setLatency(0);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await onboardingIn(db, "in_progress");
      await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim().password, testMailbox: `claims-${i}@acme.test`, ewsUrl: sim().ewsUrl, track: "exchange-server" });
      await verifyOnboarding(db, id, "submission", undefined, { probeOptions: { allowedHosts: sim().allowedHosts, extraCaPem: sim().caPem } });
      expect((await getOnboarding(db, id))?.state).toBe("verified");
      ids.push(id);
    }
    // Last tested three days ago: all due now (interval 24 h). Slow tenants: 1 s per answer.
    await db.updateTable("test_runs").set({ started_at: new Date(Date.now() - 72 * 3600_000).toISOString() }).where("onboarding_id", "in", ids).execute();
    sim().setLatency(1000);

    const env = children.childEnv({ ...childDatabaseEnv(handle()), TICK_JOBS: "reverify" });
    const instance = (offsetMs: number) => execFileP("npx", [...TSX_ARGS, "lib/jobs/testing/tick-child.ts"], { env: { ...env, TICK_OFFSET_MS: String(offsetMs) }, timeout: 90_000 });
    const first = instance(0);
    const scheduled = () => db.selectFrom("test_runs").select(["onboarding_id", "status"]).where("trigger", "=", "scheduled").where("onboarding_id", "in", ids).execute();
    for (let i = 0; i < 400 && (await scheduled()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await scheduled()).length).toBeGreaterThan(0);
    // 31 minutes on: the first instance's job lease has run out as far as the second can tell.
    const second = instance(31 * 60_000);
    const outputs = await Promise.all([first, second]);
    sim().setLatency(0);
    const ran = outputs.map((o) => (JSON.parse(o.stdout.trim().split("\n").pop()!) as { ran: string[] }).ran);
    expect(ran).toEqual([["reverify"], ["reverify"]]); // both instances ran the job…

    const runs = await scheduled();
    const perOnboarding = ids.map((id) => runs.filter((r) => r.onboarding_id === id).length);
    expect(perOnboarding).toEqual(ids.map(() => 1)); // …and still each onboarding was probed once
    expect(runs.every((r) => r.status === "finished")).toBe(true);
    for (const id of ids) expect((await getOnboarding(db, id))?.state).toBe("verified");
  }, 180_000);
});
