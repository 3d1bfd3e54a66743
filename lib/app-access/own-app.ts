import "server-only";
import type { Kysely, Transaction } from "kysely";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { sealedFor } from "@/lib/crypto/purposes";
import type { AppCertificatesTable, Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { appendEvent, getOnboarding, type Actor } from "@/lib/onboarding/store";
import { generateAppCertificate } from "./certificate";

/**
 * "Use our own app registration" (issue 13): the brokerage registers a single-tenant app in its own tenant and
 * uploads a certificate this server made; no secret travels. The private key is sealed with the key ring like a
 * password (bound to the onboarding and the certificate's id) and is opened only on the server, for a test, a
 * verification or the sync's service API. The admin downloads only the public certificate.
 *
 * Rollover without downtime: a new certificate starts `pending` next to the `active` one. Tests the admin runs use
 * the newest; verifications and the sync keep using the active one. When a test with the pending one passes it
 * becomes active and every older certificate's private key is destroyed (the row stays, for the timeline).
 */
type Db = Kysely<Database> | Transaction<Database>;

export type CertificateStatus = "pending" | "active" | "destroyed";

/** What a browser may see of a certificate: public facts only. */
export type CertificateView = {
  id: string;
  status: CertificateStatus;
  thumbprintSha256: string;
  thumbprintSha1: string;
  notBefore: string;
  notAfter: string;
  createdAt: string;
  verifiedAt: string | null;
};

export class OwnAppError extends Error {
  constructor(readonly code: "no_certificate" | "not_found") {
    super(code);
    this.name = "OwnAppError";
  }
}

function view(r: AppCertificatesTable): CertificateView {
  return {
    id: r.id,
    status: r.status as CertificateStatus,
    thumbprintSha256: r.thumbprint_sha256,
    thumbprintSha1: r.thumbprint_sha1,
    notBefore: r.not_before,
    notAfter: r.not_after,
    createdAt: r.created_at,
    verifiedAt: r.verified_at,
  };
}

/** Makes the onboarding's method graph_app with the brokerage's own registration (the app_access row if none). */
export async function chooseOwnApp(db: Db, onboardingId: string): Promise<void> {
  const at = nowIso();
  const existing = await db.selectFrom("app_access").select(["onboarding_id", "registration"]).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  if (!existing) {
    await db
      .insertInto("app_access")
      .values({
        onboarding_id: onboardingId,
        registration: "own",
        tenant_id: null,
        client_id: null,
        granted_by_kind: null,
        granted_by_label: null,
        granted_at: null,
        trusted_at: null,
        token_problem: null,
        group_name: null,
        test_mailbox: null,
        out_of_scope_mailbox: null,
        submitted_at: null,
        verified_at: null,
        updated_at: at,
      })
      .execute();
  } else if (existing.registration !== "own") {
    // MoxiWorks's app ids and consent do not carry over to the brokerage's own app.
    await db
      .updateTable("app_access")
      .set({ registration: "own", tenant_id: null, client_id: null, granted_by_kind: null, granted_by_label: null, granted_at: null, trusted_at: null, token_problem: null, updated_at: at })
      .where("onboarding_id", "=", onboardingId)
      .execute();
  }
  await db.updateTable("onboardings").set({ connection_method: "graph_app" }).where("id", "=", onboardingId).execute();
}

/**
 * A new key pair and certificate. A pending certificate not yet shown to work is replaced (its key destroyed);
 * an active one stays until the new one passes a test.
 */
export async function generateCertificate(db: Kysely<Database>, onboardingId: string, actor: Actor, options: { ring?: KeyRing; now?: Date } = {}): Promise<CertificateView> {
  const onboarding = await getOnboarding(db, onboardingId);
  if (!onboarding) throw new OwnAppError("not_found");
  const ring = options.ring ?? credentialKeyRing();
  const made = await generateAppCertificate(onboarding.brokerageName, options.now);
  const id = newId();
  const keyBytes = Buffer.alloc(Buffer.byteLength(made.privateKeyPem, "utf8"));
  keyBytes.write(made.privateKeyPem, "utf8");
  let sealed: string;
  try {
    sealed = serializeSealedRecord(seal(keyBytes, sealedFor.appCertificateKey(onboardingId, id), ring));
  } finally {
    keyBytes.fill(0);
  }
  const at = nowIso();
  const row: AppCertificatesTable = {
    id,
    onboarding_id: onboardingId,
    certificate_pem: made.certificatePem,
    sealed_key: sealed,
    thumbprint_sha256: made.thumbprintSha256,
    thumbprint_sha1: made.thumbprintSha1,
    not_before: made.notBefore.toISOString(),
    not_after: made.notAfter.toISOString(),
    status: "pending",
    created_at: at,
    created_by: actor.label,
    verified_at: null,
    destroyed_at: null,
  };
  await inTransaction(db, async (trx) => {
    await chooseOwnApp(trx, onboardingId);
    const replaced = await trx.selectFrom("app_certificates").select("id").where("onboarding_id", "=", onboardingId).where("status", "=", "pending").execute();
    for (const r of replaced) await destroy(trx, onboardingId, r.id, actor, "replaced by a newer certificate before it was shown to work");
    const active = await trx.selectFrom("app_certificates").select("id").where("onboarding_id", "=", onboardingId).where("status", "=", "active").executeTakeFirst();
    await trx.insertInto("app_certificates").values(row).execute();
    await appendEvent(trx, {
      onboardingId,
      type: "app_certificate_generated",
      actor,
      details: { certificateId: id, thumbprintSha256: made.thumbprintSha256, notAfter: row.not_after, renewal: active !== undefined },
    });
  });
  return view(row);
}

async function destroy(trx: Db, onboardingId: string, certificateId: string, actor: Actor, reason: string) {
  await trx.updateTable("app_certificates").set({ sealed_key: null, status: "destroyed", destroyed_at: nowIso() }).where("id", "=", certificateId).where("onboarding_id", "=", onboardingId).execute();
  await appendEvent(trx, { onboardingId, type: "app_certificate_destroyed", actor, details: { certificateId, reason } });
}

/** The onboarding's certificates that still have a key, newest first. */
export async function listCertificates(db: Db, onboardingId: string): Promise<CertificateView[]> {
  const rows = await db.selectFrom("app_certificates").selectAll().where("onboarding_id", "=", onboardingId).where("status", "!=", "destroyed").orderBy("created_at", "desc").orderBy("id", "desc").execute();
  return rows.map(view);
}

/** The public certificate (PEM) for download; undefined for another onboarding's or a destroyed one. */
export async function certificateForDownload(db: Db, onboardingId: string, certificateId: string): Promise<{ pem: string; view: CertificateView } | undefined> {
  const row = await db.selectFrom("app_certificates").selectAll().where("id", "=", certificateId).where("onboarding_id", "=", onboardingId).where("status", "!=", "destroyed").executeTakeFirst();
  return row ? { pem: row.certificate_pem, view: view(row) } : undefined;
}

/** The download: PEM text as a .cer file (Entra takes .cer, .pem and .crt), named after its thumbprint. */
export async function certificateFile(db: Db, onboardingId: string, certificateId: string): Promise<{ body: string; filename: string } | undefined> {
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(certificateId)) return undefined;
  const found = await certificateForDownload(db, onboardingId, certificateId);
  return found && { body: found.pem, filename: `moxiengage-${found.view.thumbprintSha1.slice(0, 8).toLowerCase()}.cer` };
}

export type OpenedCertificate = { certificateId: string; status: CertificateStatus; certificatePem: string; privateKeyPem: string; thumbprintSha256: string; notAfter: string };

/**
 * The certificate and its opened private key: `newest` for a test the admin runs (proves a fresh upload),
 * `working` for verification and the sync (the active one; the pending one only while there is none).
 */
export async function openCertificate(db: Db, onboardingId: string, which: "newest" | "working", ring: KeyRing = credentialKeyRing()): Promise<OpenedCertificate | undefined> {
  const rows = await db.selectFrom("app_certificates").selectAll().where("onboarding_id", "=", onboardingId).where("status", "!=", "destroyed").orderBy("created_at", "desc").orderBy("id", "desc").execute();
  const row = which === "newest" ? rows[0] : (rows.find((r) => r.status === "active") ?? rows[0]);
  if (!row?.sealed_key) return undefined;
  const bytes = open(row.sealed_key, sealedFor.appCertificateKey(onboardingId, row.id), ring);
  try {
    return { certificateId: row.id, status: row.status as CertificateStatus, certificatePem: row.certificate_pem, privateKeyPem: bytes.toString("utf8"), thumbprintSha256: row.thumbprint_sha256, notAfter: row.not_after };
  } finally {
    bytes.fill(0);
  }
}

/**
 * A test with this certificate passed: it becomes the active one and every other certificate's private key is
 * destroyed. Nothing happens for a certificate already active, destroyed meanwhile, or of another onboarding.
 */
export async function promoteCertificate(db: Kysely<Database>, onboardingId: string, certificateId: string, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("app_certificates").select(["id", "status"]).where("id", "=", certificateId).where("onboarding_id", "=", onboardingId).executeTakeFirst();
    if (!row || row.status !== "pending") return false;
    await trx.updateTable("app_certificates").set({ status: "active", verified_at: nowIso() }).where("id", "=", certificateId).execute();
    await appendEvent(trx, { onboardingId, type: "app_certificate_verified", actor, details: { certificateId } });
    const older = await trx.selectFrom("app_certificates").select("id").where("onboarding_id", "=", onboardingId).where("status", "!=", "destroyed").where("id", "!=", certificateId).execute();
    for (const o of older) await destroy(trx, onboardingId, o.id, actor, "a newer certificate works");
    return true;
  });
}

/** The brokerage's tenant and app, as the form gave them; a change of either forgets earlier proof. */
export async function saveOwnAppIds(db: Db, onboardingId: string, actor: Actor, ids: { tenant: string; clientId: string }): Promise<void> {
  await chooseOwnApp(db, onboardingId);
  const r = await db.selectFrom("app_access").select(["tenant_id", "client_id"]).where("onboarding_id", "=", onboardingId).executeTakeFirst();
  if (r?.tenant_id === ids.tenant && r?.client_id === ids.clientId) return;
  await db.updateTable("app_access").set({ tenant_id: ids.tenant, client_id: ids.clientId, trusted_at: null, token_problem: null, updated_at: nowIso() }).where("onboarding_id", "=", onboardingId).execute();
  await appendEvent(db, { onboardingId, type: "own_app_saved", actor, details: { tenant: ids.tenant, clientId: ids.clientId } });
}
