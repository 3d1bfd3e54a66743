import "server-only";
import { createSecretKey, randomBytes, randomFillSync, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import { writeFileAtomic } from "./atomic-file";
import { KID_PATTERN, KID_RULE, serializeKeyFile, type KeyFile } from "./key-file";

/**
 * The key ring: the 256-bit key-encryption keys (KEKs) that wrap each credential's data key (see envelope.ts).
 * Where the keys come from is lib/crypto/load-key-ring.ts; a file ring's changes are written back through
 * lib/crypto/key-file.ts and lib/crypto/atomic-file.ts. Keys are held as `KeyObject`s, so printing or
 * serialising the ring never shows key bytes.
 */

export const KEY_BYTES = 32;

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
    writeFileAtomic(this.source.path, serializeKeyFile(file));
  }
}

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
