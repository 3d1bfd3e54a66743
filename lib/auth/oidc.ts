import "server-only";
import { createHash, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import * as client from "openid-client";
import type { OidcSettings } from "@/lib/config";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import { sealedFor } from "@/lib/crypto/purposes";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { log } from "@/lib/log";
import { appendEvent } from "@/lib/onboarding/store";
import { hashToken } from "./secrets";
import { createStaff, openSession, type StaffRole, type StaffSession } from "./staff";

/**
 * Staff sign-in through the company's OpenID provider (openid-client): authorization code flow with PKCE, state
 * and nonce; the library checks the ID token's issuer, audience, signature (the issuer's JWKS), nonce and expiry.
 * Accounts are matched by issuer + subject, never by email. The role comes from one claim on every sign-in; no
 * mapped value, no access. Sessions are confirmed with the provider again (refresh token grant) once their
 * recheck interval has passed: a person disabled there cannot keep a session here.
 */

const configurations = new Map<string, Promise<client.Configuration>>();

function clientAuth(settings: OidcSettings): client.ClientAuth {
  if (settings.credential.kind === "secret") return client.ClientSecretBasic(settings.credential.clientSecret);
  const pem = readFileSync(settings.credential.keyFile, "utf8");
  const key = createPrivateKey(pem);
  // openid-client signs the assertion with WebCrypto: an RS256 key from the PEM's PKCS#8 form.
  const der = key.export({ format: "der", type: "pkcs8" });
  const { keyId } = settings.credential;
  return async (...args) => {
    const cryptoKey = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
    return client.PrivateKeyJwt(keyId ? { key: cryptoKey, kid: keyId } : cryptoKey)(...args);
  };
}

/** The provider's configuration (discovery), fetched once per process and kept; a failed fetch is retried next time. */
export function oidcConfiguration(settings: OidcSettings): Promise<client.Configuration> {
  const cacheKey = `${settings.issuer}|${settings.clientId}`;
  let found = configurations.get(cacheKey);
  if (!found) {
    const loopbackHttp = settings.issuer.startsWith("http://");
    found = client.discovery(new URL(settings.issuer), settings.clientId, undefined, clientAuth(settings), {
      timeout: 10,
      // Plain http is accepted by the configuration only for a loopback issuer (tests).
      ...(loopbackHttp ? { execute: [client.allowInsecureRequests] } : {}),
    });
    found.catch(() => configurations.delete(cacheKey));
    configurations.set(cacheKey, found);
  }
  return found;
}

/** What the browser keeps (httpOnly cookie) between leaving for the provider and coming back. */
export type PendingSignIn = { state: string; nonce: string; verifier: string; startedAt: number };
export const PENDING_MAX_AGE_SECONDS = 10 * 60;

export async function beginOidcSignIn(settings: OidcSettings, redirectUri: string): Promise<{ url: URL; pending: PendingSignIn }> {
  const config = await oidcConfiguration(settings);
  const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), startedAt: Date.now() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes.join(" "),
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

export function parsePending(raw: string | undefined): PendingSignIn | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<PendingSignIn>;
    const ok = [v.state, v.nonce, v.verifier].every((x) => typeof x === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(x)) && typeof v.startedAt === "number";
    if (!ok || Date.now() - v.startedAt! > PENDING_MAX_AGE_SECONDS * 1000) return undefined;
    return v as PendingSignIn;
  } catch {
    return undefined;
  }
}

type Claims = Record<string, unknown>;

function valuesOf(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((v): v is string => typeof v === "string");
  return [];
}

/** The role the claim maps to (TechOps wins when both match), or undefined: no access. */
export function roleFromClaims(claims: Claims, settings: Pick<OidcSettings, "roleClaim" | "staffValues" | "techopsValues">): StaffRole | undefined {
  const values = valuesOf(claims[settings.roleClaim]);
  if (values.some((v) => settings.techopsValues.includes(v))) return "techops";
  if (values.some((v) => settings.staffValues.includes(v))) return "staff";
  return undefined;
}

/** True when the issuer reports a multi-factor sign-in in `amr` or `acr` (values as configured). */
export function mfaFromClaims(claims: Claims, settings: Pick<OidcSettings, "mfaAmr" | "mfaAcr">): boolean {
  const amr = valuesOf(claims.amr);
  const acr = typeof claims.acr === "string" ? claims.acr : undefined;
  return amr.some((v) => settings.mfaAmr.includes(v)) || (acr !== undefined && settings.mfaAcr.includes(acr));
}

export type OidcOutcome =
  | { ok: true; sessionToken: string; staffId: string; role: StaffRole; mfa: boolean }
  | { ok: false; code: "oidc_failed" | "oidc_no_role" | "oidc_disabled" };

function sealRefresh(sessionToken: string, refreshToken: string | undefined): string | null {
  if (!refreshToken) return null;
  return serializeSealedRecord(seal(refreshToken, sealedFor.oidcRefreshToken(hashToken(sessionToken)), credentialKeyRing()));
}

/**
 * The callback: exchanges the code (state, nonce and PKCE checked by the library), maps the role and opens a
 * session. The account is found by issuer + subject; the first sign-in of a mapped person creates it.
 */
export async function finishOidcSignIn(db: Kysely<Database>, settings: OidcSettings, callbackUrl: URL, pending: PendingSignIn): Promise<OidcOutcome> {
  let claims: Claims;
  let refreshToken: string | undefined;
  try {
    const config = await oidcConfiguration(settings);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    claims = tokens.claims() ?? {};
    refreshToken = tokens.refresh_token;
  } catch (error) {
    // The library's message names what failed (state mismatch, nonce, signature); it goes to the log, not the page.
    log.warn({ err: error instanceof Error ? { name: error.name, message: error.message, code: (error as { code?: unknown }).code } : String(error) }, "oidc sign-in refused");
    return { ok: false, code: "oidc_failed" };
  }
  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const role = roleFromClaims(claims, settings);
  const mfa = mfaFromClaims(claims, settings);
  const existing = await db.selectFrom("staff_users").selectAll().where("oidc_issuer", "=", issuer).where("oidc_subject", "=", subject).executeTakeFirst();
  if (existing?.disabled_at) return { ok: false, code: "oidc_disabled" };
  if (!role) {
    if (existing) await endSessionsOf(db, existing.id);
    await appendEvent(db, { onboardingId: null, type: "oidc_sign_in_refused", actor: { kind: "system", label: "MoxiEngage Onboarding" }, details: { why: "no mapped role in the identity provider's claim" } });
    return { ok: false, code: "oidc_no_role" };
  }
  const name = displayName(claims);
  let staffId: string;
  if (existing) {
    staffId = existing.id;
    await db.updateTable("staff_users").set({ role, name }).where("id", "=", staffId).execute();
  } else {
    const email = await freeEmail(db, claims, issuer, subject);
    staffId = (await createStaff(db, { email, name, role, oidc: { issuer, subject } })).id;
  }
  const sessionToken = await openSessionWithRefresh(db, staffId, mfa, refreshToken);
  log.info({ staffId, role, mfa }, "staff signed in with oidc");
  return { ok: true, sessionToken, staffId, role, mfa };
}

async function openSessionWithRefresh(db: Kysely<Database>, staffId: string, mfa: boolean, refreshToken: string | undefined): Promise<string> {
  const token = await openSession(db, staffId, true, { authMethod: "oidc", mfa, sealedRefreshToken: null });
  const sealed = sealRefresh(token, refreshToken);
  if (sealed) await db.updateTable("staff_sessions").set({ oidc_refresh_token: sealed }).where("token_hash", "=", hashToken(token)).execute();
  return token;
}

function displayName(claims: Claims): string {
  const name = [claims.name, claims.preferred_username, claims.email].find((v) => typeof v === "string" && v.trim());
  return String(name ?? "Staff member").replace(/[\x00-\x1f\x7f]/g, "").trim().slice(0, 120) || "Staff member";
}

/**
 * The account's email column is unique and serves password sign-in; an OIDC account takes the claim's address
 * when no other account has it, else a placeholder under the subject (never a link to the other account).
 */
async function freeEmail(db: Kysely<Database>, claims: Claims, issuer: string, subject: string): Promise<string> {
  const claimed = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (claimed && !(await db.selectFrom("staff_users").select("id").where("email", "=", claimed).executeTakeFirst())) return claimed;
  return `oidc-${createHash("sha256").update(`${issuer}|${subject}`).digest("hex").slice(0, 24)}@oidc.invalid`;
}

async function endSessionsOf(db: Kysely<Database>, staffId: string) {
  await db.updateTable("staff_sessions").set({ revoked_at: nowIso() }).where("staff_id", "=", staffId).where("revoked_at", "is", null).execute();
}

async function endSession(db: Kysely<Database>, tokenHash: string) {
  await db.updateTable("staff_sessions").set({ revoked_at: nowIso() }).where("token_hash", "=", tokenHash).execute();
}

/**
 * The session check against the provider. An OIDC session whose last confirmation is older than the recheck
 * interval is renewed with its refresh token; refused (account disabled, token revoked), without one, or with
 * no mapped role any more, the session ends. One request claims the check (a conditional update), so
 * concurrent requests do not spend the same refresh token twice. Answers whether the session may go on.
 */
export async function recheckOidcSession(db: Kysely<Database>, settings: OidcSettings, session: StaffSession, now = new Date()): Promise<boolean> {
  if (session.authMethod !== "oidc") return true;
  const checkedAt = session.oidcCheckedAt ? Date.parse(session.oidcCheckedAt) : 0;
  if (now.getTime() - checkedAt < settings.recheckMs) return true;
  const claim = await db
    .updateTable("staff_sessions")
    .set({ oidc_checked_at: now.toISOString() })
    .where("token_hash", "=", session.tokenHash)
    .where("revoked_at", "is", null)
    .where((eb) => (session.oidcCheckedAt ? eb("oidc_checked_at", "=", session.oidcCheckedAt) : eb("oidc_checked_at", "is", null)))
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) !== 1) return true; // another request is checking it right now
  const row = await db.selectFrom("staff_sessions").select("oidc_refresh_token").where("token_hash", "=", session.tokenHash).executeTakeFirst();
  if (!row?.oidc_refresh_token) {
    await endSession(db, session.tokenHash);
    return false;
  }
  try {
    const refreshToken = open(row.oidc_refresh_token, sealedFor.oidcRefreshToken(session.tokenHash), credentialKeyRing()).toString("utf8");
    const config = await oidcConfiguration(settings);
    const tokens = await client.refreshTokenGrant(config, refreshToken);
    const claims = tokens.claims();
    if (claims && String(claims.sub) !== (await subjectOf(db, session.staff.id))) throw new Error("refresh answered for another subject");
    const role = claims ? roleFromClaims(claims, settings) : session.staff.role;
    if (!role) {
      await endSession(db, session.tokenHash);
      return false;
    }
    if (role !== session.staff.role) await db.updateTable("staff_users").set({ role }).where("id", "=", session.staff.id).execute();
    if (tokens.refresh_token && tokens.refresh_token !== refreshToken) {
      const sealed = serializeSealedRecord(seal(tokens.refresh_token, sealedFor.oidcRefreshToken(session.tokenHash), credentialKeyRing()));
      await db.updateTable("staff_sessions").set({ oidc_refresh_token: sealed }).where("token_hash", "=", session.tokenHash).execute();
    }
    session.staff.role = role;
    return true;
  } catch (error) {
    log.info({ staffId: session.staff.id, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "oidc session check refused: session ended");
    await endSession(db, session.tokenHash);
    return false;
  }
}

async function subjectOf(db: Kysely<Database>, staffId: string): Promise<string | null> {
  const row = await db.selectFrom("staff_users").select("oidc_subject").where("id", "=", staffId).executeTakeFirst();
  return row?.oidc_subject ?? null;
}

/** TechOps actions need MFA proved within this window (the provider's at sign-in, or a TOTP code here). */
export const MFA_FRESH_MS = 15 * 60 * 1000;

export function hasFreshMfa(session: StaffSession, now = new Date()): boolean {
  return session.mfaAt !== null && now.getTime() - Date.parse(session.mfaAt) <= MFA_FRESH_MS;
}
