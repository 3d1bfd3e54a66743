import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, migrateToLatest } from "@/lib/db/connect";
import { loadKeyRing } from "@/lib/crypto/load-key-ring";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, formData, occurrences, onboardingIn } from "@/lib/credentials/testing/fixtures";

/** keys:rotate, keys:check and service-token:create, run as the CLIs they are against a temp SQLite database. */
const ROOT = path.resolve(import.meta.dirname, "..");
let dataDir: string;
const passwords: string[] = [];

function run(script: string, args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  for (const k of ["DATABASE_URL", "CREDENTIAL_KEYS", "CREDENTIAL_KEY_FILE", "CREDENTIAL_ACTIVE_KEY_ID"]) delete env[k];
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 30_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  for (const p of passwords) expect(occurrences(out, p)).toBe(0);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function keyFile() {
  return JSON.parse(fs.readFileSync(path.join(dataDir, "keys.json"), "utf8")) as { active: string; keys: { kid: string }[] };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-keys-cli-"));
  const { ring } = loadKeyRing({ env: {}, dataDir });
  const handle = connect({ dataDir });
  await migrateToLatest(handle.db);
  const onboardingId = await onboardingIn(handle.db, "in_progress");
  for (let i = 0; i < 2; i++) {
    const input = formData();
    passwords.push(input.password);
    await submitCredential(handle.db, { ...input, onboardingId, actor: BROKERAGE }, { ring });
  }
  await handle.close();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("keys:check and keys:rotate", () => {
  it("check passes, rotate adds a key and re-wraps, a re-run is a no-op, old keys can then be removed", () => {
    const first = keyFile().active;
    let r = run("keys-check");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Records: 2\. Open: 2\. On the active key: 2\./);

    r = run("keys-rotate");
    expect(r.status).toBe(0);
    const second = keyFile().active;
    expect(second).not.toBe(first);
    expect(r.stdout).toContain(`Added key ${second}`);
    expect(r.stdout).toMatch(/Records: 2\. Re-wrapped: 2\. Already on .*: 0\./);
    expect(r.stdout).toContain(`Old keys no record uses any more: ${first}`);
    expect(fs.statSync(path.join(dataDir, "keys.json")).mode & 0o077).toBe(0);

    r = run("keys-rotate", ["--rewrap-only"]);
    expect(r.stdout).toMatch(/Re-wrapped: 0\. Already on .*: 2\./);
    expect(keyFile().keys).toHaveLength(2);

    r = run("keys-rotate", ["--rewrap-only", "--remove-old-keys"]);
    expect(r.stdout).toContain(`Removed old keys no record uses: ${first}`);
    expect(keyFile().keys.map((k) => k.kid)).toEqual([second]);
    expect(run("keys-check").status).toBe(0);
  });

  it("check exits 1 and names a record that does not open", async () => {
    const handle = connect({ dataDir });
    const row = await handle.db.selectFrom("credentials").select(["id", "sealed"]).orderBy("id").executeTakeFirstOrThrow();
    const rec = JSON.parse(row.sealed!);
    const tag = Buffer.from(rec.tag, "base64");
    tag[3] = tag[3]! ^ 0x40;
    await handle.db.updateTable("credentials").set({ sealed: JSON.stringify({ ...rec, tag: tag.toString("base64") }) }).where("id", "=", row.id).execute();
    await handle.close();
    const r = run("keys-check");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`FAILED ${row.id} .*tampered`));
    expect(r.stdout).toContain("1 record(s) cannot be opened.");
  });
});

describe("service-token:create", () => {
  it("creates (prints the token once), lists without tokens, revokes; refuses bad usage", () => {
    let r = run("service-token-create", ["--name", "sync platform"]);
    expect(r.status).toBe(0);
    const token = r.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^mxs_[A-Za-z0-9_-]{43}$/);
    const id = /\(id ([0-9a-z]{26}),/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();

    r = run("service-token-create", ["--list"]);
    expect(r.stdout).toContain(`${id}  active  scope=credentials:read  "sync platform"`);
    expect(occurrences(r.stdout, token)).toBe(0);

    r = run("service-token-create", ["--revoke", id!]);
    expect(r.status).toBe(0);
    expect(run("service-token-create", ["--list"]).stdout).toMatch(new RegExp(`${id}  revoked `));
    expect(run("service-token-create", ["--revoke", id!]).status).toBe(1);
    expect(run("service-token-create", []).status).toBe(1);
    expect(run("service-token-create", ["--name", "x", "--scope", "admin"]).stderr).toMatch(/Unknown scope admin/);
  });
});
