import "server-only";
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from "node:crypto";
import { generateKey, type KeyRing } from "./keyring";
import { KID_PATTERN } from "./key-file";

/**
 * Envelope encryption of stored credentials (the pattern of Vault Transit, AWS KMS data keys, age).
 *
 * FORMAT — one JSON object per credential, stored in a text column:
 *   { v: 1, alg: "A256GCM", kid, iv, tag, ct, wrappedDek }          (binary fields are standard base64)
 *   - A fresh random 256-bit data key (DEK) and a fresh 96-bit `iv` per record encrypt the payload with
 *     AES-256-GCM → `ct` + 128-bit `tag`. Payload AAD = JSON ["moxi-credential/v1","A256GCM","payload",
 *     onboardingId, credentialId].
 *   - The DEK is wrapped with the key-ring key `kid` (AES-256-GCM, its own random 96-bit IV):
 *     `wrappedDek` = iv(12) | ct(32) | tag(16). Wrap AAD = JSON ["moxi-credential/v1","A256GCM","data-key",
 *     kid, onboardingId, credentialId], so a record cannot be moved to another row or relabelled with another kid.
 *   - The plaintext DEK is zeroed as soon as it has been used.
 *   - Rotation (`rewrap`) unwraps the DEK and wraps it again under the active key; `iv`/`tag`/`ct` are untouched
 *     and the payload is never decrypted. Old keys stay in the ring, decrypt-only, until `needsRewrap` is false
 *     for every record; then they can be removed.
 *
 * THREAT MODEL
 *   Protects against: a leaked database, dump or backup (no key material is in it); reading or editing rows via
 *   SQL injection or a rogue DB admin — any change to ct/iv/tag/wrappedDek/kid, or pasting one row's record into
 *   another onboarding or credential row, fails authentication and raises `CredentialDecryptError`; it never
 *   yields garbage. Key rotation without exposing plaintext to the rotation job's output.
 *   Does not protect against: an attacker who has both the database and the keys (CREDENTIAL_KEYS / the key
 *   file) — keep keys out of the database and its backups, and back them up separately; code running inside
 *   the server process (the password exists in memory while sealing or probing; JS strings cannot be wiped);
 *   replay of an older, genuine record for the same ids (the db layer's superseding rules handle that).
 *   Random 96-bit IVs per key are safe far beyond this app's volume (NIST limit: 2^32 encryptions per key).
 */

const ALG = "A256GCM" as const;
const CIPHER = "aes-256-gcm";
const AAD_LABEL = "moxi-credential/v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEK_BYTES = 32;
const WRAPPED_DEK_BYTES = IV_BYTES + DEK_BYTES + TAG_BYTES;
/** Far above any credential payload; stops a bad caller or a forged row from costing much. */
export const MAX_PLAINTEXT_BYTES = 64 * 1024;
const MAX_ID_LENGTH = 200;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type SealedRecord = {
  v: 1;
  alg: typeof ALG;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
  wrappedDek: string;
};

/** The identity the record is bound to (via AAD): opening it under any other ids fails. */
export type RecordIds = { onboardingId: string; credentialId: string };

export type CredentialDecryptErrorCode = "tampered" | "unknown_key" | "malformed";

/** A sealed record that cannot be opened. Never carries plaintext or key bytes. */
export class CredentialDecryptError extends Error {
  constructor(
    readonly code: CredentialDecryptErrorCode,
    message: string,
    readonly kid?: string,
  ) {
    super(message);
    this.name = "CredentialDecryptError";
  }
}

/** Bad input to `seal` (a programming error upstream, not a user-facing message). */
export class CredentialSealError extends Error {
  constructor(
    readonly code: "invalid_ids" | "invalid_plaintext",
    message: string,
  ) {
    super(message);
    this.name = "CredentialSealError";
  }
}

export function seal(plaintext: Buffer | string, ids: RecordIds, ring: KeyRing): SealedRecord {
  const idProblem = checkIds(ids);
  if (idProblem) throw new CredentialSealError("invalid_ids", idProblem);
  const ownBytes = typeof plaintext === "string";
  const bytes = ownBytes ? utf8(plaintext) : plaintext;
  const dek = generateKey();
  try {
    if (!Buffer.isBuffer(bytes)) throw new CredentialSealError("invalid_plaintext", "The plaintext must be a Buffer or a string.");
    if (bytes.length > MAX_PLAINTEXT_BYTES) {
      throw new CredentialSealError("invalid_plaintext", `The plaintext is larger than ${MAX_PLAINTEXT_BYTES} bytes.`);
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, dek, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(payloadAad(ids));
    const ct = Buffer.concat([cipher.update(bytes), cipher.final()]);
    const tag = cipher.getAuthTag();
    const kid = ring.activeKeyId;
    const wrappedDek = wrapDek(dek, kid, activeKek(ring), ids);
    return { v: 1, alg: ALG, kid, iv: b64(iv), tag: b64(tag), ct: b64(ct), wrappedDek: b64(wrappedDek) };
  } finally {
    dek.fill(0);
    if (ownBytes) bytes.fill(0);
  }
}

/** Decrypts a record (object or its JSON text). The caller should `fill(0)` the result when done with it. */
export function open(record: SealedRecord | string, ids: RecordIds, ring: KeyRing): Buffer {
  const r = parseSealedRecord(record);
  assertIdsForOpen(ids);
  const dek = unwrapDek(r, ids, ring);
  try {
    const decipher = createDecipheriv(CIPHER, dek, fromB64(r.iv), { authTagLength: TAG_BYTES });
    decipher.setAAD(payloadAad(ids));
    decipher.setAuthTag(fromB64(r.tag));
    const out = decipher.update(fromB64(r.ct));
    try {
      decipher.final();
    } catch {
      out.fill(0);
      throw tampered(r.kid, "payload");
    }
    return out;
  } finally {
    dek.fill(0);
  }
}

export type RewrapResult =
  | { status: "rewrapped"; record: SealedRecord; fromKid: string; toKid: string }
  | { status: "already_current"; record: SealedRecord; fromKid: string; toKid: string };

/**
 * Re-wraps the record's data key under the ring's active key; the payload ciphertext is copied unchanged and
 * never decrypted. A record already under the active key comes back as is with status "already_current"
 * (its wrapped key is still authenticated), so a rotation job can simply be run again.
 */
export function rewrap(record: SealedRecord | string, ids: RecordIds, ring: KeyRing): RewrapResult {
  const r = parseSealedRecord(record);
  assertIdsForOpen(ids);
  const toKid = ring.activeKeyId;
  const dek = unwrapDek(r, ids, ring);
  try {
    if (r.kid === toKid) return { status: "already_current", record: r, fromKid: r.kid, toKid };
    const wrappedDek = wrapDek(dek, toKid, activeKek(ring), ids);
    return { status: "rewrapped", record: { ...r, kid: toKid, wrappedDek: b64(wrappedDek) }, fromKid: r.kid, toKid };
  } finally {
    dek.fill(0);
  }
}

/** Whether the record is wrapped under a key other than the active one (throws `malformed` on a bad record). */
export function needsRewrap(record: SealedRecord | string, ring: KeyRing): boolean {
  return parseSealedRecord(record).kid !== ring.activeKeyId;
}

export type VerifyResult =
  | { ok: true; kid: string; current: boolean }
  | { ok: false; kid: string | undefined; error: CredentialDecryptError };

/** For `keys:check`: fully decrypts the record (then wipes the result) and reports instead of throwing. */
export function verifyRecord(record: SealedRecord | string, ids: RecordIds, ring: KeyRing): VerifyResult {
  try {
    const plaintext = open(record, ids, ring);
    plaintext.fill(0);
    const kid = parseSealedRecord(record).kid;
    return { ok: true, kid, current: kid === ring.activeKeyId };
  } catch (error) {
    if (!(error instanceof CredentialDecryptError)) throw error;
    let kid: string | undefined;
    try {
      kid = parseSealedRecord(record).kid;
    } catch {
      kid = undefined;
    }
    return { ok: false, kid, error };
  }
}

/** Validates a stored value (JSON text or object) as a v1 record; throws `malformed` otherwise. */
export function parseSealedRecord(value: unknown): SealedRecord {
  let data = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      throw malformed("it is not valid JSON");
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw malformed("it is not an object");
  const o = data as Record<string, unknown>;
  const allowed = ["v", "alg", "kid", "iv", "tag", "ct", "wrappedDek"];
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw malformed(`it has unexpected fields (${extra.slice(0, 5).join(", ")})`);
  if (o.v !== 1) throw malformed(`its version ${JSON.stringify(o.v)?.slice(0, 20)} is not supported (expected 1)`);
  if (o.alg !== ALG) throw malformed(`its algorithm is not ${ALG}`);
  if (typeof o.kid !== "string" || !KID_PATTERN.test(o.kid)) throw malformed("its key id is missing or invalid");
  checkB64(o.iv, "iv", IV_BYTES);
  checkB64(o.tag, "tag", TAG_BYTES);
  checkB64(o.wrappedDek, "wrappedDek", WRAPPED_DEK_BYTES);
  checkB64(o.ct, "ct");
  if (fromB64(o.ct as string).length > MAX_PLAINTEXT_BYTES) throw malformed("its ciphertext is too large");
  return { v: 1, alg: ALG, kid: o.kid, iv: o.iv as string, tag: o.tag as string, ct: o.ct as string, wrappedDek: o.wrappedDek as string };
}

/** The text to store: the record as JSON with a fixed field order. */
export function serializeSealedRecord(record: SealedRecord): string {
  const r = parseSealedRecord(record);
  return JSON.stringify({ v: r.v, alg: r.alg, kid: r.kid, iv: r.iv, tag: r.tag, ct: r.ct, wrappedDek: r.wrappedDek });
}

// ---- internals

function wrapDek(dek: Buffer, kid: string, kek: KeyObject, ids: RecordIds): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(dekAad(kid, ids));
  const ct = Buffer.concat([cipher.update(dek), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

function unwrapDek(r: SealedRecord, ids: RecordIds, ring: KeyRing): Buffer {
  const kek = ring.keyObject(r.kid);
  if (!kek) {
    throw new CredentialDecryptError(
      "unknown_key",
      `The credential was sealed with key "${r.kid}", which is not in the key ring (has: ${ring.keyIds().join(", ")}). ` +
        "Add that key back to CREDENTIAL_KEYS or the key file to open it.",
      r.kid,
    );
  }
  const wrapped = fromB64(r.wrappedDek);
  const decipher = createDecipheriv(CIPHER, kek, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(dekAad(r.kid, ids));
  decipher.setAuthTag(wrapped.subarray(IV_BYTES + DEK_BYTES));
  const dek = decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + DEK_BYTES));
  try {
    decipher.final();
  } catch {
    dek.fill(0);
    throw tampered(r.kid, "data key");
  }
  return dek;
}

function activeKek(ring: KeyRing): KeyObject {
  const kek = ring.keyObject(ring.activeKeyId);
  if (!kek) throw new Error(`The key ring has no key for its active id "${ring.activeKeyId}".`); // a KeyRing invariant
  return kek;
}

function payloadAad(ids: RecordIds): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, ALG, "payload", ids.onboardingId, ids.credentialId]), "utf8");
}

function dekAad(kid: string, ids: RecordIds): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, ALG, "data-key", kid, ids.onboardingId, ids.credentialId]), "utf8");
}

function checkIds(ids: RecordIds): string | undefined {
  for (const name of ["onboardingId", "credentialId"] as const) {
    const value = (ids as Partial<RecordIds> | undefined)?.[name];
    if (typeof value !== "string" || value.length === 0 || value.length > MAX_ID_LENGTH) {
      return `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`;
    }
  }
  return undefined;
}

function assertIdsForOpen(ids: RecordIds): void {
  const problem = checkIds(ids);
  if (problem) throw new CredentialDecryptError("malformed", `Cannot open a credential record: ${problem}`);
}

function tampered(kid: string, part: "payload" | "data key"): CredentialDecryptError {
  return new CredentialDecryptError(
    "tampered",
    `The credential record failed authentication (${part}): it was altered, or it belongs to another onboarding or credential.`,
    kid,
  );
}

function malformed(why: string): CredentialDecryptError {
  return new CredentialDecryptError("malformed", `The stored credential record is malformed: ${why}.`);
}

function checkB64(value: unknown, field: string, bytes?: number): void {
  if (typeof value !== "string" || value.length % 4 !== 0 || !BASE64_PATTERN.test(value)) {
    throw malformed(`"${field}" is not base64`);
  }
  const decoded = fromB64(value);
  // Only the canonical spelling: otherwise a string edit in the unused low bits would decode to the same bytes.
  if (b64(decoded) !== value) throw malformed(`"${field}" is not canonical base64`);
  if (bytes !== undefined && decoded.length !== bytes) throw malformed(`"${field}" is not ${bytes} bytes`);
}

/** UTF-8 bytes in a buffer of their own (not Buffer's shared pool), so that zeroing it wipes only them. */
function utf8(text: string): Buffer {
  const buffer = Buffer.alloc(Buffer.byteLength(text, "utf8"));
  buffer.write(text, "utf8");
  return buffer;
}

const b64 = (buffer: Buffer) => buffer.toString("base64");
const fromB64 = (text: string) => Buffer.from(text, "base64");
