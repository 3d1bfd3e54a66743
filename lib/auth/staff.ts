import "server-only";
import type { Kysely } from "kysely";
import * as OTPAuth from "otpauth";
import type { Database, StaffUsersTable } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { sealedFor } from "@/lib/crypto/purposes";
import { open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import { hashPassword, verifyPassword } from "./passwords";
import { hashToken, randomToken } from "./secrets";

/**
 * Staff accounts and sessions. Sessions are opaque random tokens in an httpOnly cookie; the database keeps
 * only their hash. Idle and absolute timeouts are enforced on every read.
 */
export const STAFF_ROLES = ["staff", "techops"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const SETUP_LINK_MS = 24 * 60 * 60 * 1000;

export type StaffUser = { id: string; email: string; name: string; role: StaffRole; totpEnabled: boolean; hasPassword: boolean };

function toStaff(row: StaffUsersTable): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as StaffRole,
    totpEnabled: row.totp_enabled === 1,
    hasPassword: row.password_hash !== null,
  };
}

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

export async function countStaff(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("staff_users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findStaffByEmail(db: Kysely<Database>, email: string) {
  const row = await db.selectFrom("staff_users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
  return row && toStaff(row);
}

export async function getStaff(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom("staff_users").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toStaff(row);
}

export async function createStaff(
  db: Kysely<Database>,
  input: { email: string; name?: string; role: StaffRole; password?: string; oidc?: { issuer: string; subject: string } },
): Promise<StaffUser> {
  const email = normaliseEmail(input.email);
  const row: StaffUsersTable = {
    id: newId(),
    email,
    name: input.name?.trim() || email.split("@")[0]!,
    role: input.role,
    password_hash: input.password ? await hashPassword(input.password) : null,
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: null,
    created_at: nowIso(),
    disabled_at: null,
    oidc_issuer: input.oidc?.issuer ?? null,
    oidc_subject: input.oidc?.subject ?? null,
  };
  await db.insertInto("staff_users").values(row).execute();
  return toStaff(row);
}

/** Sets the password and retires every set-up link of the account still open: none can reset it afterwards. */
export async function setStaffPassword(db: Kysely<Database>, staffId: string, password: string) {
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("staff_users").set({ password_hash: passwordHash }).where("id", "=", staffId).execute();
    await trx
      .updateTable("access_tokens")
      .set({ revoked_at: nowIso() })
      .where("kind", "=", "staff_setup")
      .where("staff_id", "=", staffId)
      .where("last_used_at", "is", null)
      .where("revoked_at", "is", null)
      .execute();
  });
}

/** A one-time link that lets a new staff member set their password (and, for techops, enrol TOTP). */
export async function createSetupLink(db: Kysely<Database>, staffId: string, createdBy: string): Promise<string> {
  const token = randomToken();
  const at = new Date();
  await db
    .insertInto("access_tokens")
    .values({
      id: newId(),
      token_hash: hashToken(token),
      kind: "staff_setup",
      onboarding_id: null,
      staff_id: staffId,
      label: "staff setup",
      created_by: createdBy,
      created_at: at.toISOString(),
      expires_at: new Date(at.getTime() + SETUP_LINK_MS).toISOString(),
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  return token;
}

export async function findSetupLink(db: Kysely<Database>, token: string) {
  const row = await db
    .selectFrom("access_tokens")
    .selectAll()
    .where("token_hash", "=", hashToken(token))
    .where("kind", "=", "staff_setup")
    .executeTakeFirst();
  if (!row || row.revoked_at || row.last_used_at || row.expires_at <= nowIso() || !row.staff_id) return undefined;
  return { id: row.id, staffId: row.staff_id };
}

/**
 * Uses up a setup link: sets the password and opens a session in one step. The account's other open links are
 * revoked first and this one is claimed only while still unrevoked, so of two links used at the same moment at
 * most one sets the password (each revokes the other before claiming itself).
 */
export async function completeSetup(db: Kysely<Database>, token: string, password: string) {
  const link = await findSetupLink(db, token);
  if (!link) return undefined;
  await db
    .updateTable("access_tokens")
    .set({ revoked_at: nowIso() })
    .where("kind", "=", "staff_setup")
    .where("staff_id", "=", link.staffId)
    .where("id", "!=", link.id)
    .where("last_used_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
  const used = await db
    .updateTable("access_tokens")
    .set({ last_used_at: nowIso() })
    .where("id", "=", link.id)
    .where("last_used_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) return undefined;
  await setStaffPassword(db, link.staffId, password);
  // A pending (unconfirmed) authenticator key was shown to whoever had the earlier link: a new set-up starts afresh.
  await db.updateTable("staff_users").set({ totp_secret: null, totp_last_step: null }).where("id", "=", link.staffId).where("totp_enabled", "=", 0).execute();
  return openSession(db, link.staffId, false);
}

export type SignInResult =
  | { ok: true; sessionToken: string; staff: StaffUser; needsSecondFactor: boolean }
  | { ok: false; notBreakGlass?: true };

export async function signIn(db: Kysely<Database>, email: string, password: string, options: { techopsOnly?: boolean } = {}): Promise<SignInResult> {
  const row = await db.selectFrom("staff_users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
  const valid = await verifyPassword(password, row?.password_hash ?? null);
  if (!row || !valid || row.disabled_at) return { ok: false };
  // With an OpenID provider, the password is break-glass for TechOps only: staff sign in with the provider.
  if (options.techopsOnly && row.role !== "techops") return { ok: false, notBreakGlass: true };
  const staff = toStaff(row);
  const sessionToken = await openSession(db, staff.id, !staff.totpEnabled && staff.role !== "techops");
  return { ok: true, sessionToken, staff, needsSecondFactor: staff.totpEnabled || staff.role === "techops" };
}

/** How a session began, for sessions from the OpenID provider (lib/auth/oidc.ts). */
export type SessionOrigin = { authMethod: "oidc"; mfa: boolean; sealedRefreshToken: string | null };

export async function openSession(db: Kysely<Database>, staffId: string, secondFactorDone: boolean, origin?: SessionOrigin): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db
    .insertInto("staff_sessions")
    .values({
      token_hash: hashToken(token),
      staff_id: staffId,
      second_factor: secondFactorDone ? 1 : 0,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
      revoked_at: null,
      auth_method: origin?.authMethod ?? "password",
      mfa_at: origin?.mfa ? now.toISOString() : null,
      oidc_refresh_token: origin?.sealedRefreshToken ?? null,
      oidc_checked_at: origin ? now.toISOString() : null,
    })
    .execute();
  return token;
}

export type StaffSession = {
  staff: StaffUser;
  secondFactorDone: boolean;
  tokenHash: string;
  authMethod: "password" | "oidc";
  /** When the session last proved MFA (the provider's amr/acr at sign-in, or a TOTP code here). */
  mfaAt: string | null;
  /** OIDC sessions: when the provider last confirmed the account. */
  oidcCheckedAt: string | null;
};

/** The session behind a cookie, or undefined when unknown, revoked, idle too long or past its absolute end. */
export async function readSession(db: Kysely<Database>, token: string, now = new Date()): Promise<StaffSession | undefined> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom("staff_sessions")
    .innerJoin("staff_users", "staff_users.id", "staff_sessions.staff_id")
    .selectAll("staff_users")
    .select(["staff_sessions.second_factor", "staff_sessions.last_seen_at", "staff_sessions.expires_at", "staff_sessions.revoked_at", "staff_sessions.auth_method", "staff_sessions.mfa_at", "staff_sessions.oidc_checked_at"])
    .where("staff_sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return undefined;
  if (row.expires_at <= now.toISOString()) return undefined;
  if (now.getTime() - Date.parse(row.last_seen_at) > SESSION_IDLE_MS) return undefined;
  // Touch at most once a minute: enough for the idle timeout without a write per request.
  if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
    await db.updateTable("staff_sessions").set({ last_seen_at: now.toISOString() }).where("token_hash", "=", tokenHash).execute();
  }
  return {
    staff: toStaff(row),
    secondFactorDone: row.second_factor === 1,
    tokenHash,
    authMethod: row.auth_method === "oidc" ? "oidc" : "password",
    mfaAt: row.mfa_at,
    oidcCheckedAt: row.oidc_checked_at,
  };
}

export async function signOut(db: Kysely<Database>, token: string) {
  await db.updateTable("staff_sessions").set({ revoked_at: nowIso() }).where("token_hash", "=", hashToken(token)).execute();
}

// ── TOTP (RFC 6238, via otpauth) ───────────────────────────────────────────────────────────────────────

const TOTP_PERIOD_SECONDS = 30;

function totpFor(email: string, secret: string) {
  return new OTPAuth.TOTP({ issuer: "MoxiEngage Onboarding", label: email, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secret) });
}

/**
 * TOTP secrets are sealed like credentials (envelope encryption with the key ring), bound to the staff member:
 * a database copy alone cannot mint codes.
 */

function sealTotp(staffId: string, secret: string): string {
  return serializeSealedRecord(seal(secret, sealedFor.staffTotp(staffId), credentialKeyRing()));
}

function openTotp(staffId: string, stored: string): string {
  return open(stored, sealedFor.staffTotp(staffId), credentialKeyRing()).toString("utf8");
}

/**
 * Starts (or resumes) enrolment: the pending secret (stored, not yet enabled) with its otpauth:// URI. The same secret
 * comes back on every visit until a code confirms it, so reloading the page does not invalidate the account the
 * person already added to their app; the first visit stores one with a conditional update (two tabs get the same).
 */
export async function beginTotpEnrolment(db: Kysely<Database>, staff: StaffUser) {
  const fresh = new OTPAuth.Secret({ size: 20 }).base32;
  await db
    .updateTable("staff_users")
    .set({ totp_secret: sealTotp(staff.id, fresh), totp_enabled: 0, totp_last_step: null })
    .where("id", "=", staff.id)
    .where("totp_enabled", "=", 0)
    .where("totp_secret", "is", null)
    .execute();
  const row = await db.selectFrom("staff_users").select(["totp_secret", "totp_enabled"]).where("id", "=", staff.id).executeTakeFirstOrThrow();
  if (row.totp_enabled === 1 || !row.totp_secret) throw new Error("TOTP enrolment asked for an account that is already enrolled");
  const secret = openTotp(staff.id, row.totp_secret);
  return { secret, uri: totpFor(staff.email, secret).toString() };
}

async function checkCode(db: Kysely<Database>, staffId: string, code: string): Promise<boolean> {
  const row = await db.selectFrom("staff_users").select(["email", "totp_secret"]).where("id", "=", staffId).executeTakeFirst();
  if (!row?.totp_secret || !/^\d{6}$/.test(code)) return false;
  const delta = totpFor(row.email, openTotp(staffId, row.totp_secret)).validate({ token: code, window: 1 });
  if (delta === null) return false;
  // Each time step is taken once: the update only lands when this step is later than the last one used.
  const step = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  const used = await db
    .updateTable("staff_users")
    .set({ totp_last_step: step })
    .where("id", "=", staffId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** Finishes enrolment with a first code; the session that enrolled counts as second-factor verified. */
export async function confirmTotpEnrolment(db: Kysely<Database>, session: StaffSession, code: string): Promise<boolean> {
  if (!(await checkCode(db, session.staff.id, code))) return false;
  await db.updateTable("staff_users").set({ totp_enabled: 1 }).where("id", "=", session.staff.id).execute();
  await db.updateTable("staff_sessions").set({ second_factor: 1, mfa_at: nowIso() }).where("token_hash", "=", session.tokenHash).execute();
  return true;
}

export async function verifySecondFactor(db: Kysely<Database>, session: StaffSession, code: string): Promise<boolean> {
  if (!session.staff.totpEnabled || !(await checkCode(db, session.staff.id, code))) return false;
  await db.updateTable("staff_sessions").set({ second_factor: 1, mfa_at: nowIso() }).where("token_hash", "=", session.tokenHash).execute();
  return true;
}

/** A fresh TOTP step inside a session (TechOps actions of an OIDC session without the provider's MFA). */
export async function stepUpWithCode(db: Kysely<Database>, session: StaffSession, code: string): Promise<boolean> {
  if (!session.staff.totpEnabled || !(await checkCode(db, session.staff.id, code))) return false;
  await db.updateTable("staff_sessions").set({ mfa_at: nowIso() }).where("token_hash", "=", session.tokenHash).execute();
  return true;
}

/** Re-authentication for sensitive actions (credential reveal): password, and TOTP when enrolled. */
export async function reauthenticate(db: Kysely<Database>, staffId: string, password: string, code: string): Promise<boolean> {
  const row = await db.selectFrom("staff_users").selectAll().where("id", "=", staffId).executeTakeFirst();
  const passwordOk = await verifyPassword(password, row?.password_hash ?? null);
  if (!row || !passwordOk) return false;
  return row.totp_enabled !== 1 || checkCode(db, staffId, code);
}
