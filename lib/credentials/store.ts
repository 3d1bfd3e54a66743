import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { CredentialsTable, Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { CredentialDecryptError, open, seal, serializeSealedRecord, type RecordIds } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { appendEvent, getOnboarding, transition, TransitionError, type Actor } from "@/lib/onboarding/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import type { Track } from "@/lib/guide/ids";
import { isAuthScheme, type AuthScheme, type CredentialFormData } from "@/lib/validation/credentials";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";

/**
 * Submitted credentials: sealed on the way in, opened only on the server for the probe, the service API and a
 * TechOps reveal. Rows are never deleted: destroying a credential wipes its sealed record and keeps the
 * tombstone (ids, account, dates) for the audit trail and the test runs that point at it.
 *
 * What is sealed: the password AND copies of the service account, test mailbox and EWS URL. The clear columns
 * exist for the masked preview; when a record is opened the sealed copies are the ones used, and a clear
 * column that disagrees with them is treated as tampering. Otherwise someone able to write one row (SQL
 * injection, a careless admin) could point `ews_url` at their own server and have the next test hand them
 * the password.
 *
 * Superseding: a newer submission does not destroy older ones (the older may be the one that works); both
 * stay sealed until the newer is verified (`markVerified`), which destroys everything older.
 */
type Db = Kysely<Database>;

export type CredentialStoreErrorCode = "verification_running" | "no_credential";

export class CredentialStoreError extends Error {
  constructor(readonly code: CredentialStoreErrorCode) {
    super(code);
    this.name = "CredentialStoreError";
  }
}

/** The server-side view of an opened credential: the only object that holds the plaintext password. */
export type OpenedCredential = { serviceAccount: string; password: string; testMailbox: string; ewsUrl: string | undefined; authScheme: AuthScheme };

/** What a browser may see: no secret, nothing derived from the password but the date it was set. */
export type CredentialPreview = {
  credentialId: string;
  serviceAccount: string;
  testMailbox: string;
  /** null = Autodiscover */
  ewsUrl: string | null;
  authScheme: AuthScheme;
  track: string;
  passwordSetAt: string;
  verifiedAt: string | null;
  /** Older submissions still kept sealed until this one is verified. */
  olderPending: number;
};

const SYSTEM: Actor = { kind: "system", label: "Verification" };

// ---- sealing

/** `authScheme` absent in records sealed before it existed: those mean "auto", as the column's default does. */
type SealedPayload = { v: 1; password: string; serviceAccount: string; testMailbox: string; ewsUrl: string | null; authScheme?: AuthScheme };

function sealPayload(payload: SealedPayload, ids: RecordIds, ring: KeyRing): string {
  const text = JSON.stringify(payload);
  // A buffer of its own (not Buffer's shared pool) so that zeroing it wipes only these bytes.
  const bytes = Buffer.alloc(Buffer.byteLength(text, "utf8"));
  bytes.write(text, "utf8");
  try {
    return serializeSealedRecord(seal(bytes, ids, ring));
  } finally {
    bytes.fill(0);
  }
}

type SealedRow = Pick<CredentialsTable, "id" | "onboarding_id" | "service_account" | "test_mailbox" | "ews_url" | "auth_scheme" | "sealed">;

/**
 * Opens a row's sealed record and checks the clear columns against the sealed copies. Throws
 * `CredentialDecryptError` (never with plaintext in it) when anything does not match.
 */
export function openSealedRow(row: SealedRow, ring: KeyRing): OpenedCredential {
  if (!row.sealed) throw new CredentialStoreError("no_credential");
  const bytes = open(row.sealed, { onboardingId: row.onboarding_id, credentialId: row.id }, ring);
  let payload: Partial<SealedPayload> | undefined;
  try {
    payload = JSON.parse(bytes.toString("utf8")) as Partial<SealedPayload>;
  } catch {
    payload = undefined;
  } finally {
    bytes.fill(0);
  }
  if (
    !payload ||
    payload.v !== 1 ||
    typeof payload.password !== "string" ||
    payload.password.length === 0 ||
    typeof payload.serviceAccount !== "string" ||
    typeof payload.testMailbox !== "string" ||
    (payload.ewsUrl !== null && typeof payload.ewsUrl !== "string") ||
    (payload.authScheme !== undefined && !isAuthScheme(payload.authScheme))
  ) {
    throw new CredentialDecryptError("malformed", "The stored credential record is malformed: its payload is not a credential.");
  }
  const authScheme = payload.authScheme ?? "auto";
  if (payload.serviceAccount !== row.service_account || payload.testMailbox !== row.test_mailbox || payload.ewsUrl !== row.ews_url || authScheme !== row.auth_scheme) {
    throw new CredentialDecryptError(
      "tampered",
      "The credential row's service account, test mailbox, EWS URL or sign-in method was changed after it was sealed.",
    );
  }
  return { serviceAccount: payload.serviceAccount, password: payload.password, testMailbox: payload.testMailbox, ewsUrl: payload.ewsUrl ?? undefined, authScheme };
}

// ---- submission

/** `authScheme` left out (older callers, tests): automatic. */
export type SubmitCredentialInput = Omit<CredentialFormData, "authScheme"> & { authScheme?: AuthScheme; onboardingId: string; actor: Actor };

/** Points inside a submission, for the crash test (a child process is killed at one of them). */
export type SubmitStep = "sealed" | "credential_inserted" | "event_written" | "committed";

export type SubmitOptions = { ring?: KeyRing; onStep?: (step: SubmitStep) => void | Promise<void> };

/**
 * Seals and stores a new credential and records it, in ONE transaction: the credential row, the lifecycle
 * transition to `submitted` and its `credential_submitted` event land together or not at all.
 *
 * From `invited` the onboarding first moves to `in_progress`; from `verified` (the admin changed the password)
 * it goes through `rotation_requested`; in `submitted` (not yet picked up) the new one simply joins the queue
 * with its event. While a verification is running (`verifying`) a submission is refused, so the result of that
 * test cannot be pinned on the wrong credential.
 */
export async function submitCredential(
  db: Db,
  input: SubmitCredentialInput,
  options: SubmitOptions = {},
): Promise<{ credentialId: string; state: OnboardingState }> {
  const ring = options.ring ?? credentialKeyRing();
  const step = async (s: SubmitStep) => options.onStep?.(s);
  const credentialId = newId();
  const ewsUrl = input.ewsUrl ?? null;
  const authScheme = input.authScheme ?? "auto";
  const sealed = sealPayload(
    { v: 1, password: input.password, serviceAccount: input.serviceAccount, testMailbox: input.testMailbox, ewsUrl, authScheme },
    { onboardingId: input.onboardingId, credentialId },
    ring,
  );
  await step("sealed");

  const state = await db.transaction().execute(async (trx) => {
    const onboarding = await getOnboarding(trx, input.onboardingId);
    if (!onboarding) throw new TransitionError("not_found");
    if (onboarding.state === "verifying") throw new CredentialStoreError("verification_running");
    const older = await trx
      .selectFrom("credentials")
      .select("id")
      .where("onboarding_id", "=", input.onboardingId)
      .where("destroyed_at", "is", null)
      .execute();
    const at = nowIso();
    await trx
      .insertInto("credentials")
      .values({
        id: credentialId,
        onboarding_id: input.onboardingId,
        track: input.track,
        service_account: input.serviceAccount,
        test_mailbox: input.testMailbox,
        ews_url: ewsUrl,
        auth_scheme: authScheme,
        key_id: ring.activeKeyId,
        sealed,
        created_by: input.actor.label,
        created_at: at,
        verified_at: null,
        destroyed_at: null,
      })
      .execute();
    await step("credential_inserted");

    const details = {
      credentialId,
      serviceAccount: input.serviceAccount,
      testMailbox: input.testMailbox,
      ewsUrl: ewsUrl ?? "autodiscover",
      authScheme,
      track: input.track,
      supersedes: older.map((o) => o.id),
    };
    const type = "credential_submitted";
    let current: OnboardingState = onboarding.state;
    if (current === "submitted") {
      await appendEvent(trx, { onboardingId: input.onboardingId, type, actor: input.actor, details });
    } else {
      if (current === "invited") current = (await transition(trx, input.onboardingId, "in_progress", input.actor, { trx })).state;
      if (current === "verified") {
        current = (
          await transition(trx, input.onboardingId, "rotation_requested", input.actor, {
            trx,
            reason: "The brokerage submitted new credentials.",
          })
        ).state;
      }
      current = (await transition(trx, input.onboardingId, "submitted", input.actor, { trx, type, details })).state;
    }
    await step("event_written");
    return current;
  });
  await step("committed");
  return { credentialId, state };
}

// ---- superseding and destruction

async function destroyRows(trx: Transaction<Database>, ids: string[], at: string) {
  if (ids.length === 0) return;
  await trx.updateTable("credentials").set({ sealed: null, key_id: null, destroyed_at: at }).where("id", "in", ids).execute();
}

/**
 * Records that a credential passed verification and destroys every older credential of its onboarding.
 * Newer ones (submitted while this one was being tested) are kept. Runs in the caller's transaction when
 * given one.
 */
export async function markVerified(db: Db, credentialId: string, actor: Actor = SYSTEM): Promise<{ destroyed: number }> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("credentials").select(["id", "onboarding_id", "destroyed_at"]).where("id", "=", credentialId).executeTakeFirst();
    if (!row || row.destroyed_at) throw new CredentialStoreError("no_credential");
    const at = nowIso();
    await trx.updateTable("credentials").set({ verified_at: at }).where("id", "=", credentialId).execute();
    // Ids sort by creation time (lib/db/ids.ts), so "older" is "smaller id".
    const older = await trx
      .selectFrom("credentials")
      .select("id")
      .where("onboarding_id", "=", row.onboarding_id)
      .where("id", "<", credentialId)
      .where("destroyed_at", "is", null)
      .execute();
    const ids = older.map((o) => o.id);
    await destroyRows(trx, ids, at);
    if (ids.length > 0) {
      await appendEvent(trx, {
        onboardingId: row.onboarding_id,
        type: "credentials_destroyed",
        actor,
        reason: "Superseded by a newer credential that passed verification.",
        details: { credentialIds: ids, verifiedCredentialId: credentialId },
        at,
      });
    }
    return { destroyed: ids.length };
  });
}

/** Destroys every credential of an onboarding (revocation). Runs in the caller's transaction when given one. */
export async function destroyCredentials(
  db: Db,
  onboardingId: string,
  options: { actor?: Actor; reason?: string } = {},
): Promise<{ destroyed: number }> {
  return inTransaction(db, async (trx) => {
    const live = await trx.selectFrom("credentials").select("id").where("onboarding_id", "=", onboardingId).where("destroyed_at", "is", null).execute();
    const ids = live.map((r) => r.id);
    const at = nowIso();
    await destroyRows(trx, ids, at);
    if (ids.length > 0) {
      await appendEvent(trx, {
        onboardingId,
        type: "credentials_destroyed",
        actor: options.actor ?? SYSTEM,
        reason: options.reason ?? "Onboarding revoked.",
        details: { credentialIds: ids },
        at,
      });
    }
    return { destroyed: ids.length };
  });
}

// ---- reading

async function newestLive(db: Db, onboardingId: string, onlyVerified = false) {
  let q = db.selectFrom("credentials").selectAll().where("onboarding_id", "=", onboardingId).where("destroyed_at", "is", null);
  if (onlyVerified) q = q.where("verified_at", "is not", null);
  return q.orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** The newest live credential, masked: safe to render for the brokerage admin. */
export async function getCredentialPreview(db: Db, onboardingId: string): Promise<CredentialPreview | undefined> {
  const row = await newestLive(db, onboardingId);
  if (!row) return undefined;
  const older = await db
    .selectFrom("credentials")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("onboarding_id", "=", onboardingId)
    .where("destroyed_at", "is", null)
    .where("id", "<", row.id)
    .executeTakeFirstOrThrow();
  return {
    credentialId: row.id,
    serviceAccount: row.service_account,
    testMailbox: row.test_mailbox,
    ewsUrl: row.ews_url,
    authScheme: isAuthScheme(row.auth_scheme) ? row.auth_scheme : "auto",
    track: row.track as Track,
    passwordSetAt: row.created_at,
    verifiedAt: row.verified_at,
    olderPending: Number(older.n),
  };
}

/** Opens one credential for the server-side test. Server memory only; never return it to a browser. */
export async function openCredentialForProbe(db: Db, credentialId: string, options: { ring?: KeyRing } = {}): Promise<OpenedCredential> {
  const row = await db.selectFrom("credentials").selectAll().where("id", "=", credentialId).executeTakeFirst();
  if (!row || !row.sealed) throw new CredentialStoreError("no_credential");
  return openSealedRow(row, options.ring ?? credentialKeyRing());
}

/** The onboarding's newest live credential, opened for the probe (what "test my saved details" uses). */
export async function openLatestCredentialForProbe(
  db: Db,
  onboardingId: string,
  options: { ring?: KeyRing } = {},
): Promise<{ credentialId: string; input: OpenedCredential } | undefined> {
  const row = await newestLive(db, onboardingId);
  if (!row) return undefined;
  return { credentialId: row.id, input: openSealedRow(row, options.ring ?? credentialKeyRing()) };
}

/** The newest verified live credential (service API, TechOps reveal). */
export async function newestVerifiedRow(db: Db, onboardingId: string) {
  return newestLive(db, onboardingId, true);
}

/** The newest live credential row, verified or not (TechOps reveal). */
export async function newestRow(db: Db, onboardingId: string) {
  return newestLive(db, onboardingId);
}
