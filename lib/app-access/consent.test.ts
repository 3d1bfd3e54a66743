import https from "node:https";
import { beforeAll, afterAll, expect, it } from "vitest";
import { createLink, openLink } from "@/lib/auth/links";
import { createOnboarding } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from "@/tools/exchange-sim/m365-scenarios";
import { tenantIdForDomain } from "@/tools/exchange-sim/entra";
import { checkTenantToken, type AppAccessSetup } from "./app";
import { CONSENT_OUTCOMES, completeConsent, getAppAccess, readCallbackParams, startConsent, type CallbackParams } from "./consent";
import { CONSENT_TEXTS } from "./consent-texts";

let sim: ExchangeSim;
let agent: https.Agent;
let setup: AppAccessSetup;
const APP_URL = "http://127.0.0.1:3999";
const staff = { kind: "staff" as const, label: "Staff" };

beforeAll(async () => {
  sim = await startExchangeSim();
  agent = new https.Agent({ ca: sim.caPem });
  setup = { clientId: SIM_CLIENT_ID, authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl };
});
afterAll(async () => {
  agent.destroy();
  await sim.close();
});

/** The token check through the real msal-node, over real HTTPS, against the simulator's Entra. */
const checkToken = (tenantId: string) =>
  checkTenantToken(tenantId, {
    app: { clientId: SIM_CLIENT_ID, credential: { kind: "secret", clientSecret: SIM_CLIENT_SECRET } },
    probe: { authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl, allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem },
  });

function request(method: string, url: string, body?: string): Promise<{ status: number; location?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) } : {};
    const req = https.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Opens Microsoft's (simulated) consent page at `url`, makes a choice, and returns the redirect's parameters. */
async function consentPage(url: string, decision: string, account = "admin@healthy.sim.test"): Promise<URLSearchParams> {
  const pageRes = await request("GET", url);
  expect(pageRes.status).toBe(200);
  expect(pageRes.text).toContain("Sign in and read user profile");
  const u = new URL(url);
  const form = new URLSearchParams({ client_id: u.searchParams.get("client_id")!, redirect_uri: u.searchParams.get("redirect_uri")!, state: u.searchParams.get("state")!, scope: u.searchParams.get("scope")!, decision, account });
  const res = await request("POST", url.split("?")[0]!, form.toString());
  expect(res.status).toBe(302);
  const back = new URL(res.location!);
  expect(`${back.origin}${back.pathname}`).toBe(`${APP_URL}/api/consent/callback`);
  return back.searchParams;
}

describeEachDatabase("admin consent", (handle) => {
  async function visitor(kind: "brokerage" | "vendor" = "brokerage") {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Consent Realty", contactName: "Ann", contactEmail: "ann@consent.example" }, staff);
    const { token } = await createLink(db, { onboardingId: o.id, kind, label: kind === "vendor" ? "MSP" : "Ann" }, staff);
    const opened = await openLink(db, token);
    if (!opened.ok) throw new Error("link");
    const { readLinkSession } = await import("@/lib/auth/links");
    return { onboardingId: o.id, sessionToken: opened.sessionToken, session: (await readLinkSession(db, opened.sessionToken))! };
  }

  it("accept on Microsoft's page → the tenant is recorded, and trusted after a real token; the state works once", async () => {
    const { db } = handle();
    const v = await visitor();
    const url = await startConsent(db, v.session, v.sessionToken, setup, APP_URL);
    expect(url).toMatch(new RegExp(`^${sim.m365.authorityHost.replace(/[.]/g, "\\.")}/organizations/v2\\.0/adminconsent\\?`));
    expect(new URL(url).searchParams.get("scope")).toBe("https://graph.microsoft.com/.default");
    const params = readCallbackParams(await consentPage(url, "accept"));
    const result = await completeConsent(db, params, v.sessionToken, setup, checkToken);
    expect(result.outcome).toBe("granted");
    const rec = await getAppAccess(db, v.onboardingId);
    expect(rec).toMatchObject({ method: "graph_app", tenantId: tenantIdForDomain("healthy.sim.test"), clientId: SIM_CLIENT_ID, grantedBy: { kind: "brokerage", label: "Ann (brokerage)" } });
    expect(rec.trustedAt).not.toBeNull();
    expect((await completeConsent(db, params, v.sessionToken, setup, checkToken)).outcome).toBe("state_replayed");
  });

  it("a vendor link can grant consent too", async () => {
    const { db } = handle();
    const v = await visitor("vendor");
    const url = await startConsent(db, v.session, v.sessionToken, setup, APP_URL);
    expect((await completeConsent(db, readCallbackParams(await consentPage(url, "accept")), v.sessionToken, setup, checkToken)).outcome).toBe("granted");
    expect((await getAppAccess(db, v.onboardingId)).grantedBy).toEqual({ kind: "vendor", label: "MSP (vendor)" });
  });

  it.each([
    ["cancel", "declined", "65004"],
    ["not-admin", "not_admin", "90094"],
    ["other-tenant", "other_tenant", "50020"],
    ["legacy-cancel", "cancelled", undefined],
    ["no-tenant", "missing_params", undefined],
  ])("%s on Microsoft's page → %s, nothing saved, and a retry works", async (decision, outcome, code) => {
    const { db } = handle();
    const v = await visitor();
    const first = await completeConsent(db, readCallbackParams(await consentPage(await startConsent(db, v.session, v.sessionToken, setup, APP_URL), decision)), v.sessionToken, setup, checkToken);
    expect(first.outcome).toBe(outcome);
    expect(first.aadsts).toBe(code);
    expect((await getAppAccess(db, v.onboardingId)).tenantId).toBeNull();
    const retry = await completeConsent(db, readCallbackParams(await consentPage(await startConsent(db, v.session, v.sessionToken, setup, APP_URL), "accept")), v.sessionToken, setup, checkToken);
    expect(retry.outcome).toBe("granted");
  });

  it("consent for a tenant the server cannot get a token for is recorded but not trusted", async () => {
    const { db } = handle();
    const v = await visitor();
    const url = await startConsent(db, v.session, v.sessionToken, setup, APP_URL);
    const result = await completeConsent(db, readCallbackParams(await consentPage(url, "accept", "admin@bad-secret.sim.test")), v.sessionToken, setup, checkToken);
    expect(result.outcome).toBe("granted_untrusted");
    const rec = await getAppAccess(db, v.onboardingId);
    expect(rec.tenantId).toBe(tenantIdForDomain("bad-secret.sim.test"));
    expect(rec.trustedAt).toBeNull();
    expect(rec.tokenProblem).toBe("client_secret_invalid");
  });

  it("unknown, expired, other-session and missing states get their own outcome and save nothing", async () => {
    const { db } = handle();
    const v = await visitor();
    const other = await visitor();
    const tenant = tenantIdForDomain("healthy.sim.test");
    const ok = (state: string): CallbackParams => ({ state, adminConsent: "True", tenant });
    const never = async () => {
      throw new Error("no token call expected");
    };
    expect((await completeConsent(db, {}, v.sessionToken, setup, never)).outcome).toBe("missing_params");
    expect((await completeConsent(db, ok("A".repeat(43)), v.sessionToken, setup, never)).outcome).toBe("state_unknown");
    for (const hostile of ["../../etc", "<script>", "x".repeat(5000), "é".repeat(30), "' or 1=1 --"]) {
      expect((await completeConsent(db, readCallbackParams(new URLSearchParams({ state: hostile, admin_consent: "True", tenant })), v.sessionToken, setup, never)).outcome).toBe("state_unknown");
    }
    const state = (url: string) => new URL(url).searchParams.get("state")!;
    const s1 = state(await startConsent(db, v.session, v.sessionToken, setup, APP_URL));
    expect((await completeConsent(db, ok(s1), other.sessionToken, setup, never)).outcome).toBe("state_other_session");
    expect((await completeConsent(db, ok(s1), undefined, setup, never)).outcome).toBe("state_other_session");
    const s2 = state(await startConsent(db, v.session, v.sessionToken, setup, APP_URL));
    await db.updateTable("consent_states").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("onboarding_id", "=", v.onboardingId).execute();
    expect((await completeConsent(db, ok(s2), v.sessionToken, setup, never)).outcome).toBe("state_expired");
    const s3 = state(await startConsent(db, v.session, v.sessionToken, setup, APP_URL));
    expect((await completeConsent(db, { state: s3, adminConsent: "True", tenant: "contoso.com" }, v.sessionToken, setup, never)).outcome).toBe("missing_params");
    expect((await completeConsent(db, ok(s3), v.sessionToken, undefined, never)).outcome).toBe("not_configured");
    expect((await getAppAccess(db, v.onboardingId)).tenantId).toBeNull();
  });

  it("the callback's tenant goes into no URL unless it is a GUID: hostile values save nothing and ask Entra nothing", async () => {
    const { db } = handle();
    const v = await visitor();
    const never = async () => {
      throw new Error("no token call expected");
    };
    const guid = tenantIdForDomain("healthy.sim.test");
    const before = sim.requests.length;
    for (const tenant of ["contoso.com", `${guid}/../../__sim/m365/state`, `${guid}?x=1`, `${guid}#x`, "../..", "127.0.0.1", "[::1]", "%2e%2e", `${guid}@evil.example`, "evil.example/x", "organizations", `${guid} `.repeat(3)]) {
      const state = new URL(await startConsent(db, v.session, v.sessionToken, setup, APP_URL)).searchParams.get("state")!;
      const r = await completeConsent(db, readCallbackParams(new URLSearchParams({ state, admin_consent: "True", tenant })), v.sessionToken, setup, never);
      expect(r.outcome, tenant).toBe("missing_params");
    }
    expect(sim.requests.length).toBe(before);
    expect((await getAppAccess(db, v.onboardingId)).tenantId).toBeNull();
  });
});

it("the token check takes a tenant GUID only, and reaches only the configured authority host", async () => {
  const before = sim.requests.length;
  for (const tenant of ["contoso.com", "../x", "127.0.0.1", `${tenantIdForDomain("healthy.sim.test")}/x`]) expect(await checkToken(tenant)).toEqual({ ok: false, code: "invalid_input" });
  expect(sim.requests.length).toBe(before);
  const ok = await checkToken(tenantIdForDomain("healthy.sim.test"));
  expect(ok).toEqual({ ok: true });
  const calls = sim.requests.slice(before);
  expect(calls.map((q) => `${q.method} ${q.path}`)).toEqual([`POST /entra/${tenantIdForDomain("healthy.sim.test")}/oauth2/v2.0/token`]);
  // an authority host that is not allow-listed (loopback on another port) is refused before any connection
  const refused = await checkTenantToken(tenantIdForDomain("healthy.sim.test"), {
    app: { clientId: SIM_CLIENT_ID, credential: { kind: "secret", clientSecret: SIM_CLIENT_SECRET } },
    probe: { authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl, allowedHosts: [], extraCaPem: sim.caPem },
  });
  expect(refused.ok).toBe(false);
  expect(sim.requests.length).toBe(before + 1);
});

it("every outcome has a plain text", () => {
  for (const o of CONSENT_OUTCOMES) expect(CONSENT_TEXTS[o].body.length).toBeGreaterThan(40);
});

it("the simulator refuses /common, unknown apps and bad redirect URIs", async () => {
  const base = `${sim.m365.authorityHost}`;
  const q = (seg: string, clientId: string, redirect: string) => `${base}/${seg}/v2.0/adminconsent?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=s`;
  expect((await request("GET", q("common", SIM_CLIENT_ID, `${APP_URL}/cb`))).text).toContain("AADSTS50194");
  expect((await request("GET", q("organizations", "00000000-0000-0000-0000-000000000000", `${APP_URL}/cb`))).text).toContain("AADSTS700016");
  expect((await request("GET", q("organizations", SIM_CLIENT_ID, "javascript:alert(1)"))).text).toContain("AADSTS50011");
  expect((await request("GET", `${base}/healthy.sim.test/adminconsent?client_id=${SIM_CLIENT_ID}&redirect_uri=${encodeURIComponent(`${APP_URL}/cb`)}`)).status).toBe(200);
});
