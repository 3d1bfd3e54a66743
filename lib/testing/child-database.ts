import path from "node:path";
import os from "node:os";
import { connect, type DatabaseHandle } from "@/lib/db/connect";

/**
 * Crash and concurrency tests start real child processes (another "app instance") on the test's own
 * database: `childDatabaseEnv` says in the environment which one, `connectChildDatabase` opens it there.
 */
// As lib/testing/databases.ts (not imported: it loads vitest, which a child process has not got).
const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function childDatabaseEnv(handle: DatabaseHandle): Record<string, string> {
  if (handle.dialect === "postgres") {
    const schema = handle.description.match(/\(schema (\w+)\)/)?.[1];
    if (!schema) throw new Error(`no schema in ${handle.description}`);
    return { TEST_CHILD_DIALECT: "postgres", TEST_PG_URL, TEST_PG_SCHEMA: schema };
  }
  const file = handle.description.replace(/^SQLite at /, "");
  return { TEST_CHILD_DIALECT: "sqlite", TEST_SQLITE_DIR: path.dirname(file) };
}

export function connectChildDatabase(): DatabaseHandle {
  if (process.env.TEST_CHILD_DIALECT === "postgres") {
    return connect({ databaseUrl: process.env.TEST_PG_URL!, dataDir: os.tmpdir(), pgSchema: process.env.TEST_PG_SCHEMA });
  }
  return connect({ dataDir: process.env.TEST_SQLITE_DIR! });
}

/** How the children are started: tsx with the server condition, as the scheduler test does. */
export const TSX_ARGS = ["tsx", "--conditions=react-server", "--tsconfig", "tsconfig.json"];
