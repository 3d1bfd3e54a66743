import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { consume, reset } from "./rate-limit";
import { normaliseEmail, signIn, type SignInResult } from "./staff";

export type SignInAttempt = SignInResult | { ok: false; rateLimited: true };

/**
 * The password step of staff sign-in, with its limits: per account and client (5 per 15 min), per client (30),
 * and per account over all clients (50). A correct password clears its own account-and-client count.
 */
export async function attemptSignIn(db: Kysely<Database>, email: string, password: string, client: string): Promise<SignInAttempt> {
  const account = normaliseEmail(email);
  const limits = await Promise.all([
    consume(db, "signInPerAccountClient", `${account}|${client}`),
    consume(db, "signInPerClient", client),
    consume(db, "signInPerAccount", account),
  ]);
  if (limits.some((l) => !l.ok)) return { ok: false, rateLimited: true };
  const result = await signIn(db, account, password);
  if (result.ok) await reset(db, "signInPerAccountClient", `${account}|${client}`);
  return result;
}
