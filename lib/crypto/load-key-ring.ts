import "server-only";
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "@/lib/config";
import { createFileExclusive, FileCreateError } from "./atomic-file";
import { KID_PATTERN, KID_RULE, parseKeyFile, serializeKeyFile, type KeyFile } from "./key-file";
import { generateKey, generateKeyId, KEY_BYTES, KeyRing, KeyRingError, type KeyEntry, type KeyRingSource } from "./keyring";

/**
 * Where the key ring (lib/crypto/keyring.ts) comes from (exactly one source):
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
 */

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const KEY_FILE_NAME = "keys.json";

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
    const created = createOrExplain(keyFile, serializeKeyFile(file), variable);
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

  const read = parseKeyFile(text);
  if (!read.ok) throw new ConfigError(variable, `at ${keyFile} ${read.problem}`);
  const { file } = read;
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

function createOrExplain(file: string, content: string, variable: string): boolean {
  try {
    return createFileExclusive(file, content);
  } catch (error) {
    if (!(error instanceof FileCreateError)) throw error;
    throw new ConfigError(variable, error.step === "directory" ? `cannot be created: directory ${error.path} is not writable (${error.code})` : `cannot be created at ${error.path} (${error.code})`);
  }
}
