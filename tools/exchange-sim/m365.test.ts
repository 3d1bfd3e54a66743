import https from "node:https";
import { createPrivateKey, randomUUID } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCertificate, generateAppCertificate, tenantIdForDomain } from "./entra";
import { m365MailboxFor, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_EXPIRED_CLIENT_SECRET, tenantFor } from "./m365-scenarios";
import { startExchangeSim, type ExchangeSim } from "./server";

let sim: ExchangeSim;
let agent: https.Agent;
let cert: { certificatePem: string; privateKeyPem: string };

beforeAll(async () => {
  sim = await startExchangeSim();
  agent = new https.Agent({ ca: sim.caPem });
  cert = await sim.m365.directory.addAppCertificate();
});
afterAll(async () => {
  agent.destroy();
  await sim.close();
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; json: Record<string, unknown> };

function call(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, headers: { ...headers, ...(body ? { "Content-Length": String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          json = { text };
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const SCOPE = "https://graph.microsoft.com/.default";

function tokenRequest(tenant: string, fields: Record<string, string>) {
  return call("POST", `${sim.m365.authorityHost}/${tenant}/oauth2/v2.0/token`, form({ grant_type: "client_credentials", client_id: SIM_CLIENT_ID, scope: SCOPE, ...fields }), FORM);
}

async function assertion(tenant: string, key = cert.privateKeyPem, pem = cert.certificatePem, claims: { aud?: string; iss?: string } = {}) {
  const aud = claims.aud ?? `${sim.m365.authorityHost}/${tenantIdForDomain(tenant)}/oauth2/v2.0/token`;
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: "PS256", "x5t#S256": describeCertificate(pem).x5tS256 })
    .setIssuer(claims.iss ?? SIM_CLIENT_ID)
    .setSubject(claims.iss ?? SIM_CLIENT_ID)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(createPrivateKey(key));
}

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

describe("Entra: OpenID configuration", () => {
  it("answers for a sim.test tenant, under the /entra prefix, with the tenant's GUID in every endpoint", async () => {
    const tenant = tenantFor("healthy");
    const r = await call("GET", `${sim.m365.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    const id = tenantIdForDomain(tenant);
    expect(r.json.issuer).toBe(`${sim.m365.authorityHost}/${id}/v2.0`);
    expect(r.json.token_endpoint).toBe(`${sim.m365.authorityHost}/${id}/oauth2/v2.0/token`);
    // the same tenant by its GUID
    const byId = await call("GET", `${sim.m365.authorityHost}/${id}/v2.0/.well-known/openid-configuration`);
    expect(byId.json.issuer).toBe(r.json.issuer);
  });

  it.each([tenantFor("tenant-not-found"), "contoso.com", "00000000-0000-4000-8000-000000000000"])("%s → 400 invalid_tenant AADSTS90002", async (tenant) => {
    const r = await call("GET", `${sim.m365.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe("invalid_tenant");
    expect(r.json.error_description).toMatch(new RegExp(`^AADSTS90002: Tenant '${tenant}' not found`));
    expect(r.json.error_codes).toEqual([90002]);
  });

  it("a registered tenant with a custom domain and id", async () => {
    const id = randomUUID();
    sim.m365.directory.registerTenant({ domain: "brokerage.example", id, consentedApps: [SIM_CLIENT_ID] });
    const r = await call("GET", `${sim.m365.authorityHost}/brokerage.example/v2.0/.well-known/openid-configuration`);
    expect(r.json.issuer).toBe(`${sim.m365.authorityHost}/${id}/v2.0`);
  });
});

describe("Entra: token endpoint", () => {
  it("issues a token for the right secret; Graph accepts it", async () => {
    const r = await tokenRequest(tenantFor("healthy"), { client_secret: SIM_CLIENT_SECRET });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const claims = decodeJwt(r.json.access_token as string);
    expect(claims).toMatchObject({ tid: tenantIdForDomain(tenantFor("healthy")), appid: SIM_CLIENT_ID, aud: "https://graph.microsoft.com" });
    const contacts = await call("GET", `${sim.m365.graphUrl}/v1.0/users/${m365MailboxFor("healthy")}/contacts?$top=1`, undefined, { Authorization: `Bearer ${r.json.access_token}` });
    expect(contacts.status).toBe(200);
  });

  it("issues a token for an assertion signed with the registered certificate", async () => {
    const tenant = tenantFor("healthy");
    const r = await tokenRequest(tenant, { client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenant) });
    expect(r.status).toBe(200);
  });

  const cases: [string, string, () => Promise<Record<string, string>>, number, string, RegExp][] = [
    ["wrong secret", tenantFor("healthy"), async () => ({ client_secret: "nope" }), 401, "invalid_client", /^AADSTS7000215: Invalid client secret provided/],
    ["bad-secret tenant", tenantFor("bad-secret"), async () => ({ client_secret: SIM_CLIENT_SECRET }), 401, "invalid_client", /^AADSTS7000215:/],
    ["expired secret", tenantFor("healthy"), async () => ({ client_secret: SIM_EXPIRED_CLIENT_SECRET }), 401, "invalid_client", /^AADSTS7000222: The provided client secret keys for app/],
    ["expired-secret tenant", tenantFor("expired-secret"), async () => ({ client_secret: SIM_CLIENT_SECRET }), 401, "invalid_client", /^AADSTS7000222:/],
    ["no credential", tenantFor("healthy"), async () => ({}), 401, "invalid_client", /^AADSTS7000218:/],
    ["app not in tenant", tenantFor("app-not-in-tenant"), async () => ({ client_secret: SIM_CLIENT_SECRET }), 400, "unauthorized_client", /^AADSTS700016: Application with identifier/],
    ["unknown app", tenantFor("healthy"), async () => ({ client_secret: "x", client_id: randomUUID() }), 400, "unauthorized_client", /^AADSTS700016:/],
    ["consent missing", tenantFor("consent-missing"), async () => ({ client_secret: SIM_CLIENT_SECRET }), 400, "invalid_grant", /^AADSTS65001: The user or administrator has not consented/],
    ["conditional access", tenantFor("conditional-access"), async () => ({ client_secret: SIM_CLIENT_SECRET }), 400, "invalid_grant", /^AADSTS53003: BlockedByConditionalAccess/],
    ["unknown tenant", "contoso.com", async () => ({ client_secret: SIM_CLIENT_SECRET }), 400, "invalid_tenant", /^AADSTS90002:/],
    ["other resource", tenantFor("healthy"), async () => ({ client_secret: SIM_CLIENT_SECRET, scope: "https://outlook.office365.com/.default" }), 400, "invalid_resource", /^AADSTS500011:/],
    [
      "assertion from an unregistered key",
      tenantFor("healthy"),
      async () => {
        const other = await generateAppCertificate("someone else");
        return { client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenantFor("healthy"), other.privateKeyPem, other.certificatePem) };
      },
      401,
      "invalid_client",
      /^AADSTS700027: Client assertion contains an invalid signature\. \[Reason - The key was not found\./,
    ],
    [
      "assertion signed by another key under the registered thumbprint",
      tenantFor("healthy"),
      async () => {
        const other = await generateAppCertificate("someone else");
        return { client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenantFor("healthy"), other.privateKeyPem, cert.certificatePem) };
      },
      401,
      "invalid_client",
      /^AADSTS700027: .*The provided signature value did not match/,
    ],
    [
      "assertion for another audience",
      tenantFor("healthy"),
      async () => ({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenantFor("healthy"), undefined, undefined, { aud: "https://login.microsoftonline.com/x/oauth2/v2.0/token" }) }),
      401,
      "invalid_client",
      /^AADSTS700212:/,
    ],
    [
      "assertion issued by another client id",
      tenantFor("healthy"),
      async () => ({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenantFor("healthy"), undefined, undefined, { iss: randomUUID() }) }),
      401,
      "invalid_client",
      /^AADSTS700021:/,
    ],
    [
      "bad-certificate tenant",
      tenantFor("bad-certificate"),
      async () => ({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(tenantFor("bad-certificate")) }),
      401,
      "invalid_client",
      /^AADSTS700027: Client assertion failed signature validation\./,
    ],
  ];
  it.each(cases)("%s", async (_name, tenant, fields, status, error, description) => {
    const r = await tokenRequest(tenant, await fields());
    expect(r.status).toBe(status);
    expect(r.json.error).toBe(error);
    expect(r.json.error_description).toMatch(description);
    expect(r.json.access_token).toBeUndefined();
  });

  it("consent is per tenant: revoked → AADSTS700016, granted again → token", async () => {
    const tenant = "revoke-test.sim.test";
    expect((await tokenRequest(tenant, { client_secret: SIM_CLIENT_SECRET })).status).toBe(200);
    sim.m365.directory.revokeConsent(tenant, SIM_CLIENT_ID);
    expect((await tokenRequest(tenant, { client_secret: SIM_CLIENT_SECRET })).json.error_codes).toEqual([700016]);
    sim.m365.directory.grantConsent(tenant, SIM_CLIENT_ID, "admin@revoke-test.sim.test");
    expect((await tokenRequest(tenant, { client_secret: SIM_CLIENT_SECRET })).status).toBe(200);
  });
});

describe("admin endpoints", () => {
  it("force and clear a tenant scenario", async () => {
    const tenant = "switch.sim.test";
    const put = await call("PUT", `${sim.httpsUrl}/__sim/m365/scenario?tenant=${tenant}&scenario=conditional-access`);
    expect(put.status).toBe(204);
    expect((await tokenRequest(tenant, { client_secret: SIM_CLIENT_SECRET })).json.error_codes).toEqual([53003]);
    await call("PUT", `${sim.httpsUrl}/__sim/m365/scenario?tenant=${tenant}&scenario=`);
    expect((await tokenRequest(tenant, { client_secret: SIM_CLIENT_SECRET })).status).toBe(200);
  });

  it("registers an app and a tenant, grants consent", async () => {
    const clientId = randomUUID();
    const app = await call("POST", `${sim.httpsUrl}/__sim/m365/apps`, JSON.stringify({ clientId, secret: "their-secret-value" }), { "Content-Type": "application/json" });
    expect(app.status).toBe(201);
    const tenant = await call("POST", `${sim.httpsUrl}/__sim/m365/tenants`, JSON.stringify({ domain: "newbroker.example" }), { "Content-Type": "application/json" });
    expect(tenant.status).toBe(201);
    const before = await tokenRequest("newbroker.example", { client_id: clientId, client_secret: "their-secret-value" });
    expect(before.json.error_codes).toEqual([700016]);
    expect((await call("PUT", `${sim.httpsUrl}/__sim/m365/consent?tenant=newbroker.example&client_id=${clientId}`)).status).toBe(204);
    const after = await tokenRequest("newbroker.example", { client_id: clientId, client_secret: "their-secret-value" });
    expect(after.status).toBe(200);
    const state = await call("GET", `${sim.httpsUrl}/__sim/m365/state`);
    expect(JSON.stringify(state.json)).not.toContain("their-secret-value");
  });

  it("refuses bad admin input", async () => {
    expect((await call("PUT", `${sim.httpsUrl}/__sim/m365/scenario?tenant=x.sim.test&scenario=nope`)).status).toBe(400);
    expect((await call("PUT", `${sim.httpsUrl}/__sim/m365/scenario?mailbox=a@x.sim.test&scenario=consent-missing`)).status).toBe(400);
    expect((await call("POST", `${sim.httpsUrl}/__sim/m365/apps`, "{not json", { "Content-Type": "application/json" })).status).toBe(400);
    expect((await call("POST", `${sim.httpsUrl}/__sim/m365/apps`, JSON.stringify({ clientId: "not-a-guid" }), { "Content-Type": "application/json" })).status).toBe(400);
  });
});
