import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { consume } from "@/lib/auth/rate-limit";
import { CredentialDecryptError } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { messageFor, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import { appendEvent, getOnboarding, type Actor } from "@/lib/onboarding/store";
import { getAppAccess } from "@/lib/app-access/consent";
import { openCertificate } from "@/lib/app-access/own-app";
import { openClientSecret } from "@/lib/app-access/own-app-secret";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { authenticateServiceToken, type ServiceTokenInfo } from "./service-tokens";
import { newestVerifiedRow, openSealedRow } from "./store";
import type { AuthScheme } from "@/lib/validation/credentials";

/**
 * `GET /api/v1/credentials/<onboarding>` for the MoxiEngage sync platform, as a plain function from the
 * request's parts to a response, so every refusal is tested without a server. The route handler only adds
 * `Cache-Control: no-store`.
 *
 * Order: per-client rate limit → bearer token (401) → scope (403) → per-token rate limit (429) → onboarding
 * (404) → verified (409) → open and return. Every call with a known onboarding or a known token is written
 * to the audit log as a `credential_api_read` event (token id and outcome, never the token or the secret);
 * the event is committed before the secret is returned.
 */
type Db = Kysely<Database>;

export const REQUIRED_SCOPE = "credentials:read";
const REALM = 'Bearer realm="moxiengage-onboarding"';
const ONBOARDING_ID = /^[0-9a-z]{26}$/;

export type ServiceApiResponse = { status: number; headers: Record<string, string>; body: unknown };

export type CredentialApiBody = {
  onboardingId: string;
  credentialId: string;
  serviceAccount: string;
  password: string;
  testMailbox: string;
  /** null = use Autodiscover */
  ewsUrl: string | null;
  /** How to sign in to EWS: "basic", "ntlm", or "auto" (Basic first; NTLM when the server's 401 offers NTLM and not Basic). */
  authScheme: AuthScheme;
  track: string;
  verifiedAt: string;
};

/** A graph_app onboarding: no secret to hand over; the sync uses MoxiWorks's own app for this tenant. */
export type GraphAppCredentialBody = {
  method: "graph_app";
  onboardingId: string;
  tenantId: string;
  clientId: string;
  scope: { group: string };
  verifiedAt: string;
};

/**
 * A graph_app onboarding with the brokerage's own app registration (issue 13): the sync signs in as that app with
 * the certificate this server made — the one in use (during a renewal, the old one until the new one passed a
 * test). `thumbprint` is the SHA-256 of the DER certificate in hex (msal-node's `clientCertificate.thumbprintSha256`).
 */
export type GraphOwnAppCredentialBody = {
  method: "graph_own_app";
  onboardingId: string;
  tenantId: string;
  clientId: string;
  scope: { group: string };
  certificate: { privateKeyPem: string; certificatePem: string; thumbprint: string; expiresAt: string };
  verifiedAt: string;
};

/**
 * The brokerage's own app where its policy forced a client secret instead of the certificate: the sync signs in
 * with the secret (msal-node's `clientSecret`); `expiresAt` is the expiry date the admin gave.
 */
export type GraphOwnAppSecretCredentialBody = {
  method: "graph_own_app";
  onboardingId: string;
  tenantId: string;
  clientId: string;
  scope: { group: string };
  clientSecret: { value: string; expiresAt: string };
  verifiedAt: string;
};

/** What the endpoint returns: EWS (as before, no `method` field), graph_app or graph_own_app (certificate or secret). */
export type CredentialApiResponseBody = CredentialApiBody | GraphAppCredentialBody | GraphOwnAppCredentialBody | GraphOwnAppSecretCredentialBody;

function refusal(status: number, code: ErrorCode, headers: Record<string, string> = {}): ServiceApiResponse {
  return { status, headers, body: { error: { code, message: messageFor(code) } } };
}

export async function serviceCredentialRequest(
  db: Db,
  request: { authorization: string | null | undefined; onboardingId: string; clientKey: string },
  options: { ring?: KeyRing } = {},
): Promise<ServiceApiResponse> {
  const perClient = await consume(db, "serviceApiPerClient", request.clientKey);
  if (!perClient.ok) return refusal(429, "rate_limited", { "Retry-After": String(perClient.retryAfterSeconds) });

  const onboardingId = ONBOARDING_ID.test(request.onboardingId) ? request.onboardingId : undefined;
  const onboarding = onboardingId ? await getOnboarding(db, onboardingId) : undefined;
  // Filled in once the token is known, so refusals after that point are audited under its id.
  const caller: { token?: ServiceTokenInfo } = {};

  const audit = async (status: number, outcome: string, extra: Record<string, unknown> = {}) => {
    const token = caller.token;
    const tokenId = token?.id ?? (extra.tokenId as string | undefined);
    if (!onboarding && !tokenId) return; // nothing to attach it to: a stranger's request, logged below instead
    const actor: Actor = { kind: "system", id: tokenId ?? null, label: token ? `service token "${token.name}"` : "service API (unauthenticated)" };
    await appendEvent(db, {
      onboardingId: onboarding?.id ?? null,
      type: "credential_api_read",
      actor,
      details: { tokenId: tokenId ?? null, status, outcome, requestedOnboarding: request.onboardingId.slice(0, 64), ...extra },
    });
  };
  const refuse = async (status: number, code: ErrorCode, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) => {
    await audit(status, code, extra);
    log.info({ status, outcome: code, tokenId: caller.token?.id ?? extra.tokenId ?? null }, "service API request refused");
    return refusal(status, code, headers);
  };

  const check = await authenticateServiceToken(db, request.authorization);
  if (!check.ok) {
    if (check.reason === "missing") return refuse(401, "token_missing", { "WWW-Authenticate": REALM });
    const extra = check.tokenId ? { tokenId: check.tokenId, reason: check.reason } : { reason: check.reason };
    return refuse(401, "token_invalid", { "WWW-Authenticate": `${REALM}, error="invalid_token"` }, extra);
  }
  const token = check.token;
  caller.token = token;
  if (!token.scopes.includes(REQUIRED_SCOPE)) {
    return refuse(403, "token_scope", { "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${REQUIRED_SCOPE}"` });
  }
  const perToken = await consume(db, "serviceApiPerToken", token.id);
  if (!perToken.ok) return refuse(429, "rate_limited", { "Retry-After": String(perToken.retryAfterSeconds) });

  if (!onboarding) return refuse(404, "not_found");
  if (onboarding.state !== "verified") return refuse(409, "not_verified", {}, { state: onboarding.state });
  const app = await getAppAccess(db, onboarding.id);
  if (app.method === "graph_app" && app.registration === "own") {
    if (!app.tenantId || !app.clientId || !app.groupName || !app.verifiedAt) return refuse(409, "not_verified", {}, { state: onboarding.state, reason: "no verified app access" });
    let secret;
    try {
      secret = await openClientSecret(db, onboarding.id, options.ring ?? credentialKeyRing());
    } catch (error) {
      if (!(error instanceof CredentialDecryptError)) throw error;
      log.error({ err: error, onboardingId: onboarding.id }, "service API: stored client secret cannot be opened");
      return refuse(500, "credential_unreadable", {}, { method: "graph_own_app", credential: "secret" });
    }
    if (secret) {
      await audit(200, "returned", { method: "graph_own_app", credential: "secret", tenantId: app.tenantId, clientId: app.clientId, expiresAt: secret.expiresAt });
      const body: GraphOwnAppSecretCredentialBody = {
        method: "graph_own_app",
        onboardingId: onboarding.id,
        tenantId: app.tenantId,
        clientId: app.clientId,
        scope: { group: app.groupName },
        clientSecret: { value: secret.clientSecret, expiresAt: secret.expiresAt },
        verifiedAt: app.verifiedAt,
      };
      return { status: 200, headers: {}, body };
    }
    let cert;
    try {
      cert = await openCertificate(db, onboarding.id, "working", options.ring ?? credentialKeyRing());
    } catch (error) {
      if (!(error instanceof CredentialDecryptError)) throw error;
      log.error({ err: error, onboardingId: onboarding.id }, "service API: stored certificate key cannot be opened");
      return refuse(500, "credential_unreadable", {}, { method: "graph_own_app" });
    }
    if (!cert) return refuse(409, "not_verified", {}, { state: onboarding.state, reason: "no certificate" });
    await audit(200, "returned", { method: "graph_own_app", tenantId: app.tenantId, clientId: app.clientId, certificateId: cert.certificateId });
    const body: GraphOwnAppCredentialBody = {
      method: "graph_own_app",
      onboardingId: onboarding.id,
      tenantId: app.tenantId,
      clientId: app.clientId,
      scope: { group: app.groupName },
      certificate: { privateKeyPem: cert.privateKeyPem, certificatePem: cert.certificatePem, thumbprint: cert.thumbprintSha256.toLowerCase(), expiresAt: cert.notAfter },
      verifiedAt: app.verifiedAt,
    };
    return { status: 200, headers: {}, body };
  }
  if (app.method === "graph_app") {
    if (!app.tenantId || !app.clientId || !app.trustedAt || !app.groupName || !app.verifiedAt) {
      return refuse(409, "not_verified", {}, { state: onboarding.state, reason: "no verified app access" });
    }
    await audit(200, "returned", { method: "graph_app", tenantId: app.tenantId });
    const body: GraphAppCredentialBody = { method: "graph_app", onboardingId: onboarding.id, tenantId: app.tenantId, clientId: app.clientId, scope: { group: app.groupName }, verifiedAt: app.verifiedAt };
    return { status: 200, headers: {}, body };
  }
  const row = await newestVerifiedRow(db, onboarding.id);
  if (!row) return refuse(409, "not_verified", {}, { state: onboarding.state, reason: "no verified credential" });

  let opened;
  try {
    opened = openSealedRow(row, options.ring ?? credentialKeyRing());
  } catch (error) {
    if (!(error instanceof CredentialDecryptError)) throw error;
    log.error({ err: error, onboardingId: onboarding.id, recordId: row.id }, "service API: stored credential cannot be opened");
    return refuse(500, "credential_unreadable", {}, { credentialId: row.id });
  }
  await audit(200, "returned", { credentialId: row.id });
  const body: CredentialApiBody = {
    onboardingId: onboarding.id,
    credentialId: row.id,
    serviceAccount: opened.serviceAccount,
    password: opened.password,
    testMailbox: opened.testMailbox,
    ewsUrl: opened.ewsUrl ?? null,
    authScheme: opened.authScheme,
    track: row.track,
    verifiedAt: row.verified_at!,
  };
  return { status: 200, headers: {}, body };
}
