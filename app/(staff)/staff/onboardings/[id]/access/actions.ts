"use server";

import { revalidatePath } from "next/cache";
import { fail, staffAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { consume } from "@/lib/auth/rate-limit";
import { reauthenticate } from "@/lib/auth/staff";
import { CredentialDecryptError } from "@/lib/crypto/envelope";
import { recordRevealRefused } from "@/lib/credentials/reveal";
import { CredentialStoreError } from "@/lib/credentials/store";
import { log } from "@/lib/log";
import { AccessError, requestAccess, revealWithApproval } from "@/lib/support/access";
import { requestAccessSchema, revealWithApprovalSchema } from "@/lib/validation/support";
import type { RevealData } from "@/lib/credentials/reveal";

/**
 * Support access with the brokerage's approval (issue 24). Thin: the wrapper checks origin, session and the
 * form's schema; lib/support decides (TechOps are refused there: they have the break-glass reveal).
 */
export const requestAccessAction = staffAction(requestAccessSchema, async ({ onboardingId, reason, durationHours }, { staff, db }): Promise<ActionState> => {
  try {
    await requestAccess(db, { onboardingId, staff: staff.staff, reason, durationHours });
  } catch (error) {
    if (error instanceof AccessError) return fail(error.code);
    throw error;
  }
  revalidatePath(`/staff/onboardings/${onboardingId}`);
  return { status: "success", message: "Request sent. The brokerage has been emailed and answers in its workspace; this page shows the answer." };
});

/**
 * The TechOps reveal's controls (fresh password + TOTP, reason, rate limit, audit before the password leaves),
 * with the approval checked again inside the same transaction as the reveal record.
 */
export const revealWithApprovalAction = staffAction(
  revealWithApprovalSchema,
  async ({ onboardingId, requestId, password, code, reason }, { staff, db }): Promise<ActionState<RevealData>> => {
    const limit = await consume(db, "revealPerStaff", staff.staff.id);
    if (!limit.ok) return fail("rate_limited");
    if (staff.staff.role === "techops") return fail("access_techops");
    const actor = { kind: "staff" as const, id: staff.staff.id, label: staff.staff.name };
    if (!(await reauthenticate(db, staff.staff.id, password, code))) {
      await recordRevealRefused(db, { onboardingId, actor, why: "re-authentication failed" }).catch(() => {});
      return fail("reauth_failed");
    }
    try {
      const revealed = await revealWithApproval(db, { onboardingId, requestId, staff: staff.staff, reason });
      log.info({ onboardingId, staffId: staff.staff.id, requestId }, "credential revealed to support with the brokerage's approval");
      return {
        status: "success",
        data: { serviceAccount: revealed.serviceAccount, testMailbox: revealed.testMailbox, secret: revealed.password, passwordSetAt: revealed.passwordSetAt },
      };
    } catch (error) {
      if (error instanceof AccessError || error instanceof CredentialStoreError) return fail(error.code);
      if (error instanceof CredentialDecryptError) {
        log.error({ err: error, onboardingId }, "support reveal: stored credential cannot be opened");
        return fail("credential_unreadable");
      }
      throw error;
    }
  },
);
