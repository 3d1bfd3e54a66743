import "server-only";
import type { Kysely, Transaction } from "kysely";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { sealedFor } from "@/lib/crypto/purposes";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import type { OwnAppSecretForm } from "@/lib/validation/own-app-secret";
import { chooseOwnApp } from "./own-app";

/**
 * Where the brokerage's policy forces a client secret instead of the certificate (issue 13): the secret is sealed
 * with the key ring like a password, bound to the onboarding, and opened only on the server (a test, a
 * verification, the sync's service API). A browser sees a masked hint (its first 3 characters) and the expiry
 * date. One per onboarding; a new one replaces it. While a secret is stored, tests and the sync use it rather than
 * a certificate; removing it goes back to the certificate.
 */
type Db = Kysely<Database> | Transaction<Database>;

export type ClientSecretView = { hint: string; expiresAt: string; createdAt: string };

export const secretHint = (secret: string) => `${secret.slice(0, 3)}…`;

/** The expiry date (YYYY-MM-DD) as the end of that day, UTC. */
export const secretExpiryIso = (day: string) => `${day}T23:59:59.000Z`;

export async function saveClientSecret(db: Kysely<Database>, onboardingId: string, actor: Actor, form: OwnAppSecretForm, ring: KeyRing = credentialKeyRing()): Promise<ClientSecretView> {
  const bytes = Buffer.from(form.clientSecret, "utf8");
  let sealed: string;
  try {
    sealed = serializeSealedRecord(seal(bytes, sealedFor.appClientSecret(onboardingId), ring));
  } finally {
    bytes.fill(0);
  }
  const at = nowIso();
  const row = { onboarding_id: onboardingId, sealed_secret: sealed, hint: secretHint(form.clientSecret), expires_at: secretExpiryIso(form.expiresOn), created_at: at, created_by: actor.label };
  await inTransaction(db, async (trx) => {
    await chooseOwnApp(trx, onboardingId);
    const existing = await trx.selectFrom("app_client_secrets").select("onboarding_id").where("onboarding_id", "=", onboardingId).executeTakeFirst();
    if (existing) await trx.updateTable("app_client_secrets").set(row).where("onboarding_id", "=", onboardingId).execute();
    else await trx.insertInto("app_client_secrets").values(row).execute();
    // A changed secret is a changed credential: the earlier proof (token) does not carry over.
    await trx.updateTable("app_access").set({ trusted_at: null, token_problem: null, updated_at: at }).where("onboarding_id", "=", onboardingId).execute();
    await appendEvent(trx, { onboardingId, type: "own_app_secret_saved", actor, details: { hint: row.hint, expiresAt: row.expires_at, replaced: existing !== undefined } });
  });
  return { hint: row.hint, expiresAt: row.expires_at, createdAt: at };
}

export async function clientSecretView(db: Db, onboardingId: string): Promise<ClientSecretView | undefined> {
  const r = await db.selectFrom("app_client_secrets").select(["hint", "expires_at", "created_at"]).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  return r && { hint: r.hint, expiresAt: r.expires_at, createdAt: r.created_at };
}

export async function openClientSecret(db: Db, onboardingId: string, ring: KeyRing = credentialKeyRing()): Promise<{ clientSecret: string; expiresAt: string } | undefined> {
  const r = await db.selectFrom("app_client_secrets").select(["sealed_secret", "expires_at"]).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  if (!r) return undefined;
  const bytes = open(r.sealed_secret, sealedFor.appClientSecret(onboardingId), ring);
  try {
    return { clientSecret: bytes.toString("utf8"), expiresAt: r.expires_at };
  } finally {
    bytes.fill(0);
  }
}

/** Back to the certificate: the sealed secret is deleted. */
export async function removeClientSecret(db: Kysely<Database>, onboardingId: string, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const del = await trx.deleteFrom("app_client_secrets").where("onboarding_id", "=", onboardingId).executeTakeFirst();
    if (Number(del.numDeletedRows) !== 1) return false;
    await trx.updateTable("app_access").set({ trusted_at: null, token_problem: null, updated_at: nowIso() }).where("onboarding_id", "=", onboardingId).execute();
    await appendEvent(trx, { onboardingId, type: "own_app_secret_removed", actor });
    return true;
  });
}
