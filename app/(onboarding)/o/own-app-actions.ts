"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { appAccessSubmissionAction } from "@/lib/app-access/submission-action";
import { chooseOwnApp, generateCertificate } from "@/lib/app-access/own-app";
import { consume } from "@/lib/auth/rate-limit";
import { appendEvent } from "@/lib/onboarding/store";
import { ownAppSchema } from "@/lib/validation/own-app";
import { ownAppSecretSchema } from "@/lib/validation/own-app-secret";
import { removeClientSecret, saveClientSecret } from "@/lib/app-access/own-app-secret";

const nothing = z.object({});

/** "Use our own app registration": the onboarding's Microsoft 365 app access uses the brokerage's own app. */
export const chooseOwnAppAction = workspaceAction(nothing, async (_f, { visitor, db }): Promise<ActionState> => {
  await db.transaction().execute(async (trx) => {
    await chooseOwnApp(trx, visitor.onboardingId);
    await appendEvent(trx, { onboardingId: visitor.onboardingId, type: "own_app_chosen", actor: visitor.actor });
  });
  revalidatePath("/o");
  return { status: "success", message: "Your own app registration it is: generate the certificate next." };
});

/** A new key pair and certificate (the first one, or a renewal next to the working one). */
export const generateCertificateAction = workspaceAction(nothing, async (_f, { visitor, db }): Promise<ActionState> => {
  if (!(await consume(db, "certificatePerOnboarding", visitor.onboardingId)).ok) return fail("rate_limited");
  await generateCertificate(db, visitor.onboardingId, visitor.actor);
  revalidatePath("/o");
  return { status: "success", message: "A new certificate is ready: download it and upload it to your app registration." };
});

/** Where policy forces a client secret: sealed at once, never sent back; the page shows its hint and expiry. */
export const saveClientSecretAction = workspaceAction(ownAppSecretSchema, async (form, { visitor, db }): Promise<ActionState> => {
  if (!(await consume(db, "certificatePerOnboarding", visitor.onboardingId)).ok) return fail("rate_limited");
  await saveClientSecret(db, visitor.onboardingId, visitor.actor, form);
  revalidatePath("/o");
  return { status: "success", message: "The client secret is saved, sealed. Run the app-access test next." };
}, { kinds: ["brokerage"] });

/** Back to the certificate: the stored client secret is deleted. */
export const removeClientSecretAction = workspaceAction(nothing, async (_f, { visitor, db }): Promise<ActionState> => {
  await removeClientSecret(db, visitor.onboardingId, visitor.actor);
  revalidatePath("/o");
  return { status: "success", message: "The client secret is deleted: the certificate is used again." };
}, { kinds: ["brokerage"] });

export const submitOwnAppAction = appAccessSubmissionAction(ownAppSchema);
