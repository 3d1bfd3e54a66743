import "server-only";
import type { Kysely } from "kysely";
import type { Database, OutboxTable } from "@/lib/db/schema";
import { driverOfHandle } from "@/lib/db/connect";
import { newId, nowIso } from "@/lib/db/ids";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import { sealedFor } from "@/lib/crypto/purposes";
import { CredentialDecryptError, open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import type { KeyRing } from "@/lib/crypto/keyring";
import { log, redactText } from "@/lib/log";
import type { MailMessage } from "./templates";

/**
 * Mail goes through an outbox table first, in the same transaction as the change that caused it, so a
 * message is never lost: delivery retries with back-off until the SMTP server takes it. With no SMTP server
 * configured (the embedded default) messages simply stay queued for staff to read in the dashboard.
 */
export type MailSender = (message: { to: string; subject: string; text: string }) => Promise<void>;

/** Back-off after each failed attempt: 1 min, 5 min, 15 min, 1 h, then every 6 h. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

/**
 * Bodies are stored sealed with the credential key ring (lib/crypto/envelope.ts), bound to their message id:
 * an invite or a link reminder carries a live workspace link, and a copy of the database (a dump, a backup)
 * must not yield one. The link exists in the clear only in the message handed to SMTP and in the outbox page
 * of signed-in staff, both through the app, which holds the key. The subject and address stay readable.
 */

function sealBody(text: string, messageId: string, ring: KeyRing): string {
  return serializeSealedRecord(seal(text, sealedFor.mail(messageId), ring));
}

const SEALED_PREFIX = '{"v":';

/** Every sealed body, for key rotation and checks (lib/credentials/rotation.ts). */
export async function sealedMailBodies(db: Kysely<Database>): Promise<{ id: string; body: string }[]> {
  return db.selectFrom("outbox").select(["id", "body"]).where("body", "like", `${SEALED_PREFIX}%`).execute();
}

/** The body in the clear; a row written before bodies were sealed is returned as it is. */
function openBody(body: string, messageId: string, ring: KeyRing): string {
  if (!body.startsWith(SEALED_PREFIX)) return body;
  const bytes = open(body, sealedFor.mail(messageId), ring);
  try {
    return bytes.toString("utf8");
  } finally {
    bytes.fill(0);
  }
}

/** What removing links leaves of a body once its message is out: a workspace link is a credential of sorts. */
function withoutLinks(text: string) {
  return text.replace(/\/o\/[A-Za-z0-9_-]{22,}/g, "/o/[link removed after sending]");
}

export async function enqueueMail(
  db: Kysely<Database>,
  input: { to: string; template: string; message: MailMessage; onboardingId?: string | null },
  ring: KeyRing = credentialKeyRing(),
): Promise<string> {
  const at = nowIso();
  const id = newId();
  await db
    .insertInto("outbox")
    .values({
      id,
      onboarding_id: input.onboardingId ?? null,
      template: input.template,
      to_address: input.to,
      subject: input.message.subject,
      body: sealBody(input.message.text, id, ring),
      status: "queued",
      attempts: 0,
      next_attempt_at: at,
      last_error: null,
      created_at: at,
      sent_at: null,
    })
    .execute();
  return id;
}

export type DeliveryReport = { sent: number; failed: number; remaining: number };

/** Sends every due message once; failures are rescheduled, never dropped. */
export async function deliverDue(db: Kysely<Database>, send: MailSender, now = new Date(), batch = 50, ring: KeyRing = credentialKeyRing()): Promise<DeliveryReport> {
  const due = await db
    .selectFrom("outbox")
    .selectAll()
    .where("status", "=", "queued")
    .where("next_attempt_at", "<=", now.toISOString())
    .orderBy("next_attempt_at")
    .limit(batch)
    .execute();
  let sent = 0;
  let failed = 0;
  for (const message of due) {
    try {
      const text = openBody(message.body, message.id, ring);
      await send({ to: message.to_address, subject: message.subject, text });
      // Once the mail is out, the copy kept here loses its links too.
      const body = sealBody(withoutLinks(text), message.id, ring);
      await db.updateTable("outbox").set({ status: "sent", sent_at: nowIso(), attempts: message.attempts + 1, last_error: null, body }).where("id", "=", message.id).execute();
      sent++;
    } catch (error) {
      const delay = BACKOFF_MS[Math.min(message.attempts, BACKOFF_MS.length - 1)]!;
      await db
        .updateTable("outbox")
        .set({
          attempts: message.attempts + 1,
          next_attempt_at: new Date(now.getTime() + delay).toISOString(),
          last_error: redactText(String((error as Error)?.message ?? error)).slice(0, 500),
        })
        .where("id", "=", message.id)
        .execute();
      failed++;
    }
  }
  const remaining = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "queued").executeTakeFirstOrThrow();
  return { sent, failed, remaining: Number(remaining.n) };
}

export type OutboxMessage = Pick<OutboxTable, "id" | "onboarding_id" | "template" | "to_address" | "subject" | "body" | "status" | "attempts" | "last_error" | "created_at" | "sent_at">;

/** The outbox for signed-in staff (and tests): bodies opened. One that cannot be opened says so instead. */
export async function listOutbox(db: Kysely<Database>, options: { onboardingId?: string; limit?: number; ring?: KeyRing } = {}): Promise<OutboxMessage[]> {
  let q = db.selectFrom("outbox").select(["id", "onboarding_id", "template", "to_address", "subject", "body", "status", "attempts", "last_error", "created_at", "sent_at"]);
  if (options.onboardingId) q = q.where("onboarding_id", "=", options.onboardingId);
  const rows = await q.orderBy("created_at", "desc").limit(options.limit ?? 100).execute();
  const ring = options.ring ?? credentialKeyRing();
  return rows.map((row) => {
    try {
      return { ...row, body: openBody(row.body, row.id, ring) };
    } catch (error) {
      if (!(error instanceof CredentialDecryptError)) throw error;
      return { ...row, body: `[This message cannot be opened: ${error.code === "unknown_key" ? "its key is not in the key ring" : "it was altered"}.]` };
    }
  });
}

/**
 * Seals bodies stored in the clear by a version before sealing (once per process, from the outbox job): a
 * queued invite from then would otherwise keep its link readable until sent. Sent ones lose their links too.
 */
export async function sealPlainBodies(db: Kysely<Database>, ring: KeyRing = credentialKeyRing()): Promise<number> {
  const rows = await db.selectFrom("outbox").select(["id", "body", "status"]).where("body", "not like", `${SEALED_PREFIX}%`).execute();
  let sealed = 0;
  for (const row of rows) {
    const body = sealBody(row.status === "sent" ? withoutLinks(row.body) : row.body, row.id, ring);
    const done = await db.updateTable("outbox").set({ body }).where("id", "=", row.id).where("body", "=", row.body).executeTakeFirst();
    sealed += Number(done.numUpdatedRows);
  }
  const driver = sealed ? driverOfHandle(db) : undefined;
  if (driver?.dialect === "sqlite") {
    // The clear bodies are still in the write-ahead log's older frames: checkpoint it into the file (whose
    // freed bytes secure_delete zeroes) and truncate it, so no copy of the data directory keeps them.
    driver.database.pragma("wal_checkpoint(TRUNCATE)");
  }
  if (sealed) log.info({ sealed }, "outbox bodies sealed");
  return sealed;
}
