/** `npm run db:migrate`: apply pending migrations to the configured database and say what was done. */
import { ConfigError, parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";

try {
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `Applied ${applied.length} migration(s) to ${handle.description}: ${applied.join(", ")}` : `${handle.description} is up to date.`);
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
