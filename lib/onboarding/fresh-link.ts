import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { inTransaction } from "@/lib/db/transaction";
import { createLink, linkUrl, revokeLink } from "@/lib/auth/links";
import { consume } from "@/lib/auth/rate-limit";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import type { Actor } from "./store";

/** The label of links made by this request; an earlier unused one is turned off when a newer one is sent. */
export const FRESH_LINK_LABEL = "Fresh link (asked for by email)";
const REQUEST: Actor = { kind: "system", label: "Fresh-link request" };

export type FreshLinkOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * "Send me a fresh link": for a workspace page opened without a session (a mail link followed on another browser).
 * The link goes only to the brokerage contact's address on file, never to the page, and the answer is the same
 * whether or not the address is a contact (no account enumeration); both limits count every request. Each
 * onboarding the address is the contact of (and not revoked) gets a new brokerage link in one mail; the previous
 * link made this way is turned off, so requests do not pile up live links.
 */
export async function requestFreshLink(db: Kysely<Database>, email: string, client: string, appUrl: string): Promise<FreshLinkOutcome> {
  const address = email.trim().toLowerCase();
  const perClient = await consume(db, "freshLinkPerClient", client);
  if (!perClient.ok) return perClient;
  const perAddress = await consume(db, "freshLinkPerAddress", address);
  if (!perAddress.ok) return perAddress;
  const onboardings = await db
    .selectFrom("onboardings")
    .select(["id", "brokerage_name", "contact_name", "contact_email"])
    .where(sql<string>`lower(contact_email)`, "=", address)
    .where("state", "!=", "revoked")
    .execute();
  for (const o of onboardings) {
    await inTransaction(db, async (trx) => {
      const earlier = await trx
        .selectFrom("access_tokens")
        .select("id")
        .where("onboarding_id", "=", o.id)
        .where("kind", "=", "brokerage")
        .where("label", "=", FRESH_LINK_LABEL)
        .where("revoked_at", "is", null)
        .execute();
      for (const link of earlier) await revokeLink(trx, o.id, link.id, REQUEST);
      const { token, link } = await createLink(trx, { onboardingId: o.id, kind: "brokerage", label: FRESH_LINK_LABEL }, REQUEST);
      await enqueueMail(trx, {
        to: o.contact_email,
        template: "fresh_link",
        onboardingId: o.id,
        message: mailTemplates.freshLink({ brokerage: o.brokerage_name, contactName: o.contact_name, url: linkUrl(appUrl, token), expiresAt: link.expiresAt }),
      });
    });
  }
  return { ok: true };
}
