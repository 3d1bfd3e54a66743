import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { FAILURE_CAUSES } from "@/lib/diagnosis/failure-causes";
import { generateAppCertificate, tenantIdForDomain } from "@/tools/exchange-sim/entra";
import { m365MailboxFor, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_EXPIRED_CLIENT_SECRET, tenantFor, type M365MailboxScenario, type M365ScenarioName } from "@/tools/exchange-sim/m365-scenarios";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { GRAPH_STAGE_IDS } from "@/lib/exchange/steps";
import type { FailureCode } from "@/lib/exchange/failures";
import type { ProbeResult } from "@/lib/exchange/probe";
import { runGraphProbe, TEST_MAIL_SUBJECT, tenantWideMailboxRoles, type GraphProbeInput, type GraphProbeOptions } from "./probe";
import { privateKeyForms } from "./input";
import { GRAPH_EXPECTED, scenarioTarget } from "./scenario-expectations";
import { M365_SCENARIO_NAMES } from "@/tools/exchange-sim/m365-scenarios";

/**
 * Integration: the real probe — real @azure/msal-node, our recording HTTP layer, real TLS — against the
 * simulator's Entra (under /entra) and Graph (under /graph), so path-prefixed authority and Graph URLs are
 * exercised by every test. Every access token MSAL obtained is captured to prove none reaches the result.
 */
let sim: ExchangeSim;
let cert: { certificatePem: string; privateKeyPem: string };
const issuedTokens: string[] = [];

beforeAll(async () => {
  sim = await startExchangeSim();
  cert = await sim.m365.directory.addAppCertificate();
  const real = ConfidentialClientApplication.prototype.acquireTokenByClientCredential;
  vi.spyOn(ConfidentialClientApplication.prototype, "acquireTokenByClientCredential").mockImplementation(async function (this: ConfidentialClientApplication, request) {
    const r = await real.call(this, request);
    if (r?.accessToken) issuedTokens.push(r.accessToken);
    return r;
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await sim.close();
});

function options(extra: GraphProbeOptions = {}): GraphProbeOptions {
  return { authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl, allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, deadlineMs: 6000, perRequestTimeoutMs: 1500, ...extra };
}

const secret = (clientSecret = SIM_CLIENT_SECRET) => ({ kind: "secret" as const, clientSecret });

function input(tenant: string, extra: Partial<GraphProbeInput> = {}): GraphProbeInput {
  return { tenant, clientId: SIM_CLIENT_ID, credential: secret(), testMailbox: `agent@${tenant}`, outOfScopeMailbox: `admin@${tenant}`, ...extra };
}

/** No client secret, private key (any form) or access token anywhere in what the probe returns. */
function expectNoSecrets(result: ProbeResult, extra: string[] = []) {
  const text = JSON.stringify(result);
  // issuedTokens: what MSAL handed back; sim.m365.issuedTokens: every token the simulated Entra issued
  for (const s of [SIM_CLIENT_SECRET, SIM_EXPIRED_CLIENT_SECRET, ...privateKeyForms(cert.privateKeyPem), ...issuedTokens, ...sim.m365.issuedTokens, ...extra]) {
    expect(text).not.toContain(s);
    expect(result.log).not.toContain(s);
  }
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
  expect(text).not.toMatch(/PRIVATE KEY/);
}

function expectShape(result: ProbeResult) {
  expect(result.steps.map((s) => s.id)).toEqual([...GRAPH_STAGE_IDS]);
  expect(result.steps.every((s) => s.status !== "running")).toBe(true);
  expect(result.log).toMatch(/^Microsoft Graph app-access test/);
}

afterEach(() => {
  for (const s of ["read-only-roles@healthy.sim.test"]) sim.m365.directory.setMailboxScenario(s, null);
});

describe("runGraphProbe: every simulator scenario, real msal-node over real HTTPS", () => {
  it("healthy: passes every stage with the OIDC GET and one token POST as the only Entra calls", async () => {
    const tenant = tenantFor("healthy");
    const before = sim.requests.length;
    const r = await runGraphProbe(input(tenant, { sendTestMail: true }), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(r.failedStage).toBeUndefined();
    expectShape(r);
    expect(r.steps.filter((s) => s.status === "passed").map((s) => s.id)).toEqual([...GRAPH_STAGE_IDS]);
    const entra = sim.requests.slice(before).filter((q) => q.path.startsWith("/entra/"));
    expect(entra.map((q) => `${q.method} ${q.path}`)).toEqual([`GET /entra/${tenant}/v2.0/.well-known/openid-configuration`, `POST /entra/${tenantIdForDomain(tenant)}/oauth2/v2.0/token`]);
    // what it created is gone; the test message went to the mailbox itself
    const box = sim.m365.mailboxes.get(`agent@${tenant}`);
    expect(box.contacts.size).toBe(0);
    expect(box.events.size).toBe(0);
    expect(box.sent.at(-1)).toMatchObject({ from: `agent@${tenant}`, to: [`agent@${tenant}`], subject: TEST_MAIL_SUBJECT });
    expect(TEST_MAIL_SUBJECT).toMatch(/MoxiEngage/);
    // 5 calls for the mailbox at once, but never more than 4 in flight
    expect(sim.m365.mailboxes.peakInFlight.get(`agent@${tenant}`)).toBeLessThanOrEqual(4);
    expect(r.log).toContain(`Tenant: ${tenant} (${tenantIdForDomain(tenant)})`);
    expectNoSecrets(r);
    expect(issuedTokens.length).toBeGreaterThan(0);
  });

  it("with 100 ms per answer a pass takes about 3 round trips (tenant ‖ token, reads ‖ creates, deletes), not the 9 of one call after another", async () => {
    const domain = "latency.sim.test";
    sim.m365.directory.tenant(domain);
    const id = tenantIdForDomain(domain);
    sim.setLatency(100);
    try {
      const r = await runGraphProbe({ ...input(domain, { sendTestMail: true }), tenant: id, expectedTenantId: id }, options());
      expect(r.outcome, r.log).toBe("passed");
      expect(r.elapsedMs).toBeGreaterThanOrEqual(300);
      expect(r.elapsedMs).toBeLessThan(700);
    } finally {
      sim.setLatency(0);
    }
  });

  it("10 tests of one mailbox at once share its 4 slots: all pass, the simulator never sees a 5th call in flight", async () => {
    const tenant = "crowd.sim.test";
    sim.setLatency(20); // answers take a while, so calls really overlap at the simulator
    let runs: ProbeResult[];
    try {
      runs = await Promise.all(Array.from({ length: 10 }, () => runGraphProbe(input(tenant, { sendTestMail: true }), options({ deadlineMs: 15_000 }))));
    } finally {
      sim.setLatency(0);
    }
    expect(runs.map((r) => r.outcome)).toEqual(Array(10).fill("passed"));
    expect(sim.m365.mailboxes.peakInFlight.get(`agent@${tenant}`)).toBe(4);
  });

  it("healthy without sendTestMail and without an out-of-reach mailbox: passes, both stages skipped, nothing sent", async () => {
    const tenant = "nosend.sim.test";
    const r = await runGraphProbe(input(tenant, { outOfScopeMailbox: undefined }), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(r.steps.find((s) => s.id === "send-mail")).toMatchObject({ status: "skipped", result: "Not run: sending a test message was not asked for." });
    expect(r.steps.find((s) => s.id === "out-of-scope")?.status).toBe("skipped");
    expect(sim.m365.mailboxes.get(`agent@${tenant}`).sent).toHaveLength(0);
  });

  it("healthy by tenant GUID (tenant and token side by side) and with a certificate credential", async () => {
    const domain = tenantFor("healthy");
    const id = tenantIdForDomain(domain);
    const r = await runGraphProbe(
      { tenant: id, clientId: SIM_CLIENT_ID, credential: { kind: "certificate", ...cert }, testMailbox: `agent@${domain}`, outOfScopeMailbox: `admin@${domain}`, expectedTenantId: id },
      options(),
    );
    expect(r.outcome, r.log).toBe("passed");
    expect(r.log).toMatch(/Credential: certificate .*SHA-256 thumbprint [0-9A-F]{64}/);
    expectNoSecrets(r);
  });

  type Case = [name: M365ScenarioName | string, stage: string, code: FailureCode, text: RegExp, run: () => Promise<ProbeResult>];
  const tokenCase = (scenario: M365ScenarioName, code: FailureCode, text: RegExp): Case => [scenario, "token", code, text, () => runGraphProbe(input(tenantFor(scenario)), options())];
  const mailboxCase = (scenario: M365MailboxScenario, stage: string, code: FailureCode, text: RegExp, extra: GraphProbeOptions = {}): Case => [
    scenario,
    stage,
    code,
    text,
    () => runGraphProbe(input(tenantFor("healthy"), { testMailbox: m365MailboxFor(scenario) }), options(extra)),
  ];
  const cases: Case[] = [
    ["tenant-not-found", "tenant", "tenant_not_found", /AADSTS90002: Tenant 'tenant-not-found\.sim\.test' not found/, () => runGraphProbe(input(tenantFor("tenant-not-found")), options())],
    tokenCase("app-not-in-tenant", "app_not_found", /AADSTS700016: Application with identifier/),
    tokenCase("consent-missing", "consent_required", /AADSTS65001: The user or administrator has not consented/),
    tokenCase("bad-secret", "client_secret_invalid", /AADSTS7000215: Invalid client secret provided/),
    tokenCase("expired-secret", "client_secret_expired", /AADSTS7000222: The provided client secret keys for app/),
    ["expired secret value", "token", "client_secret_expired", /AADSTS7000222/, () => runGraphProbe(input(tenantFor("healthy"), { credential: secret(SIM_EXPIRED_CLIENT_SECRET) }), options())],
    ["wrong secret value", "token", "client_secret_invalid", /AADSTS7000215/, () => runGraphProbe(input(tenantFor("healthy"), { credential: secret("Not~The.Secret-0123456789") }), options())],
    ["bad-certificate", "token", "certificate_invalid", /AADSTS700027: Client assertion failed signature validation/, () => runGraphProbe(input(tenantFor("bad-certificate"), { credential: { kind: "certificate", ...cert } }), options())],
    [
      "unregistered certificate",
      "token",
      "certificate_invalid",
      /AADSTS700027: Client assertion contains an invalid signature\. \[Reason - The key was not found/,
      async () => runGraphProbe(input(tenantFor("healthy"), { credential: { kind: "certificate", ...(await generateAppCertificate("not registered")) } }), options()),
    ],
    tokenCase("conditional-access", "conditional_access", /AADSTS53003: BlockedByConditionalAccess/),
    ["hung-token", "token", "timeout", /did not send a complete answer within 800 ms/, () => runGraphProbe(input(tenantFor("hung-token")), options({ perRequestTimeoutMs: 800, deadlineMs: 4000 }))],
    [
      "tenant-wide-grant",
      "out-of-scope",
      "app_scope_too_broad",
      /could read the contacts of admin@tenant-wide-grant\.sim\.test.*tenant-wide.*Test-ServicePrincipalAuthorization/,
      () => runGraphProbe(input(tenantFor("tenant-wide-grant")), options()),
    ],
    mailboxCase("no-role-assignment", "contacts-read", "app_access_denied", /403 ErrorAccessDenied: Access is denied\. Check credentials and try again\./),
    mailboxCase("read-only-roles", "contacts-write", "app_access_denied", /ErrorAccessDenied/),
    mailboxCase("mailbox-not-enabled", "contacts-read", "mailbox_not_enabled", /MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise/),
    mailboxCase("no-such-mailbox", "contacts-read", "mailbox_not_found", /ErrorInvalidUser/),
    mailboxCase("throttled", "contacts-read", "throttled", /ApplicationThrottled: Application is over its MailboxConcurrency limit/, { deadlineMs: 8000 }),
  ];

  it.each(cases)("%s → fails at %s with %s", async (_name, stage, code, text, run) => {
    const r = await run();
    expect(r.outcome, r.log).toBe("failed");
    expect(r.failedStage).toBe(stage);
    expect(r.failure?.code).toBe(code);
    expect(r.failure?.message).toMatch(text);
    expect(r.steps.find((s) => s.id === stage)).toMatchObject({ status: "failed", failure: { code } });
    expect(r.steps.find((s) => s.id === "summary")?.status).toBe("failed");
    expectShape(r);
    expectNoSecrets(r);
    // the log carries Entra's / Graph's own words, so pasted logs and ours diagnose alike
    expect(r.log).toMatch(text);
    // typed diagnosis: the failure code decides the cause, whatever the messages say
    const typed = diagnoseProbe(r, { track: "microsoft-365" });
    expect(typed.primaryCause).toBe(FAILURE_CAUSES[code as FailureCode]);
    const quiet = structuredClone(r);
    for (const s of quiet.steps) { s.title = "x"; s.result = "y"; s.details = []; if (s.failure) s.failure.message = "z"; }
    if (quiet.failure) quiet.failure.message = "z";
    quiet.log = "";
    expect(diagnoseProbe(quiet, { track: "microsoft-365" }).primaryCause).toBe(typed.primaryCause);
  });

  it("read-only-roles: the reads pass, the writes fail", async () => {
    const r = await runGraphProbe(input(tenantFor("healthy"), { testMailbox: m365MailboxFor("read-only-roles"), sendTestMail: true }), options());
    const status = Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ "contacts-read": "passed", "calendar-read": "passed", "contacts-write": "failed", "calendar-write": "failed", "send-mail": "failed" });
    expect(r.failure?.message).toMatch(/Reading works but writing is refused: .*assign Application Contacts\.ReadWrite/);
    expect(r.log).toMatch(/assign Application Calendars\.ReadWrite/);
  });

  it("throttled-once: waits for Retry-After inside the deadline, then passes", async () => {
    const r = await runGraphProbe(input(tenantFor("healthy"), { testMailbox: m365MailboxFor("throttled-once") }), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.steps.find((s) => s.id === "graph")?.details.join("\n")).toMatch(/HTTP 429, waited 1000 ms \(Retry-After\) and tried again/);
  });

  it("throttled with a Retry-After past the deadline: gives up in time", async () => {
    const r = await runGraphProbe(input(tenantFor("healthy"), { testMailbox: m365MailboxFor("throttled") }), options({ deadlineMs: 2000 }));
    expect(r.failure?.code).toBe("throttled");
    expect(r.failure?.message).toMatch(/past the test's deadline/);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  it("a test stopped before the mailbox stages says so for every stage it did not run, send-mail included", async () => {
    const r = await runGraphProbe(input(tenantFor("consent-missing"), { sendTestMail: true }), options());
    for (const id of ["graph", "contacts-read", "send-mail", "out-of-scope"]) {
      expect(r.steps.find((s) => s.id === id)).toMatchObject({ status: "skipped", result: "Not run: the test stopped at the token stage." });
    }
  });

  it("the tenant must be the consented one: tenant_mismatch", async () => {
    const r = await runGraphProbe(input(tenantFor("healthy"), { expectedTenantId: tenantIdForDomain("other.sim.test") }), options());
    expect(r.failedStage).toBe("tenant");
    expect(r.failure?.code).toBe("tenant_mismatch");
    expect(r.steps.find((s) => s.id === "token")?.status).toBe("skipped");
    expectNoSecrets(r);
  });

  it("a revoked consent is found (app_not_found) and a re-granted one passes", async () => {
    const tenant = "revoked.sim.test";
    sim.m365.directory.tenant(tenant);
    sim.m365.directory.revokeConsent(tenant, SIM_CLIENT_ID);
    expect((await runGraphProbe(input(tenant), options())).failure?.code).toBe("app_not_found");
    sim.m365.directory.grantConsent(tenant, SIM_CLIENT_ID, `admin@${tenant}`);
    expect((await runGraphProbe(input(tenant), options())).outcome).toBe("passed");
  });

  it("reports live steps, scrubbed, and a cancel stops it", async () => {
    const seen: string[] = [];
    const controller = new AbortController();
    const p = runGraphProbe(input(tenantFor("hung-token")), options({ signal: controller.signal, perRequestTimeoutMs: 5000, onStep: (s) => seen.push(`${s.id}:${s.status}`) }));
    setTimeout(() => controller.abort(), 300);
    const r = await p;
    expect(r.failure?.code).toBe("cancelled");
    expect(r.elapsedMs).toBeLessThan(1500);
    expect(seen).toContain("token:running");
    expect(seen).toContain("input:passed");
  });
});

describe("runGraphProbe as verification runs it (tenant GUID, consented tenant given): every scenario in GRAPH_EXPECTED", () => {
  it.each(M365_SCENARIO_NAMES)("%s", async (scenario) => {
    const want = GRAPH_EXPECTED[scenario];
    const target = scenarioTarget(scenario);
    // a `<label>.sim.test` tenant exists once named; the GUID alone must then find it
    sim.m365.directory.tenant(target.domain);
    const id = tenantIdForDomain(target.domain);
    const before = sim.requests.length;
    const r = await runGraphProbe(
      { tenant: id, expectedTenantId: id, clientId: SIM_CLIENT_ID, credential: want.credential === "certificate" ? { kind: "certificate", ...cert } : secret(), testMailbox: target.testMailbox, outOfScopeMailbox: target.outOfScopeMailbox },
      options({ deadlineMs: 3000, perRequestTimeoutMs: 800 }),
    );
    expect(r.outcome, r.log).toBe(want.outcome);
    expect(r.failedStage).toBe(want.failedStage);
    expect(r.failure?.code).toBe(want.failure);
    const step = r.steps.find((s) => s.id === (want.failedStage ?? "summary"))!;
    expect(step.result).toMatch(want.evidence);
    // the cause the workspace and staff see, from the typed failure
    const cause = diagnoseProbe(r, { track: "microsoft-365" }).primaryCause;
    if (want.failure) expect(cause).toBe(FAILURE_CAUSES[want.failure]);
    else expect(cause ?? null).toBeNull();
    expectShape(r);
    expectNoSecrets(r);
    // the sim counts what really went on the wire; never more than the probe says
    expect(sim.requests.length - before).toBe(r.roundTrips);
  });
});

describe("runGraphProbe: input checks and the outbound-call guard (nothing leaves before they pass)", () => {
  const hostile = [
    "evil.example/x",
    "contoso.com/../../__sim/m365/state",
    "a@b.example",
    "..",
    "a..b.example",
    "127.0.0.1",
    "169.254.169.254",
    "[::1]",
    "::1",
    "contoso.com:8443",
    "%2e%2e",
    "contoso.com?x=1",
    "contoso.com#x",
    "common",
    "organizations",
    "localhost",
    "contoso.123",
    "contoso .com",
    "x".repeat(300),
    "",
  ];
  it.each(hostile)("tenant %j is refused before any request", async (tenant) => {
    const before = sim.requests.length;
    const r = await runGraphProbe({ tenant, clientId: SIM_CLIENT_ID, credential: secret(), testMailbox: "agent@healthy.sim.test" }, options());
    expect(r.failedStage).toBe("input");
    expect(r.failure?.code).toBe("invalid_input");
    expect(r.roundTrips).toBe(0);
    expect(sim.requests.length).toBe(before);
    expectShape(r);
  });

  const badInputs: [string, Partial<GraphProbeInput> | Record<string, unknown>, RegExp][] = [
    ["client id not a GUID", { clientId: "moxi-app" }, /client ID must be a GUID/],
    ["client id wrong type", { clientId: 42 }, /client ID must be a GUID/],
    ["empty secret", { credential: secret("") }, /client secret/],
    ["secret with a line break", { credential: secret("abc\ndef") }, /control character/],
    ["oversized secret", { credential: secret("s".repeat(5000)) }, /too long/],
    ["unknown credential kind", { credential: { kind: "password", password: "x" } }, /credential must be/],
    ["certificate not PEM", { credential: { kind: "certificate", certificatePem: "nope", privateKeyPem: "nope" } }, /not a PEM X\.509 certificate/],
    ["test mailbox with a slash", { testMailbox: "agent/../x@healthy.sim.test" }, /part before the @/],
    ["test mailbox without @", { testMailbox: "agent" }, /one @/],
    ["test mailbox at an IP", { testMailbox: "agent@127.0.0.1" }, /not a valid domain/],
    ["out-of-reach mailbox = test mailbox", { outOfScopeMailbox: "AGENT@healthy.sim.test" }, /different mailbox/],
    ["expected tenant not a GUID", { expectedTenantId: "contoso.com" }, /consented tenant ID must be a GUID/],
  ];
  it.each(badInputs)("%s → invalid_input", async (_name, patch, message) => {
    const before = sim.requests.length;
    const r = await runGraphProbe({ ...input(tenantFor("healthy"), { testMailbox: "agent@healthy.sim.test" }), ...patch } as GraphProbeInput, options());
    expect(r.failure?.code).toBe("invalid_input");
    expect(r.failure?.message).toMatch(message);
    expect(sim.requests.length).toBe(before);
    expect(JSON.stringify(r)).not.toContain("s".repeat(100));
  });

  it("a certificate whose key does not match, and a key that is not RSA, are refused without leaking the key", async () => {
    const other = await generateAppCertificate("other");
    const r = await runGraphProbe(input(tenantFor("healthy"), { credential: { kind: "certificate", certificatePem: cert.certificatePem, privateKeyPem: other.privateKeyPem } }), options());
    expect(r.failure?.message).toMatch(/does not belong to the certificate/);
    expectNoSecrets(r, privateKeyForms(other.privateKeyPem));
  });

  it("a PKCS#1 (BEGIN RSA PRIVATE KEY) key works; an EC key is refused", async () => {
    const pkcs1 = createPrivateKey(cert.privateKeyPem).export({ type: "pkcs1", format: "pem" }).toString();
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE KEY/);
    const ok = await runGraphProbe(input(tenantFor("healthy"), { credential: { kind: "certificate", certificatePem: cert.certificatePem, privateKeyPem: pkcs1 } }), options());
    expect(ok.outcome, ok.log).toBe("passed");
    expectNoSecrets(ok, privateKeyForms(pkcs1));
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const refused = await runGraphProbe(input(tenantFor("healthy"), { credential: { kind: "certificate", certificatePem: cert.certificatePem, privateKeyPem: ec } }), options());
    expect(refused.failure?.message).toMatch(/Entra app certificates need an RSA key/);
    expectNoSecrets(refused, privateKeyForms(ec));
  });

  it("the Microsoft hosts come only from options/configuration, under the guard", async () => {
    const host = new URL(sim.httpsUrl).host;
    // not allow-listed: loopback on a non-443 port is refused before connecting
    const notAllowed = await runGraphProbe(input(tenantFor("healthy")), options({ allowedHosts: [] }));
    expect(notAllowed.failedStage).toBe("input");
    expect(notAllowed.failure?.message).toMatch(/uses port \d+/);
    // plain http only for an allow-listed host; user info never
    const withUser = await runGraphProbe(input(tenantFor("healthy")), options({ authorityHost: `https://user:pw@${host}/entra` }));
    expect(withUser.failure?.message).toMatch(/user name or password/);
    const withQuery = await runGraphProbe(input(tenantFor("healthy")), options({ graphUrl: `${sim.m365.graphUrl}?x=1` }));
    expect(withQuery.failure?.message).toMatch(/query or fragment/);
    // a public-looking name that resolves to loopback is refused at connect time, not followed
    const rebinding = await runGraphProbe(input(tenantFor("healthy")), options({ allowedHosts: [], authorityHost: "https://login.example.test/entra", graphUrl: "https://graph.example.test/graph", resolve: async () => [{ address: "127.0.0.1", family: 4 }] }));
    expect(rebinding.failedStage).toBe("tenant");
    expect(rebinding.failure?.code).toBe("address_not_public");
  });

  it("an unreachable Graph fails the graph stage, and the mailbox stages say why", async () => {
    const r = await runGraphProbe(input(tenantFor("healthy")), options({ graphUrl: "https://127.0.0.1:1/graph", allowedHosts: [...sim.allowedHosts, "127.0.0.1:1"] }));
    expect(r.failedStage).toBe("graph");
    expect(r.failure?.code).toBe("connect_failed");
  });
});

describe("tenantWideMailboxRoles", () => {
  it("picks the application permissions that defeat an RBAC scope", () => {
    expect(tenantWideMailboxRoles(["Contacts.ReadWrite", "User.Read.All", "Mail.Send", "full_access_as_app", "Calendars.Read"])).toEqual(["Contacts.ReadWrite", "Mail.Send", "full_access_as_app", "Calendars.Read"]);
    expect(tenantWideMailboxRoles([])).toEqual([]);
  });
});
