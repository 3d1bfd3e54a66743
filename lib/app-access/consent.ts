import "server-only";
import type { Kysely } from "kysely";
import { hashToken, looksLikeToken, randomToken } from "@/lib/auth/secrets";
import { readLinkSession, type LinkSession } from "@/lib/auth/links";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { isGuid } from "@/lib/graph/input";
import { GRAPH_SCOPE } from "@/lib/graph/token";
import { appendEvent } from "@/lib/onboarding/store";
import type { AppAccessSetup, TokenCheck } from "./app";

/**
 * Admin consent for MoxiWorks's app (reference: Microsoft's v2 admin-consent endpoint). A link visitor (brokerage
 * or vendor) starts it; Microsoft sends the admin back to /api/consent/callback with `state` and either
 * `admin_consent=True&tenant=<GUID>` or `error` + `error_description` (AADSTS code). The state is single-use,
 * short-lived and bound to the link session that started it. The returned tenant is recorded, and trusted only
 * once the server obtained a token for it.
 */
export const CONSENT_STATE_TTL_MS = 10 * 60 * 1000;
export const CONSENT_CALLBACK_PATH = "/api/consent/callback";

export type ConsentOutcome =
  | "granted"
  | "granted_untrusted"
  | "declined"
  | "not_admin"
  | "other_tenant"
  | "cancelled"
  | "consent_failed"
  | "state_unknown"
  | "state_expired"
  | "state_replayed"
  | "state_other_session"
  | "missing_params"
  | "not_configured";

export const CONSENT_OUTCOMES: readonly ConsentOutcome[] = [
  "granted",
  "granted_untrusted",
  "declined",
  "not_admin",
  "other_tenant",
  "cancelled",
  "consent_failed",
  "state_unknown",
  "state_expired",
  "state_replayed",
  "state_other_session",
  "missing_params",
  "not_configured",
];

export function isConsentOutcome(v: unknown): v is ConsentOutcome {
  return typeof v === "string" && (CONSENT_OUTCOMES as readonly string[]).includes(v);
}

export function adminConsentUrl(setup: AppAccessSetup, appUrl: string, state: string): string {
  // "organizations", not "common" (Microsoft: don't use common for admin consent); the tenant is whoever signs in.
  const u = new URL(`${setup.authorityHost}/organizations/v2.0/adminconsent`);
  u.searchParams.set("client_id", setup.clientId);
  u.searchParams.set("scope", GRAPH_SCOPE);
  u.searchParams.set("redirect_uri", `${appUrl}${CONSENT_CALLBACK_PATH}`);
  u.searchParams.set("state", state);
  return u.toString();
}

/** A new single-use state for this link session; the onboarding's method becomes graph_app. */
export async function startConsent(db: Kysely<Database>, visitor: LinkSession, sessionToken: string, setup: AppAccessSetup, appUrl: string): Promise<string> {
  const state = randomToken(32);
  const now = new Date();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("consent_states")
      .values({
        state_hash: hashToken(state),
        onboarding_id: visitor.onboardingId,
        link_session_hash: hashToken(sessionToken),
        link_id: visitor.linkId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CONSENT_STATE_TTL_MS).toISOString(),
        used_at: null,
      })
      .execute();
    await trx.updateTable("onboardings").set({ connection_method: "graph_app" }).where("id", "=", visitor.onboardingId).execute();
    await appendEvent(trx, { onboardingId: visitor.onboardingId, type: "app_consent_started", actor: visitor.actor, details: { clientId: setup.clientId } });
  });
  return adminConsentUrl(setup, appUrl, state);
}

/** Microsoft's redirect parameters, each capped; anything else is ignored. */
export type CallbackParams = { state?: string; adminConsent?: string; tenant?: string; error?: string; errorDescription?: string };

export function readCallbackParams(search: URLSearchParams): CallbackParams {
  const get = (k: string, max: number) => {
    const v = search.get(k);
    return v === null ? undefined : v.slice(0, max);
  };
  return { state: get("state", 200), adminConsent: get("admin_consent", 10), tenant: get("tenant", 100), error: get("error", 100), errorDescription: get("error_description", 2000) };
}

/** Entra's error → what we tell the admin (codes from shared/reference/m365-app-access.md §5). */
export function classifyConsentError(error: string, description = ""): { outcome: ConsentOutcome; aadsts?: string } {
  const aadsts = /AADSTS(\d{4,7})/.exec(description)?.[1];
  if (aadsts === "65004") return { outcome: "declined", aadsts };
  if (aadsts === "90094" || aadsts === "90008") return { outcome: "not_admin", aadsts };
  if (aadsts === "50020") return { outcome: "other_tenant", aadsts };
  if (!aadsts && (error === "access_denied" || error === "permission_denied")) return { outcome: "cancelled" };
  return { outcome: "consent_failed", aadsts };
}

export type CallbackResult = { outcome: ConsentOutcome; onboardingId?: string; aadsts?: string };

export async function completeConsent(
  db: Kysely<Database>,
  params: CallbackParams,
  sessionToken: string | undefined,
  setup: AppAccessSetup | undefined,
  checkToken: (tenantId: string) => Promise<TokenCheck>,
): Promise<CallbackResult> {
  if (!setup) return { outcome: "not_configured" };
  if (!params.state) return { outcome: "missing_params" };
  if (!looksLikeToken(params.state)) return { outcome: "state_unknown" };
  const row = await db.selectFrom("consent_states").selectAll().where("state_hash", "=", hashToken(params.state)).executeTakeFirst();
  if (!row) return { outcome: "state_unknown" };
  if (row.used_at) return { outcome: "state_replayed", onboardingId: row.onboarding_id };
  const now = nowIso();
  if (row.expires_at <= now) return { outcome: "state_expired", onboardingId: row.onboarding_id };
  const visitor = sessionToken && looksLikeToken(sessionToken) ? await readLinkSession(db, sessionToken) : undefined;
  if (!visitor || hashToken(sessionToken!) !== row.link_session_hash || visitor.onboardingId !== row.onboarding_id) {
    return { outcome: "state_other_session", onboardingId: row.onboarding_id };
  }
  // Spend the state first (a conditional update: a second, concurrent callback with it finds nothing to update).
  const spent = await db.updateTable("consent_states").set({ used_at: now }).where("state_hash", "=", row.state_hash).where("used_at", "is", null).executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return { outcome: "state_replayed", onboardingId: row.onboarding_id };

  if (params.error) {
    const { outcome, aadsts } = classifyConsentError(params.error, params.errorDescription);
    await appendEvent(db, { onboardingId: row.onboarding_id, type: "app_consent_failed", actor: visitor.actor, details: { outcome, aadsts: aadsts ?? null, error: params.error.replace(/[^a-z_]/gi, "").slice(0, 40) } });
    return { outcome, onboardingId: row.onboarding_id, aadsts };
  }
  const tenantId = params.tenant?.trim().toLowerCase();
  if (params.adminConsent?.toLowerCase() !== "true" || !tenantId || !isGuid(tenantId)) return { outcome: "missing_params", onboardingId: row.onboarding_id };

  // Proof before trust: a token for that tenant. Its failure leaves the consent recorded but untrusted.
  const token = await checkToken(tenantId).catch((): TokenCheck => ({ ok: false, code: "token_failed" }));
  const at = nowIso();
  await inTransaction(db, async (trx) => {
    const values = {
      registration: "moxiworks",
      tenant_id: tenantId,
      client_id: setup.clientId,
      granted_by_kind: visitor.kind,
      granted_by_label: visitor.actor.label,
      granted_at: at,
      trusted_at: token.ok ? at : null,
      token_problem: token.ok ? null : token.code,
      updated_at: at,
    };
    const existing = await trx.selectFrom("app_access").select("onboarding_id").where("onboarding_id", "=", row.onboarding_id).executeTakeFirst();
    if (existing) await trx.updateTable("app_access").set(values).where("onboarding_id", "=", row.onboarding_id).execute();
    else await trx.insertInto("app_access").values({ onboarding_id: row.onboarding_id, ...values, group_name: null, test_mailbox: null, out_of_scope_mailbox: null, submitted_at: null, verified_at: null }).execute();
    await trx.updateTable("onboardings").set({ connection_method: "graph_app" }).where("id", "=", row.onboarding_id).execute();
    await appendEvent(trx, {
      onboardingId: row.onboarding_id,
      type: token.ok ? "app_consent_granted" : "app_consent_untrusted",
      actor: visitor.actor,
      details: { tenantId, clientId: setup.clientId, ...(token.ok ? {} : { tokenProblem: token.code }) },
    });
  });
  return { outcome: token.ok ? "granted" : "granted_untrusted", onboardingId: row.onboarding_id };
}

export type AppAccessRecord = {
  method: "ews_impersonation" | "graph_app";
  /** Whose Entra app a graph_app onboarding uses: MoxiWorks's multi-tenant app, or the brokerage's own. */
  registration: "moxiworks" | "own";
  tenantId: string | null;
  clientId: string | null;
  grantedBy: { kind: string; label: string } | null;
  grantedAt: string | null;
  trustedAt: string | null;
  tokenProblem: string | null;
  groupName: string | null;
  testMailbox: string | null;
  outOfScopeMailbox: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
};

export async function getAppAccess(db: Kysely<Database>, onboardingId: string): Promise<AppAccessRecord> {
  const o = await db.selectFrom("onboardings").select("connection_method").where("id", "=", onboardingId).executeTakeFirst();
  const r = await db.selectFrom("app_access").selectAll().where("onboarding_id", "=", onboardingId).executeTakeFirst();
  return {
    method: o?.connection_method === "graph_app" ? "graph_app" : "ews_impersonation",
    registration: r?.registration === "own" ? "own" : "moxiworks",
    tenantId: r?.tenant_id ?? null,
    clientId: r?.client_id ?? null,
    grantedBy: r?.granted_by_kind ? { kind: r.granted_by_kind, label: r.granted_by_label ?? "" } : null,
    grantedAt: r?.granted_at ?? null,
    trustedAt: r?.trusted_at ?? null,
    tokenProblem: r?.token_problem ?? null,
    groupName: r?.group_name ?? null,
    testMailbox: r?.test_mailbox ?? null,
    outOfScopeMailbox: r?.out_of_scope_mailbox ?? null,
    submittedAt: r?.submitted_at ?? null,
    verifiedAt: r?.verified_at ?? null,
  };
}

/** Re-tries the token for a recorded but untrusted consent (the "Check again" button). */
export async function recheckConsent(db: Kysely<Database>, onboardingId: string, checkToken: (tenantId: string) => Promise<TokenCheck>): Promise<TokenCheck> {
  const r = await db.selectFrom("app_access").selectAll().where("onboarding_id", "=", onboardingId).executeTakeFirst();
  if (!r?.tenant_id) return { ok: false, code: "consent_required" };
  const token = await checkToken(r.tenant_id).catch((): TokenCheck => ({ ok: false, code: "token_failed" }));
  const at = nowIso();
  await db.updateTable("app_access").set({ trusted_at: token.ok ? (r.trusted_at ?? at) : r.trusted_at, token_problem: token.ok ? null : token.code, updated_at: at }).where("onboarding_id", "=", onboardingId).execute();
  return token;
}
