/**
 * `npm run -s counts:check` — recomputes the dashboard's counts per state and its funnel from the onboardings and
 * the event log and compares them with the kept tallies (lib/onboarding/tallies.ts). Prints every difference;
 * exit code 1 when there is any. `-- --rebuild` then replaces the kept tallies with the recount (exit 0).
 */
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { checkTallies, rebuildTallies } from "../lib/onboarding/tallies";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--rebuild");
if (unknown.length > 0) {
  console.error(`Unknown argument: ${unknown[0]}. Usage: npm run -s counts:check [-- --rebuild]`);
  process.exit(2);
}

try {
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const diff = await checkTallies(handle.db);
    for (const d of diff) console.log(`  DIFFERS ${d.kind} ${d.state}: kept ${d.kept}, recomputed ${d.recomputed}`);
    if (diff.length === 0) {
      console.log("OK: the kept counts per state and funnel match the event log.");
      process.exitCode = 0;
    } else if (args.includes("--rebuild")) {
      await rebuildTallies(handle.db);
      console.log(`${diff.length} figure(s) differed; rebuilt from the event log.`);
      process.exitCode = 0;
    } else {
      console.log(`${diff.length} figure(s) differ from the event log. Run npm run -s counts:check -- --rebuild to repair.`);
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
