/**
 * For the own-app leak test only: prints, as JSON, every private key of an onboarding's own-app certificates still
 * sealed in the e2e server's database, opened with its key ring (DATA_DIR), so the test can search for them
 * everywhere they must not be. Run: DATA_DIR=… npx tsx --conditions=react-server e2e/helpers/own-app-keys.ts <onboarding id>
 */
import { parseConfig } from "../../lib/config";
import { connect } from "../../lib/db/connect";
import { openCertificate } from "../../lib/app-access/own-app";

const onboardingId = process.argv[2]!;
const config = parseConfig(process.env);
const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const keys = [];
  for (const which of ["newest", "working"] as const) {
    const c = await openCertificate(handle.db, onboardingId, which);
    if (c) keys.push(c.privateKeyPem);
  }
  process.stdout.write(JSON.stringify({ keys: [...new Set(keys)] }) + "\n");
} finally {
  await handle.close();
}
