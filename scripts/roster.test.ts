import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, migrateToLatest } from "@/lib/db/connect";
import { loadKeyRing } from "@/lib/crypto/load-key-ring";
import { markVerified, submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, formData, occurrences, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";

/** `npm run -s roster -- --onboarding ID --file agents.csv --json` as the CLI it is: temp SQLite, the simulator over HTTPS. */
const ROOT = path.resolve(import.meta.dirname, "..");
let dataDir: string;
let sim: ExchangeSim;
let verifiedId: string;
let unverifiedId: string;

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", EXCHANGE_ALLOWED_HOSTS: sim.allowedHosts.join(","), EXCHANGE_EXTRA_CA_FILE: path.join(dataDir, "sim-ca.pem"), ROSTER_MAILBOX_DEADLINE_MS: "2000", ROSTER_CONCURRENCY: "8" };
  for (const k of ["DATABASE_URL", "CREDENTIAL_KEYS", "CREDENTIAL_KEY_FILE", "CREDENTIAL_ACTIVE_KEY_ID"]) delete env[k];
  // Async: the simulator answers from this process.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/roster.ts", ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function file(name: string, text: string) {
  const p = path.join(dataDir, name);
  fs.writeFileSync(p, text);
  return p;
}

let password: string;
beforeAll(async () => {
  sim = await startExchangeSim();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-roster-cli-"));
  fs.writeFileSync(path.join(dataDir, "sim-ca.pem"), sim.caPem);
  const { ring } = loadKeyRing({ env: {}, dataDir });
  const handle = connect({ dataDir });
  await migrateToLatest(handle.db);
  verifiedId = await onboardingIn(handle.db, "in_progress");
  password = sim.password;
  const input = formData({ serviceAccount: "svc@acme.test", password, testMailbox: "ann@acme.test", ewsUrl: sim.ewsUrl });
  const { credentialId } = await submitCredential(handle.db, { ...input, onboardingId: verifiedId, actor: BROKERAGE }, { ring });
  await markVerified(handle.db, credentialId);
  unverifiedId = await onboardingIn(handle.db, "in_progress");
  await handle.close();
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run -s roster", () => {
  it("checks every mailbox on a CSV with the verified access and prints outcomes and causes", async () => {
    const csv = file("agents.csv", "Name,Email\nAnn,ann@acme.test\nBob,bob@acme.test\nBOB,Bob@ACME.test\nNo box,no-mailbox+1@acme.test\nDenied,impersonation-denied+2@acme.test\nHung,hung+3@acme.test\nOutside,someone@gmail.com\nBad,not-an-address\n");
    const r = await run(["--onboarding", verifiedId, "--file", csv, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ onboardingId: verifiedId, track: "ews", state: "done", duplicates: 1, counts: { total: 5, reachable: 2, failed: 3, pending: 0, byCause: { no_mailbox: 1, not_in_scope: 1, timeout: 1 } } });
    const by = Object.fromEntries(out.mailboxes.map((m: { address: string }) => [m.address, m]));
    expect(by["ann@acme.test"]).toMatchObject({ outcome: "reachable", cause: null });
    expect(by["no-mailbox+1@acme.test"]).toMatchObject({ outcome: "failed", cause: "no_mailbox" });
    expect(by["no-mailbox+1@acme.test"].guideStep).toMatch(/^\/guide\//);
    expect(by["impersonation-denied+2@acme.test"]).toMatchObject({ outcome: "failed", cause: "not_in_scope" });
    expect(by["hung+3@acme.test"]).toMatchObject({ outcome: "failed", cause: "timeout" });
    expect(out.flagged).toEqual([{ line: 8, address: "someone@gmail.com", reason: "outside_domains" }]);
    expect(out.errors).toEqual([{ line: 9, message: 'Line 9: "not-an-address" is not an email address.' }]);
    expect(occurrences(r.stdout + r.stderr, password)).toBe(0);
  }, 120_000);

  it("refuses: bad arguments (2), unknown onboarding and no verified access (1)", async () => {
    const list = file("one.txt", "ann@acme.test\n");
    let r = await run(["--file", list, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--onboarding is required");
    r = await run(["--onboarding", verifiedId, "--file", path.join(dataDir, "missing.csv")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read --file");
    r = await run(["--onboarding", "nope", "--file", list, "--json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("not_found");
    r = await run(["--onboarding", unverifiedId, "--file", list, "--json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("no_verified_access");
  }, 120_000);
});
