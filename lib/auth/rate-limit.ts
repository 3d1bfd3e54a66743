import "server-only";
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import { driverOfHandle } from "@/lib/db/connect";
import type { Database } from "@/lib/db/schema";
import { allowLabelValues, recordRateLimitRefusal } from "@/lib/metrics/registry";

/**
 * Named rate limits (rate-limiter-flexible), counted in the database: every instance on one Postgres shares
 * the count, and a restart does not hand an attacker fresh sign-in attempts. If the database cannot answer,
 * each limit falls back to counting in this process (the library's insurance limiter) rather than failing.
 */
const LIMITS = {
  // Wrong passwords per account from one client; and, over all clients, a higher cap on guessing one account.
  // Someone elsewhere cannot lock the real staff member out with five wrong passwords.
  signInPerAccountClient: { points: 5, duration: 15 * 60 },
  signInPerAccount: { points: 50, duration: 15 * 60 },
  signInPerClient: { points: 30, duration: 15 * 60 },
  // Wrong authenticator codes, on their own key: a correct password does not reset it.
  secondFactorPerAccount: { points: 5, duration: 15 * 60 },
  linkOpenPerClient: { points: 60, duration: 60 },
  checklistPerClient: { points: 240, duration: 60 },
  testPerOnboarding: { points: 10, duration: 10 * 60 },
  testPerClient: { points: 20, duration: 10 * 60 },
  submitPerOnboarding: { points: 10, duration: 60 * 60 },
  serviceApiPerToken: { points: 120, duration: 60 },
  // Before authentication, so a flood of bad tokens cannot fill the audit log.
  serviceApiPerClient: { points: 300, duration: 60 },
  // A TechOps credential reveal: each one needs password + TOTP + reason; this caps guessing and misuse.
  revealPerStaff: { points: 5, duration: 15 * 60 },
  // Each vendor link is a new key to the workspace: a burst of them is either a mistake or an attack.
  vendorLinkPerOnboarding: { points: 10, duration: 60 * 60 },
  vendorLinkPerClient: { points: 20, duration: 60 * 60 },
  // Mail-host detection runs public DNS and Microsoft lookups for whoever asks: a fresh lookup (not an answer
  // from the hour's cache) counts, per client and per link session.
  detectPerClient: { points: 30, duration: 10 * 60 },
  detectPerLinkSession: { points: 20, duration: 10 * 60 },
  // "Send me a fresh link" (workspace pages without a session): counted whether or not the address is a contact,
  // so the answer never tells which addresses are; one address gets at most a few mails a day.
  freshLinkPerClient: { points: 10, duration: 60 * 60 },
  freshLinkPerAddress: { points: 3, duration: 24 * 60 * 60 },
  // An RSA key pair costs the server a second of CPU: a few new certificates an hour is plenty for any renewal.
  certificatePerOnboarding: { points: 6, duration: 60 * 60 },
} as const;
export type LimitName = keyof typeof LIMITS;
allowLabelValues("limiter", Object.keys(LIMITS));

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const TABLE = "rate_limits"; // created by migration 005

const limitersOf = new WeakMap<Kysely<Database>, Map<LimitName, RateLimiterAbstract>>();

function limiter(db: Kysely<Database>, name: LimitName): RateLimiterAbstract {
  let limiters = limitersOf.get(db);
  if (!limiters) limitersOf.set(db, (limiters = new Map()));
  let found = limiters.get(name);
  if (!found) {
    const options = { keyPrefix: name, ...LIMITS[name], insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, ...LIMITS[name] }) };
    const driver = driverOfHandle(db);
    found =
      driver.dialect === "postgres"
        ? new RateLimiterPostgres({ ...options, storeClient: driver.pool, schemaName: driver.schema, tableName: TABLE, tableCreated: true, clearExpiredByTimeout: true })
        : new RateLimiterSQLite({ ...options, storeClient: driver.database, storeType: "better-sqlite3", tableName: TABLE, tableCreated: true, clearExpiredByTimeout: true });
    limiters.set(name, found);
  }
  return found;
}

/** Subjects are e-mail addresses, client addresses and ids: only their hash is stored, at a fixed length. */
function subject(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("base64url");
}

export async function consume(db: Kysely<Database>, name: LimitName, key: string, points = 1): Promise<LimitResult> {
  try {
    await limiter(db, name).consume(subject(key), points);
    return { ok: true };
  } catch (rejection) {
    // The library rejects with a RateLimiterRes when the limit is reached. Store failures never get here (the
    // insurance limiter answers instead), so an Error is a bug: let it surface rather than pass as "too many".
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    recordRateLimitRefusal(name);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}

/** Gives back points `consume` took, for an attempt that turned out to be legitimate. */
export async function refund(db: Kysely<Database>, name: LimitName, key: string, points = 1) {
  await limiter(db, name).reward(subject(key), points);
}

export async function reset(db: Kysely<Database>, name: LimitName, key: string) {
  await limiter(db, name).delete(subject(key));
}
