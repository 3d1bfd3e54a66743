"use server";

import { fail, publicAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { clientKey } from "@/lib/auth/request";
import { config } from "@/lib/config";
import { requestFreshLink } from "@/lib/onboarding/fresh-link";
import { freshLinkSchema } from "@/lib/validation/workspace";

/** "Send me a fresh link" on a workspace page without a session: one answer for every address (no enumeration). */
export const requestFreshLinkAction = publicAction(freshLinkSchema, async ({ email }, { db }): Promise<ActionState> => {
  const outcome = await requestFreshLink(db, email, await clientKey(), config().appUrl);
  if (!outcome.ok) return fail("rate_limited");
  return {
    status: "success",
    message: `If ${email} is the contact MoxiWorks has for a brokerage workspace, a fresh link is on its way to it. It can take a few minutes; check the spam folder too.`,
  };
});
