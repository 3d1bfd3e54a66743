import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { setTrack } from "@/lib/onboarding/checklist";
import { getOnboarding, listEvents } from "@/lib/onboarding/store";
import { dueForReverification, reverifyOnboarding, verifyOnboarding } from "./workflow";

// The credential key ring and config read the environment: give this file its own data dir.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-verify-"));

let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

const probeOptions = () => ({ allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 5000 });

async function submit(db: Parameters<typeof submitCredential>[0], onboardingId: string, mailbox: string, track = "exchange-server") {
  return submitCredential(db, { onboardingId, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim.password, testMailbox: mailbox, ewsUrl: undefined, track } as never);
}

describeEachDatabase("verification workflow", (handle) => {
  it("a good submission is verified, the older credential destroyed, and the brokerage told", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const first = await submit(db, id, mailboxFor("healthy"));
    const run = await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    expect(run?.outcome).toBe("passed");
    expect((await getOnboarding(db, id))?.state).toBe("verified");
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template)).toEqual(["verified"]);
    const outbox = JSON.stringify(await listOutbox(db, { onboardingId: id }));
    expect(outbox).not.toContain(sim.password);
    const events = await listEvents(db, id);
    expect(events.map((e) => e.toState).filter(Boolean)).toEqual(["invited", "in_progress", "submitted", "verifying", "verified"]);
    expect(first.credentialId).toBeTruthy();
  });

  it("impersonation denied → needs attention with the finding; fixed → resubmit → verified", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = "denied-then-fixed@acme.test";
    sim.setScenarioFor(mailbox, "impersonation-denied");
    await submit(db, id, mailbox);
    const failed = await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    expect(failed).toMatchObject({ outcome: "failed", primaryCause: "impersonation_denied" });
    expect((await getOnboarding(db, id))?.state).toBe("needs_attention");
    const [mail] = await listOutbox(db, { onboardingId: id });
    expect(mail).toMatchObject({ template: "needs_attention", to_address: "ann@acme.test" });
    expect(mail!.body).toContain(failed!.findings[0]!.title);

    sim.setScenarioFor(mailbox, null);
    await submit(db, id, mailbox);
    expect((await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    expect((await getOnboarding(db, id))?.state).toBe("verified");
  });

  it("scheduled re-verification flags a password that expired, and alerts staff and the brokerage", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = "will-expire@acme.test";
    sim.setScenarioFor(mailbox, null); // the simulator is shared by both databases' runs
    await submit(db, id, mailbox);
    await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    expect(await dueForReverification(db, 24)).not.toContain(id);
    expect(await dueForReverification(db, 24, new Date(Date.now() + 25 * 3600_000))).toContain(id);
    // still fine: stays verified, nobody is mailed again
    expect((await reverifyOnboarding(db, id, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    expect((await getOnboarding(db, id))?.state).toBe("verified");
    sim.setScenarioFor(mailbox, "expired-password");
    const run = await reverifyOnboarding(db, id, { probeOptions: probeOptions() });
    expect(run).toMatchObject({ outcome: "failed", trigger: "scheduled", primaryCause: "password_expired" });
    expect((await getOnboarding(db, id))?.state).toBe("needs_attention");
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template).sort()).toEqual(["needs_attention", "staff_alert", "verified"]);
    expect((await listOutbox(db, { onboardingId: id })).find((m) => m.template === "staff_alert")?.subject).toMatch(/verified credentials now fail/);
  });

  it("a finding that says MoxiWorks must act alerts staff, once per failed verification (was: no alert on a submission)", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = mailboxFor("basic-auth-blocked");
    await setTrack(db, id, "microsoft-365", BROKERAGE);
    await submit(db, id, mailbox, "microsoft-365");
    const failed = await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    expect(failed?.outcome).toBe("failed");
    expect(failed?.findings[0]?.actor).toBe("moxiworks");
    const outbox = await listOutbox(db, { onboardingId: id });
    expect(outbox.map((m) => m.template).sort()).toEqual(["needs_attention", "staff_alert"]);
    const alert = outbox.find((m) => m.template === "staff_alert")!;
    expect(alert.subject).toMatch(/MoxiWorks must act/);
    expect(alert.body).toContain(failed!.findings[0]!.title);
    expect(alert.body).not.toContain(sim.password);
    // The brokerage's mail does not say "when it is fixed, submit again" under a finding that cannot be fixed.
    const told = outbox.find((m) => m.template === "needs_attention")!;
    expect(told.body).not.toMatch(/when it is fixed/i);
    expect(told.body).toContain("cannot be fixed on your side");
    expect(told.body).toMatch(/app access/i);
    expect(told.body).toContain("1 October 2022");
    // A brokerage-side failure does not page staff.
    const other = await onboardingIn(db, "in_progress");
    sim.setScenarioFor("their-own-fault@acme.test", "impersonation-denied");
    await submit(db, other, "their-own-fault@acme.test");
    await verifyOnboarding(db, other, "submission", undefined, { probeOptions: probeOptions() });
    expect((await listOutbox(db, { onboardingId: other })).map((m) => m.template)).toEqual(["needs_attention"]);
  });

  it("scheduled re-verification runs the read and write checks but never sends the test message", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = `reverify-${Math.random().toString(36).slice(2, 8)}@acme.test`;
    await submit(db, id, mailbox);
    await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    try {
      // sending would fail here; asked to send, the scheduled run still does not, so it passes
      sim.setScenarioFor(mailbox, "send-denied");
      const quiet = await reverifyOnboarding(db, id, { probeOptions: { ...probeOptions(), sendTestMessage: true } });
      expect(quiet?.outcome).toBe("passed");
      expect(quiet?.steps.find((s) => s.id === "send-message")?.status).toBe("skipped");
      // a write the sync needs is checked
      sim.setScenarioFor(mailbox, "contacts-read-only");
      const run = await reverifyOnboarding(db, id, { probeOptions: probeOptions() });
      expect(run).toMatchObject({ outcome: "failed", trigger: "scheduled", failedStage: "write-contact" });
    } finally {
      sim.setScenarioFor(mailbox, null);
    }
  });

  it("rotation: the old credential stays usable until the new one verifies, then it is gone from the database", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = "rotating@acme.test";
    sim.setScenarioFor(mailbox, null);
    const old = await submit(db, id, mailbox);
    await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    const { changeState } = await import("./controls");
    await changeState(db, id, "rotation_requested", { kind: "staff", label: "Sam" }, "scheduled yearly rotation");
    const fresh = await submit(db, id, mailbox);
    const live = async () => (await db.selectFrom("credentials").select(["id"]).where("onboarding_id", "=", id).where("destroyed_at", "is", null).execute()).map((r) => r.id);
    expect((await live()).sort()).toEqual([old.credentialId, fresh.credentialId].sort());
    await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() });
    expect(await live()).toEqual([fresh.credentialId]);
    const oldRow = await db.selectFrom("credentials").selectAll().where("id", "=", old.credentialId).executeTakeFirstOrThrow();
    expect(oldRow.sealed).toBeFalsy();
    expect((await getOnboarding(db, id))?.state).toBe("verified");
  });
});
