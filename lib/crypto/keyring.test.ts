import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { open, seal } from "./envelope";
import { KeyRing, KeyRingError, generateKeyId } from "./keyring";
import { loadKeyRing } from "./load-key-ring";

const keyA = Buffer.alloc(32, 0xa1);
const keyB = Buffer.alloc(32, 0xb2);
const b64A = keyA.toString("base64");
const b64B = keyB.toString("base64");
const ids = { onboardingId: "onb_1", credentialId: "cred_1" };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyring-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The ConfigError `fn` throws (fails the test if it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const fromEnv = (env: Record<string, string>) => loadKeyRing({ env, dataDir: dir });
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe("loadKeyRing from CREDENTIAL_KEYS", () => {
  it("loads kid:base64 entries; the first is active", () => {
    const { ring, generatedKeyFile, warnings } = fromEnv({ CREDENTIAL_KEYS: `new:${b64B}, old:${b64A}` });
    expect(ring.activeKeyId).toBe("new");
    expect(ring.keyIds()).toEqual(["new", "old"]);
    expect(ring.source).toEqual({ kind: "env", variable: "CREDENTIAL_KEYS" });
    expect(generatedKeyFile).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]); // no key file written
  });

  it("CREDENTIAL_ACTIVE_KEY_ID picks another entry", () => {
    const { ring } = fromEnv({ CREDENTIAL_KEYS: `a:${b64A},b:${b64B}`, CREDENTIAL_ACTIVE_KEY_ID: "b" });
    expect(ring.activeKeyId).toBe("b");
  });

  it("rejects bad base64 without echoing the value", () => {
    const bad = "not*base64!!";
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${bad}` }));
    expect(e.variable).toBe("CREDENTIAL_KEYS");
    expect(e.message).toMatch(/key "a" is not valid base64/);
    expect(e.message).not.toContain(bad);
  });

  it("rejects non-canonical base64", () => {
    const nonCanonical = `${b64A.slice(0, 42)}B=`; // the last char only sets unused bits
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${nonCanonical}` }));
    expect(e.message).toMatch(/canonical base64/);
  });

  it("rejects a key of the wrong length, naming the length", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${Buffer.alloc(16, 1).toString("base64")}` }));
    expect(e.variable).toBe("CREDENTIAL_KEYS");
    expect(e.message).toMatch(/key "a" is 16 bytes; it must be 32/);
  });

  it("rejects an entry without a kid", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: b64A }));
    expect(e.message).toMatch(/entry 1 must look like kid:base64key/);
    expect(e.message).not.toContain(b64A);
  });

  it("rejects an invalid kid", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${b64A},bad kid!:${b64B}` }));
    expect(e.message).toMatch(/entry 2 has an invalid key id/);
  });

  it("rejects a duplicate kid", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${b64A},a:${b64B}` }));
    expect(e.variable).toBe("CREDENTIAL_KEYS");
    expect(e.message).toMatch(/Key id "a" appears twice/);
  });

  it("rejects the same key under two kids", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${b64A},b:${b64A}` }));
    expect(e.message).toMatch(/"a" and "b" are the same key/);
    expect(e.message).not.toContain(b64A);
  });

  it("rejects an active kid that is not in the ring", () => {
    const e = configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${b64A}`, CREDENTIAL_ACTIVE_KEY_ID: "zzz" }));
    expect(e.variable).toBe("CREDENTIAL_ACTIVE_KEY_ID");
    expect(e.message).toMatch(/names key "zzz", which is not in CREDENTIAL_KEYS \(has: a\)/);
  });

  it("refuses two key sources, and CREDENTIAL_ACTIVE_KEY_ID without CREDENTIAL_KEYS", () => {
    expect(configError(() => fromEnv({ CREDENTIAL_KEYS: `a:${b64A}`, CREDENTIAL_KEY_FILE: "k.json" })).message).toMatch(
      /both set/,
    );
    expect(configError(() => fromEnv({ CREDENTIAL_ACTIVE_KEY_ID: "a" })).variable).toBe("CREDENTIAL_ACTIVE_KEY_ID");
  });

  it("is read-only: rotation happens by changing the variable", () => {
    const { ring } = fromEnv({ CREDENTIAL_KEYS: `a:${b64A},b:${b64B}` });
    for (const change of [() => ring.addKey(), () => ring.setActive("b"), () => ring.removeKey("b")]) {
      expect(change).toThrow(expect.objectContaining({ name: "KeyRingError", code: "read_only" }));
    }
    expect(ring.activeKeyId).toBe("a");
  });

  it("never shows key bytes when printed or serialised", () => {
    const { ring } = fromEnv({ CREDENTIAL_KEYS: `a:${b64A},b:${b64B}` });
    const shown = [inspect(ring, { depth: 10, showHidden: true }), JSON.stringify(ring), String(ring)].join("\n");
    for (const secret of [b64A, b64B, keyA.toString("hex"), keyB.toString("hex")]) {
      expect(shown.includes(secret)).toBe(false);
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ source: ring.source, activeKeyId: "a", keyIds: ["a", "b"] });
  });
});

describe("loadKeyRing from a key file", () => {
  it("generates a key file on first load (mode 0600) and reloads it identically", () => {
    const dataDir = path.join(dir, "data", "nested"); // does not exist yet
    const first = loadKeyRing({ env: {}, dataDir });
    const file = path.join(dataDir, "keys.json");
    expect(first.generatedKeyFile).toBe(file);
    expect(first.warnings).toEqual([]);
    expect(first.ring.source).toEqual({ kind: "file", path: file });
    expect(first.ring.activeKeyId).toMatch(/^k-\d{8}-[0-9a-f]{8}$/);
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(["keys.json"]); // no temp files left behind

    const stored = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(stored).toMatchObject({ version: 1, active: first.ring.activeKeyId, keys: [{ kid: first.ring.activeKeyId }] });
    expect(Buffer.from(stored.keys[0].key, "base64")).toHaveLength(32);

    const second = loadKeyRing({ env: {}, dataDir });
    expect(second.generatedKeyFile).toBeUndefined();
    expect(second.ring.keyIds()).toEqual(first.ring.keyIds());
    // Same key material: what one seals, the other opens.
    const sealed = seal("same key?", ids, first.ring);
    expect(open(sealed, ids, second.ring).toString()).toBe("same key?");
    expect(fs.readFileSync(file, "utf8")).toBe(JSON.stringify(stored, null, 2) + "\n");
  });

  it("generates exactly one key when several server processes start at once", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const script = `import { loadKeyRing } from ${JSON.stringify(path.resolve("lib/crypto/load-key-ring.ts"))};
      const r = loadKeyRing({ env: {}, dataDir: ${JSON.stringify(dir)} });
      console.log(JSON.stringify({ kid: r.ring.activeKeyId, generated: Boolean(r.generatedKeyFile) }));`;
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => promisify(execFile)(tsx, ["--conditions=react-server", "-e", script])),
    );
    const results = runs.map((r) => JSON.parse(r.stdout) as { kid: string; generated: boolean });
    expect(new Set(results.map((r) => r.kid)).size).toBe(1);
    expect(results.filter((r) => r.generated)).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual(["keys.json"]);
  });

  it("uses CREDENTIAL_KEY_FILE when set", () => {
    const file = path.join(dir, "elsewhere", "ring.json");
    const { ring, generatedKeyFile } = loadKeyRing({ env: { CREDENTIAL_KEY_FILE: file }, dataDir: path.join(dir, "data") });
    expect(generatedKeyFile).toBe(file);
    expect(ring.source).toEqual({ kind: "file", path: file });
    expect(fs.existsSync(path.join(dir, "data", "keys.json"))).toBe(false);
  });

  it("warns when the key file is readable by others", () => {
    loadKeyRing({ env: {}, dataDir: dir });
    fs.chmodSync(path.join(dir, "keys.json"), 0o644);
    const { warnings } = loadKeyRing({ env: {}, dataDir: dir });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/readable by other users \(mode 644\); run chmod 600/);
  });

  it.each([
    ["not JSON", "{oops", /is not valid JSON/],
    ["wrong version", JSON.stringify({ version: 2, active: "a", keys: [{ kid: "a", key: b64A }] }), /"version": 1/],
    ["no keys", JSON.stringify({ version: 1, active: "a", keys: [] }), /at least one key/],
    ["bad kid", JSON.stringify({ version: 1, active: "a", keys: [{ kid: "a b", key: b64A }] }), /invalid "kid" in key 1/],
    ["short key", JSON.stringify({ version: 1, active: "a", keys: [{ kid: "a", key: "AAAA" }] }), /key "a" in .* is 3 bytes/],
    ["bad base64", JSON.stringify({ version: 1, active: "a", keys: [{ kid: "a", key: "%%%%" }] }), /not valid base64/],
    ["missing active", JSON.stringify({ version: 1, active: "b", keys: [{ kid: "a", key: b64A }] }), /active key "b"/],
    [
      "duplicate kid",
      JSON.stringify({ version: 1, active: "a", keys: [{ kid: "a", key: b64A }, { kid: "a", key: b64B }] }),
      /"a" appears twice/,
    ],
  ])("rejects a key file with %s, naming CREDENTIAL_KEY_FILE and the path", (_, content, message) => {
    const file = path.join(dir, "keys.json");
    fs.writeFileSync(file, content, { mode: 0o600 });
    const e = configError(() => loadKeyRing({ env: {}, dataDir: dir }));
    expect(e.variable).toBe("CREDENTIAL_KEY_FILE");
    expect(e.message).toMatch(message);
    expect(e.message).toContain(file);
    expect(e.message).not.toContain(b64A);
    expect(fs.readFileSync(file, "utf8")).toBe(content); // a bad file is never overwritten
  });

  it("persists addKey / setActive / removeKey atomically with mode 0600", () => {
    const { ring } = loadKeyRing({ env: {}, dataDir: dir });
    const file = path.join(dir, "keys.json");
    const original = ring.activeKeyId;

    const added = ring.addKey({ activate: true });
    expect(ring.activeKeyId).toBe(added);
    let reloaded = loadKeyRing({ env: {}, dataDir: dir }).ring;
    expect(reloaded.activeKeyId).toBe(added);
    expect(reloaded.keyIds()).toEqual([added, original]);
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["keys.json"]);

    ring.setActive(original);
    expect(loadKeyRing({ env: {}, dataDir: dir }).ring.activeKeyId).toBe(original);

    expect(() => ring.removeKey(original)).toThrow(expect.objectContaining({ code: "active_key" }));
    ring.removeKey(added);
    reloaded = loadKeyRing({ env: {}, dataDir: dir }).ring;
    expect(reloaded.keyIds()).toEqual([original]);
  });

  it("keeps memory and disk in step when the key file cannot be written", () => {
    const { ring } = loadKeyRing({ env: {}, dataDir: dir });
    const before = ring.keyIds();
    const file = path.join(dir, "keys.json");
    // Put a non-empty directory where the key file was, so the final rename fails (even as root).
    fs.rmSync(file);
    fs.mkdirSync(path.join(file, "blocker"), { recursive: true });
    expect(() => ring.addKey({ activate: true })).toThrow();
    expect(ring.keyIds()).toEqual(before);
    expect(ring.activeKeyId).toBe(before[0]);
    expect(() => ring.setActive(before[0]!)).toThrow();
    expect(fs.readdirSync(dir)).toEqual(["keys.json"]); // the temp file was cleaned up
  });
});

describe("KeyRing operations", () => {
  const memoryRing = () => new KeyRing([{ kid: "a", key: keyA }, { kid: "b", key: keyB }], "a");

  it("names the kid it does not know", () => {
    const ring = memoryRing();
    expect(() => ring.setActive("nope")).toThrow(/Key id "nope" is not in the key ring \(known: a, b\)/);
    expect(() => ring.removeKey("nope")).toThrow(KeyRingError);
  });

  it("refuses an invalid or duplicate key on addKey", () => {
    const ring = memoryRing();
    expect(() => ring.addKey({ kid: "a" })).toThrow(expect.objectContaining({ code: "duplicate_key" }));
    expect(() => ring.addKey({ key: Buffer.alloc(31) })).toThrow(expect.objectContaining({ code: "invalid_key" }));
    expect(() => ring.addKey({ kid: "-x" })).toThrow(expect.objectContaining({ code: "invalid_key" }));
    expect(() => ring.addKey({ key: keyB })).toThrow(expect.objectContaining({ code: "duplicate_key" }));
    expect(ring.keyIds()).toEqual(["a", "b"]);
  });

  it("refuses an empty ring or a missing active kid", () => {
    expect(() => new KeyRing([], "a")).toThrow(KeyRingError);
    expect(() => new KeyRing([{ kid: "a", key: keyA }], "b")).toThrow(/active key id "b"/);
  });

  it("does not keep a reference to the caller's key buffer", () => {
    const key = Buffer.alloc(32, 7);
    const ring = new KeyRing([{ kid: "a", key }], "a");
    const sealed = seal("x", ids, ring);
    key.fill(0);
    expect(open(sealed, ids, ring).toString()).toBe("x");
  });

  it("generates distinct, well-formed key ids", () => {
    const kids = new Set(Array.from({ length: 200 }, () => generateKeyId(new Date("2026-08-20T00:00:00Z"))));
    expect(kids.size).toBe(200);
    for (const kid of kids) expect(kid).toMatch(/^k-20260820-[0-9a-f]{8}$/);
  });
});
