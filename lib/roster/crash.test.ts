import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { onboardingIn } from "@/lib/credentials/testing/fixtures";
import { childDatabaseEnv, TSX_ARGS } from "@/lib/testing/child-database";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import type { RosterSetup } from "./access";
import { claimRosterCheck, rosterProgress, runRosterCheck, saveRoster, startRosterCheck } from "./store";

/**
 * Issue 16: kill the process in the middle of a 2,000-mailbox check; after the restart the check resumes with
 * what is still pending, and no mailbox is lost or counted twice. A real child process runs the check and is
 * SIGKILLed; this process then takes the stale lease over as the roster job would.
 */
let sim: ExchangeSim;
beforeAll(async () => {
  sim = await startExchangeSim({ latencyMs: 20 });
});
afterAll(async () => {
  await sim.close();
});

const N = 2000;
const ewsRequests = () => sim.requests.filter((r) => r.path.toLowerCase() === "/ews/exchange.asmx").length;

describeEachDatabase("roster check crash", (handle) => {
  it("a SIGKILLed check resumes after its lease goes stale, with every mailbox counted once", async () => {
    const db = handle().db;
    const onboardingId = await onboardingIn(db, "verified");
    const list = Array.from({ length: N }, (_, i) => `agent${i}@acme.test`).join("\n");
    expect(await saveRoster(db, onboardingId, list)).toMatchObject({ ok: true, saved: N });
    const start = await startRosterCheck(db, onboardingId, "all", "test", { skipAccessCheck: true });
    if (!start.ok) throw new Error(start.code);

    const before = ewsRequests();
    const child = spawn("npx", [...TSX_ARGS, "lib/roster/testing/run-child.ts"], {
      env: { ...process.env, ...childDatabaseEnv(handle()), LOG_LEVEL: "silent", CHECK_ID: start.checkId, SIM_PASSWORD: sim.password, SIM_EWS_URL: sim.ewsUrl, SIM_ALLOWED_HOSTS: sim.allowedHosts.join(","), SIM_CA_PEM: sim.caPem },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Kill it once a good part is stored, well before the end.
    for (let i = 0; ; i++) {
      const p = await rosterProgress(db, onboardingId);
      if (p.counts.reachable >= 300) break;
      if (i > 600) throw new Error(`child made no progress: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const atKill = await rosterProgress(db, onboardingId);
    expect(atKill.counts.pending).toBeGreaterThan(0);
    expect(atKill.check?.state).toBe("running");
    const childRequests = ewsRequests() - before;

    // Another instance: the lease is stale after 1 s; it takes the check over and checks what is pending.
    await new Promise((r) => setTimeout(r, 1200));
    expect(await claimRosterCheck(db, start.checkId, "second")).toBe(true);
    const setup: RosterSetup = { track: "ews", guidanceTrack: "exchange-server", access: { kind: "ews", serviceAccount: "svc@acme.test", password: sim.password, ewsUrl: sim.ewsUrl }, domains: ["acme.test"], allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem };
    const mid = ewsRequests();
    expect(await runRosterCheck(db, start.checkId, "second", { setup, concurrency: 20 })).toBe("done");
    const resumedRequests = ewsRequests() - mid;

    const end = await rosterProgress(db, onboardingId);
    expect(end.counts).toMatchObject({ total: N, reachable: N, failed: 0, pending: 0 });
    expect(end.check).toMatchObject({ state: "done", total: N, done: N });
    // Only what was still pending was asked again: the stored ones were not re-checked.
    expect(resumedRequests).toBe(atKill.counts.pending);
    // Asked twice: only those the child had asked but not yet written at the kill (results are written every
    // 250 ms or 100), never a stored one.
    expect(childRequests).toBeGreaterThanOrEqual(N - atKill.counts.pending);
  }, 180_000);
});
