import "server-only";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from "kysely";
import pg from "pg";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export type Dialect = "sqlite" | "postgres";

export type DatabaseHandle = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for start-up messages (never includes a password). */
  description: string;
  close(): Promise<void>;
};

export type ConnectOptions = {
  /** postgres:// URL; unset for the embedded SQLite file. */
  databaseUrl?: string;
  /** Directory of the SQLite file (created if missing). */
  dataDir: string;
  /** Postgres only: run everything inside this schema (tests isolate themselves this way). */
  pgSchema?: string;
};

export function connect(options: ConnectOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 5_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process.
    pool.on("error", () => {});
    const url = new URL(options.databaseUrl);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    driverOf.set(db, { dialect: "postgres", pool, schema });
    return {
      db,
      dialect: "postgres",
      description: `postgres at ${url.hostname}:${url.port || 5432}${url.pathname}${schema ? ` (schema ${schema})` : ""}`,
      close: () => db.destroy(),
    };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, "onboarding.db");
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Destroyed credentials are overwritten with zeros in the file, not left in free pages.
  sqlite.pragma("secure_delete = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  driverOf.set(db, { dialect: "sqlite", database: sqlite });
  return { db, dialect: "sqlite", description: `SQLite at ${file}`, close: () => db.destroy() };
}

const DRIVERS = Symbol.for("moxiengage.db.drivers");

/** The driver under a Kysely handle, for libraries that speak to it directly (rate limits). */
export type Driver =
  | { dialect: "postgres"; pool: pg.Pool; schema: string | undefined }
  | { dialect: "sqlite"; database: BetterSqlite3.Database };

// On globalThis: Next bundles this module into several server chunks (instrumentation, routes, actions), each
// with its own module state, while the process-wide handle (lib/db/index.ts) is created by whichever ran first.
const driverOf: WeakMap<Kysely<Database>, Driver> = ((globalThis as { [DRIVERS]?: WeakMap<Kysely<Database>, Driver> })[DRIVERS] ??=
  new WeakMap());

export function driverOfHandle(db: Kysely<Database>): Driver {
  const driver = driverOf.get(db);
  if (!driver) throw new Error("not a database opened by connect()");
  return driver;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrations run in order, but a database that ran a later one first (a branch) still takes an earlier one. */
function migrator(db: Kysely<Database>) {
  // Kysely's migration tables must live in the handle's Postgres schema too.
  const driver = driverOf.get(db);
  const schema = driver?.dialect === "postgres" ? driver.schema : undefined;
  return new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Applies every pending migration; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** True when the database answers and every known migration has been applied. */
export async function isReadyAndMigrated(db: Kysely<Database>): Promise<boolean> {
  await sql`select 1`.execute(db);
  const all = await migrator(db).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
