import "server-only";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { appendEvent, type Actor } from "@/lib/onboarding/store";

/**
 * The expiry watch of own-app certificates: 60, 30 and 7 days before the certificate in use expires, the
 * brokerage's contact and MoxiWorks staff are mailed once. Only the window the certificate is in now is sent (a
 * job that did not run for weeks does not send the 60-day mail at 25 days). "Once" is the database's: the
 * reminder row's primary key (certificate, days) is inserted in the same transaction as the mail, so two
 * schedulers racing send one.
 */
export const REMINDER_DAYS = [60, 30, 7] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM: Actor = { kind: "system", label: "MoxiEngage Onboarding" };

/** The reminder window a certificate with `daysLeft` is in: the smallest of 60/30/7 at or above it. */
export function reminderWindow(daysLeft: number): (typeof REMINDER_DAYS)[number] | undefined {
  return [...REMINDER_DAYS].reverse().find((d) => daysLeft <= d);
}

export async function remindExpiringCertificates(db: Kysely<Database>, now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + REMINDER_DAYS[0] * DAY_MS).toISOString();
  const rows = await db
    .selectFrom("app_certificates")
    .innerJoin("onboardings", "onboardings.id", "app_certificates.onboarding_id")
    .select(["app_certificates.id", "app_certificates.not_after", "app_certificates.thumbprint_sha1", "onboardings.id as onboardingId", "onboardings.brokerage_name", "onboardings.contact_email"])
    .where("app_certificates.status", "=", "active")
    .where("app_certificates.not_after", ">", now.toISOString())
    .where("app_certificates.not_after", "<=", horizon)
    .where("onboardings.state", "!=", "revoked")
    .execute();
  const c = config();
  let queued = 0;
  for (const r of rows) {
    const daysLeft = Math.floor((new Date(r.not_after).getTime() - now.getTime()) / DAY_MS);
    const days = reminderWindow(daysLeft);
    if (!days) continue;
    const sent = await db.transaction().execute(async (trx) => {
      const ins = await trx.insertInto("app_certificate_reminders").values({ certificate_id: r.id, days, sent_at: now.toISOString() }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      const p = { brokerage: r.brokerage_name, days, expiresAt: r.not_after, thumbprint: r.thumbprint_sha1 };
      await enqueueMail(trx, { to: r.contact_email, template: "certificate_expiring", onboardingId: r.onboardingId, message: mailTemplates.certificateExpiring({ ...p, workspaceUrl: `${c.appUrl}/o` }) });
      await enqueueMail(trx, {
        to: c.staffAlertEmail,
        template: "certificate_expiring_staff",
        onboardingId: r.onboardingId,
        message: mailTemplates.certificateExpiring({ ...p, staff: true, workspaceUrl: `${c.appUrl}/staff/onboardings/${r.onboardingId}` }),
      });
      await appendEvent(trx, { onboardingId: r.onboardingId, type: "app_certificate_expiry_reminder", actor: SYSTEM, details: { certificateId: r.id, days, expiresAt: r.not_after } });
      return true;
    });
    if (sent) queued++;
  }
  return queued;
}

/**
 * The same watch for an own app's client secret (where policy forced one): 60, 30 and 7 days before the expiry
 * date the admin gave. "Once" per (onboarding, expiry date, window): a new secret with a new date starts over.
 */
export async function remindExpiringSecrets(db: Kysely<Database>, now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + REMINDER_DAYS[0] * DAY_MS).toISOString();
  const rows = await db
    .selectFrom("app_client_secrets")
    .innerJoin("onboardings", "onboardings.id", "app_client_secrets.onboarding_id")
    .innerJoin("app_access", "app_access.onboarding_id", "app_client_secrets.onboarding_id")
    .select(["app_client_secrets.expires_at", "app_client_secrets.hint", "onboardings.id as onboardingId", "onboardings.brokerage_name", "onboardings.contact_email"])
    .where("app_access.registration", "=", "own")
    .where("app_client_secrets.expires_at", ">", now.toISOString())
    .where("app_client_secrets.expires_at", "<=", horizon)
    .where("onboardings.state", "!=", "revoked")
    .execute();
  const c = config();
  let queued = 0;
  for (const r of rows) {
    const days = reminderWindow(Math.floor((new Date(r.expires_at).getTime() - now.getTime()) / DAY_MS));
    if (!days) continue;
    const sent = await db.transaction().execute(async (trx) => {
      const ins = await trx.insertInto("app_secret_reminders").values({ onboarding_id: r.onboardingId, expires_at: r.expires_at, days, sent_at: now.toISOString() }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      const p = { brokerage: r.brokerage_name, days, expiresAt: r.expires_at, hint: r.hint };
      await enqueueMail(trx, { to: r.contact_email, template: "client_secret_expiring", onboardingId: r.onboardingId, message: mailTemplates.clientSecretExpiring({ ...p, workspaceUrl: `${c.appUrl}/o` }) });
      await enqueueMail(trx, {
        to: c.staffAlertEmail,
        template: "client_secret_expiring_staff",
        onboardingId: r.onboardingId,
        message: mailTemplates.clientSecretExpiring({ ...p, staff: true, workspaceUrl: `${c.appUrl}/staff/onboardings/${r.onboardingId}` }),
      });
      await appendEvent(trx, { onboardingId: r.onboardingId, type: "app_secret_expiry_reminder", actor: SYSTEM, details: { days, expiresAt: r.expires_at } });
      return true;
    });
    if (sent) queued++;
  }
  return queued;
}
