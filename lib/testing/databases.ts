import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { connect, migrateToLatest, type DatabaseHandle } from "@/lib/db/connect";

/**
 * Runs one storage suite against both databases. SQLite gets a fresh file in a temp dir; Postgres a fresh
 * schema in TEST_DATABASE_URL (default: the machine's local server), dropped afterwards.
 * In CI an unreachable Postgres fails the run; on a laptop without one the Postgres half skips, loudly.
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function pgReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

export const pgProblem = await pgReachable();
if (pgProblem && !process.env.CI) {
  console.warn(`\n⚠ Postgres tests SKIPPED: cannot reach ${TEST_PG_URL} (${pgProblem}). Set TEST_DATABASE_URL to run them.\n`);
}

/** A test database; `openAnother` connects a second time to the same data, as another process would. */
export type TestDatabaseHandle = DatabaseHandle & { openAnother(): DatabaseHandle };

export async function openTestDatabase(dialect: "sqlite" | "postgres"): Promise<TestDatabaseHandle> {
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-db-"));
    const handle = connect({ dataDir: dir });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      openAnother: () => connect({ dataDir: dir }),
      close: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); },
    };
  }
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = connect({ databaseUrl: TEST_PG_URL, dataDir: os.tmpdir(), pgSchema: schema });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    openAnother: () => connect({ databaseUrl: TEST_PG_URL, dataDir: os.tmpdir(), pgSchema: schema }),
    close: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export function describeEachDatabase(name: string, suite: (handle: () => TestDatabaseHandle) => void) {
  for (const dialect of ["sqlite", "postgres"] as const) {
    if (dialect === "postgres" && pgProblem) {
      if (process.env.CI) {
        describe(`${name} [postgres]`, () => {
          it("needs a reachable Postgres in CI", () => {
            throw new Error(`Postgres is not reachable at ${TEST_PG_URL}: ${pgProblem}`);
          });
        });
      } else {
        describe.skip(`${name} [postgres] (Postgres not reachable)`, () => suite(() => { throw new Error("unreachable"); }));
      }
      continue;
    }
    describe(`${name} [${dialect}]`, () => {
      let handle: TestDatabaseHandle | undefined;
      beforeAll(async () => { handle = await openTestDatabase(dialect); });
      afterAll(async () => { await handle?.close(); });
      suite(() => {
        if (!handle) throw new Error("database not open");
        return handle;
      });
    });
  }
}
