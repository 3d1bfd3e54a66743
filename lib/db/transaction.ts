import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema";

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one, so a use case can compose
 * steps that each stay atomic on their own (Kysely refuses to nest transactions).
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
