// The query plans of the three hot queries (dashboard first page, filtered search, audit log first page), as
// the databases run them: each is captured from the same lib function the page calls, then EXPLAINed (SQLite
// EXPLAIN QUERY PLAN, Postgres EXPLAIN) with its parameters. Used by bench/dashboard.ts (BENCH_EXPLAIN=1).
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from "kysely";
import { driverOfHandle, type DatabaseHandle } from "@/lib/db/connect";
import type { Database } from "@/lib/db/schema";
import { listAuditEvents } from "@/lib/staff/audit";
import { parseAuditParams } from "@/lib/staff/params";
import { listOnboardings } from "@/lib/onboarding/store";

type Captured = Pick<CompiledQuery, "sql" | "parameters">;

/** A second Kysely on the same connection that records every query it runs. */
function recording(handle: DatabaseHandle) {
  const driver = driverOfHandle(handle.db);
  const seen: Captured[] = [];
  const dialect = driver.dialect === "postgres" ? new PostgresDialect({ pool: driver.pool }) : new SqliteDialect({ database: driver.database });
  const db = new Kysely<Database>({ dialect, log: (e) => void (e.level === "query" && seen.push({ sql: e.query.sql, parameters: e.query.parameters })) });
  return { db, seen };
}

async function plan(handle: DatabaseHandle, q: Captured): Promise<string> {
  const driver = driverOfHandle(handle.db);
  if (driver.dialect === "sqlite") {
    const rows = driver.database.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { id: number; parent: number; detail: string }[];
    const depth = new Map<number, number>([[0, 0]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${"  ".repeat(d)}${r.detail}`;
    }).join("\n");
  }
  const res = await driver.pool.query(`explain ${q.sql}`, q.parameters as unknown[]);
  return res.rows.map((r: Record<string, string>) => `  ${r["QUERY PLAN"]}`).join("\n");
}

export const HOT_QUERIES = [
  {
    name: "dashboard first page: the list (activity desc, 25)",
    run: (db: Kysely<Database>) => listOnboardings(db, { sort: "activity_desc", page: 1, pageSize: 25 }),
    pick: (seen: Captured[]) => seen.filter((q) => /from "onboardings"/.test(q.sql)),
  },
  {
    name: "filtered search (q + state): count and page",
    run: (db: Kysely<Database>) => listOnboardings(db, { search: "harbor summit", state: "in_progress", page: 1, pageSize: 25 }),
    pick: (seen: Captured[]) => seen.filter((q) => /from "onboardings"/.test(q.sql)),
  },
  {
    name: "audit log first page (keyset, 50)",
    run: (db: Kysely<Database>) => listAuditEvents(db, parseAuditParams({})),
    pick: (seen: Captured[]) => seen.find((q) => /from "events"/.test(q.sql)),
  },
] as const;

export async function explainHotQueries(handle: DatabaseHandle): Promise<string> {
  const out: string[] = [];
  for (const hot of HOT_QUERIES) {
    const { db, seen } = recording(handle);
    await hot.run(db);
    const picked = hot.pick(seen);
    const queries = (Array.isArray(picked) ? picked : [picked]).filter((q): q is Captured => q !== undefined);
    for (const q of queries) out.push(`-- ${hot.name}\n-- ${q.sql}\n${await plan(handle, q)}`);
  }
  return out.join("\n\n");
}
