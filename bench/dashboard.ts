// Seeds 10,000 onboardings (with their events) into a temp SQLite file and a fresh Postgres schema, then times
// what the staff dashboard does per request — the same lib functions the page calls — for the first page
// (list + counts + funnel + time in state) and for a filtered search. Also times the first audit-log page.
// Run: npx tsx --conditions=react-server bench/dashboard.ts   (not part of npm test; target: under 150 ms)
// BENCH_WITHOUT_STATE_INDEXES=1 drops migration 006's partial indexes, to show what they save;
// BENCH_ONBOARDINGS / BENCH_RUNS resize.
// Postgres: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); skipped if unreachable.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { connect, migrateToLatest, type DatabaseHandle } from "@/lib/db/connect";
import { listAuditEvents } from "@/lib/staff/audit";
import { funnel, loadDashboard, timeInState } from "@/lib/staff/dashboard";
import { parseAuditParams, parseDashboardParams } from "@/lib/staff/params";
import { countByState, listOnboardings } from "@/lib/onboarding/store";
import { insertAll, seedRows, type SeedRows } from "./dashboard-seed";
import { sql } from "kysely";

const ONBOARDINGS = Number(process.env.BENCH_ONBOARDINGS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up: connections, statement caches
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { median: q(0.5), p95: q(0.95) };
}

async function bench(label: string, handle: DatabaseHandle, rows: SeedRows) {
  const t0 = performance.now();
  await insertAll(handle, rows);
  console.log(`\n${label}: seeded ${rows.onboardings.length.toLocaleString("en-US")} onboardings, ${rows.events.length.toLocaleString("en-US")} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const db = handle.db;
  // A finished roster check for every third onboarding (issue 16): the "agents reachable" column and its sort.
  const checks = rows.onboardings.filter((_, i) => i % 3 === 0).map((o, i) => ({ id: `bench-rc-${i}`, onboarding_id: o.id, state: "done", scope: "all", track: "ews", total: 100, requested_by: "bench", created_at: o.created_at, started_at: o.created_at, finished_at: o.created_at, holder: null, lease_until: null, cancel_requested: 0, access_failure: null, roster_reachable: (i * 37) % 101, roster_total: 100 }));
  for (let i = 0; i < checks.length; i += 500) await db.insertInto("roster_checks").values(checks.slice(i, i + 500)).execute();
  const first = parseDashboardParams({});
  const filtered = parseDashboardParams({ q: "harbor summit", state: "in_progress", page: "1" });
  if (process.env.BENCH_WITHOUT_STATE_INDEXES) {
    await sql`drop index events_state_changes_by_state`.execute(db);
    await sql`drop index events_state_changes_by_time`.execute(db);
    console.log("  (without migration 006's partial indexes on state changes)");
  }
  // Postgres's autovacuum vacuums and analyzes a table soon after a bulk load (planner statistics, and the
  // visibility map that index-only scans need); do it now rather than wait. SQLite has no such daemon: its
  // figures are what a freshly loaded database gives.
  if (handle.dialect === "postgres") await sql`vacuum analyze`.execute(db);
  const figures: [string, () => Promise<unknown>][] = [
    ["dashboard, first page (list + counts + funnel + time in state)", () => loadDashboard(db, first)],
    ["dashboard, filtered search (q + state), same figures", () => loadDashboard(db, filtered)],
    ["dashboard, sorted by agents reachable (reach_asc)", () => loadDashboard(db, parseDashboardParams({ sort: "reach_asc" }))],
    ["  of which: list page", () => listOnboardings(db, { sort: "activity_desc", page: 1, pageSize: 25 })],
    ["  of which: filtered list", () => listOnboardings(db, { search: "harbor summit", state: "in_progress", page: 1, pageSize: 25 })],
    ["  of which: counts per state", () => countByState(db)],
    ["  of which: funnel", () => funnel(db)],
    ["  of which: time in state", () => timeInState(db)],
    ["audit log, first page", () => listAuditEvents(db, parseAuditParams({}))],
    ["audit log, filtered (type + actor + onboarding)", () => listAuditEvents(db, parseAuditParams({ type: "state_changed", actor: "brokerage", q: "harbor" }))],
  ];
  const results: Record<string, { median: number; p95: number }> = {};
  for (const [name, fn] of figures) {
    const r = await time(fn);
    results[name] = r;
    console.log(`  ${name.padEnd(66)} median ${r.median.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms`);
  }
  const total = (await loadDashboard(db, filtered)).list.total;
  console.log(`  (filtered search matches ${total} onboardings)`);
  return results;
}

const rows = seedRows(ONBOARDINGS);
const out: Record<string, unknown> = {};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-bench-"));
const sqlite = connect({ dataDir: dir });
try {
  await migrateToLatest(sqlite.db);
  out.sqlite = await bench("SQLite (better-sqlite3, temp file)", sqlite, rows);
} finally {
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

const schema = `bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
try {
  await admin.connect();
  await admin.query(`create schema ${schema}`);
} catch (error) {
  console.warn(`\nPostgres skipped: cannot reach ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${(error as Error).message})`);
  await admin.end().catch(() => {});
  process.exit(0);
}
const postgres = connect({ databaseUrl: PG_URL, dataDir: os.tmpdir(), pgSchema: schema });
try {
  await migrateToLatest(postgres.db);
  out.postgres = await bench(`Postgres (${PG_URL.replace(/:[^:@/]*@/, ":***@")}, schema ${schema})`, postgres, rows);
} finally {
  await postgres.close();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
console.log(`\nnode ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}; ${RUNS} timed runs after 3 warm-ups`);
