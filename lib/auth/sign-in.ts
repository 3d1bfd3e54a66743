import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { appendEvent } from "@/lib/onboarding/store";
import { consume, refund, reset } from "./rate-limit";
import { normaliseEmail, signIn, type SignInResult } from "./staff";

export type SignInAttempt = SignInResult | { ok: false; rateLimited: true };

/**
 * The password step of staff sign-in, with its limits: per client (30 per 15 min), per account and client (5),
 * and per account over all clients (50). They are taken in that order and the first refusal stops the attempt
 * without touching the wider ones: otherwise one client's refused flood would use up the account-wide cap and
 * lock the real staff member out. A correct password clears its own account-and-client count and gives back
 * its account-wide point, so only failures count towards the cap.
 * `breakGlassOnly` (an OpenID provider is configured): only TechOps accounts may use a password, and each use is
 * audited; a staff account's correct password is refused like a wrong one (and audited, without naming it).
 */
export async function attemptSignIn(db: Kysely<Database>, email: string, password: string, client: string, options: { breakGlassOnly?: boolean } = {}): Promise<SignInAttempt> {
  const account = normaliseEmail(email);
  const pair = `${account}|${client}`;
  if (!(await consume(db, "signInPerClient", client)).ok) return { ok: false, rateLimited: true };
  if (!(await consume(db, "signInPerAccountClient", pair)).ok) return { ok: false, rateLimited: true };
  if (!(await consume(db, "signInPerAccount", account)).ok) return { ok: false, rateLimited: true };
  const result = await signIn(db, account, password, { techopsOnly: options.breakGlassOnly });
  if (result.ok) {
    await reset(db, "signInPerAccountClient", pair);
    await refund(db, "signInPerAccount", account);
    // With an OpenID provider configured the password is the break-glass door: every use is in the audit log.
    if (options.breakGlassOnly) {
      await appendEvent(db, { onboardingId: null, type: "break_glass_sign_in", actor: { kind: "techops", id: result.staff.id, label: result.staff.name } });
    }
  }
  if (!result.ok && result.notBreakGlass) {
    await appendEvent(db, { onboardingId: null, type: "break_glass_refused", actor: { kind: "system", label: "MoxiEngage Onboarding" }, details: { why: "password sign-in of a staff account while OpenID Connect sign-in is on" } });
  }
  return result;
}
