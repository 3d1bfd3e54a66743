import "server-only";
import { revalidatePath } from "next/cache";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { consume } from "@/lib/auth/rate-limit";
import { verifyAfterResponse } from "@/lib/verification/after-submission";
import { appAccessSchema } from "@/lib/validation/app-access";
import { ownAppSchema } from "@/lib/validation/own-app";
import { AppAccessError, submitAppAccess } from "./lifecycle";

/**
 * The graph_app submission as a workspace server action, for MoxiWorks's app (`appAccessSchema`) and the
 * brokerage's own app (`ownAppSchema`) alike: the per-onboarding submission limit, the submission, then the
 * verification once the response is sent. Brokerage links only.
 */
export function appAccessSubmissionAction(schema: typeof appAccessSchema | typeof ownAppSchema) {
  return workspaceAction(
    schema,
    async (form, { visitor, db }): Promise<ActionState> => {
      // Each submission starts a verification against the tenant: the same limit as a credential submission.
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
}
