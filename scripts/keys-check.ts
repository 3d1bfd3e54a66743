/**
 * `npm run keys:check` — opens every live credential with the current key ring (then drops the plaintext) and
 * checks it against its row. Prints counts per key, every record that fails and why, and the keys no record
 * uses. Exit code 1 when any record fails. Nothing secret is printed.
 */
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { loadKeyRing } from "../lib/crypto/load-key-ring";
import { checkAll } from "../lib/credentials/rotation";

try {
  const config = parseConfig(process.env);
  const { ring, generatedKeyFile, warnings } = loadKeyRing({ env: process.env, dataDir: config.dataDir });
  for (const w of warnings) console.warn(`Warning: ${w}`);
  if (generatedKeyFile) console.warn(`Generated a new credential key file at ${generatedKeyFile}: there was none, so no existing record can open with it.`);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const report = await checkAll(handle.db, ring);
    const perKid = Object.entries(report.byKid).map(([kid, n]) => `${kid}: ${n}`).join(", ") || "none";
    console.log(`Active key: ${ring.activeKeyId}. Records: ${report.total}. Open: ${report.ok}. On the active key: ${report.current}. Per key: ${perKid}.`);
    for (const f of report.failed) console.log(`  FAILED ${f.credentialId} (onboarding ${f.onboardingId}, key ${f.kid ?? "?"}): ${f.code}: ${f.message}`);
    if (report.unusedKeyIds.length > 0) console.log(`Keys no record uses: ${report.unusedKeyIds.join(", ")}.`);
    if (report.current < report.ok) console.log("Some records are on an older key: run npm run keys:rotate -- --rewrap-only.");
    console.log(report.failed.length === 0 ? "OK: every record opens." : `${report.failed.length} record(s) cannot be opened.`);
    process.exitCode = report.failed.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
