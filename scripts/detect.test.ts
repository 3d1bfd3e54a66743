import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimDns, type SimDns } from "@/tools/exchange-sim/dns";
import { DETECT_DOMAIN, DISCOVERY_REACHABLE_HOSTS, tenantIdFor } from "@/tools/exchange-sim/discovery";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

// Async spawn: the simulator and the DNS server answer from this process.
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ["--conditions=react-server", "scripts/detect.ts", ...args], {
      cwd: root,
      env: { ...process.env, EXCHANGE_ALLOWED_HOSTS: "", DNS_SERVERS: "", LOG_LEVEL: "silent" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let sim: ExchangeSim;
let dns: SimDns;
let caFile: string;
let flags: string[];
beforeAll(async () => {
  sim = await startExchangeSim();
  dns = await startSimDns({ httpsPort: Number(new URL(sim.httpsUrl).port) });
  caFile = join(mkdtempSync(join(tmpdir(), "detect-cli-")), "sim-ca.pem");
  writeFileSync(caFile, sim.caPem);
  flags = [
    "--dns-server", dns.server,
    "--authority-host", sim.m365.authorityHost,
    "--autodiscover-host", sim.httpsUrl,
    ...[...sim.allowedHosts, ...DISCOVERY_REACHABLE_HOSTS].flatMap((h) => ["--allow-host", h]),
    "--ca-file", caFile,
  ];
});
afterAll(async () => {
  await Promise.all([sim.close(), dns.close()]);
});

describe("npm run -s detect (DESIGN.md §11)", () => {
  it("prints {track, confidence, tenantId, ewsUrl, evidence} for a Microsoft 365 address", async () => {
    const r = await run(["--email", `ada@m365.${DETECT_DOMAIN}`, ...flags, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ track: "microsoft-365", confidence: "high", tenantId: tenantIdFor(`m365.${DETECT_DOMAIN}`), ewsUrl: null });
    expect(out.evidence.length).toBeGreaterThan(1);
    expect(typeof out.evidence[0].sentence).toBe("string");
  });

  it("says it could not tell for a domain that does not exist, and still exits 0", async () => {
    const r = await run(["--email", `ada@missing.${DETECT_DOMAIN}`, ...flags, "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.track).toBeNull();
    expect(out.summary).toMatch(/does not exist/);
  });

  it.each([
    [["--json"], /--email is required/],
    [["--email", "not an address@", "--json"], /is not an email address/],
    [["--email", "ada@10.0.0.1", "--json"], /does not name a public domain/],
    [["--email", "ada@example.com", "--dns-server", "a b", "--json"], /--dns-server "a b" is not a host/],
    [["--email", "ada@example.com", "--authority-host", "file:///etc/passwd", "--json"], /not an http\(s\) URL/],
    [["--email", "ada@example.com", "--timeout-ms", "9e9", "--json"], /--timeout-ms must be/],
    [["--email", "ada@example.com", "--bogus"], /Unknown option/],
  ])("refuses bad arguments with one line and exit 2: %j", async (args, message) => {
    const r = await run(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
