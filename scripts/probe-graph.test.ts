import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { m365MailboxFor, SIM_CLIENT_ID, SIM_CLIENT_SECRET, tenantFor } from "@/tools/exchange-sim/m365-scenarios";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

// Async spawn: the simulator answers from this process, so the test must not block its event loop.
function run(args: string[], env: Record<string, string> = {}, input = ""): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ["--conditions=react-server", "scripts/probe.ts", ...args], {
      cwd: root,
      env: { ...process.env, PROBE_PASSWORD: "", PROBE_CLIENT_SECRET: "", EXCHANGE_ALLOWED_HOSTS: "", EXCHANGE_EXTRA_CA_FILE: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

let sim: ExchangeSim;
let dir: string;
let caFile: string;
let certFile: string;
let keyFile: string;
let privateKeyPem: string;
beforeAll(async () => {
  sim = await startExchangeSim();
  dir = mkdtempSync(join(tmpdir(), "probe-graph-cli-"));
  caFile = join(dir, "sim-ca.pem");
  writeFileSync(caFile, sim.caPem);
  const cert = await sim.m365.directory.addAppCertificate();
  privateKeyPem = cert.privateKeyPem;
  certFile = join(dir, "app.crt");
  keyFile = join(dir, "app.key");
  writeFileSync(certFile, cert.certificatePem);
  writeFileSync(keyFile, cert.privateKeyPem);
});
afterAll(async () => {
  await sim.close();
});

const simArgs = () => ["--authority-host", sim.m365.authorityHost, "--graph-url", sim.m365.graphUrl, "--allow-host", new URL(sim.httpsUrl).host, "--ca-file", caFile];
const base = (tenant: string, target = `agent@${tenant}`) => ["--method", "graph", "--tenant", tenant, "--client-id", SIM_CLIENT_ID, "--target", target, ...simArgs()];

describe("npm run -s probe -- --method graph", () => {
  it("passes against the simulator's prefixed /entra and /graph, secret from PROBE_CLIENT_SECRET, JSON shaped like the EWS probe's", async () => {
    const tenant = tenantFor("healthy");
    const r = await run([...base(tenant), "--out-of-scope", `admin@${tenant}`, "--send-test-mail", "--json"], { PROBE_CLIENT_SECRET: SIM_CLIENT_SECRET });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: "passed", primaryCause: null, failedStage: null, findings: [] });
    expect(Object.keys(out)).toEqual(["outcome", "primaryCause", "failedStage", "failure", "steps", "log", "findings", "elapsedMs", "roundTrips"]);
    expect(out.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toContain("send-mail:passed");
    expect(r.stdout).not.toContain(SIM_CLIENT_SECRET);
    expect(r.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
  }, 30_000);

  it("exit 0 on a failed test, with the failing stage and code; a certificate credential from --cert-file/--key-file", async () => {
    const r = await run([...base(tenantFor("healthy"), m365MailboxFor("no-role-assignment")), "--cert-file", certFile, "--key-file", keyFile, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: "failed", failedStage: "contacts-read", failure: { code: "app_access_denied" } });
    expect(typeof out.primaryCause).toBe("string");
    expect(Array.isArray(out.findings)).toBe(true);
    expect(r.stdout).not.toContain(privateKeyPem.split("\n")[1]);
    expect(r.stdout).not.toContain("PRIVATE KEY");
  }, 30_000);

  it("plain text output ends with the outcome line", async () => {
    const r = await run(base(tenantFor("consent-missing")), { PROBE_CLIENT_SECRET: SIM_CLIENT_SECRET });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Microsoft Graph app-access test/);
    expect(r.stdout).toMatch(/Outcome: failed \(failed at token: consent_required\); likely cause: \S+\n$/);
  }, 30_000);

  it("--tenant-id: the tenant must resolve to the consented one", async () => {
    const r = await run([...base(tenantFor("healthy")), "--tenant-id", "00000000-0000-4000-8000-000000000001", "--json"], { PROBE_CLIENT_SECRET: SIM_CLIENT_SECRET });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "failed", failedStage: "tenant", failure: { code: "tenant_mismatch" } });
  }, 30_000);

  it("a hostile tenant is refused by the test's input stage (exit 0, invalid_input), nothing sent", async () => {
    const before = sim.requests.length;
    const r = await run([...base("evil.example/../x"), "--json"], { PROBE_CLIENT_SECRET: SIM_CLIENT_SECRET });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "failed", failedStage: "input", failure: { code: "invalid_input" } });
    expect(sim.requests.length).toBe(before);
  }, 30_000);

  it.each([
    [["--method", "graph", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test"], {}, /--tenant is required/],
    [["--method", "graph", "--tenant", "b.test", "--target", "a@b.test"], {}, /--client-id is required/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID], {}, /--target is required/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test"], {}, /no credential: set PROBE_CLIENT_SECRET/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--cert-file", "/nonexistent.crt"], {}, /--cert-file and --key-file go together/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--cert-file", "/nonexistent.crt", "--key-file", "/nonexistent.key"], {}, /cannot read --cert-file/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--cert-file", "CERT", "--key-file", "KEY"], { PROBE_CLIENT_SECRET: "x" }, /not both/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--graph-url", "ftp://x"], { PROBE_CLIENT_SECRET: "x" }, /--graph-url "ftp:\/\/x" is not an https:\/\/ URL/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--timeout-ms", "soon"], { PROBE_CLIENT_SECRET: "x" }, /--timeout-ms must be/],
    [["--method", "graph", "--tenant", "b.test", "--client-id", SIM_CLIENT_ID, "--target", "a@b.test", "--allow-host", "a b"], { PROBE_CLIENT_SECRET: "x" }, /--allow-host "a b" is not a host/],
    [["--method", "graph", "--tenant", "b.test", "--frobnicate"], {}, /Unknown option '--frobnicate'/],
    [["--method", "smtp", "--tenant", "b.test"], {}, /--method must be ews or graph, got "smtp"/],
    [["--method"], {}, /--method must be ews or graph, got ""/],
  ])("exits 2 with one line for bad arguments: %j", async (args, env, message) => {
    const resolved = (args as string[]).map((a) => (a === "CERT" ? certFile : a === "KEY" ? keyFile : a));
    const r = await run(resolved, env as Record<string, string>);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }, 30_000);

  it("--help prints the Graph usage", async () => {
    const r = await run(["--method", "graph", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run -s probe -- --method graph --tenant T --client-id C --target M/);
  }, 30_000);

  it("--method ews (and no --method) is the EWS test, unchanged", async () => {
    const host = new URL(sim.httpsUrl).host;
    const ews = ["--service-account", "svc@contoso.test", "--target", mailboxFor("healthy"), "--ews-url", sim.ewsUrl, "--allow-host", host, "--ca-file", caFile, "--timeout-ms", "5000", "--json"];
    for (const args of [["--method", "ews", ...ews], ["--method=ews", ...ews], ews]) {
      const r = await run(args, { PROBE_PASSWORD: sim.password });
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "passed", primaryCause: null });
    }
  }, 60_000);
});
