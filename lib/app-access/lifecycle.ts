import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import type { Finding } from "@/lib/diagnosis/diagnose";
import type { Cause } from "@/lib/diagnosis/causes";
import { FAILURE_TITLES, type Failure } from "@/lib/exchange/failures";
import type { ProbeResult } from "@/lib/exchange/probe";
import { guideHref, APP_ACCESS_TRACK, stepAnchor } from "@/lib/guide/ids";
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

/** The guide step that fixes each Graph failure (fixed anchors of the app-access track). */
const FIX: Partial<Record<Failure["code"], string>> = {
  consent_required: stepAnchor("grant-consent", 2),
  app_not_found: stepAnchor("grant-consent", 2),
  tenant_mismatch: stepAnchor("grant-consent", 2),
  tenant_not_found: stepAnchor("grant-consent", 2),
  app_access_denied: stepAnchor("scope-app-access", 4),
  app_scope_too_broad: stepAnchor("troubleshoot-app-access", 3),
  mailbox_not_enabled: stepAnchor("troubleshoot-app-access", 4),
  mailbox_not_found: stepAnchor("create-agent-group", 1),
  conditional_access: stepAnchor("troubleshoot-app-access", 5),
};

/**
 * Findings for a failed Graph test, straight from the probe's typed failure (the log-reading diagnosis speaks
 * the EWS vocabulary). Each points at the app-access step that fixes it.
 */
export function graphFindings(result: ProbeResult): { primaryCause: string | null; findings: Finding[] } {
  if (result.outcome === "passed" || !result.failure) return { primaryCause: null, findings: [] };
  const f = result.failure;
  const moxi = ["client_secret_invalid", "client_secret_expired", "certificate_invalid", "token_failed", "internal_error"].includes(f.code);
  const finding: Finding = {
    cause: f.code as Cause,
    title: FAILURE_TITLES[f.code],
    explanation: f.message,
    actor: moxi ? "moxiworks" : "brokerage_admin",
    actions: [moxi ? "MoxiWorks has been told; nothing to change in your tenant." : "Follow the guide step linked here, then run the test again."],
    guideStep: guideHref(APP_ACCESS_TRACK, FIX[f.code] ?? "troubleshoot-app-access"),
    evidence: [f.message.slice(0, 300)],
    confidence: 0.9,
    signals: [`graph:${f.code}`],
  };
  return { primaryCause: f.code, findings: [finding] };
}
