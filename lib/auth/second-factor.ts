import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { consume, reset } from "./rate-limit";
import { confirmTotpEnrolment, verifySecondFactor, type StaffSession } from "./staff";

export type SecondFactorOutcome = "ok" | "invalid" | "rate_limited";

/**
 * The authenticator step (sign-in, or finishing enrolment). Wrong codes count on their own key per account, which
 * only a correct code clears: signing in again with the password does not buy fresh guesses.
 */
export async function passSecondFactor(db: Kysely<Database>, session: StaffSession, code: string, mode: "verify" | "enrol"): Promise<SecondFactorOutcome> {
  if (!(await consume(db, "secondFactorPerAccount", session.staff.id)).ok) return "rate_limited";
  const ok = mode === "enrol" ? await confirmTotpEnrolment(db, session, code) : await verifySecondFactor(db, session, code);
  if (!ok) return "invalid";
  await reset(db, "secondFactorPerAccount", session.staff.id);
  return "ok";
}
