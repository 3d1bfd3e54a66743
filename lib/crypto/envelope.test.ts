import { createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CredentialDecryptError,
  CredentialSealError,
  MAX_PLAINTEXT_BYTES,
  needsRewrap,
  open,
  parseSealedRecord,
  rewrap,
  seal,
  serializeSealedRecord,
  verifyRecord,
  type SealedRecord,
} from "./envelope";
import { KeyRing } from "./keyring";
import { loadKeyRing } from "./load-key-ring";

// A made-up secret. Assertions compare it as booleans so that a failure never prints it.
const PASSWORD = `Tr0ub4dor&3 ⚡ ${randomBytes(6).toString("hex")}`;
const ids = { onboardingId: "onb_7f3a", credentialId: "cred_01" };
const kek1 = randomBytes(32);
const kek2 = randomBytes(32);
const ringWith = (...kids: ("k1" | "k2")[]) =>
  new KeyRing(
    kids.map((kid) => ({ kid, key: Buffer.from(kid === "k1" ? kek1 : kek2) })),
    kids[0]!,
  );

/** The CredentialDecryptError `fn` throws (fails the test if it throws nothing or something else). */
function decryptError(fn: () => unknown): CredentialDecryptError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialDecryptError);
    const e = error as CredentialDecryptError;
    expect(e.message.includes(PASSWORD)).toBe(false);
    return e;
  }
  throw new Error("expected a CredentialDecryptError");
}

/** Flips one bit in the decoded bytes of a base64 field. */
function flip(base64: string, byteIndex = 0): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[byteIndex] = bytes[byteIndex]! ^ 0x01;
  return bytes.toString("base64");
}

describe("seal / open", () => {
  it("round-trips strings and buffers, and the record's JSON text", () => {
    const ring = ringWith("k1");
    const record = seal(PASSWORD, ids, ring);
    expect(open(record, ids, ring).toString("utf8") === PASSWORD).toBe(true);
    expect(open(serializeSealedRecord(record), ids, ring).toString("utf8") === PASSWORD).toBe(true);
    expect(open(JSON.parse(JSON.stringify(record)), ids, ring).toString("utf8") === PASSWORD).toBe(true);

    const binary = randomBytes(300);
    expect(open(seal(binary, ids, ring), ids, ring).equals(binary)).toBe(true);
    expect(open(seal("", ids, ring), ids, ring)).toHaveLength(0);
  });

  it("produces the documented record shape", () => {
    const record = seal(PASSWORD, ids, ringWith("k1"));
    expect(Object.keys(record).sort()).toEqual(["alg", "ct", "iv", "kid", "tag", "v", "wrappedDek"]);
    expect(record).toMatchObject({ v: 1, alg: "A256GCM", kid: "k1" });
    expect(Buffer.from(record.iv, "base64")).toHaveLength(12);
    expect(Buffer.from(record.tag, "base64")).toHaveLength(16);
    expect(Buffer.from(record.wrappedDek, "base64")).toHaveLength(60);
    expect(Buffer.from(record.ct, "base64")).toHaveLength(Buffer.byteLength(PASSWORD));
    expect(JSON.parse(serializeSealedRecord(record))).toEqual(record);
  });

  it("follows the documented format (decrypts with plain node:crypto, independent of envelope.ts)", () => {
    const record = seal(PASSWORD, ids, ringWith("k1"));
    const wrapped = Buffer.from(record.wrappedDek, "base64");
    const unwrap = createDecipheriv("aes-256-gcm", kek1, wrapped.subarray(0, 12));
    unwrap.setAAD(Buffer.from(JSON.stringify(["moxi-credential/v1", "A256GCM", "data-key", "k1", ids.onboardingId, ids.credentialId])));
    unwrap.setAuthTag(wrapped.subarray(44));
    const dek = Buffer.concat([unwrap.update(wrapped.subarray(12, 44)), unwrap.final()]);
    const payload = createDecipheriv("aes-256-gcm", dek, Buffer.from(record.iv, "base64"));
    payload.setAAD(Buffer.from(JSON.stringify(["moxi-credential/v1", "A256GCM", "payload", ids.onboardingId, ids.credentialId])));
    payload.setAuthTag(Buffer.from(record.tag, "base64"));
    const plaintext = Buffer.concat([payload.update(Buffer.from(record.ct, "base64")), payload.final()]);
    expect(plaintext.toString("utf8") === PASSWORD).toBe(true);
  });

  it("never puts the plaintext in the record, in any common encoding", () => {
    const ring = ringWith("k1");
    const text = serializeSealedRecord(seal(PASSWORD, ids, ring));
    const forms = [
      PASSWORD,
      Buffer.from(PASSWORD).toString("base64"),
      Buffer.from(PASSWORD).toString("base64url"),
      Buffer.from(PASSWORD).toString("hex"),
      encodeURIComponent(PASSWORD),
      JSON.stringify({ password: PASSWORD }),
      PASSWORD.slice(0, 8),
    ];
    for (const form of forms) expect(text.includes(form)).toBe(false);
  });

  it("uses a fresh IV and data key for every record", () => {
    const ring = ringWith("k1");
    const count = 500;
    const ivs = new Set<string>();
    const wrapIvs = new Set<string>();
    const deks = new Set<string>();
    const cts = new Set<string>();
    for (let i = 0; i < count; i++) {
      const record = seal(PASSWORD, ids, ring);
      ivs.add(record.iv);
      cts.add(record.ct);
      const wrapped = Buffer.from(record.wrappedDek, "base64");
      wrapIvs.add(wrapped.subarray(0, 12).toString("hex"));
      const unwrap = createDecipheriv("aes-256-gcm", kek1, wrapped.subarray(0, 12));
      unwrap.setAAD(Buffer.from(JSON.stringify(["moxi-credential/v1", "A256GCM", "data-key", "k1", ids.onboardingId, ids.credentialId])));
      unwrap.setAuthTag(wrapped.subarray(44));
      deks.add(Buffer.concat([unwrap.update(wrapped.subarray(12, 44)), unwrap.final()]).toString("hex"));
    }
    expect([ivs.size, wrapIvs.size, deks.size, cts.size]).toEqual([count, count, count, count]);
  });

  it("refuses bad input to seal", () => {
    const ring = ringWith("k1");
    expect(() => seal("x", { onboardingId: "", credentialId: "c" }, ring)).toThrow(CredentialSealError);
    expect(() => seal("x", { onboardingId: "o", credentialId: "c".repeat(201) }, ring)).toThrow(/credentialId/);
    expect(() => seal("x", {} as never, ring)).toThrow(expect.objectContaining({ code: "invalid_ids" }));
    expect(() => seal(Buffer.alloc(MAX_PLAINTEXT_BYTES + 1), ids, ring)).toThrow(
      expect.objectContaining({ code: "invalid_plaintext" }),
    );
    expect(() => seal(42 as never, ids, ring)).toThrow(expect.objectContaining({ code: "invalid_plaintext" }));
  });
});

describe("tampering fails loudly", () => {
  const ring = ringWith("k1", "k2");
  const record = seal(PASSWORD, ids, ring);

  it.each([
    ["ct (first byte)", { ct: flip(record.ct, 0) }, "payload"],
    ["ct (last byte)", { ct: flip(record.ct, Buffer.byteLength(PASSWORD) - 1) }, "payload"],
    ["ct (truncated)", { ct: Buffer.from(record.ct, "base64").subarray(1).toString("base64") }, "payload"],
    ["iv", { iv: flip(record.iv, 5) }, "payload"],
    ["tag", { tag: flip(record.tag, 15) }, "payload"],
    ["wrappedDek: its iv", { wrappedDek: flip(record.wrappedDek, 0) }, "data key"],
    ["wrappedDek: the key", { wrappedDek: flip(record.wrappedDek, 20) }, "data key"],
    ["wrappedDek: its tag", { wrappedDek: flip(record.wrappedDek, 59) }, "data key"],
    ["kid swapped to another ring key", { kid: "k2" }, "data key"],
  ])("%s", (_, change, part) => {
    const e = decryptError(() => open({ ...record, ...change }, ids, ring));
    expect(e.code).toBe("tampered");
    expect(e.message).toContain(`(${part})`);
  });

  it("a record opened under another onboarding or credential id (AAD)", () => {
    for (const other of [
      { ...ids, onboardingId: "onb_other" },
      { ...ids, credentialId: "cred_02" },
      { onboardingId: ids.credentialId, credentialId: ids.onboardingId },
    ]) {
      expect(decryptError(() => open(record, other, ring)).code).toBe("tampered");
    }
  });

  it("a wrapped key moved from another record with the same ids", () => {
    const other = seal(PASSWORD, ids, ring);
    const e = decryptError(() => open({ ...record, wrappedDek: other.wrappedDek }, ids, ring));
    expect([e.code, e.message.includes("(payload)")]).toEqual(["tampered", true]);
  });

  it("a base64 string edited in place", () => {
    for (const field of ["ct", "iv", "tag", "wrappedDek"] as const) {
      const value = record[field];
      const edited = value.slice(0, 2) + (value[2] === "A" ? "B" : "A") + value.slice(3);
      expect(["tampered", "malformed"]).toContain(decryptError(() => open({ ...record, [field]: edited }, ids, ring)).code);
    }
  });

  it.each<[string, unknown]>([
    ["not JSON", "{not json"],
    ["an array", "[]"],
    ["null", null],
    ["an unknown version", { ...record, v: 2 }],
    ["another algorithm", { ...record, alg: "A128GCM" }],
    ["an extra field", { ...record, aad: "x" }],
    ["a missing field", { ...record, tag: undefined }],
    ["an iv of 16 bytes", { ...record, iv: randomBytes(16).toString("base64") }],
    ["a short tag", { ...record, tag: randomBytes(12).toString("base64") }],
    ["a short wrapped key", { ...record, wrappedDek: randomBytes(59).toString("base64") }],
    ["non-base64 ct", { ...record, ct: "****" }],
    ["an invalid kid", { ...record, kid: "../k1" }],
  ])("a malformed record: %s", (_, value) => {
    expect(decryptError(() => open(value as SealedRecord, ids, ring)).code).toBe("malformed");
  });

  it("a non-canonical base64 spelling that would decode to the same bytes", () => {
    // 16 bytes → 22 chars + "==": the last char carries 4 unused bits.
    const tag = record.tag;
    const last = tag[21]!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const sameBytes = alphabet[alphabet.indexOf(last) ^ 0x01]!;
    const edited = `${tag.slice(0, 21)}${sameBytes}==`;
    expect(Buffer.from(edited, "base64").equals(Buffer.from(tag, "base64"))).toBe(true);
    expect(decryptError(() => open({ ...record, tag: edited }, ids, ring)).code).toBe("malformed");
  });

  it("bad ids on open", () => {
    expect(decryptError(() => open(record, { onboardingId: "", credentialId: "c" }, ring)).code).toBe("malformed");
  });
});

describe("missing key id", () => {
  it("names the kid and the kids the ring has", () => {
    const record = seal(PASSWORD, ids, ringWith("k2"));
    const e = decryptError(() => open(record, ids, ringWith("k1")));
    expect(e.code).toBe("unknown_key");
    expect(e.kid).toBe("k2");
    expect(e.message).toMatch(/sealed with key "k2", which is not in the key ring \(has: k1\)/);
    expect(decryptError(() => open({ ...record, kid: "gone-2025" }, ids, ringWith("k1", "k2"))).message).toContain('"gone-2025"');
  });
});

describe("rotation", () => {
  it("old records open after a new active key is added; rewrap moves them; the old key can then go", () => {
    const ring = ringWith("k1");
    const old = seal(PASSWORD, ids, ring);
    expect(needsRewrap(old, ring)).toBe(false);

    ring.addKey({ kid: "k2", key: Buffer.from(kek2), activate: true });
    expect(ring.activeKeyId).toBe("k2");
    expect(open(old, ids, ring).toString("utf8") === PASSWORD).toBe(true);
    expect(seal("new", ids, ring).kid).toBe("k2");
    expect(needsRewrap(old, ring)).toBe(true);

    const result = rewrap(old, ids, ring);
    expect(result).toMatchObject({ status: "rewrapped", fromKid: "k1", toKid: "k2" });
    const moved = result.record;
    expect(moved.kid).toBe("k2");
    expect([moved.ct, moved.iv, moved.tag]).toEqual([old.ct, old.iv, old.tag]); // payload untouched
    expect(moved.wrappedDek).not.toBe(old.wrappedDek);
    expect(needsRewrap(moved, ring)).toBe(false);

    // Safe to re-run: a record already under the active key is a reported no-op.
    const again = rewrap(moved, ids, ring);
    expect(again).toMatchObject({ status: "already_current", fromKid: "k2", toKid: "k2" });
    expect(again.record).toEqual(moved);

    ring.removeKey("k1");
    expect(open(moved, ids, ring).toString("utf8") === PASSWORD).toBe(true);
    expect(decryptError(() => open(old, ids, ring)).code).toBe("unknown_key");
  });

  it("works end to end through the key file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envelope-"));
    try {
      const start = loadKeyRing({ env: {}, dataDir: dir }).ring;
      const firstKid = start.activeKeyId;
      const stored = serializeSealedRecord(seal(PASSWORD, ids, start));

      start.addKey({ activate: true });
      const afterRotate = loadKeyRing({ env: {}, dataDir: dir }).ring; // e.g. a separate keys:rotate process
      expect(needsRewrap(stored, afterRotate)).toBe(true);
      const rewrapped = serializeSealedRecord(rewrap(stored, ids, afterRotate).record);
      afterRotate.removeKey(firstKid);

      const later = loadKeyRing({ env: {}, dataDir: dir }).ring;
      expect(later.keyIds()).toEqual([afterRotate.activeKeyId]);
      expect(open(rewrapped, ids, later).toString("utf8") === PASSWORD).toBe(true);
      expect(decryptError(() => open(stored, ids, later)).code).toBe("unknown_key");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rewrap authenticates the wrapped key and the ids, and names a missing kid", () => {
    const ring = ringWith("k2", "k1");
    const old = seal(PASSWORD, ids, ringWith("k1"));
    expect(decryptError(() => rewrap(old, { ...ids, credentialId: "cred_02" }, ring)).code).toBe("tampered");
    expect(decryptError(() => rewrap({ ...old, wrappedDek: flip(old.wrappedDek, 30) }, ids, ring)).code).toBe("tampered");
    expect(decryptError(() => rewrap({ ...old, kid: "k0" }, ids, ring)).message).toContain('"k0"');
    // Even an already-current record is checked before it is reported current.
    const current = seal(PASSWORD, ids, ring);
    expect(decryptError(() => rewrap(current, { ...ids, onboardingId: "x" }, ring)).code).toBe("tampered");
  });

  it("rewrap never decrypts the payload; verifyRecord (keys:check) does", () => {
    const ring = ringWith("k2", "k1");
    const old = seal(PASSWORD, ids, ringWith("k1"));
    const damaged = { ...old, ct: flip(old.ct) };
    const result = rewrap(damaged, ids, ring);
    expect(result.status).toBe("rewrapped"); // ct is copied, not read
    expect(verifyRecord(result.record, ids, ring)).toMatchObject({ ok: false, error: { code: "tampered" } });
  });

  it("verifyRecord reports instead of throwing", () => {
    const ring = ringWith("k2", "k1");
    const old = seal(PASSWORD, ids, ringWith("k1"));
    expect(verifyRecord(old, ids, ring)).toEqual({ ok: true, kid: "k1", current: false });
    expect(verifyRecord(seal("x", ids, ring), ids, ring)).toEqual({ ok: true, kid: "k2", current: true });
    const bad = verifyRecord({ ...old, tag: flip(old.tag) }, ids, ring);
    expect(bad).toMatchObject({ ok: false, kid: "k1", error: { code: "tampered" } });
    expect(verifyRecord("garbage", ids, ring)).toMatchObject({ ok: false, kid: undefined, error: { code: "malformed" } });
    expect(verifyRecord({ ...old, kid: "k9" }, ids, ring)).toMatchObject({ ok: false, kid: "k9", error: { code: "unknown_key" } });
  });

  it("needsRewrap rejects a malformed record", () => {
    expect(() => needsRewrap("{}", ringWith("k1"))).toThrow(CredentialDecryptError);
  });
});

describe("the record format", () => {
  it("parseSealedRecord accepts exactly what serializeSealedRecord writes", () => {
    const record = seal(PASSWORD, ids, ringWith("k1"));
    expect(parseSealedRecord(serializeSealedRecord(record))).toEqual(record);
  });
});
