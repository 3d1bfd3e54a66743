import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { reverifyOnboarding, verifyOnboarding } from "@/lib/verification/workflow";
import type { RosterSetup } from "./access";
import { claimRosterCheck, reachableSampleSize, runRosterCheck, saveRoster, startRosterCheck } from "./store";

/**
 * Issue 16: daily re-verification re-checks a sample and the failures. A scheduled re-verification that passes
 * queues a roster check (scope "sample") of the mailboxes that failed last time plus min(25, 5 %) of the
 * reachable ones; none without a roster; never two running at once (the database refuses a second one).
 */
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-recheck-"));

let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

const probeOptions = () => ({ allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 5000 });
const setup = (): RosterSetup => ({ track: "ews", guidanceTrack: "exchange-server", access: { kind: "ews", serviceAccount: "svc@acme.test", password: sim.password, ewsUrl: sim.ewsUrl }, domains: ["acme.test"], allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem });

type Db = Parameters<typeof submitCredential>[0];

async function verified(db: Db): Promise<string> {
  const id = await onboardingIn(db, "in_progress");
  const mailbox = `recheck-${Math.random().toString(36).slice(2, 8)}@acme.test`;
  sim.setScenarioFor(mailbox, null);
  await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim.password, testMailbox: mailbox, ewsUrl: undefined, track: "exchange-server" } as never);
  expect((await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
  return id;
}

/** A roster of 80 reachable and 6 failing mailboxes, checked once for real against the simulator. */
async function checkedRoster(db: Db, id: string) {
  const reachable = Array.from({ length: 80 }, (_, i) => `agent${i}@acme.test`);
  const failing = Array.from({ length: 6 }, (_, i) => `no-mailbox+${i}@acme.test`);
  expect(await saveRoster(db, id, [...reachable, ...failing].join("\n"))).toMatchObject({ ok: true, saved: 86 });
  const start = await startRosterCheck(db, id, "all", "test", { skipAccessCheck: true });
  if (!start.ok) throw new Error(start.code);
  expect(await claimRosterCheck(db, start.checkId, "t")).toBe(true);
  expect(await runRosterCheck(db, start.checkId, "t", { setup: setup(), concurrency: 8, mailboxDeadlineMs: 3000 })).toBe("done");
  return { reachable, failing, first: start.checkId };
}

it("samples min(25, 5 %) of the reachable mailboxes, at least one", () => {
  expect([0, 1, 19, 20, 21, 80, 500, 501, 10_000].map(reachableSampleSize)).toEqual([0, 1, 1, 1, 2, 4, 25, 25, 25]);
});

describeEachDatabase("roster re-check after re-verification", (handle) => {
  it("a passing re-verification queues the failed mailboxes plus a sample of the reachable ones, once", async () => {
    const { db } = handle();
    const id = await verified(db);
    const { reachable, failing, first } = await checkedRoster(db, id);
    // The finished check kept the roster's figures: the dashboard's "agents reachable 80 of 86".
    expect(await db.selectFrom("roster_checks").select(["roster_reachable", "roster_total"]).where("id", "=", first).executeTakeFirst()).toEqual({ roster_reachable: 80, roster_total: 86 });

    expect((await reverifyOnboarding(db, id, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    const running = await db.selectFrom("roster_checks").selectAll().where("onboarding_id", "=", id).where("state", "=", "running").execute();
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ scope: "sample", requested_by: "system:reverify", holder: null, total: 6 + reachableSampleSize(80) });
    const queued = await db.selectFrom("roster_entries").select(["address_key"]).where("check_id", "=", running[0]!.id).where("outcome", "=", "pending").execute();
    const keys = queued.map((r) => r.address_key);
    for (const f of failing) expect(keys).toContain(f);
    const sampled = keys.filter((k) => reachable.includes(k));
    expect(sampled).toHaveLength(reachableSampleSize(80));
    // The rest keep their outcome from the first check.
    const kept = await db.selectFrom("roster_entries").select((eb) => eb.fn.countAll<number | string>().as("n")).where("onboarding_id", "=", id).where("check_id", "=", first).where("outcome", "=", "reachable").executeTakeFirst();
    expect(Number(kept?.n)).toBe(80 - sampled.length);

    // The next re-verification while it is still queued does not start a second one.
    expect((await reverifyOnboarding(db, id, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    expect(await db.selectFrom("roster_checks").select("id").where("onboarding_id", "=", id).where("state", "=", "running").execute()).toEqual([{ id: running[0]!.id }]);
    // Neither does a staff start; and the database itself refuses a second running check.
    expect(await startRosterCheck(db, id, "all", "staff", { skipAccessCheck: true })).toEqual({ ok: false, code: "roster_check_running" });
    await expect(
      db.insertInto("roster_checks").values({ id: "second", onboarding_id: id, state: "running", scope: "all", track: null, total: 1, requested_by: "x", created_at: new Date().toISOString(), started_at: null, finished_at: null, holder: null, lease_until: null, cancel_requested: 0, access_failure: null, roster_reachable: null, roster_total: null }).execute(),
    ).rejects.toThrow();

    // Run by the roster job: the sampled ones are reachable again, the failed ones still fail.
    expect(await claimRosterCheck(db, running[0]!.id, "t")).toBe(true);
    expect(await runRosterCheck(db, running[0]!.id, "t", { setup: setup(), concurrency: 8, mailboxDeadlineMs: 3000 })).toBe("done");
    expect(await db.selectFrom("roster_checks").select(["roster_reachable", "roster_total"]).where("id", "=", running[0]!.id).executeTakeFirst()).toEqual({ roster_reachable: 80, roster_total: 86 });
  }, 60_000);

  it("no roster: a re-verification queues nothing", async () => {
    const { db } = handle();
    const id = await verified(db);
    expect((await reverifyOnboarding(db, id, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    expect(await db.selectFrom("roster_checks").select("id").where("onboarding_id", "=", id).execute()).toEqual([]);
  });

  it("a failing re-verification queues nothing (the access is no longer verified)", async () => {
    const { db } = handle();
    const id = await verified(db);
    await checkedRoster(db, id);
    const mailbox = (await db.selectFrom("credentials").select("test_mailbox").where("onboarding_id", "=", id).executeTakeFirst())!.test_mailbox!;
    sim.setScenarioFor(mailbox, "expired-password");
    try {
      expect((await reverifyOnboarding(db, id, { probeOptions: probeOptions() }))?.outcome).toBe("failed");
    } finally {
      sim.setScenarioFor(mailbox, null);
    }
    expect(await db.selectFrom("roster_checks").select("id").where("onboarding_id", "=", id).where("state", "=", "running").execute()).toEqual([]);
  }, 60_000);
});
