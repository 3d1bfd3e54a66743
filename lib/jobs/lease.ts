import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

/**
 * A lease per job in the database, so that when several app instances share Postgres only one runs each
 * job. Acquiring is one conditional write: insert the row, or take it over when the previous lease expired.
 */
export async function acquireLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const inserted = await db
    .insertInto("job_leases")
    .values({ name, holder, expires_at: expiresAt, last_run_at: null })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const taken = await db
    .updateTable("job_leases")
    .set({ holder, expires_at: expiresAt })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("expires_at", "<=", now.toISOString()), eb("holder", "=", holder)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Gives the lease up; `ranAt` records a finished run (null when the holder decided not to run). */
export async function releaseLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
  { ranAt, now = new Date() }: { ranAt: Date | null; now?: Date } = { ranAt: new Date() },
) {
  await db
    .updateTable("job_leases")
    .set({ expires_at: now.toISOString(), ...(ranAt ? { last_run_at: ranAt.toISOString() } : {}) })
    .where("name", "=", name)
    .where("holder", "=", holder)
    .execute();
}

/** When the job last finished (any instance), to decide whether it is due. */
export async function lastRun(db: Kysely<Database>, name: string): Promise<Date | undefined> {
  const row = await db.selectFrom("job_leases").select("last_run_at").where("name", "=", name).executeTakeFirst();
  return row?.last_run_at ? new Date(row.last_run_at) : undefined;
}
