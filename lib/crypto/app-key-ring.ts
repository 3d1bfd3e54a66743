import "server-only";
import fs from "node:fs";
import { config } from "@/lib/config";
import type { KeyRing } from "@/lib/crypto/keyring";
import { loadKeyRing } from "@/lib/crypto/load-key-ring";
import { log } from "@/lib/log";

/**
 * The process's credential key ring, loaded on first use from `process.env` and `config().dataDir`
 * (see lib/crypto/load-key-ring.ts for the sources). Kept on globalThis so module reloads share it.
 *
 * A key-file ring is re-read when the file changes on disk: `npm run keys:rotate` adds a new active key to the
 * file and re-wraps records to it while the server runs, and a server holding the old ring could neither open
 * those records nor seal new ones under the new key. An env ring (CREDENTIAL_KEYS) needs a restart, as
 * lib/crypto/load-key-ring.ts says.
 */
type Held = { ring: KeyRing; file: string | undefined; mtimeMs: number | undefined };
const holder = globalThis as unknown as { __moxiKeyRing?: Held };

function fileMtime(file: string | undefined): number | undefined {
  if (!file) return undefined;
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function load(): Held {
  const { ring, generatedKeyFile, warnings } = loadKeyRing({ env: process.env, dataDir: config().dataDir });
  if (generatedKeyFile) {
    log.warn(
      { keyFile: generatedKeyFile },
      `generated a new credential key at ${generatedKeyFile}; back it up (separately from the database): without it, saved credentials cannot be opened`,
    );
  }
  for (const warning of warnings) log.warn(warning);
  const file = ring.source.kind === "file" ? ring.source.path : undefined;
  return { ring, file, mtimeMs: fileMtime(file) };
}

export function credentialKeyRing(): KeyRing {
  const held = holder.__moxiKeyRing;
  if (held && (held.file === undefined || fileMtime(held.file) === held.mtimeMs)) return held.ring;
  holder.__moxiKeyRing = load();
  if (held) log.info({ keyIds: holder.__moxiKeyRing.ring.keyIds() }, "credential key file changed; key ring reloaded");
  return holder.__moxiKeyRing.ring;
}
