import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// config() reads the environment once, so point it at a temp data dir before anything loads it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-keys-"));
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = "silent";
delete process.env.CREDENTIAL_KEYS;
delete process.env.CREDENTIAL_KEY_FILE;
const { credentialKeyRing } = await import("./app-key-ring");
const { loadKeyRing } = await import("@/lib/crypto/load-key-ring");

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("credentialKeyRing()", () => {
  it("generates a 0600 key file on first use and returns the same ring after", () => {
    const ring = credentialKeyRing();
    const file = path.join(dataDir, "keys.json");
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(credentialKeyRing()).toBe(ring);
  });

  it("reloads when keys:rotate changes the key file under a running server", async () => {
    const before = credentialKeyRing();
    const other = loadKeyRing({ env: {}, dataDir }).ring; // what the keys:rotate process holds
    await new Promise((r) => setTimeout(r, 20)); // a distinct mtime
    const kid = other.addKey({ activate: true });
    const after = credentialKeyRing();
    expect(after).not.toBe(before);
    expect(after.activeKeyId).toBe(kid);
    expect(after.keyIds()).toEqual(expect.arrayContaining(before.keyIds()));
  });
});
