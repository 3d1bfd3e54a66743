// Grows a temp SQLite file and a fresh Postgres schema through 10,000 → 100,000 → 1,000,000 onboardings (with their
// events), and at each size times what the staff dashboard does per request — the same lib functions the page
// calls — for the first page (list + counts + funnel + time in state) and for a filtered search, and the first
// audit-log page; then prints the sizes side by side, so the growth is visible in one run.
// Run: BENCH_ONBOARDINGS=1000000 npm run -s bench:dashboard   (not part of npm test; target at 100k: ≤ 50 ms)
// BENCH_ONBOARDINGS: the largest size (default 10,000; at most 1,000,000); the steps are 10k, 100k, 1M up to it.
// BENCH_RUNS: timed runs per figure (default 25). BENCH_SEED_BUDGET_S: stop growing once seeding one database has
// taken this long (default 2400 s) and say so. BENCH_EXPLAIN=1: print the query plans of the three hot queries
// at each size (bench/explain.ts). BENCH_DATABASES=sqlite|postgres: only that one. BENCH_WITHOUT_STATE_INDEXES=1 drops migration 006's partial indexes.
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
import { finishLoad, insertRows, seeder } from "./dashboard-seed";
import { explainHotQueries } from "./explain";
import { sql } from "kysely";

const ONBOARDINGS = Math.min(Math.max(Number(process.env.BENCH_ONBOARDINGS ?? 10_000) || 10_000, 100), 1_000_000);
const SIZES = [...[10_000, 100_000, 1_000_000].filter((n) => n < ONBOARDINGS), ONBOARDINGS];
const SEED_BUDGET_MS = Number(process.env.BENCH_SEED_BUDGET_S ?? 2400) * 1000;
const CHUNK = 20_000; // onboardings generated and inserted at a time (bounded memory at 1M)
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Times every figure RUNS times, interleaved (one run of each in turn), so a burst of load on a shared machine
 * falls on all of them alike rather than on whichever figure was being timed at that moment.
 */
async function timeAll(figures: [string, () => Promise<unknown>][]) {
  for (const [, fn] of figures) for (let i = 0; i < 3; i++) await fn(); // warm-up: connections, statement caches
  const samples = figures.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, [, fn]] of figures.entries()) {
      const t0 = performance.now();
      await fn();
      samples[k]!.push(performance.now() - t0);
    }
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    const q = (p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!;
    return { median: q(0.5), p95: q(0.95) };
  });
}

type Figures = Record<string, { median: number; p95: number }>;

/** Grows the database to each size in turn and measures there; returns the figures per size reached. */
async function bench(label: string, handle: DatabaseHandle): Promise<Map<number, Figures>> {
  const out = new Map<number, Figures>();
  const seed = seeder();
  let have = 0;
  let seedMs = 0;
  let events = 0;
  console.log(`\n${label}`);
  for (const size of SIZES) {
    const t0 = performance.now();
    let cut = false;
    while (have < size) {
      if (seedMs + performance.now() - t0 > SEED_BUDGET_MS) {
        cut = true;
        break;
      }
      const n = Math.min(CHUNK, size - have);
      const rows = seed.next(n);
      await insertRows(handle, rows);
      // A finished roster check for every third onboarding (issue 16): the "agents reachable" column and its sort.
      const checks = rows.onboardings.flatMap((o, k) => ((have + k) % 3 === 0 ? [{ id: `bench-rc-${have + k}`, onboarding_id: o.id, state: "done", scope: "all", track: "ews", total: 100, requested_by: "bench", created_at: o.created_at, started_at: o.created_at, finished_at: o.created_at, holder: null, lease_until: null, cancel_requested: 0, access_failure: null, roster_reachable: ((have + k) * 37) % 101, roster_total: 100 }] : []));
      for (let i = 0; i < checks.length; i += 500) await handle.db.insertInto("roster_checks").values(checks.slice(i, i + 500)).execute();
      events += rows.events.length;
      have += n;
    }
    await finishLoad(handle);
    seedMs += performance.now() - t0;
    console.log(`  ${have.toLocaleString("en-US")} onboardings, ${events.toLocaleString("en-US")} events (seeding so far ${(seedMs / 1000).toFixed(0)} s)`);
    if (cut) console.log(`  stopped growing at ${have.toLocaleString("en-US")} of ${size.toLocaleString("en-US")} onboardings: seeding took longer than BENCH_SEED_BUDGET_S (${SEED_BUDGET_MS / 1000} s); measured at the size reached`);
    out.set(have, await measure(handle));
    if (process.env.BENCH_EXPLAIN) console.log(`\n${await explainHotQueries(handle)}\n`);
    if (cut) break;
  }
  return out;
}

async function measure(handle: DatabaseHandle): Promise<Figures> {
  const db = handle.db;
  const first = parseDashboardParams({});
  const filtered = parseDashboardParams({ q: "harbor summit", state: "in_progress", page: "1" });
  if (process.env.BENCH_WITHOUT_STATE_INDEXES) {
    await sql`drop index if exists events_state_changes_by_state`.execute(db);
    await sql`drop index if exists events_state_changes_by_time`.execute(db);
    console.log("  (without migration 006's partial indexes on state changes)");
  }
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
  const results: Figures = {};
  const timed = await timeAll(figures);
  for (const [k, [name]] of figures.entries()) {
    const r = timed[k]!;
    results[name] = r;
    console.log(`    ${name.padEnd(66)} median ${r.median.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms`);
  }
  const total = (await loadDashboard(db, filtered)).list.total;
  console.log(`    (filtered search matches ${total} onboardings)`);
  return results;
}

const out: Record<string, Map<number, Figures>> = {};

/** One table per database: a row per figure, a column per size (median / p95 ms). */
function sideBySide(label: string, bySize: Map<number, Figures>) {
  const sizes = [...bySize.keys()];
  if (sizes.length === 0) return;
  const names = Object.keys(bySize.get(sizes[0]!)!);
  const col = (n: number) => `${n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : n} (median / p95 ms)`.padStart(26);
  console.log(`\n${label}\n  ${"".padEnd(66)}${sizes.map(col).join("")}`);
  for (const name of names) {
    const cells = sizes.map((n) => {
      const f = bySize.get(n)![name]!;
      return `${f.median.toFixed(1)} / ${f.p95.toFixed(1)}`.padStart(26);
    });
    console.log(`  ${name.padEnd(66)}${cells.join("")}`);
  }
}

const ONLY = process.env.BENCH_DATABASES; // "sqlite" or "postgres": just that one
if (ONLY !== "postgres") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-bench-"));
  const sqlite = connect({ dataDir: dir });
  try {
    await migrateToLatest(sqlite.db);
    out.SQLite = await bench("SQLite (better-sqlite3, temp file)", sqlite);
  } finally {
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const schema = `bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
let pgReached = ONLY !== "sqlite";
if (pgReached) try {
  await admin.connect();
  await admin.query(`create schema ${schema}`);
} catch (error) {
  console.warn(`\nPostgres skipped: cannot reach ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${(error as Error).message})`);
  await admin.end().catch(() => {});
  pgReached = false;
}
if (pgReached) {
  const postgres = connect({ databaseUrl: PG_URL, dataDir: os.tmpdir(), pgSchema: schema });
  try {
    await migrateToLatest(postgres.db);
    out.Postgres = await bench(`Postgres (${PG_URL.replace(/:[^:@/]*@/, ":***@")}, schema ${schema})`, postgres);
  } finally {
    await postgres.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
for (const [label, bySize] of Object.entries(out)) sideBySide(label, bySize);
console.log(`\nnode ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ${RUNS} timed runs after 3 warm-ups, interleaved`);
