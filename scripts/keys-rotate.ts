/**
 * `npm run keys:rotate [-- --rewrap-only] [--remove-old-keys]`
 *
 * Key-file ring (default, `<DATA_DIR>/keys.json` or CREDENTIAL_KEY_FILE): adds a fresh key, makes it active, then
 * re-wraps every live credential's data key to it. With CREDENTIAL_KEYS (read-only ring): put the new key first
 * (or set CREDENTIAL_ACTIVE_KEY_ID) and restart the app, then run this to re-wrap to that active key.
 *
 * One transaction per record: stopping it half-way leaves every record readable, under the old or the new key.
 * To resume an interrupted run without adding yet another key, use --rewrap-only. Running it again is safe.
 * --remove-old-keys (key file only) drops keys that no live record uses any more, once every record is re-wrapped:
 * back the key file up first. Payloads are never decrypted and nothing secret is printed.
 * Exit code 1 when a record could not be re-wrapped (they are listed; run keys:check for details).
 */
import { parseArgs } from "node:util";
import { parseConfig, ConfigError } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { loadKeyRing } from "../lib/crypto/load-key-ring";
import { rewrapAll } from "../lib/credentials/rotation";

try {
  const { values } = parseArgs({ options: { "rewrap-only": { type: "boolean" }, "remove-old-keys": { type: "boolean" } } });
  const config = parseConfig(process.env);
  const { ring, generatedKeyFile, warnings } = loadKeyRing({ env: process.env, dataDir: config.dataDir });
  for (const w of warnings) console.warn(`Warning: ${w}`);
  if (generatedKeyFile) console.warn(`Generated a new credential key file at ${generatedKeyFile}; back it up (separately from the database).`);

  if (ring.source.kind === "file" && !values["rewrap-only"] && !generatedKeyFile) {
    const kid = ring.addKey({ activate: true });
    console.log(`Added key ${kid} to ${ring.source.path} and made it the active key (running servers pick it up automatically).`);
  } else if (ring.source.kind === "env") {
    console.log(`Keys come from CREDENTIAL_KEYS (read-only): re-wrapping to its active key ${ring.activeKeyId}.`);
  } else {
    console.log(`Re-wrapping to the active key ${ring.activeKeyId}.`);
  }

  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const report = await rewrapAll(handle.db, ring, (done) => {
      if (done % 500 === 0) console.log(`  … ${done} records`);
    });
    console.log(
      `Records: ${report.total}. Re-wrapped: ${report.rewrapped}. Already on ${report.activeKeyId}: ${report.alreadyCurrent}. ` +
        `Destroyed or replaced meanwhile: ${report.vanished}. Failed: ${report.failed.length}.`,
    );
    for (const f of report.failed) console.log(`  FAILED ${f.credentialId} (onboarding ${f.onboardingId}, key ${f.kid ?? "?"}): ${f.code}: ${f.message}`);

    const used = new Set(
      (await handle.db.selectFrom("credentials").select("key_id").distinct().where("sealed", "is not", null).execute()).map((r) => r.key_id),
    );
    const unused = ring.keyIds().filter((k) => k !== ring.activeKeyId && !used.has(k));
    if (unused.length > 0) {
      if (values["remove-old-keys"] && ring.source.kind === "file" && report.failed.length === 0) {
        for (const kid of unused) ring.removeKey(kid);
        console.log(`Removed old keys no record uses: ${unused.join(", ")}.`);
      } else {
        console.log(`Old keys no record uses any more: ${unused.join(", ")}. Remove them with --remove-old-keys (key file) or from CREDENTIAL_KEYS, after a backup.`);
      }
    }
    process.exitCode = report.failed.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
  process.exit(1);
}
