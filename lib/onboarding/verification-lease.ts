import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { OnboardingState } from "./lifecycle";

/**
 * The lease of a verification in flight. Whoever tests an onboarding for a verdict (a submission's
 * verification, staff re-verifying, the nightly re-verification) first claims the onboarding with one
 * conditional update, and renews the claim by a heartbeat while the probe runs. A process that dies stops
 * renewing: after LEASE_MS the claim is stale and the resume job may take the onboarding over. Two processes
 * therefore never test one onboarding at once, and none can leave it claimed for good.
 */
export const VERIFICATION_LEASE_MS = 90_000;
/** Three beats per lease: one slow database round trip does not lose a live lease. */
export const HEARTBEAT_MS = 30_000;

type Db = Kysely<Database> | Transaction<Database>;

export function newHolder(): string {
  return `${process.pid}-${randomUUID()}`;
}

function until(now: Date) {
  return new Date(now.getTime() + VERIFICATION_LEASE_MS).toISOString();
}

/**
 * Claims the onboarding for `holder` if it is in one of `states` and nobody holds a live lease on it.
 * Returns false when another process got there first (or the state moved on).
 */
export async function claimVerification(db: Db, onboardingId: string, holder: string, states: readonly OnboardingState[], now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable("onboardings")
    .set({ verification_holder: holder, verification_lease_until: until(now) })
    .where("id", "=", onboardingId)
    .where("state", "in", states)
    .where((eb) => eb.or([eb("verification_lease_until", "is", null), eb("verification_lease_until", "<=", now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends a lease this holder still has; false when it was lost (taken over after going stale). */
export async function renewVerification(db: Db, onboardingId: string, holder: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable("onboardings")
    .set({ verification_lease_until: until(now) })
    .where("id", "=", onboardingId)
    .where("verification_holder", "=", holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}


export async function releaseVerification(db: Db, onboardingId: string, holder: string): Promise<void> {
  await db
    .updateTable("onboardings")
    .set({ verification_holder: null, verification_lease_until: null })
    .where("id", "=", onboardingId)
    .where("verification_holder", "=", holder)
    .execute();
}

/** Onboardings left in `verifying` whose lease went stale (or that never had one: rows from before leases). */
export async function staleVerifications(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db
    .selectFrom("onboardings")
    .select("id")
    .where("state", "=", "verifying")
    .where((eb) => eb.or([eb("verification_lease_until", "is", null), eb("verification_lease_until", "<=", now.toISOString())]))
    .execute();
  return rows.map((r) => r.id);
}
