import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { connect, migrateToLatest, type DatabaseHandle } from "./connect";

/**
 * The process-wide database, connected and migrated on first use. Kept on globalThis so module reloads
 * (dev server, tests) share one pool.
 */
const holder = globalThis as unknown as { __moxiDb?: Promise<DatabaseHandle> };

export function database(): Promise<DatabaseHandle> {
  holder.__moxiDb ??= (async () => {
    const c = config();
    const handle = connect({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
    const applied = await migrateToLatest(handle.db);
    log.info({ database: handle.description, applied }, applied.length ? "database migrated" : "database ready");
    return handle;
  })().catch((error) => {
    holder.__moxiDb = undefined; // let the next request retry (e.g. Postgres was still starting)
    throw error;
  });
  return holder.__moxiDb;
}

export async function db() {
  return (await database()).db;
}
