import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

// Async spawn: the simulator answers from this process, so the test must not block its event loop.
function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ["--conditions=react-server", "scripts/probe.ts", ...args], {
      cwd: root,
      env: { ...process.env, PROBE_PASSWORD: "", EXCHANGE_ALLOWED_HOSTS: "", ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

let sim: ExchangeSim;
let caFile: string;
beforeAll(async () => {
  sim = await startExchangeSim();
  caFile = join(mkdtempSync(join(tmpdir(), "probe-cli-")), "sim-ca.pem");
  writeFileSync(caFile, sim.caPem);
});
afterAll(async () => {
  await sim.close();
});

describe("npm run -s probe", () => {
  it("prints the JSON contract with the diagnosis, password from stdin, exit 0 on a failed test", async () => {
    const host = new URL(sim.httpsUrl).host;
    const r = await run(
      ["--service-account", "svc@contoso.test", "--target", mailboxFor("impersonation-denied"), "--ews-url", sim.ewsUrl, "--allow-host", host, "--ca-file", caFile, "--timeout-ms", "5000", "--json"],
      { input: `${sim.password}\n` },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: "failed", primaryCause: "impersonation_denied", failedStage: "impersonate" });
    expect(Object.keys(out)).toEqual(["outcome", "primaryCause", "failedStage", "steps", "log", "findings", "elapsedMs", "roundTrips"]);
    expect(Array.isArray(out.steps) && Array.isArray(out.findings) && typeof out.log === "string").toBe(true);
    expect(r.stdout).not.toContain(sim.password);
  }, 20_000);

  it("runs Autodiscover against given candidate URLs with PROBE_PASSWORD, and passes", async () => {
    const r = await run(
      ["--service-account", "svc@contoso.test", "--target", mailboxFor("healthy"), ...sim.autodiscoverUrls.flatMap((u) => ["--autodiscover-url", u]), ...sim.allowedHosts.flatMap((h) => ["--allow-host", h]), "--ca-file", caFile, "--json"],
      { env: { PROBE_PASSWORD: sim.password } },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "passed", primaryCause: null, findings: [] });
  }, 20_000);

  it("--send-test-message adds the send: a mailbox that may not send fails there, and without the flag passes", async () => {
    const host = new URL(sim.httpsUrl).host;
    const args = ["--service-account", "svc@contoso.test", "--target", mailboxFor("send-denied"), "--ews-url", sim.ewsUrl, "--allow-host", host, "--ca-file", caFile, "--json"];
    const sent = await run([...args, "--send-test-message"], { env: { PROBE_PASSWORD: sim.password } });
    expect(JSON.parse(sent.stdout)).toMatchObject({ outcome: "failed", failedStage: "send-message", primaryCause: "send_denied" });
    const quiet = await run(args, { env: { PROBE_PASSWORD: sim.password } });
    expect(JSON.parse(quiet.stdout)).toMatchObject({ outcome: "passed" });
  }, 40_000); // two CLI runs, each starting tsx

  it.each([
    [["--target", "a@b.test"], /--service-account is required/],
    [["--service-account", "svc@b.test", "--target", "a@b.test", "--timeout-ms", "soon"], /--timeout-ms must be/],
    [["--service-account", "svc@b.test", "--target", "a@b.test", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["--service-account", "svc@b.test", "--target", "a@b.test"], /no password/],
  ])("exits 2 with one line for bad arguments: %j", async (args, message) => {
    const r = await run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }, 20_000);
});
