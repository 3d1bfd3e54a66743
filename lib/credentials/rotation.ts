import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { CredentialDecryptError, open, parseSealedRecord, rewrap, serializeSealedRecord } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { sealedMailBodies } from "@/lib/mail/outbox";
import { sealedFor } from "@/lib/crypto/purposes";
import { openSealedRow } from "./store";

/**
 * Key rotation and checks over every live sealed record (the work behind `npm run keys:rotate` and
 * `keys:check`). Rotation re-wraps data keys only: payloads are never decrypted, and nothing here returns
 * or prints plaintext.
 */
type Db = Kysely<Database>;
const BATCH = 200;

export type RecordFailure = { credentialId: string; onboardingId: string; kid: string | null; code: string; message: string };

async function* liveRecords(db: Db) {
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("credentials")
      .select(["id", "onboarding_id", "service_account", "test_mailbox", "ews_url", "auth_scheme", "sealed", "key_id"])
      .where("sealed", "is not", null)
      .where("id", ">", after)
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) yield row;
    after = rows.at(-1)!.id;
  }
}

function failure(row: { id: string; onboarding_id: string; key_id: string | null }, error: unknown): RecordFailure {
  if (!(error instanceof CredentialDecryptError)) throw error;
  return { credentialId: row.id, onboardingId: row.onboarding_id, kid: error.kid ?? row.key_id, code: error.code, message: error.message };
}

export type RewrapReport = { total: number; rewrapped: number; alreadyCurrent: number; vanished: number; failed: RecordFailure[]; activeKeyId: string };

/**
 * Re-wraps every live record to the ring's active key, one transaction per record, so an interruption
 * leaves each record either old or new and a re-run simply continues (records already under the active key
 * are counted, not touched). A record destroyed or replaced meanwhile is skipped ("vanished").
 */
export async function rewrapAll(db: Db, ring: KeyRing, onProgress?: (done: number) => void): Promise<RewrapReport> {
  const report: RewrapReport = { total: 0, rewrapped: 0, alreadyCurrent: 0, vanished: 0, failed: [], activeKeyId: ring.activeKeyId };
  for await (const row of liveRecords(db)) {
    report.total++;
    try {
      if (parseSealedRecord(row.sealed).kid === ring.activeKeyId && row.key_id === ring.activeKeyId) {
        report.alreadyCurrent++;
      } else {
        const outcome = await db.transaction().execute(async (trx) => {
          // Read again inside the transaction: the row may have changed since the batch was read.
          const fresh = await trx.selectFrom("credentials").select(["sealed"]).where("id", "=", row.id).executeTakeFirst();
          if (!fresh?.sealed) return "vanished" as const;
          const result = rewrap(fresh.sealed, { onboardingId: row.onboarding_id, credentialId: row.id }, ring);
          const updated = await trx
            .updateTable("credentials")
            .set({ sealed: serializeSealedRecord(result.record), key_id: result.toKid })
            .where("id", "=", row.id)
            .where("sealed", "=", fresh.sealed)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) return "vanished" as const;
          return result.status === "rewrapped" ? ("rewrapped" as const) : ("alreadyCurrent" as const);
        });
        report[outcome]++;
      }
    } catch (error) {
      report.failed.push(failure(row, error));
    }
    onProgress?.(report.total);
  }
  // Staff TOTP secrets are sealed with the same ring: they move to the active key too.
  for (const staff of await sealedTotpSecrets(db)) {
    report.total++;
    try {
      const result = rewrap(staff.totp_secret, sealedFor.staffTotp(staff.id), ring);
      if (result.status === "already_current") report.alreadyCurrent++;
      else {
        const updated = await db
          .updateTable("staff_users")
          .set({ totp_secret: serializeSealedRecord(result.record) })
          .where("id", "=", staff.id)
          .where("totp_secret", "=", staff.totp_secret)
          .executeTakeFirst();
        report[Number(updated.numUpdatedRows) === 1 ? "rewrapped" : "vanished"]++;
      }
    } catch (error) {
      report.failed.push(failure({ id: staff.id, onboarding_id: "staff-totp", key_id: null }, error));
    }
  }
  // Mail bodies in the outbox are sealed with it too (lib/mail/outbox.ts): a queued invite must still open.
  for (const mail of await sealedMailBodies(db)) {
    report.total++;
    try {
      const result = rewrap(mail.body, sealedFor.mail(mail.id), ring);
      if (result.status === "already_current") report.alreadyCurrent++;
      else {
        const updated = await db.updateTable("outbox").set({ body: serializeSealedRecord(result.record) }).where("id", "=", mail.id).where("body", "=", mail.body).executeTakeFirst();
        report[Number(updated.numUpdatedRows) === 1 ? "rewrapped" : "vanished"]++;
      }
    } catch (error) {
      report.failed.push(failure({ id: mail.id, onboarding_id: "outbox", key_id: null }, error));
    }
  }
  // Private keys of own-app certificates (lib/app-access/own-app.ts): the sync signs in with them.
  for (const cert of await sealedCertificateKeys(db)) {
    report.total++;
    try {
      const result = rewrap(cert.sealed_key, sealedFor.appCertificateKey(cert.onboarding_id, cert.id), ring);
      if (result.status === "already_current") report.alreadyCurrent++;
      else {
        const updated = await db.updateTable("app_certificates").set({ sealed_key: serializeSealedRecord(result.record) }).where("id", "=", cert.id).where("sealed_key", "=", cert.sealed_key).executeTakeFirst();
        report[Number(updated.numUpdatedRows) === 1 ? "rewrapped" : "vanished"]++;
      }
    } catch (error) {
      report.failed.push(failure({ id: cert.id, onboarding_id: cert.onboarding_id, key_id: null }, error));
    }
  }
  // Client secrets of own apps where policy forces one (lib/app-access/own-app-secret.ts).
  for (const sec of await sealedClientSecrets(db)) {
    report.total++;
    try {
      const result = rewrap(sec.sealed_secret, sealedFor.appClientSecret(sec.onboarding_id), ring);
      if (result.status === "already_current") report.alreadyCurrent++;
      else {
        const updated = await db.updateTable("app_client_secrets").set({ sealed_secret: serializeSealedRecord(result.record) }).where("onboarding_id", "=", sec.onboarding_id).where("sealed_secret", "=", sec.sealed_secret).executeTakeFirst();
        report[Number(updated.numUpdatedRows) === 1 ? "rewrapped" : "vanished"]++;
      }
    } catch (error) {
      report.failed.push(failure({ id: `app-secret:${sec.onboarding_id}`, onboarding_id: sec.onboarding_id, key_id: null }, error));
    }
  }
  return report;
}

async function sealedClientSecrets(db: Db): Promise<{ onboarding_id: string; sealed_secret: string }[]> {
  return db.selectFrom("app_client_secrets").select(["onboarding_id", "sealed_secret"]).orderBy("onboarding_id").execute();
}

async function sealedCertificateKeys(db: Db): Promise<{ id: string; onboarding_id: string; sealed_key: string }[]> {
  const rows = await db.selectFrom("app_certificates").select(["id", "onboarding_id", "sealed_key"]).where("sealed_key", "is not", null).orderBy("id").execute();
  return rows as { id: string; onboarding_id: string; sealed_key: string }[];
}

async function sealedTotpSecrets(db: Db): Promise<{ id: string; totp_secret: string }[]> {
  const rows = await db.selectFrom("staff_users").select(["id", "totp_secret"]).where("totp_secret", "is not", null).execute();
  return rows as { id: string; totp_secret: string }[];
}

export type CheckReport = { total: number; ok: number; current: number; byKid: Record<string, number>; failed: RecordFailure[]; unusedKeyIds: string[] };

/**
 * Opens every live record fully (then drops the plaintext) and checks it against its row. Reports the
 * records that fail and the ring's keys that no live record uses any more (safe to retire).
 */
export async function checkAll(db: Db, ring: KeyRing): Promise<CheckReport> {
  const report: CheckReport = { total: 0, ok: 0, current: 0, byKid: {}, failed: [], unusedKeyIds: [] };
  const used = new Set<string>();
  for await (const row of liveRecords(db)) {
    report.total++;
    let kid: string | null = row.key_id;
    try {
      kid = parseSealedRecord(row.sealed).kid;
      if (kid !== row.key_id) throw new CredentialDecryptError("tampered", `The row's key_id does not match its record's key id.`, kid);
      openSealedRow(row, ring); // result discarded at once; only success matters
      report.ok++;
      if (kid === ring.activeKeyId) report.current++;
    } catch (error) {
      report.failed.push(failure(row, error));
    }
    if (kid) {
      used.add(kid);
      report.byKid[kid] = (report.byKid[kid] ?? 0) + 1;
    }
  }
  for (const staff of await sealedTotpSecrets(db)) {
    report.total++;
    let kid: string | null = null;
    try {
      kid = parseSealedRecord(staff.totp_secret).kid;
      open(staff.totp_secret, sealedFor.staffTotp(staff.id), ring).fill(0);
      report.ok++;
      if (kid === ring.activeKeyId) report.current++;
    } catch (error) {
      report.failed.push(failure({ id: staff.id, onboarding_id: "staff-totp", key_id: kid }, error));
    }
    if (kid) {
      used.add(kid);
      report.byKid[kid] = (report.byKid[kid] ?? 0) + 1;
    }
  }
  for (const mail of await sealedMailBodies(db)) {
    report.total++;
    let kid: string | null = null;
    try {
      kid = parseSealedRecord(mail.body).kid;
      open(mail.body, sealedFor.mail(mail.id), ring).fill(0);
      report.ok++;
      if (kid === ring.activeKeyId) report.current++;
    } catch (error) {
      report.failed.push(failure({ id: mail.id, onboarding_id: "outbox", key_id: kid }, error));
    }
    if (kid) {
      used.add(kid);
      report.byKid[kid] = (report.byKid[kid] ?? 0) + 1;
    }
  }
  for (const cert of await sealedCertificateKeys(db)) {
    report.total++;
    let kid: string | null = null;
    try {
      kid = parseSealedRecord(cert.sealed_key).kid;
      open(cert.sealed_key, sealedFor.appCertificateKey(cert.onboarding_id, cert.id), ring).fill(0);
      report.ok++;
      if (kid === ring.activeKeyId) report.current++;
    } catch (error) {
      report.failed.push(failure({ id: cert.id, onboarding_id: cert.onboarding_id, key_id: kid }, error));
    }
    if (kid) {
      used.add(kid);
      report.byKid[kid] = (report.byKid[kid] ?? 0) + 1;
    }
  }
  for (const sec of await sealedClientSecrets(db)) {
    report.total++;
    let kid: string | null = null;
    try {
      kid = parseSealedRecord(sec.sealed_secret).kid;
      open(sec.sealed_secret, sealedFor.appClientSecret(sec.onboarding_id), ring).fill(0);
      report.ok++;
      if (kid === ring.activeKeyId) report.current++;
    } catch (error) {
      report.failed.push(failure({ id: `app-secret:${sec.onboarding_id}`, onboarding_id: sec.onboarding_id, key_id: kid }, error));
    }
    if (kid) {
      used.add(kid);
      report.byKid[kid] = (report.byKid[kid] ?? 0) + 1;
    }
  }
  report.unusedKeyIds = ring.keyIds().filter((k) => k !== ring.activeKeyId && !used.has(k));
  return report;
}
