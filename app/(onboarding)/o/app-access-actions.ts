"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { log } from "@/lib/log";
import { verifyOnboarding } from "@/lib/verification/workflow";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { AppAccessError, graphProbeFor, submitAppAccess } from "@/lib/app-access/lifecycle";
import { clientKey } from "@/lib/auth/request";
import { consume } from "@/lib/auth/rate-limit";
import type { Finding } from "@/lib/diagnosis/diagnose";
import type { ProbeStep } from "@/lib/exchange/steps";
import { runTest } from "@/lib/test-runs/run";
import { appAccessSchema } from "@/lib/validation/app-access";

export type AppAccessTestResult = { outcome: "passed" | "failed" | null; steps: ProbeStep[]; findings: Finding[] };

/** Runs the Microsoft Graph app-access test now with the form's mailboxes (a test message only when ticked). */
export const testAppAccessAction = workspaceAction(appAccessSchema, async (form, { visitor, db }): Promise<ActionState<AppAccessTestResult>> => {
  if (!(await consume(db, "testPerClient", await clientKey())).ok) return fail("rate_limited");
  const graph = await graphProbeFor(db, visitor.onboardingId, form);
  if (!graph) return fail("consent_required");
  const run = await runTest(db, { onboardingId: visitor.onboardingId, trigger: "manual", actor: visitor.actor, graph });
  revalidatePath("/o");
  return { status: "success", message: run.outcome === "passed" ? "The test passed." : "The test failed: see what it found below.", data: { outcome: run.outcome, steps: run.steps, findings: run.findings } };
});

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
