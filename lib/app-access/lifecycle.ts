import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import type { GraphProbeInput, GraphProbeOptions } from "@/lib/graph/probe";
import { getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import type { AppAccessForm } from "@/lib/validation/app-access";
import { appCredential, appAccessSetup, probeOptions } from "./app";
import { getAppAccess } from "./consent";

type Db = Kysely<Database> | Transaction<Database>;

export class AppAccessError extends Error {
  constructor(readonly code: "consent_required" | "app_access_not_configured" | "not_submittable") {
    super(code);
    this.name = "AppAccessError";
  }
}

/**
 * A graph_app submission: consent done (trusted: the server got a token for the tenant) + group + test mailbox +
 * out-of-reach mailbox. Moves the onboarding to `submitted` like a credential submission does.
 */
export async function submitAppAccess(db: Kysely<Database>, onboardingId: string, actor: Actor, form: AppAccessForm): Promise<OnboardingState> {
  if (!appAccessSetup()) throw new AppAccessError("app_access_not_configured");
  return inTransaction(db, async (trx) => {
    const rec = await getAppAccess(trx, onboardingId);
    if (!rec.tenantId || !rec.trustedAt) throw new AppAccessError("consent_required");
    const onboarding = await getOnboarding(trx, onboardingId);
    if (!onboarding || !["invited", "in_progress", "needs_attention", "submitted"].includes(onboarding.state)) throw new AppAccessError("not_submittable");
    const at = nowIso();
    await trx
      .updateTable("app_access")
      .set({ group_name: form.groupName, test_mailbox: form.testMailbox, out_of_scope_mailbox: form.outOfScopeMailbox, submitted_at: at, updated_at: at })
      .where("onboarding_id", "=", onboardingId)
      .execute();
    const details = { method: "graph_app", tenantId: rec.tenantId, group: form.groupName, testMailbox: form.testMailbox, outOfScopeMailbox: form.outOfScopeMailbox };
    let current: OnboardingState = onboarding.state;
    if (current === "submitted") return current;
    if (current === "invited") current = (await transition(trx, onboardingId, "in_progress", actor, { trx })).state;
    return (await transition(trx, onboardingId, "submitted", actor, { trx, type: "app_access_submitted", details })).state;
  });
}

/** The Graph test of an onboarding's graph_app setup (saved fields, or the form's for a live test). */
export async function graphProbeFor(
  db: Db,
  onboardingId: string,
  form?: Pick<AppAccessForm, "testMailbox" | "outOfScopeMailbox" | "sendTestMail">,
): Promise<{ input: GraphProbeInput; options: GraphProbeOptions } | undefined> {
  const setup = appAccessSetup();
  if (!setup) return undefined;
  const rec = await getAppAccess(db, onboardingId);
  if (rec.method !== "graph_app" || !rec.tenantId || !rec.trustedAt) return undefined;
  const testMailbox = form?.testMailbox ?? rec.testMailbox;
  const outOfScopeMailbox = form?.outOfScopeMailbox ?? rec.outOfScopeMailbox;
  if (!testMailbox || !outOfScopeMailbox) return undefined;
  return {
    input: { tenant: rec.tenantId, clientId: setup.clientId, credential: await appCredential(), testMailbox, outOfScopeMailbox, sendTestMail: form?.sendTestMail ?? false, expectedTenantId: rec.tenantId },
    options: await probeOptions(),
  };
}

export async function markAppAccessVerified(db: Db, onboardingId: string): Promise<void> {
  const at = nowIso();
  await db.updateTable("app_access").set({ verified_at: at, updated_at: at }).where("onboarding_id", "=", onboardingId).execute();
}

