import "server-only";
import type { Kysely, Transaction } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { appendEvent, getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import { IncidentError } from "./open";

/**
 * The bulk move: every pending member of an incident, a batch at a time, ONE transaction per batch. In it, for
 * each member: the member row is claimed (pending → notified, conditional, so two runners never both take it),
 * the onboarding moves verified → rotation_requested with its event, and the mail is queued in the outbox.
 * A crash rolls back the batch under way whole; the batches before it are committed whole. Running again picks
 * up exactly the members still pending: none skipped, none mailed twice.
 *
 * App-access (graph_app) members are not asked for anything: MoxiWorks rotates its own app credential; their
 * row becomes `moxiworks`. Own-app members (graph_own_app) are asked for a new certificate: their private key was
 * made and sealed here; they stay verified meanwhile. A member that left `verified` since the incident opened (revoked, or already asked
 * to rotate) becomes `not_applicable` and is not mailed.
 */
export const NOTIFY_BATCH = 200;

export type NotifyHooks = {
  /** Inside the batch's transaction, after its writes, before commit (tests kill a process here). */
  beforeCommit?: (batch: number) => Promise<void>;
  /** After the batch committed. */
  afterCommit?: (batch: number, notified: number) => Promise<void>;
};

export type NotifyReport = { batches: number; notified: number; appAccess: number; notApplicable: number };

/** The moves are made on behalf of the TechOps person who opened the incident (the lifecycle allows them). */
function incidentActor(incident: { created_by_id: string | null; created_by_label: string }): Actor {
  return { kind: "techops", id: incident.created_by_id, label: `${incident.created_by_label} (security incident)` };
}

export function incidentMail(p: { brokerage: string; incident: string; reason: string; dueAt: string; certificate?: boolean }) {
  return mailTemplates.incidentRotation({ brokerage: p.brokerage, incident: p.incident, reason: p.reason, dueDate: p.dueAt.slice(0, 10), workspaceUrl: `${config().appUrl}/o`, certificate: p.certificate });
}

async function notifyOne(trx: Transaction<Database>, incident: { id: string; name: string; reason: string; due_at: string }, member: { onboarding_id: string; method: string }, actor: Actor, at: string) {
  const onboarding = await getOnboarding(trx, member.onboarding_id);
  const status = member.method === "graph_app" ? "moxiworks" : onboarding?.state === "verified" ? "notified" : "not_applicable";
  const claimed = await trx
    .updateTable("incident_members")
    .set({ status, notified_at: status === "notified" ? at : null })
    .where("incident_id", "=", incident.id)
    .where("onboarding_id", "=", member.onboarding_id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null; // another runner took it
  if (status !== "notified" || !onboarding) return status;
  const certificate = member.method === "graph_own_app";
  if (certificate) {
    // The brokerage's own app keeps working meanwhile: no state change, a certificate renewal is asked for (the
    // renewal flow keeps the old certificate until the new one passes, lib/app-access/own-app.ts).
    await appendEvent(trx, { onboardingId: onboarding.id, type: "incident_renewal_requested", actor, details: { incidentId: incident.id } });
  } else {
    await transition(trx, onboarding.id, "rotation_requested", actor, { reason: `Security incident: ${incident.name}`, details: { incidentId: incident.id }, trx });
  }
  await enqueueMail(trx, {
    to: onboarding.contactEmail,
    template: "incident_rotation",
    onboardingId: onboarding.id,
    message: incidentMail({ brokerage: onboarding.brokerageName, incident: incident.name, reason: incident.reason, dueAt: incident.due_at, certificate }),
  });
  return status;
}

export async function notifyPending(db: Kysely<Database>, incidentId: string, options: { actor?: Actor; batchSize?: number; hooks?: NotifyHooks } = {}): Promise<NotifyReport> {
  const incident = await db.selectFrom("incidents").select(["id", "name", "reason", "due_at", "closed_at", "created_by_id", "created_by_label"]).where("id", "=", incidentId).executeTakeFirst();
  if (!incident) throw new IncidentError("not_found");
  if (incident.closed_at) throw new IncidentError("incident_closed");
  const actor = options.actor ?? incidentActor(incident);
  const size = options.batchSize ?? NOTIFY_BATCH;
  const report: NotifyReport = { batches: 0, notified: 0, appAccess: 0, notApplicable: 0 };
  let after = "";
  for (;;) {
    const batch = await db
      .selectFrom("incident_members")
      .select(["onboarding_id", "method"])
      .where("incident_id", "=", incidentId)
      .where("status", "=", "pending")
      .where("onboarding_id", ">", after)
      .orderBy("onboarding_id")
      .limit(size)
      .execute();
    if (batch.length === 0) break;
    after = batch.at(-1)!.onboarding_id;
    const n = report.batches + 1;
    const counts = await db.transaction().execute(async (trx) => {
      const at = new Date().toISOString();
      const c = { notified: 0, moxiworks: 0, not_applicable: 0 };
      for (const member of batch) {
        const status = await notifyOne(trx, incident, member, actor, at);
        if (status) c[status]++;
      }
      if (c.notified + c.moxiworks + c.not_applicable > 0) {
        await appendEvent(trx, { onboardingId: null, type: "incident_batch_notified", actor, details: { incidentId, batch: n, ...c } });
      }
      await options.hooks?.beforeCommit?.(n);
      return c;
    });
    report.batches = n;
    report.notified += counts.notified;
    report.appAccess += counts.moxiworks;
    report.notApplicable += counts.not_applicable;
    await options.hooks?.afterCommit?.(n, report.notified);
  }
  return report;
}
