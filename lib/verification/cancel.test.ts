import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { submitCredential } from "@/lib/credentials/store";
import { serviceCredentialRequest } from "@/lib/credentials/service-api";
import { createServiceToken } from "@/lib/credentials/service-tokens";
import { BROKERAGE, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { getOnboarding, listEvents, type Actor } from "@/lib/onboarding/store";
import { reverifyOnboarding, verifyOnboarding } from "./workflow";

/**
 * Issue 17 item 5: closing the staff re-verify stream aborts the request's signal, which cancels the probe.
 * A cancelled run is no verdict: the onboarding, its mail and the service API stay as they were.
 */
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-cancel-"));

let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

const TECHOPS: Actor = { kind: "techops", id: "staff-9", label: "Tess (TechOps)" };
const probeOptions = () => ({ allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, deadlineMs: 30_000 });

describeEachDatabase("a cancelled re-verification", (handle) => {
  async function verifiedOnboarding(mailbox: string) {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    sim.setScenarioFor(mailbox, null);
    await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim.password, testMailbox: mailbox, ewsUrl: sim.ewsUrl, track: "exchange-server" });
    expect((await verifyOnboarding(db, id, "submission", undefined, { probeOptions: probeOptions() }))?.outcome).toBe("passed");
    const { token } = await createServiceToken(db, { name: "sync" }, { kind: "system", label: "test" });
    const served = async () => (await serviceCredentialRequest(db, { authorization: `Bearer ${token}`, onboardingId: id, clientKey: `c-${mailbox}` })).status;
    expect(await served()).toBe(200);
    // From here on the tenant hangs: the probe is in flight until something aborts it.
    sim.setScenarioFor(mailbox, "hung");
    return { id, served };
  }

  /** Aborts as soon as the probe's first step is running, as a browser closing the stream would. */
  function abortOnFirstStep() {
    const controller = new AbortController();
    return { signal: controller.signal, onStep: (step: { status: string }) => { if (step.status === "running") setTimeout(() => controller.abort(), 50); } };
  }

  it("staff closing the stream: still verified, no mail, the credential still served", async () => {
    const { db } = handle();
    const { id, served } = await verifiedOnboarding(`staff-cancel-${handle().dialect}@acme.test`);
    const mailBefore = (await listOutbox(db, { onboardingId: id })).map((m) => m.template);

    const run = await verifyOnboarding(db, id, "staff", TECHOPS, { probeOptions: probeOptions(), ...abortOnFirstStep() });
    expect(run).toMatchObject({ status: "cancelled", trigger: "staff" });

    expect((await getOnboarding(db, id))?.state).toBe("verified");
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template)).toEqual(mailBefore);
    expect(await served()).toBe(200);
    const ended = (await listEvents(db, id)).findLast((e) => e.toState);
    expect(ended).toMatchObject({ type: "verification_ended", fromState: "verifying", toState: "verified", details: { reason: "cancelled", testRunId: run!.id } });
    // The lease is given back: the next re-verification can start.
    expect(await db.selectFrom("onboardings").select("verification_holder").where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ verification_holder: null });
  }, 60_000);

  it("a cancelled scheduled re-verification is no verdict either", async () => {
    const { db } = handle();
    const { id, served } = await verifiedOnboarding(`scheduled-cancel-${handle().dialect}@acme.test`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const run = await reverifyOnboarding(db, id, { probeOptions: probeOptions(), signal: controller.signal });
    expect(run).toMatchObject({ status: "cancelled", trigger: "scheduled" });
    expect((await getOnboarding(db, id))?.state).toBe("verified");
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template)).toEqual(["verified"]);
    expect(await served()).toBe(200);
  }, 60_000);
});
