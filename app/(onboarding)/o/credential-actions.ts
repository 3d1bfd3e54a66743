"use server";

import { revalidatePath } from "next/cache";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { consume } from "@/lib/auth/rate-limit";
import { CredentialStoreError, submitCredential } from "@/lib/credentials/store";
import { credentialFormSchema } from "@/lib/validation/credentials";
import { verifyAfterResponse } from "@/lib/verification/after-submission";

/**
 * Saves the service account details. Brokerage link sessions only (a vendor link can run the test but never
 * store); `workspaceAction` checks Fetch Metadata/Origin itself (Next lets a request with no Origin through),
 * authenticates and validates with the form's own schema. Returns nothing secret — not even the values
 * back: the page re-renders the masked preview.
 */
export const saveCredentialAction = workspaceAction(
  credentialFormSchema,
  async (data, { visitor, db }): Promise<ActionState> => {
    const limit = await consume(db, "submitPerOnboarding", visitor.onboardingId);
    if (!limit.ok) return fail("rate_limited");
    try {
      await submitCredential(db, { ...data, onboardingId: visitor.onboardingId, actor: visitor.actor });
    } catch (error) {
      if (error instanceof CredentialStoreError) return fail(error.code);
      throw error; // TransitionError and the rest: mapped (and logged) by workspaceAction
    }
    verifyAfterResponse(db, visitor.onboardingId);
    revalidatePath("/o");
    return { status: "success", message: "Saved securely. The connection test starts automatically; its result appears on this page." };
  },
  { kinds: ["brokerage"] },
);
