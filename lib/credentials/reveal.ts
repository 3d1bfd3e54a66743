import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { KeyRing } from "@/lib/crypto/keyring";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { inTransaction } from "@/lib/db/transaction";
import { recordReveal } from "@/lib/support/access";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { CredentialStoreError, newestRow, openSealedRow } from "./store";

/**
 * TechOps break-glass: opens the onboarding's newest live credential for a re-authenticated TechOps user
 * with a written reason. The `credential_revealed` event is committed BEFORE the password is returned, so
 * there is no reveal without its audit record. Re-authentication is the caller's job (the server action).
 */
/** What the reveal form shows (the server action's answer): the password as `secret`, shown once. */
export type RevealData = { serviceAccount: string; testMailbox: string; secret: string; passwordSetAt: string };

export type RevealedCredential = { credentialId: string; serviceAccount: string; testMailbox: string; password: string; passwordSetAt: string };

export async function revealCredential(
  db: Kysely<Database>,
  input: { onboardingId: string; actor: Actor; reason: string },
  options: { ring?: KeyRing } = {},
): Promise<RevealedCredential> {
  const row = await newestRow(db, input.onboardingId);
  if (!row) throw new CredentialStoreError("no_credential");
  const opened = openSealedRow(row, options.ring ?? credentialKeyRing());
  // The brokerage's "Access to your credentials" panel lists break-glass reveals too (lib/support/access.ts).
  await inTransaction(db, async (trx) => {
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "credential_revealed",
      actor: input.actor,
      reason: input.reason,
      details: { credentialId: row.id, serviceAccount: row.service_account },
    });
    await recordReveal(trx, {
      onboardingId: input.onboardingId,
      staff: { id: input.actor.id ?? "", name: input.actor.label, role: "techops" },
      reason: input.reason,
      requestId: null,
      credentialId: row.id,
    });
  });
  return { credentialId: row.id, serviceAccount: opened.serviceAccount, testMailbox: opened.testMailbox, password: opened.password, passwordSetAt: row.created_at };
}

/** A failed re-authentication before a reveal, for the audit trail. */
export async function recordRevealRefused(db: Kysely<Database>, input: { onboardingId: string; actor: Actor; why: string }) {
  await appendEvent(db, { onboardingId: input.onboardingId, type: "credential_reveal_refused", actor: input.actor, details: { why: input.why } });
}
