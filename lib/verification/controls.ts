import "server-only";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { destroyCredentials, markVerified, newestRow } from "@/lib/credentials/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { deleteRoster } from "@/lib/roster/store";
import { appendEvent, getOnboarding, transition, type Actor, type Onboarding } from "@/lib/onboarding/store";

/**
 * State changes made by people (staff, or the brokerage asking for rotation) with what each one implies,
 * in the same transaction as the change itself:
 * - revoked: every credential destroyed and every link turned off at once;
 * - verified (staff override): the newest credential becomes the verified one, older ones are destroyed;
 * - rotation_requested: the brokerage is asked by mail; the current password keeps working until a new one
 *   is verified (the seed's breach policy).
 */
export async function changeState(db: Kysely<Database>, onboardingId: string, to: OnboardingState, actor: Actor, reason: string): Promise<Onboarding> {
  return db.transaction().execute(async (trx) => {
    const updated = await transition(db, onboardingId, to, actor, { reason, trx });
    if (to === "revoked") {
      await destroyCredentials(trx, onboardingId, { actor, reason });
      // The agents' roster is personal data kept for the onboarding only.
      await deleteRoster(trx, onboardingId);
      const links = await trx.selectFrom("access_tokens").select("id").where("onboarding_id", "=", onboardingId).where("revoked_at", "is", null).execute();
      if (links.length) {
        const ids = links.map((l) => l.id);
        await trx.updateTable("access_tokens").set({ revoked_at: nowIso() }).where("id", "in", ids).execute();
        await trx.deleteFrom("link_sessions").where("access_token_id", "in", ids).execute();
        await appendEvent(trx, { onboardingId, type: "links_revoked", actor, reason, details: { linkIds: ids } });
      }
    }
    if (to === "verified") {
      const newest = await newestRow(trx, onboardingId);
      if (newest) await markVerified(trx, newest.id, actor);
    }
    if (to === "rotation_requested") {
      const onboarding = (await getOnboarding(trx, onboardingId))!;
      await enqueueMail(trx, {
        to: onboarding.contactEmail,
        template: "rotation_requested",
        onboardingId,
        message: mailTemplates.rotationRequested({ brokerage: onboarding.brokerageName, reason, workspaceUrl: `${config().appUrl}/o` }),
      });
    }
    return updated;
  });
}
