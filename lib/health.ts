import "server-only";
import { database } from "@/lib/db";
import { isReadyAndMigrated } from "@/lib/db/connect";
import { log } from "@/lib/log";

/** 200 `{status:"ok"}` only when the database answers and is fully migrated; 503 otherwise, without internals. */
export async function health(): Promise<{ status: number; body: { status: "ok" | "unavailable" } }> {
  try {
    const { db } = await database();
    if (await isReadyAndMigrated(db)) return { status: 200, body: { status: "ok" } };
  } catch (error) {
    log.warn({ err: error }, "health check: database unavailable");
  }
  return { status: 503, body: { status: "unavailable" } };
}
