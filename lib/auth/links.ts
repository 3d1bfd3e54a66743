import "server-only";
import type { Kysely } from "kysely";
import type { AccessTokensTable, Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { hashToken, looksLikeToken, randomToken } from "./secrets";

/**
 * Workspace links. Staff create the brokerage link; the brokerage (or staff) creates vendor links. A link is
 * opened once per browser: its token is exchanged for a link session (httpOnly cookie) that dies with it.
 */
export type LinkKind = "brokerage" | "vendor";
export const LINK_TTL_DAYS = 30;
const LINK_SESSION_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type LinkInfo = {
  id: string;
  kind: LinkKind;
  label: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: "active" | "expired" | "revoked";
};

function toLink(row: AccessTokensTable, now = nowIso()): LinkInfo {
  return {
    id: row.id,
    kind: row.kind as LinkKind,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    status: row.revoked_at ? "revoked" : row.expires_at <= now ? "expired" : "active",
  };
}

/** The address a link's token opens (`/o/<token>`, exchanged there for a session cookie). */
export function linkUrl(appUrl: string, token: string): string {
  return `${appUrl}/o/${token}`;
}

/** Creates a link and returns its token — the only time the token exists outside the visitor's browser. */
export async function createLink(
  db: Kysely<Database>,
  input: { onboardingId: string; kind: LinkKind; label?: string; ttlDays?: number },
  actor: Actor,
): Promise<{ token: string; link: LinkInfo }> {
  const token = randomToken();
  const now = new Date();
  const row: AccessTokensTable = {
    id: newId(),
    token_hash: hashToken(token),
    kind: input.kind,
    onboarding_id: input.onboardingId,
    staff_id: null,
    label: input.label?.trim() || (input.kind === "brokerage" ? "Brokerage admin" : "Email vendor"),
    created_by: actor.label,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + (input.ttlDays ?? LINK_TTL_DAYS) * DAY_MS).toISOString(),
    revoked_at: null,
    last_used_at: null,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto("access_tokens").values(row).execute();
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "link_created",
      actor,
      details: { linkId: row.id, kind: row.kind, label: row.label, expiresAt: row.expires_at },
    });
  });
  return { token, link: toLink(row) };
}

export async function listLinks(db: Kysely<Database>, onboardingId: string): Promise<LinkInfo[]> {
  const rows = await db
    .selectFrom("access_tokens")
    .selectAll()
    .where("onboarding_id", "=", onboardingId)
    .where("kind", "in", ["brokerage", "vendor"])
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => toLink(r));
}

async function linkOf(db: Kysely<Database>, onboardingId: string, linkId: string) {
  return db
    .selectFrom("access_tokens")
    .selectAll()
    .where("id", "=", linkId)
    .where("onboarding_id", "=", onboardingId)
    .where("kind", "in", ["brokerage", "vendor"])
    .executeTakeFirst();
}

export async function revokeLink(db: Kysely<Database>, onboardingId: string, linkId: string, actor: Actor) {
  const row = await linkOf(db, onboardingId, linkId);
  if (!row || row.revoked_at) return false;
  await inTransaction(db, async (trx) => {
    await trx.updateTable("access_tokens").set({ revoked_at: nowIso() }).where("id", "=", linkId).execute();
    await trx.deleteFrom("link_sessions").where("access_token_id", "=", linkId).execute();
    await appendEvent(trx, { onboardingId, type: "link_revoked", actor, details: { linkId, kind: row.kind, label: row.label } });
  });
  return true;
}

export async function extendLink(db: Kysely<Database>, onboardingId: string, linkId: string, days: number, actor: Actor) {
  const row = await linkOf(db, onboardingId, linkId);
  if (!row || row.revoked_at) return undefined;
  const base = Math.max(Date.parse(row.expires_at), Date.now());
  const expiresAt = new Date(base + days * DAY_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("access_tokens").set({ expires_at: expiresAt }).where("id", "=", linkId).execute();
    await appendEvent(trx, { onboardingId, type: "link_extended", actor, details: { linkId, kind: row.kind, expiresAt } });
  });
  return expiresAt;
}

/** Revokes the link and issues a fresh one of the same kind and label. */
export async function regenerateLink(db: Kysely<Database>, onboardingId: string, linkId: string, actor: Actor) {
  const row = await linkOf(db, onboardingId, linkId);
  if (!row) return undefined;
  if (!row.revoked_at) await revokeLink(db, onboardingId, linkId, actor);
  return createLink(db, { onboardingId, kind: row.kind as LinkKind, label: row.label }, actor);
}

export type OpenLinkResult =
  | { ok: true; sessionToken: string; onboardingId: string; kind: LinkKind; expiresAt: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

/** Exchanges a link token for a link session. The token itself is never stored in the cookie. */
export async function openLink(db: Kysely<Database>, token: string): Promise<OpenLinkResult> {
  if (!looksLikeToken(token)) return { ok: false, reason: "unknown" };
  const row = await db
    .selectFrom("access_tokens")
    .selectAll()
    .where("token_hash", "=", hashToken(token))
    .where("kind", "in", ["brokerage", "vendor"])
    .executeTakeFirst();
  if (!row || !row.onboarding_id) return { ok: false, reason: "unknown" };
  if (row.revoked_at) return { ok: false, reason: "revoked" };
  const now = new Date();
  if (row.expires_at <= now.toISOString()) return { ok: false, reason: "expired" };
  const sessionToken = randomToken();
  const expiresAt = new Date(Math.min(now.getTime() + LINK_SESSION_MS, Date.parse(row.expires_at))).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("link_sessions")
      .values({ token_hash: hashToken(sessionToken), access_token_id: row.id, created_at: now.toISOString(), expires_at: expiresAt })
      .execute();
    await trx.updateTable("access_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", row.id).execute();
  });
  return { ok: true, sessionToken, onboardingId: row.onboarding_id, kind: row.kind as LinkKind, expiresAt };
}

export type LinkSession = { onboardingId: string; kind: LinkKind; linkId: string; label: string; actor: Actor };

/** The workspace visitor behind a cookie — only while both the session and its link are alive. */
export async function readLinkSession(db: Kysely<Database>, sessionToken: string): Promise<LinkSession | undefined> {
  if (!looksLikeToken(sessionToken)) return undefined;
  const now = nowIso();
  const row = await db
    .selectFrom("link_sessions")
    .innerJoin("access_tokens", "access_tokens.id", "link_sessions.access_token_id")
    .select([
      "access_tokens.id as linkId",
      "access_tokens.kind",
      "access_tokens.label",
      "access_tokens.onboarding_id",
      "access_tokens.revoked_at",
      "access_tokens.expires_at as linkExpiresAt",
      "link_sessions.expires_at",
    ])
    .where("link_sessions.token_hash", "=", hashToken(sessionToken))
    .executeTakeFirst();
  if (!row || !row.onboarding_id || row.revoked_at || row.linkExpiresAt <= now || row.expires_at <= now) return undefined;
  const kind = row.kind as LinkKind;
  return {
    onboardingId: row.onboarding_id,
    kind,
    linkId: row.linkId,
    label: row.label,
    actor: { kind, id: row.linkId, label: kind === "brokerage" ? `${row.label} (brokerage)` : `${row.label} (vendor)` },
  };
}
