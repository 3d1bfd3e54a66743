import "server-only";
import type { Kysely } from "kysely";
import type { Database, OutboxTable } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { redactText } from "@/lib/log";
import type { MailMessage } from "./templates";

/**
 * Mail goes through an outbox table first, in the same transaction as the change that caused it, so a
 * message is never lost: delivery retries with back-off until the SMTP server takes it. With no SMTP server
 * configured (the embedded default) messages simply stay queued for staff to read in the dashboard.
 */
export type MailSender = (message: { to: string; subject: string; text: string }) => Promise<void>;

/** Back-off after each failed attempt: 1 min, 5 min, 15 min, 1 h, then every 6 h. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

export async function enqueueMail(
  db: Kysely<Database>,
  input: { to: string; template: string; message: MailMessage; onboardingId?: string | null },
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
      body: input.message.text,
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
export async function deliverDue(db: Kysely<Database>, send: MailSender, now = new Date(), batch = 50): Promise<DeliveryReport> {
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
      await send({ to: message.to_address, subject: message.subject, text: message.body });
      // A workspace link is a credential of sorts: once the mail is out, the copy kept here loses it.
      const body = message.body.replace(/\/o\/[A-Za-z0-9_-]{22,}/g, "/o/[link removed after sending]");
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

export async function listOutbox(db: Kysely<Database>, options: { onboardingId?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
  let q = db.selectFrom("outbox").select(["id", "onboarding_id", "template", "to_address", "subject", "body", "status", "attempts", "last_error", "created_at", "sent_at"]);
  if (options.onboardingId) q = q.where("onboarding_id", "=", options.onboardingId);
  return q.orderBy("created_at", "desc").limit(options.limit ?? 100).execute();
}
