"use server";

import { revalidatePath } from "next/cache";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { AccessError, answerAccess, revokeAccess } from "@/lib/support/access";
import { answerAccessSchema, revokeAccessSchema } from "@/lib/validation/support";

/**
 * The brokerage answers support access requests (issue 24). Brokerage link sessions only; lib/support only
 * finds requests of the visitor's own onboarding, so another brokerage's request id is "unknown".
 */
export const answerAccessAction = workspaceAction(
  answerAccessSchema,
  async (data, { visitor, db }): Promise<ActionState> => {
    try {
      await answerAccess(db, { ...data, visitor });
    } catch (error) {
      if (error instanceof AccessError) return fail(error.code);
      throw error;
    }
    revalidatePath("/o");
    return { status: "success", message: data.decision === "approve" ? "Approved. You can withdraw it below at any time." : "Declined. Nobody was shown the password." };
  },
  { kinds: ["brokerage"] },
);

export const revokeAccessAction = workspaceAction(
  revokeAccessSchema,
  async ({ requestId }, { visitor, db }): Promise<ActionState> => {
    try {
      await revokeAccess(db, { requestId, visitor });
    } catch (error) {
      if (error instanceof AccessError) return fail(error.code);
      throw error;
    }
    revalidatePath("/o");
    return { status: "success", message: "Withdrawn. The credential can no longer be shown under that request." };
  },
  { kinds: ["brokerage"] },
);
