import "server-only";
import { config } from "@/lib/config";
import { database } from "@/lib/db";
import { isReadyAndMigrated } from "@/lib/db/connect";
import { log } from "@/lib/log";

export type HealthBody = { status: "ok" | "unavailable"; microsoftAppAccess: "configured" | "not_configured" };

/**
 * 200 `{status:"ok"}` only when the database answers and is fully migrated; 503 otherwise, without internals.
 * `microsoftAppAccess` says whether MoxiWorks's Entra app is configured (never which credential or its value).
 */
export async function health(): Promise<{ status: number; body: HealthBody }> {
  const microsoftAppAccess = config().microsoftApp ? "configured" : "not_configured";
  try {
    const { db } = await database();
    if (await isReadyAndMigrated(db)) return { status: 200, body: { status: "ok", microsoftAppAccess } };
  } catch (error) {
    log.warn({ err: error }, "health check: database unavailable");
  }
  return { status: 503, body: { status: "unavailable", microsoftAppAccess } };
}
