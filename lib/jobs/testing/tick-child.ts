/**
 * One "app instance" for the scheduler test: connects to the shared Postgres schema and runs one scheduler
 * tick, as the in-process timer would, then prints which jobs it ran.
 */
import { connect } from "@/lib/db/connect";
import { JOBS, tick } from "@/lib/jobs/scheduler";

const handle = connect({ databaseUrl: process.env.TEST_PG_URL!, dataDir: process.env.DATA_DIR!, pgSchema: process.env.TEST_PG_SCHEMA });
const jobs = JOBS.filter((j) => j.name === "reverify");
const ran = await tick({ db: handle.db, holder: `child-${process.pid}`, now: new Date(Date.now() + 48 * 3600_000) }, jobs);
process.stdout.write(JSON.stringify({ ran }) + "\n");
await handle.close();
