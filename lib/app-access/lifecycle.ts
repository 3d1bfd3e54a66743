import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import type { GraphProbeInput, GraphProbeOptions } from "@/lib/graph/probe";
import { getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import type { AppAccessForm } from "@/lib/validation/app-access";
import type { OwnAppForm } from "@/lib/validation/own-app";
import { appCredential, appAccessSetup, probeOptions } from "./app";
import { getAppAccess } from "./consent";
import { chooseOwnApp, listCertificates, openCertificate, promoteCertificate, saveOwnAppIds } from "./own-app";
import { clientSecretView, openClientSecret } from "./own-app-secret";

type Db = Kysely<Database> | Transaction<Database>;

export class AppAccessError extends Error {
  constructor(readonly code: "consent_required" | "app_access_not_configured" | "not_submittable" | "certificate_required") {
    super(code);
    this.name = "AppAccessError";
  }
}

/**
 * A graph_app submission: consent done (trusted: the server got a token for the tenant) + group + test mailbox +
 * out-of-reach mailbox. Moves the onboarding to `submitted` like a credential submission does.
 */
export async function submitAppAccess(db: Kysely<Database>, onboardingId: string, actor: Actor, form: AppAccessForm | OwnAppForm): Promise<OnboardingState> {
  const own = "clientId" in form;
  if (!own && !appAccessSetup()) throw new AppAccessError("app_access_not_configured");
  return inTransaction(db, async (trx) => {
    if (own) {
      // The brokerage's own app: its tenant and client id from the form; proof comes from the verification's token.
      if ((await listCertificates(trx, onboardingId)).length === 0 && !(await clientSecretView(trx, onboardingId))) throw new AppAccessError("certificate_required");
      await saveOwnAppIds(trx, onboardingId, actor, { tenant: form.tenant, clientId: form.clientId });
    }
    const rec = await getAppAccess(trx, onboardingId);
    if (!rec.tenantId || (!own && !rec.trustedAt)) throw new AppAccessError("consent_required");
    const onboarding = await getOnboarding(trx, onboardingId);
    if (!onboarding || !["invited", "in_progress", "needs_attention", "submitted"].includes(onboarding.state)) throw new AppAccessError("not_submittable");
    const at = nowIso();
    await trx
      .updateTable("app_access")
      .set({ group_name: form.groupName, test_mailbox: form.testMailbox, out_of_scope_mailbox: form.outOfScopeMailbox, submitted_at: at, updated_at: at })
      .where("onboarding_id", "=", onboardingId)
      .execute();
    const details = { method: "graph_app", registration: rec.registration, tenantId: rec.tenantId, clientId: rec.clientId, group: form.groupName, testMailbox: form.testMailbox, outOfScopeMailbox: form.outOfScopeMailbox };
    let current: OnboardingState = onboarding.state;
    if (current === "submitted") return current;
    if (current === "invited") current = (await transition(trx, onboardingId, "in_progress", actor, { trx })).state;
    return (await transition(trx, onboardingId, "submitted", actor, { trx, type: "app_access_submitted", details })).state;
  });
}

/**
 * The Graph test of an onboarding's graph_app setup (saved fields, or the form's for a live test). With the
 * brokerage's own app, a live test (a form given) uses the newest certificate, a verification the working one;
 * `certificateId` says which, so a pass can make it the active one (promoteIfPassed).
 */
export async function graphProbeFor(
  db: Db,
  onboardingId: string,
  form?: Pick<AppAccessForm, "testMailbox" | "outOfScopeMailbox" | "sendTestMail"> & Partial<Pick<OwnAppForm, "tenant" | "clientId">>,
): Promise<{ input: GraphProbeInput; options: GraphProbeOptions; certificateId?: string; ownApp?: boolean } | undefined> {
  const own = await ownAppProbeFor(db, onboardingId, form);
  if (own !== "not_own") return own;
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

async function ownAppProbeFor(db: Db, onboardingId: string, form: Parameters<typeof graphProbeFor>[2]) {
  const rec = await getAppAccess(db, onboardingId);
  if (rec.method !== "graph_app" || rec.registration !== "own") return "not_own" as const;
  const tenant = form?.tenant ?? rec.tenantId;
  const clientId = form?.clientId ?? rec.clientId;
  const testMailbox = form?.testMailbox ?? rec.testMailbox;
  const outOfScopeMailbox = form?.outOfScopeMailbox ?? rec.outOfScopeMailbox;
  if (!tenant || !clientId || !testMailbox || !outOfScopeMailbox) return undefined;
  // Where policy forced a client secret, it is used instead of the certificate while it is stored.
  const secret = await openClientSecret(db, onboardingId);
  if (secret) {
    return {
      input: { tenant, clientId, credential: { kind: "secret" as const, clientSecret: secret.clientSecret }, testMailbox, outOfScopeMailbox, sendTestMail: form?.sendTestMail ?? false },
      options: await probeOptions(),
      ownApp: true,
    };
  }
  const cert = await openCertificate(db, onboardingId, form ? "newest" : "working");
  if (!cert) return undefined;
  return {
    input: { tenant, clientId, credential: { kind: "certificate" as const, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem }, testMailbox, outOfScopeMailbox, sendTestMail: form?.sendTestMail ?? false },
    options: await probeOptions(),
    certificateId: cert.certificateId,
    ownApp: true,
  };
}

/** After a passed test with the brokerage's own app: the certificate it used becomes the active one. */
export async function promoteIfPassed(db: Kysely<Database>, onboardingId: string, certificateId: string | undefined, outcome: string | null, actor: Actor): Promise<void> {
  if (certificateId && outcome === "passed") await promoteCertificate(db, onboardingId, certificateId, actor);
}

export { chooseOwnApp };

export async function markAppAccessVerified(db: Db, onboardingId: string): Promise<void> {
  const at = nowIso();
  // A verification tests the working certificate: the active one, or the pending one while there is none.
  const certs = await listCertificates(db, onboardingId);
  if (certs.length && !certs.some((c) => c.status === "active")) {
    const pending = certs[0]!;
    await db.updateTable("app_certificates").set({ status: "active", verified_at: at }).where("id", "=", pending.id).where("status", "=", "pending").execute();
  }
  await db.updateTable("app_access").set({ verified_at: at, updated_at: at }).where("onboarding_id", "=", onboardingId).execute();
}

