import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runGraphProbe } from "@/lib/graph/probe";
import { privateKeyForms } from "@/lib/graph/input";
import { SIM_CLIENT_ID, tenantFor } from "./m365-scenarios";

/**
 * `npm run sim -- --app-cert-out F --app-key-out K` (what e2e uses for MICROSOFT_CERT_FILE/MICROSOFT_KEY_FILE):
 * the simulator in its own process writes a certificate credential of its app, and a real Graph test with those
 * files passes; the simulator lists every access token it issued, so leak tests can search for them.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-cli-"));
const certFile = path.join(dir, "app.crt");
const keyFile = path.join(dir, "app.key");
let child: ChildProcess;
let remote: { httpUrl: string; httpsUrl: string; allowedHosts: string[]; caPem: string };

beforeAll(async () => {
  child = spawn(process.execPath, ["--import", "tsx", "tools/exchange-sim/cli.ts", "--port", "0", "--https-port", "0", "--app-cert-out", certFile, "--app-key-out", keyFile, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  remote = JSON.parse(line) as typeof remote;
});
afterAll(() => {
  if (child.pid) process.kill(child.pid);
  fs.rmSync(dir, { recursive: true, force: true });
});

it("writes the app's certificate and private key (0600), and a Graph test with them passes", async () => {
  const certificatePem = fs.readFileSync(certFile, "utf8");
  const privateKeyPem = fs.readFileSync(keyFile, "utf8");
  expect(certificatePem).toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(privateKeyPem).toMatch(/PRIVATE KEY-----/);
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  const tenant = tenantFor("healthy");
  const r = await runGraphProbe(
    { tenant, clientId: SIM_CLIENT_ID, credential: { kind: "certificate", certificatePem, privateKeyPem }, testMailbox: `agent@${tenant}`, outOfScopeMailbox: `admin@${tenant}` },
    { authorityHost: `${remote.httpsUrl}/entra`, graphUrl: `${remote.httpsUrl}/graph`, allowedHosts: remote.allowedHosts, extraCaPem: remote.caPem, deadlineMs: 8000 },
  );
  expect(r.outcome, r.log).toBe("passed");
  expect(r.log).toMatch(/Credential: certificate/);

  const { tokens } = (await (await fetch(`${remote.httpUrl}/__sim/m365/tokens`)).json()) as { tokens: string[] };
  expect(tokens.length).toBeGreaterThan(0);
  const text = JSON.stringify(r);
  for (const s of [...tokens, ...privateKeyForms(privateKeyPem)]) expect(text).not.toContain(s);
});

it("refuses one of --app-cert-out / --app-key-out without the other", async () => {
  const lone = spawn(process.execPath, ["--import", "tsx", "tools/exchange-sim/cli.ts", "--port", "0", "--https-port", "0", "--app-cert-out", certFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  lone.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(lone, "exit")) as [number];
  expect(code).toBe(2);
  expect(stderr).toMatch(/--app-cert-out and --app-key-out go together/);
});
