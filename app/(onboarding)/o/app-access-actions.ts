"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { log } from "@/lib/log";
import { verifyOnboarding } from "@/lib/verification/workflow";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { AppAccessError, submitAppAccess } from "@/lib/app-access/lifecycle";
import { appAccessSchema } from "@/lib/validation/app-access";

export const submitAppAccessAction = workspaceAction(
  appAccessSchema,
  async (form, { visitor, db }): Promise<ActionState> => {
    try {
      await submitAppAccess(db, visitor.onboardingId, visitor.actor, form);
    } catch (error) {
      if (error instanceof AppAccessError) return fail(error.code);
      throw error;
    }
    // Verification starts once the response is sent; if the process stops first, the scheduler resumes it.
    const onboardingId = visitor.onboardingId;
    after(async () => {
      await verifyOnboarding(db, onboardingId, "submission").catch((error) => log.error({ err: error, onboardingId }, "verification after app-access submission failed"));
    });
    revalidatePath("/o");
    return { status: "success", message: "Submitted. MoxiWorks is verifying the connection now." };
  },
  { kinds: ["brokerage"] },
);
