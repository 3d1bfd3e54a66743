import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { runProbe } from "@/lib/exchange/probe";
import type { TestRun } from "./store";
import { findingsForViewer, maskAddress, runForViewer, runsForViewer } from "./visibility";

/** Issue 17 item 7: what a stored run shows to whom. Runs are real probe results against the simulator. */
let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

const SERVICE_ACCOUNT = "svc-moxi@visible.test";

async function storedRun(mailbox: string): Promise<TestRun> {
  const result = await runProbe({ serviceAccount: SERVICE_ACCOUNT, password: sim.password, testMailbox: mailbox, ewsUrl: sim.ewsUrl }, { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, deadlineMs: 10_000 });
  const diagnosis = diagnoseProbe(result, { track: "exchange-server" });
  return {
    id: "run-1", onboardingId: "onb-1", credentialId: null, trigger: "manual", actor: { kind: "brokerage", label: "Ada Admin (brokerage)" },
    status: "finished", outcome: result.outcome, failedStage: result.failedStage ?? null, primaryCause: diagnosis.primaryCause,
    serviceAccount: SERVICE_ACCOUNT, testMailbox: mailbox, steps: result.steps, log: result.log, findings: diagnosis.findings,
    startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), elapsedMs: result.elapsedMs,
  };
}

describe("test runs by viewer", () => {
  it("a vendor gets the steps and findings, with no account, mailbox, EWS URL, host, log or HTTP exchange", async () => {
    const mailbox = "agent@impersonation-denied.sim.test";
    const run = await storedRun(mailbox);
    expect(run.outcome).toBe("failed");
    const ews = new URL(sim.ewsUrl);
    // The full run does carry all of it (else this test could not fail).
    const full = JSON.stringify(runForViewer(run, "brokerage"));
    for (const s of [SERVICE_ACCOUNT, mailbox, ews.host, "/EWS/Exchange.asmx"]) expect(full).toContain(s);

    const vendor = runForViewer(run, "vendor");
    const shown = JSON.stringify(vendor);
    for (const s of [SERVICE_ACCOUNT, "svc-moxi", mailbox, "agent@", sim.ewsUrl, "/EWS/Exchange.asmx", ews.host, "Response Body", "X-FEServer"]) {
      expect(shown.includes(s), s).toBe(false);
    }
    expect(vendor.visibility).toBe("masked");
    expect(vendor.log).toBe("");
    expect(vendor.serviceAccount).toBe("s•••@visible.test");
    expect(vendor.testMailbox).toBe("a•••@impersonation-denied.sim.test");
    // Still enough to act on: every step with its status and result, every finding with its guide step.
    expect(vendor.steps.map((s) => [s.id, s.status])).toEqual(run.steps.map((s) => [s.id, s.status]));
    expect(vendor.steps.every((s) => s.details.length === 0 && s.http === undefined)).toBe(true);
    expect(vendor.steps.find((s) => s.id === "impersonate")!.title).toContain("a•••@impersonation-denied.sim.test");
    expect(vendor.findings.map((f) => [f.cause, f.guideStep])).toEqual(run.findings.map((f) => [f.cause, f.guideStep]));
    expect(vendor.findings[0]!.cause).toBe("impersonation_denied");
    expect(vendor.findings.every((f) => f.evidence.length === 0)).toBe(true);
    expect(findingsForViewer(run, "vendor")).toEqual(vendor.findings);
  });

  it("staff and the brokerage see the run as stored", async () => {
    const run = await storedRun("agent@healthy.sim.test");
    for (const viewer of ["staff", "brokerage"] as const) expect(runForViewer(run, viewer)).toEqual({ ...run, visibility: "full" });
    expect(runsForViewer([run, run], "vendor").map((r) => r.visibility)).toEqual(["masked", "masked"]);
  });

  it("masks addresses and bare account names in any text, hostile ones too", () => {
    expect(maskAddress("svc@acme.test")).toBe("s•••@acme.test");
    expect(maskAddress("x")).toBe("x•••");
    expect(maskAddress("")).toBe("");
    const run: TestRun = {
      id: "r", onboardingId: "o", credentialId: null, trigger: "staff", actor: { kind: "staff", label: "Sam <sam@moxiworks.com>" }, status: "finished", outcome: "failed",
      failedStage: "authenticate", primaryCause: "x", serviceAccount: "ACME\\svc.sync+1", testMailbox: "boss@acme.test", log: "secret log",
      steps: [{ id: "authenticate", title: "Attempting to sign in as ACME\\svc.sync+1 at https://mail.acme.test/EWS/Exchange.asmx?x=<script>", status: "failed", startedAt: "", elapsedMs: 1, result: "svc.sync+1 was refused; boss@acme.test not reached", details: ["d"], failure: { code: "http_unauthorized", message: "for ACME\\svc.sync+1" } }],
      findings: [], startedAt: "", finishedAt: null, elapsedMs: 1,
    };
    const v = runForViewer(run, "vendor");
    const text = JSON.stringify(v);
    for (const s of ["svc.sync+1", "boss@", "mail.acme.test", "sam@moxiworks.com", "secret log"]) expect(text.includes(s), s).toBe(false);
    expect(v.steps[0]!.title).toBe("Attempting to sign in as A••• at [address]<script>"); // markup stays text: React escapes it
    expect(v.steps[0]!.result).toBe("s••• was refused; b•••@acme.test not reached");
    expect(v.steps[0]!.failure).toEqual({ code: "http_unauthorized", message: "for A•••" });
    expect(v.actor.label).toBe("Sam <s•••@moxiworks.com>");
  });
});
