"use server";

import { fail, staffAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { consume } from "@/lib/auth/rate-limit";
import { hasFreshMfa } from "@/lib/auth/oidc";
import { reauthenticate, stepUpWithCode } from "@/lib/auth/staff";
import { CredentialDecryptError } from "@/lib/crypto/envelope";
import { recordRevealRefused, revealCredential, type RevealData } from "@/lib/credentials/reveal";
import { CredentialStoreError } from "@/lib/credentials/store";
import { log } from "@/lib/log";
import { getOnboarding, type Actor } from "@/lib/onboarding/store";
import { revealSchema, revealSsoSchema } from "@/lib/validation/credentials";


/**
 * TechOps break-glass reveal. TechOps role, same-origin and a signed-in second factor (staffAction), then a
 * fresh password + TOTP check (reauthenticate), a written reason, a rate limit, and the `credential_revealed`
 * event committed before the password leaves. The password travels once, in this action's response — never
 * in a URL, a cookie or a log — and the page that shows it is dynamic and uncached.
 * (The field is named `secret`, not `password`, so that nothing that logs action state by key name ever
 * sees a plausible-looking key; the logger would redact `password` anyway.)
 */
export const revealCredentialAction = staffAction(
  revealSchema,
  async ({ onboardingId, password, code, reason }, { staff, db }): Promise<ActionState<RevealData>> => {
    const limit = await consume(db, "revealPerStaff", staff.staff.id);
    if (!limit.ok) return fail("rate_limited");
    if (!(await getOnboarding(db, onboardingId))) return fail("not_found");
    const actor: Actor = { kind: "techops", id: staff.staff.id, label: staff.staff.name };
    if (staff.authMethod !== "password" || !(await reauthenticate(db, staff.staff.id, password, code))) {
      await recordRevealRefused(db, { onboardingId, actor, why: "re-authentication failed" });
      return fail("reauth_failed");
    }
    return reveal(db, onboardingId, actor, reason, staff.staff.id);
  },
  { role: "techops" },
);

/**
 * The reveal for a TechOps member signed in with the company's identity provider: the sign-in must have carried
 * MFA (amr/acr) within the last 15 minutes, or a TOTP code entered now proves it; reason, limit and audit as above.
 */
export const revealCredentialSsoAction = staffAction(
  revealSsoSchema,
  async ({ onboardingId, code, reason }, { staff, db }): Promise<ActionState<RevealData>> => {
    const limit = await consume(db, "revealPerStaff", staff.staff.id);
    if (!limit.ok) return fail("rate_limited");
    if (!(await getOnboarding(db, onboardingId))) return fail("not_found");
    const actor: Actor = { kind: "techops", id: staff.staff.id, label: staff.staff.name };
    const proved = staff.authMethod === "oidc" && (hasFreshMfa(staff) || (!!code && (await stepUpWithCode(db, staff, code))));
    if (!proved) {
      await recordRevealRefused(db, { onboardingId, actor, why: code ? "re-authentication failed" : "no fresh multi-factor sign-in" });
      return fail(code ? "reauth_failed" : "mfa_required_for_techops");
    }
    return reveal(db, onboardingId, actor, reason, staff.staff.id);
  },
  { role: "techops" },
);

async function reveal(db: Parameters<typeof revealCredential>[0], onboardingId: string, actor: Actor, reason: string, staffId: string): Promise<ActionState<RevealData>> {
    try {
      const revealed = await revealCredential(db, { onboardingId, actor, reason });
      log.info({ onboardingId, staffId }, "credential revealed to techops");
      return {
        status: "success",
        data: { serviceAccount: revealed.serviceAccount, testMailbox: revealed.testMailbox, secret: revealed.password, passwordSetAt: revealed.passwordSetAt },
      };
    } catch (error) {
      if (error instanceof CredentialStoreError) return fail(error.code);
      if (error instanceof CredentialDecryptError) {
        log.error({ err: error, onboardingId }, "techops reveal: stored credential cannot be opened");
        return fail("credential_unreadable");
      }
      throw error;
    }
}
