import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";
import { createOnboarding, listEvents } from "@/lib/onboarding/store";
import { runTest } from "./run";
import { listTestRuns } from "./store";

let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

const staff = { kind: "staff" as const, label: "Sam" };
const admin = { kind: "brokerage" as const, id: "l1", label: "Ada (brokerage)" };

describeEachDatabase("test runs", (handle) => {
  it("stores a passing and a failing run with the diagnosis for the track, and never the password", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Acme", contactName: "A", contactEmail: "a@a.test", track: "exchange-server" }, staff);
    const options = { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 5000 };
    const steps: string[] = [];
    const passed = await runTest(db, {
      onboardingId: o.id, trigger: "manual", actor: admin,
      probe: { serviceAccount: "svc@acme.test", password: sim.password, testMailbox: mailboxFor("healthy") },
      probeOptions: options, onStep: (s) => steps.push(`${s.id}:${s.status}`),
    });
    expect(passed).toMatchObject({ outcome: "passed", status: "finished", primaryCause: null, findings: [] });
    expect(steps).toContain("summary:passed");
    const failed = await runTest(db, {
      onboardingId: o.id, trigger: "manual", actor: admin,
      probe: { serviceAccount: "svc@acme.test", password: sim.password, testMailbox: mailboxFor("impersonation-denied") },
      probeOptions: options,
    });
    expect(failed).toMatchObject({ outcome: "failed", primaryCause: "impersonation_denied" });
    expect(failed.findings[0]?.guideStep).toMatch(/^\/guide\/exchange-server#grant-impersonation/);
    const runs = await listTestRuns(db, o.id);
    expect(runs.map((r) => r.outcome)).toEqual(["failed", "passed"]);
    const everything = JSON.stringify(await db.selectFrom("test_runs").selectAll().execute()) + JSON.stringify(await listEvents(db, o.id));
    expect(everything).not.toContain(sim.password);
    expect(everything).not.toContain(Buffer.from(`svc@acme.test:${sim.password}`).toString("base64"));
    expect((await listEvents(db, o.id)).filter((e) => e.type === "test_run").map((e) => e.details.outcome)).toEqual(["passed", "failed"]);
  });
});
