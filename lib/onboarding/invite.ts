import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { inTransaction } from "@/lib/db/transaction";
import { createLink, linkUrl, type LinkInfo } from "@/lib/auth/links";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { createOnboarding, type Actor, type NewOnboarding, type Onboarding } from "./store";

export type InvitedOnboarding = { onboarding: Onboarding; link: LinkInfo; inviteUrl: string };

/**
 * A new onboarding, its brokerage link and the invite mail to its contact, in one transaction: either the
 * brokerage is invited or nothing was made. The staff dashboard and `npm run onboarding:create` both call
 * this. The invite URL is returned once (the database keeps only the token's hash); the outbox delivers it.
 */
export async function inviteBrokerage(db: Kysely<Database>, input: NewOnboarding, actor: Actor, appUrl: string): Promise<InvitedOnboarding> {
  return inTransaction(db, async (trx) => {
    const onboarding = await createOnboarding(trx, input, actor);
    const { token, link } = await createLink(trx, { onboardingId: onboarding.id, kind: "brokerage" }, actor);
    const inviteUrl = linkUrl(appUrl, token);
    await enqueueMail(trx, {
      to: onboarding.contactEmail,
      template: "invite",
      onboardingId: onboarding.id,
      message: mailTemplates.invite({ brokerage: onboarding.brokerageName, contactName: onboarding.contactName, url: inviteUrl, expiresAt: link.expiresAt }),
    });
    return { onboarding, link, inviteUrl };
  });
}
