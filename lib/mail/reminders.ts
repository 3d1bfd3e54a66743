import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { enqueueMail } from "./outbox";
import { mailTemplates } from "./templates";

const SYSTEM: Actor = { kind: "system", label: "MoxiEngage Onboarding" };
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Tells the brokerage's contact when their workspace link expires within `withinDays`, once per link (the
 * reminder is an event, so a second run finds it and stays quiet). Returns how many reminders were queued.
 */
export async function remindExpiringLinks(db: Kysely<Database>, now = new Date(), withinDays = 3): Promise<number> {
  const soon = new Date(now.getTime() + withinDays * DAY_MS).toISOString();
  const links = await db
    .selectFrom("access_tokens")
    .innerJoin("onboardings", "onboardings.id", "access_tokens.onboarding_id")
    .select(["access_tokens.id as linkId", "access_tokens.expires_at", "onboardings.id as onboardingId", "onboardings.brokerage_name", "onboardings.contact_email"])
    .where("access_tokens.kind", "=", "brokerage")
    .where("access_tokens.revoked_at", "is", null)
    .where("access_tokens.expires_at", ">", now.toISOString())
    .where("access_tokens.expires_at", "<=", soon)
    .where("onboardings.state", "not in", ["verified", "revoked"])
    .execute();
  let queued = 0;
  for (const link of links) {
    const reminded = await db
      .selectFrom("events")
      .select("id")
      .where("onboarding_id", "=", link.onboardingId)
      .where("type", "=", "link_expiry_reminder")
      .where("details", "like", `%${link.linkId}%`)
      .executeTakeFirst();
    if (reminded) continue;
    await db.transaction().execute(async (trx) => {
      await enqueueMail(trx, {
        to: link.contact_email,
        template: "link_expiring",
        onboardingId: link.onboardingId,
        message: mailTemplates.linkExpiring({ brokerage: link.brokerage_name, expiresAt: link.expires_at }),
      });
      await appendEvent(trx, { onboardingId: link.onboardingId, type: "link_expiry_reminder", actor: SYSTEM, details: { linkId: link.linkId, expiresAt: link.expires_at } });
    });
    queued++;
  }
  return queued;
}
