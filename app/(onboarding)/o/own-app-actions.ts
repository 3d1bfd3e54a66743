"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { log } from "@/lib/log";
import { verifyOnboarding } from "@/lib/verification/workflow";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { AppAccessError, graphProbeFor, promoteIfPassed, submitAppAccess } from "@/lib/app-access/lifecycle";
import { chooseOwnApp, generateCertificate, saveOwnAppIds } from "@/lib/app-access/own-app";
import { clientKey } from "@/lib/auth/request";
import { consume } from "@/lib/auth/rate-limit";
import { appendEvent } from "@/lib/onboarding/store";
import { runTest } from "@/lib/test-runs/run";
import { ownAppSchema } from "@/lib/validation/own-app";
import type { AppAccessTestResult } from "./app-access-actions";

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

/** Runs the Graph test now with the brokerage's app and the newest certificate; a pass makes that certificate the working one. */
export const testOwnAppAction = workspaceAction(ownAppSchema, async (form, { visitor, db }): Promise<ActionState<AppAccessTestResult>> => {
  if (!(await consume(db, "testPerClient", await clientKey())).ok) return fail("rate_limited");
  await saveOwnAppIds(db, visitor.onboardingId, visitor.actor, { tenant: form.tenant, clientId: form.clientId });
  const graph = await graphProbeFor(db, visitor.onboardingId, form);
  if (!graph) return fail("own_app_details_required");
  const run = await runTest(db, { onboardingId: visitor.onboardingId, trigger: "manual", actor: visitor.actor, graph });
  await promoteIfPassed(db, visitor.onboardingId, graph.certificateId, run.outcome, visitor.actor);
  revalidatePath("/o");
  return { status: "success", message: run.outcome === "passed" ? "The test passed." : "The test failed: see what it found below.", data: { outcome: run.outcome, steps: run.steps, findings: run.findings } };
});

export const submitOwnAppAction = workspaceAction(
  ownAppSchema,
  async (form, { visitor, db }): Promise<ActionState> => {
    try {
      await submitAppAccess(db, visitor.onboardingId, visitor.actor, form);
    } catch (error) {
      if (error instanceof AppAccessError) return fail(error.code);
      throw error;
    }
    const onboardingId = visitor.onboardingId;
    after(async () => {
      await verifyOnboarding(db, onboardingId, "submission").catch((error) => log.error({ err: error, onboardingId }, "verification after own-app submission failed"));
    });
    revalidatePath("/o");
    return { status: "success", message: "Submitted. MoxiWorks is verifying the connection now." };
  },
  { kinds: ["brokerage"] },
);
