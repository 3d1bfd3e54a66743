import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ntlm from "@ewsjs/ntlm-client";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { challengeMessage, checkAuthenticate, ntlmMessageType } from "@/tools/exchange-sim/ntlm";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor, type ScenarioName } from "@/tools/exchange-sim/scenarios";
import type { AuthScheme } from "@/lib/validation/credentials";
import { runProbe, type ProbeResult } from "./probe";
import { EXPECTED } from "./scenario-expectations";

/**
 * Integration: NTLM through the real probe (real ews-javascript-api over our recording layer, real TLS) against the
 * simulator's IIS sign-in scenarios, with each sign-in method the connection form offers.
 */
const UPN = "svc-moxi@contoso.test";
const DOWN_LEVEL = "CONTOSO\\svc-moxi";
let sim: ExchangeSim;

beforeAll(async () => {
  sim = await startExchangeSim();
});
afterAll(async () => {
  await sim.close();
});

function probe(scenario: ScenarioName, authScheme: AuthScheme, extra: { serviceAccount?: string; password?: string; ewsUrl?: string } = {}) {
  return runProbe(
    { serviceAccount: extra.serviceAccount ?? UPN, password: extra.password ?? sim.password, testMailbox: mailboxFor(scenario), authScheme, ...(extra.ewsUrl ? { ewsUrl: extra.ewsUrl } : {}) },
    { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 6000, perRequestTimeoutMs: 1500, sendTestMessage: true },
  );
}

/** Every recorded exchange once (a step may show the one another step recorded). */
const exchanges = (r: ProbeResult) => [...new Map(r.steps.flatMap((s) => s.http ?? []).map((x) => [x.id, x])).values()];
function expectNoSecret(r: ProbeResult, account: string, password: string) {
  const text = JSON.stringify(r);
  expect(text).not.toContain(password);
  expect(text).not.toContain(Buffer.from(`${account}:${password}`).toString("base64"));
  expect(text).not.toMatch(/TlRMTVNTUAAB|TlRMTVNTUAAD/); // our negotiate/authenticate messages are never recorded
}

describe("the simulator's NTLM check (MS-NLMP, written apart from the client library)", () => {
  it("accepts the library's NTLMv2 answer for the right password only, and sees no channel binding in it", () => {
    const { header, serverChallenge } = challengeMessage();
    const type2 = ntlm.decodeType2Message(header);
    expect(type2.version).toBe(2);
    const answer = (password: string) => ntlmMessageType(ntlm.createType3Message(type2, "svc-moxi", password, "WS", "CONTOSO"))!.message;
    expect(checkAuthenticate(answer(sim.password), serverChallenge, sim.password)).toEqual({ ok: true, user: "svc-moxi", domain: "CONTOSO", channelBinding: false });
    expect(checkAuthenticate(answer("not-the-password"), serverChallenge, sim.password).ok).toBe(false);
    expect(checkAuthenticate(answer(sim.password), challengeMessage().serverChallenge, sim.password).ok, "another connection's challenge").toBe(false);
    expect(checkAuthenticate(Buffer.from("NTLMSSP\0garbage"), serverChallenge, sim.password).ok).toBe(false);
  });
});

describe("NTLM chosen", () => {
  it("Windows authentication only, DOMAIN\\user: the three messages go on one kept-alive connection and the whole test passes", async () => {
    const r = await probe("ntlm-only", "ntlm", { serviceAccount: DOWN_LEVEL });
    expect(r.outcome).toBe("passed");
    const signedIn = exchanges(r).filter((x) => x.purpose !== "autodiscover-redirect");
    expect(signedIn.every((x) => x.auth?.scheme === "ntlm")).toBe(true);
    const negotiate = exchanges(r).find((x) => x.auth?.step === "negotiate")!;
    const authenticate = exchanges(r).find((x) => x.auth?.step === "authenticate")!;
    expect(negotiate.status).toBe(401);
    expect(authenticate.status).toBe(200);
    expect(authenticate.timings.reusedConnection).toBe(true);
    expect(r.log).toContain("NTLM (chosen in the connection settings), message 1 of 3 (negotiate)");
    expect(r.log).toContain("NTLM message 3 of 3 (authenticate) as CONTOSO\\svc-moxi");
    expect(r.log).toContain("sent on the connection NTLM already signed in");
    // the handshake adds one round trip over automatic's Basic-first path minus its Basic attempt
    expect(r.roundTrips).toBeGreaterThanOrEqual(EXPECTED["ntlm-only"].minRoundTrips! - 1);
    expectNoSecret(r, DOWN_LEVEL, sim.password);
  });

  it("with the EWS URL given, GetFolder costs exactly one round trip more than with Basic", async () => {
    const ewsUrl = sim.ewsUrl;
    const [withNtlm, withBasic] = [await probe("ntlm-only", "ntlm", { ewsUrl }), await probe("basic-only", "basic", { ewsUrl })];
    const folder = (r: ProbeResult) => r.steps.find((s) => s.id === "impersonate")!.http!.length;
    expect(withNtlm.outcome).toBe("passed");
    expect(withBasic.outcome).toBe("passed");
    expect(folder(withNtlm)).toBe(folder(withBasic) + 1);
  });

  it("both schemes on: NTLM is used, never Basic", async () => {
    const r = await probe("ntlm-and-basic", "ntlm");
    expect(r.outcome).toBe("passed");
    expect(exchanges(r).some((x) => x.auth?.scheme === "basic")).toBe(false);
  });

  it("Basic only: no NTLM challenge comes back, which the test says (not a wrong password)", async () => {
    const r = await probe("basic-only", "ntlm");
    expect({ outcome: r.outcome, stage: r.failedStage, code: r.failure?.code }).toEqual({ outcome: "failed", stage: "authenticate", code: "auth_scheme_not_offered" });
    expect(r.failure!.message).toMatch(/without an NTLM challenge: Windows authentication \(NTLM\) is not on/);
    expect(diagnoseProbe(r).primaryCause).toBe("auth_scheme_not_offered");
  });

  it("a wrong password is refused at the authenticate message, and neither password shows", async () => {
    const r = await probe("ntlm-only", "ntlm", { password: "Wrong-Passw0rd!" });
    expect({ outcome: r.outcome, stage: r.failedStage, code: r.failure?.code }).toEqual({ outcome: "failed", stage: "authenticate", code: "ntlm_rejected" });
    expectNoSecret(r, UPN, "Wrong-Passw0rd!");
    expectNoSecret(r, UPN, sim.password);
  });

  it("Extended Protection set to Require refuses even the right password, and the guidance says it cannot be told from a wrong one", async () => {
    const r = await probe("ntlm-epa-required", "ntlm");
    expect(r.failure?.code).toBe("ntlm_rejected");
    const d = diagnoseProbe(r);
    expect(d.primaryCause).toBe("ntlm_rejected");
    const finding = d.findings.find((f) => f.cause === "ntlm_rejected")!;
    expect(JSON.stringify(finding)).toMatch(/Extended Protection/);
  });
});

describe("Basic chosen", () => {
  it("Windows authentication only: one 401, named as Basic not offered", async () => {
    const r = await probe("ntlm-only", "basic");
    expect({ outcome: r.outcome, stage: r.failedStage, code: r.failure?.code }).toEqual({ outcome: "failed", stage: "authenticate", code: "auth_scheme_not_offered" });
    expect(r.failure!.message).toMatch(/does not offer Basic authentication, only Windows authentication/);
    expect(exchanges(r).every((x) => x.auth?.scheme !== "ntlm")).toBe(true);
    expect(exchanges(r).filter((x) => x.auth).length, "one signed-in request").toBe(1);
  });
});

describe("automatic", () => {
  it("both schemes on: Basic, one round trip per request as before", async () => {
    const r = await probe("ntlm-and-basic", "auto");
    expect(r.outcome).toBe("passed");
    expect(exchanges(r).every((x) => x.auth === undefined || x.auth.scheme === "basic")).toBe(true);
    expect(r.log).toContain("Basic (automatic: tried first");
  });
});
