/**
 * One "app instance" for the scheduler tests: connects to the test's database (Postgres schema, or the SQLite
 * file with TEST_CHILD_DIALECT=sqlite) and runs one scheduler tick of the jobs in TICK_JOBS (default:
 * reverify), TICK_OFFSET_MS from now (default 48 h), as the in-process timer would; prints the jobs it ran.
 */
import { connect } from "@/lib/db/connect";
import { JOBS, tick } from "@/lib/jobs/scheduler";
import { connectChildDatabase } from "@/lib/testing/child-database";

const handle = process.env.TEST_CHILD_DIALECT
  ? connectChildDatabase()
  : connect({ databaseUrl: process.env.TEST_PG_URL!, dataDir: process.env.DATA_DIR!, pgSchema: process.env.TEST_PG_SCHEMA });
const names = (process.env.TICK_JOBS ?? "reverify").split(",");
const offset = Number(process.env.TICK_OFFSET_MS ?? 48 * 3600_000);
const jobs = JOBS.filter((j) => names.includes(j.name));
const ran = await tick({ db: handle.db, holder: `child-${process.pid}`, now: new Date(Date.now() + offset) }, jobs);
process.stdout.write(JSON.stringify({ ran }) + "\n");
await handle.close();
