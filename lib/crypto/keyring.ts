import "server-only";
import { createSecretKey, randomBytes, randomFillSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { ConfigError } from "@/lib/config";

/**
 * The key ring: the 256-bit key-encryption keys (KEKs) that wrap each credential's data key (see envelope.ts).
 *
 * Where the keys come from (exactly one source):
 *
 * 1. `CREDENTIAL_KEYS` — comma-separated `kid:base64key` entries, e.g.
 *      CREDENTIAL_KEYS="k-2026-01:3q2+7w…=,k-2025-06:q83v…="
 *    Each key is standard base64 of exactly 32 random bytes (`openssl rand -base64 32`). A kid is 1–64 of
 *    `A-Z a-z 0-9 . _ -`, starting with a letter or digit. The FIRST entry is the active key (the one new
 *    records are sealed with) unless `CREDENTIAL_ACTIVE_KEY_ID` names another entry. The others stay
 *    decrypt-only until no record uses them. This ring is read-only: to rotate, put the new key first (or set
 *    `CREDENTIAL_ACTIVE_KEY_ID`), restart, then run the re-wrap job.
 *
 * 2. Otherwise a JSON key file at `CREDENTIAL_KEY_FILE` (relative to the working directory; default
 *    `<dataDir>/keys.json`), mode 0600:
 *      { "version": 1, "active": "k-…", "keys": [{ "kid": "k-…", "key": "<base64, 32 bytes>", "createdAt": "…" }] }
 *    When the file does not exist it is created with one fresh key, and `loadKeyRing` reports `generatedKeyFile`
 *    so the caller can warn that the key must be backed up. `addKey` / `setActive` / `removeKey` rewrite it
 *    atomically (temp file + rename).
 *
 * Setting both `CREDENTIAL_KEYS` and `CREDENTIAL_KEY_FILE` is an error (which one wins would be a guess), and so
 * is `CREDENTIAL_ACTIVE_KEY_ID` without `CREDENTIAL_KEYS` (the key file names its active key itself).
 *
 * Keys are held as `KeyObject`s, so printing or serialising the ring never shows key bytes.
 */

export const KEY_BYTES = 32;
const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const KEY_FILE_NAME = "keys.json";

export type KeyRingSource =
  | { kind: "env"; variable: "CREDENTIAL_KEYS" }
  | { kind: "file"; path: string }
  | { kind: "memory" };

export type KeyRingErrorCode = "unknown_key" | "active_key" | "duplicate_key" | "read_only" | "invalid_key";

/** A key ring operation that cannot be done (never contains key material). */
export class KeyRingError extends Error {
  constructor(readonly code: KeyRingErrorCode, message: string) {
    super(message);
    this.name = "KeyRingError";
  }
}

export type KeyEntry = { kid: string; key: Buffer; createdAt?: string };

type StoredKey = { key: KeyObject; createdAt: string | undefined };

export class KeyRing {
  readonly #keys = new Map<string, StoredKey>();
  #active: string;

  constructor(
    entries: readonly KeyEntry[],
    activeKeyId: string,
    readonly source: KeyRingSource = { kind: "memory" },
  ) {
    if (entries.length === 0) throw new KeyRingError("unknown_key", "A key ring needs at least one key.");
    for (const entry of entries) this.#put(entry);
    if (!this.#keys.has(activeKeyId)) {
      throw new KeyRingError("unknown_key", `The active key id "${activeKeyId}" is not in the key ring.`);
    }
    this.#active = activeKeyId;
  }

  /** The kid new records are sealed (and old ones re-wrapped) with. */
  get activeKeyId(): string {
    return this.#active;
  }

  /** Every kid in the ring, active first. */
  keyIds(): string[] {
    return [this.#active, ...[...this.#keys.keys()].filter((k) => k !== this.#active)];
  }

  hasKey(kid: string): boolean {
    return this.#keys.has(kid);
  }

  /** The KEK for a kid, for envelope.ts only. */
  keyObject(kid: string): KeyObject | undefined {
    return this.#keys.get(kid)?.key;
  }

  /**
   * Adds a key (a fresh random one unless `key` is given) and, with `activate`, makes it the active key.
   * Persists to the key file for a file ring; refused for an env ring. Returns the new kid.
   */
  addKey(options: { kid?: string; key?: Buffer; activate?: boolean } = {}): string {
    this.#assertWritable();
    const kid = options.kid ?? generateKeyId();
    const key = options.key ?? generateKey();
    try {
      this.#put({ kid, key, createdAt: new Date().toISOString() });
    } finally {
      if (!options.key) key.fill(0);
    }
    const previousActive = this.#active;
    if (options.activate) this.#active = kid;
    this.#persistOrUndo(() => {
      this.#keys.delete(kid);
      this.#active = previousActive;
    });
    return kid;
  }

  /** Makes an existing key the active one (persisted for a file ring). */
  setActive(kid: string): void {
    this.#assertWritable();
    if (!this.#keys.has(kid)) throw unknownKey(kid, this.keyIds());
    const previousActive = this.#active;
    this.#active = kid;
    this.#persistOrUndo(() => {
      this.#active = previousActive;
    });
  }

  /**
   * Drops a retired key. Refuses the active key. The caller must first make sure no record still uses it
   * (`needsRewrap` is false for every record), or those records become unreadable.
   */
  removeKey(kid: string): void {
    this.#assertWritable();
    if (!this.#keys.has(kid)) throw unknownKey(kid, this.keyIds());
    if (kid === this.#active) {
      throw new KeyRingError("active_key", `Key "${kid}" is the active key; make another key active before removing it.`);
    }
    const before = [...this.#keys];
    this.#keys.delete(kid);
    this.#persistOrUndo(() => {
      this.#keys.clear();
      for (const [k, v] of before) this.#keys.set(k, v);
    });
  }

  toJSON() {
    return { source: this.source, activeKeyId: this.#active, keyIds: this.keyIds() };
  }

  [inspect.custom]() {
    return `KeyRing ${JSON.stringify(this.toJSON())}`;
  }

  #put(entry: KeyEntry): void {
    if (!KID_PATTERN.test(entry.kid)) {
      throw new KeyRingError("invalid_key", `Key id "${entry.kid.slice(0, 70)}" is not valid: ${KID_RULE}.`);
    }
    if (this.#keys.has(entry.kid)) throw new KeyRingError("duplicate_key", `Key id "${entry.kid}" appears twice.`);
    if (entry.key.length !== KEY_BYTES) {
      throw new KeyRingError("invalid_key", `Key "${entry.kid}" is ${entry.key.length} bytes; it must be ${KEY_BYTES}.`);
    }
    const key = createSecretKey(entry.key);
    for (const [otherKid, other] of this.#keys) {
      if (other.key.equals(key)) {
        throw new KeyRingError("duplicate_key", `Keys "${otherKid}" and "${entry.kid}" are the same key.`);
      }
    }
    this.#keys.set(entry.kid, { key, createdAt: entry.createdAt });
  }

  #assertWritable(): void {
    if (this.source.kind === "env") {
      throw new KeyRingError(
        "read_only",
        "The key ring comes from CREDENTIAL_KEYS; change that variable (new key first, or CREDENTIAL_ACTIVE_KEY_ID) and restart to rotate.",
      );
    }
  }

  /** Writes the key file; if that fails, undoes the in-memory change so memory and disk agree. */
  #persistOrUndo(undo: () => void): void {
    try {
      this.#persist();
    } catch (error) {
      undo();
      throw error;
    }
  }

  #persist(): void {
    if (this.source.kind !== "file") return;
    const file: KeyFile = {
      version: 1,
      active: this.#active,
      keys: this.keyIds().map((kid) => {
        const stored = this.#keys.get(kid)!;
        return { kid, key: stored.key.export().toString("base64"), createdAt: stored.createdAt };
      }),
    };
    writeFileAtomic(this.source.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}

const KID_RULE = "1–64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";

function unknownKey(kid: string, known: string[]): KeyRingError {
  return new KeyRingError("unknown_key", `Key id "${kid}" is not in the key ring (known: ${known.join(", ")}).`);
}

/** 32 fresh random bytes (not from Buffer's shared pool, so zeroing it really wipes it). */
export function generateKey(): Buffer {
  return randomFillSync(Buffer.alloc(KEY_BYTES));
}

/** A readable, sortable, unique kid such as `k-20260820-3fa9c1d2`. */
export function generateKeyId(now: Date = new Date()): string {
  return `k-${now.toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(4).toString("hex")}`;
}

export type LoadKeyRingResult = {
  ring: KeyRing;
  /** Set when this call created the key file with a fresh key: the caller must warn that it needs a backup. */
  generatedKeyFile: string | undefined;
  /** Non-fatal problems worth logging (e.g. a key file readable by other users). */
  warnings: string[];
};

/**
 * Builds the key ring from the given environment (not `process.env`, so it is testable) and data directory.
 * Throws `ConfigError` naming the variable at fault; the message never contains key material.
 */
export function loadKeyRing(input: { env: Record<string, string | undefined>; dataDir: string }): LoadKeyRingResult {
  const { env } = input;
  const keysVar = env.CREDENTIAL_KEYS?.trim() || undefined;
  const fileVar = env.CREDENTIAL_KEY_FILE?.trim() || undefined;
  const activeVar = env.CREDENTIAL_ACTIVE_KEY_ID?.trim() || undefined;

  if (keysVar && fileVar) {
    throw new ConfigError("CREDENTIAL_KEYS", "and CREDENTIAL_KEY_FILE are both set; use one source of credential keys");
  }
  if (keysVar) return { ring: ringFromEnv(keysVar, activeVar), generatedKeyFile: undefined, warnings: [] };
  if (activeVar) {
    throw new ConfigError(
      "CREDENTIAL_ACTIVE_KEY_ID",
      'only applies with CREDENTIAL_KEYS; the key file names its active key in its "active" field',
    );
  }
  // The key file lives outside the app's sources; the comments stop Turbopack tracing the whole project for it.
  const keyFile = fileVar ? path.resolve(/*turbopackIgnore: true*/ fileVar) : path.resolve(/*turbopackIgnore: true*/ input.dataDir, KEY_FILE_NAME);
  return ringFromFile(keyFile, "CREDENTIAL_KEY_FILE");
}

function ringFromEnv(value: string, activeKeyId: string | undefined): KeyRing {
  const variable = "CREDENTIAL_KEYS";
  const entries: KeyEntry[] = [];
  const parts = value.split(",").map((p) => p.trim());
  parts.forEach((part, i) => {
    const at = `entry ${i + 1}`;
    const colon = part.indexOf(":");
    if (colon < 0) throw new ConfigError(variable, `${at} must look like kid:base64key (comma-separated entries)`);
    const kid = part.slice(0, colon).trim();
    const encoded = part.slice(colon + 1).trim();
    if (!KID_PATTERN.test(kid)) throw new ConfigError(variable, `${at} has an invalid key id: ${KID_RULE}`);
    entries.push({ kid, key: decodeKey(encoded, variable, `key "${kid}"`) });
  });
  const active = activeKeyId ?? entries[0]!.kid;
  if (!entries.some((e) => e.kid === active)) {
    throw new ConfigError(
      "CREDENTIAL_ACTIVE_KEY_ID",
      `names key "${active}", which is not in CREDENTIAL_KEYS (has: ${entries.map((e) => e.kid).join(", ")})`,
    );
  }
  return buildRing(entries, active, { kind: "env", variable }, variable);
}

function ringFromFile(keyFile: string, variable: string): LoadKeyRingResult {
  const warnings: string[] = [];
  let text: string | undefined;
  try {
    text = fs.readFileSync(keyFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ConfigError(variable, `cannot be read at ${keyFile} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }

  let generatedKeyFile: string | undefined;
  if (text === undefined) {
    const kid = generateKeyId();
    const key = generateKey();
    const file: KeyFile = {
      version: 1,
      active: kid,
      keys: [{ kid, key: key.toString("base64"), createdAt: new Date().toISOString() }],
    };
    key.fill(0);
    const created = createFileExclusive(keyFile, `${JSON.stringify(file, null, 2)}\n`, variable);
    // Two processes starting at once: the loser reads the winner's file instead of overwriting it.
    text = fs.readFileSync(keyFile, "utf8");
    if (created) generatedKeyFile = keyFile;
  }

  if (process.platform !== "win32") {
    const mode = fs.statSync(keyFile).mode & 0o777;
    if (mode & 0o077) {
      warnings.push(`The credential key file ${keyFile} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it.`);
    }
  }

  const file = parseKeyFile(text, keyFile, variable);
  const entries = file.keys.map((k) => ({
    kid: k.kid,
    key: decodeKey(k.key, variable, `key "${k.kid}" in ${keyFile}`),
    createdAt: k.createdAt,
  }));
  if (!entries.some((e) => e.kid === file.active)) {
    throw new ConfigError(variable, `at ${keyFile} names active key "${file.active}", which it does not contain`);
  }
  return { ring: buildRing(entries, file.active, { kind: "file", path: keyFile }, variable), generatedKeyFile, warnings };
}

function buildRing(entries: KeyEntry[], active: string, source: KeyRingSource, variable: string): KeyRing {
  try {
    return new KeyRing(entries, active, source);
  } catch (error) {
    if (error instanceof KeyRingError) {
      const where = source.kind === "file" ? `at ${source.path} ` : "";
      throw new ConfigError(variable, `${where}is not valid: ${error.message.replace(/\.$/, "")}`);
    }
    throw error;
  } finally {
    for (const e of entries) e.key.fill(0);
  }
}

function decodeKey(encoded: string, variable: string, what: string): Buffer {
  if (encoded === "" || encoded.length % 4 !== 0 || !BASE64_PATTERN.test(encoded)) {
    throw new ConfigError(variable, `${what} is not valid base64 (generate one with: openssl rand -base64 32)`);
  }
  const key = Buffer.from(encoded, "base64");
  if (key.toString("base64") !== encoded) {
    key.fill(0);
    throw new ConfigError(variable, `${what} is not canonical base64 (generate one with: openssl rand -base64 32)`);
  }
  if (key.length !== KEY_BYTES) {
    const length = key.length;
    key.fill(0);
    throw new ConfigError(variable, `${what} is ${length} bytes; it must be ${KEY_BYTES} (openssl rand -base64 32)`);
  }
  return key;
}

type KeyFile = { version: 1; active: string; keys: { kid: string; key: string; createdAt?: string | undefined }[] };

function parseKeyFile(text: string, keyFile: string, variable: string): KeyFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(variable, `at ${keyFile} is not valid JSON`);
  }
  const bad = (what: string) => new ConfigError(variable, `at ${keyFile} ${what}`);
  if (typeof data !== "object" || data === null) throw bad("must be a JSON object");
  const { version, active, keys } = data as Record<string, unknown>;
  if (version !== 1) throw bad('must have "version": 1');
  if (typeof active !== "string") throw bad('must name its active key id in "active"');
  if (!Array.isArray(keys) || keys.length === 0) throw bad('must list at least one key in "keys"');
  const parsed = keys.map((k: unknown, i) => {
    const entry = (typeof k === "object" && k !== null ? k : {}) as Record<string, unknown>;
    if (typeof entry.kid !== "string" || !KID_PATTERN.test(entry.kid)) throw bad(`has an invalid "kid" in key ${i + 1}: ${KID_RULE}`);
    if (typeof entry.key !== "string") throw bad(`has no base64 "key" for key "${entry.kid}"`);
    const createdAt = typeof entry.createdAt === "string" ? entry.createdAt : undefined;
    return { kid: entry.kid, key: entry.key, createdAt };
  });
  return { version: 1, active, keys: parsed };
}

/** Creates `file` only if it does not exist yet (write temp + hard link, so it appears complete or not at all). */
function createFileExclusive(file: string, content: string, variable: string): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(variable, `cannot be created: directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code})`);
  }
  const temp = writeTemp(file, content);
  try {
    fs.linkSync(temp, file);
    syncDir(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ConfigError(variable, `cannot be created at ${file} (${(error as NodeJS.ErrnoException).code})`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Replaces `file` with `content` so a crash leaves either the old or the new file, never half of one. */
function writeFileAtomic(file: string, content: string): void {
  const temp = writeTemp(file, content);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

function writeTemp(file: string, content: string): string {
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(temp, "wx", 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // the umask could only remove bits, but be explicit
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  }
}
