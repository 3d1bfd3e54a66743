"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { fail, publicAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { clientKey, cookieOptions, currentStaff, SETUP_COOKIE, STAFF_COOKIE } from "@/lib/auth/request";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { passSecondFactor } from "@/lib/auth/second-factor";
import { completeSetup, normaliseEmail, SESSION_ABSOLUTE_MS, signOut } from "@/lib/auth/staff";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isSameOriginRequest } from "@/lib/http/origin";
import { log } from "@/lib/log";
import { setupPasswordSchema, signInSchema, totpCodeSchema } from "@/lib/validation/staff";

const sessionMaxAge = SESSION_ABSOLUTE_MS / 1000;

export const signInAction = publicAction(signInSchema, async ({ email, password }, { db }): Promise<ActionState> => {
  const account = normaliseEmail(email);
  // With an OpenID provider configured the password form is TechOps's break-glass door only.
  const result = await attemptSignIn(db, account, password, await clientKey(), { breakGlassOnly: config().oidc !== undefined });
  if (!result.ok) {
    if ("rateLimited" in result) {
      log.warn({ account }, "staff sign-in rate limited");
      return fail("rate_limited");
    }
    log.info({ account, notBreakGlass: result.notBreakGlass === true }, "staff sign-in failed");
    return fail("sign_in_failed");
  }
  (await cookies()).set(STAFF_COOKIE, result.sessionToken, cookieOptions(sessionMaxAge));
  log.info({ staffId: result.staff.id, breakGlass: config().oidc !== undefined }, "staff signed in");
  redirect(result.needsSecondFactor ? (result.staff.totpEnabled ? "/staff/two-factor" : "/staff/enroll") : "/staff");
});

async function secondFactorStep(code: string, confirm: boolean): Promise<ActionState> {
  const session = await currentStaff();
  if (!session) return fail("not_signed_in");
  const outcome = await passSecondFactor(await db(), session, code, confirm ? "enrol" : "verify");
  if (outcome === "rate_limited") return fail("rate_limited");
  if (outcome === "invalid") return fail("code_invalid");
  redirect("/staff");
}

export const twoFactorAction = publicAction(totpCodeSchema, async ({ code }) => secondFactorStep(code, false));
export const enrollAction = publicAction(totpCodeSchema, async ({ code }) => secondFactorStep(code, true));

export const setupAction = publicAction(setupPasswordSchema, async ({ password }, { db }): Promise<ActionState> => {
  const jar = await cookies();
  const token = jar.get(SETUP_COOKIE)?.value;
  const sessionToken = token ? await completeSetup(db, token, password) : undefined;
  if (!sessionToken) return { status: "error", code: "link_unusable", message: "This set-up link has expired or was already used. Ask a TechOps colleague for a new one." };
  jar.delete(SETUP_COOKIE);
  jar.set(STAFF_COOKIE, sessionToken, cookieOptions(sessionMaxAge));
  redirect("/staff/enroll");
});

export async function signOutAction() {
  // Signing someone out is a state change too: a cross-site form must not end a staff session.
  if (!isSameOriginRequest(await headers())) return;
  const jar = await cookies();
  const token = jar.get(STAFF_COOKIE)?.value;
  if (token) await signOut(await db(), token);
  jar.delete(STAFF_COOKIE);
  redirect("/staff/sign-in?signed-out=1");
}
