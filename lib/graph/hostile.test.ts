import https from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSimCertificates } from "@/tools/exchange-sim/certs";
import { HttpClient } from "@/lib/exchange/http-client";
import { createSecretScrubber } from "@/lib/exchange/secrets";
import { retryAfterMs, withMailboxSlot, MAILBOX_CONCURRENCY } from "./graph-api";
import { runGraphProbe, type GraphProbeInput, type GraphProbeOptions } from "./probe";
import { GuardedNetwork } from "./token";

/**
 * The Graph test against a server that misbehaves on purpose (real HTTPS on 127.0.0.1, real msal-node): answers
 * that point elsewhere, echo secrets, are too large, not JSON, hang, or throttle with an HTTP-date Retry-After.
 */
const TENANT_ID = "0b8f6c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e";
const CLIENT_ID = "5f6c3e2a-8d1b-4c7e-9a2f-0b3d4e5f6a7b";
const SECRET = "Hostile~Test.Secret-0123456789abcdef";
const OPAQUE_TOKEN = "opaque-access-token-value-7f3a9c2e41d8";

type Answer = { status: number; headers?: Record<string, string>; body: string } | "hang";
type Behaviour = {
  oidc: (base: string) => Answer;
  token: (body: string) => Answer;
  graph: (method: string, path: string, auth: string | undefined) => Answer;
};
const seen: { method: string; path: string }[] = [];
let base = "";
let caPem = "";
let server: https.Server;
let behaviour: Behaviour;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({ status, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(value) });
const goodOidc = (b: string) => json(200, { issuer: `${b}/entra/${TENANT_ID}/v2.0`, token_endpoint: `${b}/entra/${TENANT_ID}/oauth2/v2.0/token` });
const goodToken = () => json(200, { token_type: "Bearer", expires_in: 3599, access_token: OPAQUE_TOKEN });
const goodGraph = (method: string) => (method === "POST" ? json(201, { id: "item-1" }) : method === "DELETE" ? { status: 204, body: "" } : json(200, { value: [] }));
const denyOutside = (method: string, path: string): Answer =>
  path.includes("admin%40") ? json(403, { error: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." } }) : goodGraph(method);

beforeAll(async () => {
  const certs = await generateSimCertificates();
  caPem = certs.caPem;
  server = https.createServer({ key: certs.good.key, cert: certs.good.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      seen.push({ method: req.method ?? "", path });
      const body = Buffer.concat(chunks).toString("utf8");
      let a: Answer;
      if (path.includes("/.well-known/openid-configuration")) a = behaviour.oidc(base);
      else if (path.includes("/oauth2/v2.0/token")) a = behaviour.token(body);
      else if (path.startsWith("/graph/")) a = behaviour.graph(req.method ?? "", path, req.headers.authorization);
      else a = { status: 404, body: "" };
      if (a === "hang") return;
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen.length = 0;
  behaviour = { oidc: goodOidc, token: goodToken, graph: denyOutside };
});

const input = (extra: Partial<GraphProbeInput> = {}): GraphProbeInput => ({
  tenant: "brokerage.example",
  clientId: CLIENT_ID,
  credential: { kind: "secret", clientSecret: SECRET },
  testMailbox: "agent@brokerage.example",
  outOfScopeMailbox: "admin@brokerage.example",
  ...extra,
});
const options = (extra: GraphProbeOptions = {}): GraphProbeOptions => ({
  authorityHost: `${base}/entra`,
  graphUrl: `${base}/graph`,
  allowedHosts: [new URL(base).host],
  extraCaPem: caPem,
  deadlineMs: 4000,
  perRequestTimeoutMs: 800,
  ...extra,
});

function expectClean(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(encodeURIComponent(SECRET));
  expect(text).not.toContain(OPAQUE_TOKEN);
}

describe("runGraphProbe against a hostile server", () => {
  it("passes against a plain well-behaved server (the baseline for the cases below)", async () => {
    const r = await runGraphProbe(input(), options());
    expect(r.outcome, r.log).toBe("passed");
    expectClean(JSON.stringify(r));
  });

  it("an OpenID configuration pointing the token endpoint elsewhere is not followed: the POST goes to the configured host", async () => {
    behaviour.oidc = () => json(200, { issuer: `https://evil.example/${TENANT_ID}/v2.0`, token_endpoint: `https://evil.example/${TENANT_ID}/oauth2/v2.0/token` });
    const r = await runGraphProbe(input(), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(seen.filter((s) => s.method === "POST" && s.path.startsWith(`/entra/${TENANT_ID}/oauth2/v2.0/token`))).toHaveLength(1);
  });

  it("hosts named in answers (msgraph_host, @odata.nextLink, Location) are never used: every call goes to the configured authority and Graph paths", async () => {
    behaviour.oidc = (b) => json(200, { ...JSON.parse((goodOidc(b) as { body: string }).body), msgraph_host: "graph.evil.example", cloud_graph_host_name: "evil.example" });
    behaviour.graph = (method, path) =>
      path.includes("admin%40")
        ? denyOutside(method, path)
        : method === "GET"
          ? json(200, { value: [], "@odata.nextLink": "https://graph.evil.example/v1.0/users?$skiptoken=x" }, { Location: "https://evil.example/" })
          : goodGraph(method);
    const r = await runGraphProbe(input(), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.path, s.path).toMatch(new RegExp(`^/(entra/(brokerage\\.example|${TENANT_ID})/|graph/v1\\.0/users/)`));
  });

  it("a token endpoint that echoes the secret and the token back: scrubbed everywhere", async () => {
    behaviour.token = (body) => json(401, { error: "invalid_client", error_description: `AADSTS7000215: Invalid client secret provided. You sent ${new URLSearchParams(body).get("client_secret")} (${body})` }, { "X-Echo": SECRET });
    const r = await runGraphProbe(input(), options());
    expect(r.failure?.code).toBe("client_secret_invalid");
    expectClean(JSON.stringify(r));
    expect(r.log).toContain("[redacted]");
  });

  it("Graph echoing the bearer token (not a JWT) in an error: scrubbed", async () => {
    behaviour.graph = (method, path, auth) => json(403, { error: { code: "ErrorAccessDenied", message: `Access is denied for ${auth}` } }, { "X-Token": (auth ?? "").replace(/^Bearer /, "") });
    const r = await runGraphProbe(input(), options());
    expect(r.failure?.code).toBe("app_access_denied");
    expectClean(JSON.stringify(r));
  });

  it("an oversized OpenID configuration stops at the size cap", async () => {
    behaviour.oidc = () => ({ status: 200, headers: { "Content-Type": "application/json" }, body: `{"x":"${"a".repeat(300_000)}"}` });
    const r = await runGraphProbe(input(), options({ maxBodyBytes: 64 * 1024 }));
    expect(r.failedStage).toBe("tenant");
    expect(r.failure?.code).toBe("response_too_large");
  });

  it("an OpenID configuration that is not JSON, or names no tenant GUID", async () => {
    behaviour.oidc = () => ({ status: 200, headers: { "Content-Type": "text/html" }, body: "<html>sign in</html>" });
    expect((await runGraphProbe(input(), options())).failure?.code).toBe("invalid_response");
    behaviour.oidc = () => json(200, { issuer: "https://x/common/v2.0", token_endpoint: "https://x/common/oauth2/v2.0/token" });
    expect((await runGraphProbe(input(), options())).failure?.code).toBe("invalid_response");
  });

  it("a token endpoint answering HTML is a token failure, not a crash", async () => {
    behaviour.token = () => ({ status: 502, headers: { "Content-Type": "text/html" }, body: "<html>Bad gateway</html>" });
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("token");
    expect(r.failure?.code).toBe("invalid_response");
  });

  it("a hung Graph: the graph stage fails with a timeout, inside the deadline", async () => {
    behaviour.graph = () => "hang";
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("graph");
    expect(r.failure?.code).toBe("timeout");
    expect(r.elapsedMs).toBeLessThan(4000);
  });

  it("a Graph redirect is not followed", async () => {
    behaviour.graph = () => ({ status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data/" }, body: "" });
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("contacts-read");
    expect(r.failure?.code).toBe("graph_error");
    expect(seen.some((s) => s.path.includes("meta-data"))).toBe(false);
  });

  it("a create answered 201 without an id, or with a body that is not JSON", async () => {
    behaviour.graph = (method, path) => (method === "POST" && path.includes("/contacts") ? json(201, {}) : denyOutside(method, path));
    expect((await runGraphProbe(input(), options())).failure).toMatchObject({ code: "invalid_response", message: expect.stringMatching(/did not return its id/) });
    behaviour.graph = (method, path) => (method === "POST" && path.includes("/events") ? { status: 201, body: "not json" } : denyOutside(method, path));
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("calendar-write");
    expect(r.failure?.code).toBe("invalid_response");
  });

  it("a delete that fails says the test item was left behind", async () => {
    behaviour.graph = (method, path) => (method === "DELETE" && path.includes("/events/") ? json(500, { error: { code: "ErrorInternalServerError", message: "boom" } }) : denyOutside(method, path));
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("calendar-write");
    expect(r.failure?.message).toMatch(/created but could not be deleted; delete it by hand/);
  });

  it("Retry-After as an HTTP date is honoured", async () => {
    let throttled = false;
    behaviour.graph = (method, path) => {
      if (!throttled && path.includes("/calendarView")) {
        throttled = true;
        return json(429, { error: { code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit." } }, { "Retry-After": new Date(Date.now() + 1500).toUTCString() });
      }
      return denyOutside(method, path);
    };
    const r = await runGraphProbe(input(), options());
    expect(r.outcome, r.log).toBe("passed");
    expect(seen.filter((s) => s.path.includes("/calendarView"))).toHaveLength(2);
  });

  it("a 401 from Graph fails the graph stage (the token was not accepted)", async () => {
    behaviour.graph = () => json(401, { error: { code: "InvalidAuthenticationToken", message: "Access token validation failure. Invalid audience." } });
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("graph");
    expect(r.failure?.message).toMatch(/did not accept the access token/);
  });

  it("a token whose roles claim holds tenant-wide mailbox permissions fails the scope stage even when the out-of-reach read is refused", async () => {
    const payload = Buffer.from(JSON.stringify({ tid: TENANT_ID, roles: ["Contacts.ReadWrite", "User.Read.All"] })).toString("base64url");
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJlLXNpbXVsYXRlZA`;
    behaviour.token = () => json(200, { token_type: "Bearer", expires_in: 3599, access_token: jwt });
    const r = await runGraphProbe(input(), options());
    expect(r.failedStage).toBe("out-of-scope");
    expect(r.failure?.code).toBe("app_scope_too_broad");
    expect(r.failure?.message).toMatch(/Contacts\.ReadWrite/);
    expect(JSON.stringify(r)).not.toContain(jwt);
  });
});

it("a token issued for another tenant is not trusted", async () => {
  const payload = Buffer.from(JSON.stringify({ tid: "11111111-2222-4333-8444-555555555555", roles: [] })).toString("base64url");
  behaviour.token = () => json(200, { token_type: "Bearer", expires_in: 3599, access_token: `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJlLXNpbXVsYXRlZA` });
  const r = await runGraphProbe(input(), options());
  expect(r.failedStage).toBe("token");
  expect(r.failure?.message).toMatch(/issued a token for tenant 11111111-2222-4333-8444-555555555555/);
  expect(seen.some((s) => s.path.startsWith("/graph/"))).toBe(false);
});

describe("MSAL's network module", () => {
  it("refuses every URL but a POST to the token endpoint, before it reaches the network", async () => {
    const controller = new AbortController();
    const client = new HttpClient({ policy: { allowedHosts: [new URL(base).host] }, extraCaPem: caPem, perRequestTimeoutMs: 1000, maxBodyBytes: 65536, signal: controller.signal, scrubber: createSecretScrubber([]) });
    const token = `${base}/entra/${TENANT_ID}/oauth2/v2.0/token`;
    const net = new GuardedNetwork(client, token);
    await expect(net.sendGetRequestAsync(`${base}/entra/common/discovery/instance?api-version=1.1`)).rejects.toMatchObject({ code: "url_not_allowed" });
    await expect(net.sendPostRequestAsync(`${base}/entra/other/oauth2/v2.0/token`, { body: "x" })).rejects.toMatchObject({ code: "url_not_allowed" });
    await expect(net.sendGetRequestAsync(token)).rejects.toMatchObject({ code: "url_not_allowed" });
    expect(client.exchanges).toHaveLength(0);
    expect(seen).toHaveLength(0);
    const ok = await net.sendPostRequestAsync(`${token}?client-request-id=${randomUUID()}`, { body: "grant_type=client_credentials" });
    expect(ok.status).toBe(200);
    client.close();
  });
});

describe("Graph limits", () => {
  it("at most 4 calls in flight per mailbox, whatever the number of callers; other mailboxes are not held up", async () => {
    const signal = new AbortController().signal;
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const work = (i: number) =>
      withMailboxSlot(i % 2 ? "Agent@X.example" : "agent@x.example", signal, async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        order.push("agent");
      });
    const all = Array.from({ length: 12 }, (_, i) => work(i));
    const other = withMailboxSlot("other@x.example", signal, async () => void order.push("other"));
    await Promise.all([...all, other]);
    expect(peak).toBe(MAILBOX_CONCURRENCY);
    expect(order.indexOf("other")).toBeLessThan(4);
  });

  it("a waiter is released when the test is cancelled", async () => {
    const controller = new AbortController();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const holders = Array.from({ length: MAILBOX_CONCURRENCY }, () => withMailboxSlot("busy@x.example", new AbortController().signal, () => hold));
    const waiting = withMailboxSlot("busy@x.example", controller.signal, async () => "ran");
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    release();
    await Promise.all(holders);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(10_000 + 3000).toUTCString(), 10_000)).toBeGreaterThanOrEqual(2000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
