import "server-only";
import type { Kysely } from "kysely";
import type { Database, ServiceTokensTable } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { hashToken, looksLikeToken, randomToken } from "@/lib/auth/secrets";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { freeText } from "@/lib/validation/text";

/**
 * Bearer tokens for the service API (the MoxiEngage sync platform). 256 random bits with a recognisable
 * prefix (so secret scanners and people can tell what a leaked string is); only the SHA-256 is stored; a
 * token is shown once, at creation, and can be revoked.
 */
type Db = Kysely<Database>;

export const SERVICE_SCOPES = ["credentials:read"] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];
export const TOKEN_PREFIX = "mxs_";

export type ServiceTokenInfo = {
  id: string;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

function toInfo(row: ServiceTokensTable): ServiceTokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scope.split(" ").filter(Boolean),
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export class ServiceTokenError extends Error {
  constructor(readonly code: "invalid_name" | "invalid_scope" | "not_found" | "already_revoked", message: string) {
    super(message);
    this.name = "ServiceTokenError";
  }
}

/** The token's name follows the one free-text rule (lib/validation/text.ts): it is shown by --list and in the audit log. */
const tokenName = freeText({ what: "token name", max: 100 });

export async function createServiceToken(
  db: Db,
  input: { name: string; scopes?: string[] },
  actor: Actor,
): Promise<{ token: string; info: ServiceTokenInfo }> {
  const parsed = tokenName.safeParse(input.name);
  if (!parsed.success) {
    throw new ServiceTokenError("invalid_name", "The token needs a name of 1–100 printable characters on one line, e.g. --name \"sync platform\".");
  }
  const name = parsed.data;
  const scopes = input.scopes?.length ? input.scopes : ["credentials:read"];
  const unknown = scopes.filter((s) => !(SERVICE_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new ServiceTokenError("invalid_scope", `Unknown scope ${unknown.join(", ")}; known scopes: ${SERVICE_SCOPES.join(", ")}.`);
  }
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const row: ServiceTokensTable = {
    id: newId(),
    name,
    token_hash: hashToken(token),
    scope: [...new Set(scopes)].join(" "),
    created_by: actor.label,
    created_at: nowIso(),
    revoked_at: null,
    last_used_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("service_tokens").values(row).execute();
    await appendEvent(trx, { onboardingId: null, type: "service_token_created", actor, details: { tokenId: row.id, name, scope: row.scope } });
  });
  return { token, info: toInfo(row) };
}

export async function revokeServiceToken(db: Db, id: string, actor: Actor): Promise<ServiceTokenInfo> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("service_tokens").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new ServiceTokenError("not_found", `No service token has the id ${id}.`);
    if (row.revoked_at) throw new ServiceTokenError("already_revoked", `Service token ${id} (${row.name}) was already revoked at ${row.revoked_at}.`);
    const at = nowIso();
    await trx.updateTable("service_tokens").set({ revoked_at: at }).where("id", "=", id).execute();
    await appendEvent(trx, { onboardingId: null, type: "service_token_revoked", actor, details: { tokenId: id, name: row.name }, at });
    return toInfo({ ...row, revoked_at: at });
  });
}

export async function listServiceTokens(db: Db): Promise<ServiceTokenInfo[]> {
  return (await db.selectFrom("service_tokens").selectAll().orderBy("created_at", "desc").execute()).map(toInfo);
}

export type TokenCheck =
  | { ok: true; token: ServiceTokenInfo }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked"; tokenId?: string };

/** Finds the token behind an `Authorization` header value. Compares hashes only (the lookup is by hash). */
export async function authenticateServiceToken(db: Db, authorization: string | null | undefined): Promise<TokenCheck> {
  if (!authorization?.trim()) return { ok: false, reason: "missing" };
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization.trim());
  if (!match) return { ok: false, reason: "malformed" };
  const presented = match[1]!;
  if (!presented.startsWith(TOKEN_PREFIX) || !looksLikeToken(presented)) return { ok: false, reason: "unknown" };
  const row = await db.selectFrom("service_tokens").selectAll().where("token_hash", "=", hashToken(presented)).executeTakeFirst();
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked_at) return { ok: false, reason: "revoked", tokenId: row.id };
  await db.updateTable("service_tokens").set({ last_used_at: nowIso() }).where("id", "=", row.id).execute();
  return { ok: true, token: toInfo(row) };
}
