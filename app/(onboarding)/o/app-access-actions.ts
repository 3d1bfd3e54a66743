"use server";

import { revalidatePath } from "next/cache";
import { verifyAfterResponse } from "@/lib/verification/after-submission";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { AppAccessError, submitAppAccess } from "@/lib/app-access/lifecycle";
import { consume } from "@/lib/auth/rate-limit";
import { appAccessSchema } from "@/lib/validation/app-access";

export const submitAppAccessAction = workspaceAction(
  appAccessSchema,
  async (form, { visitor, db }): Promise<ActionState> => {
    // The same limit as a credential submission: each one starts a verification against the tenant.
    if (!(await consume(db, "submitPerOnboarding", visitor.onboardingId)).ok) return fail("rate_limited");
    try {
      await submitAppAccess(db, visitor.onboardingId, visitor.actor, form);
    } catch (error) {
      if (error instanceof AppAccessError) return fail(error.code);
      throw error;
    }
    verifyAfterResponse(db, visitor.onboardingId);
    revalidatePath("/o");
    return { status: "success", message: "Submitted. MoxiWorks is verifying the connection now." };
  },
  { kinds: ["brokerage"] },
);
