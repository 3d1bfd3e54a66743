import "server-only";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { IncidentError } from "./open";
import { countMembers, getIncident, incidentMembers, isDone, membersCsv, type Incident } from "./report";

/**
 * What TechOps does with an open incident, each step audited: remind the brokerages that have not rotated yet
 * (also the scheduled reminder), except one with a reason, export the report, close it once nothing is left.
 */
const REMIND_BATCH = 200;

async function openIncidentOrThrow(db: Kysely<Database>, id: string): Promise<Incident> {
  const incident = await getIncident(db, id);
  if (!incident) throw new IncidentError("not_found");
  if (incident.closedAt) throw new IncidentError("incident_closed");
  return incident;
}

/** Mails every notified member not yet rotated, revoked or excepted; one transaction per batch. */
export async function remindRest(db: Kysely<Database>, incidentId: string, actor: Actor, now = new Date()): Promise<{ reminded: number }> {
  const incident = await openIncidentOrThrow(db, incidentId);
  const members = (await incidentMembers(db, incident, now)).filter((m) => m.status === "notified" && !isDone(m.phase) && m.phase !== "submitted");
  const at = now.toISOString();
  let reminded = 0;
  for (let i = 0; i < members.length; i += REMIND_BATCH) {
    const batch = members.slice(i, i + REMIND_BATCH);
    reminded += await db.transaction().execute(async (trx) => {
      let n = 0;
      for (const m of batch) {
        const updated = await trx
          .updateTable("incident_members")
          .set((eb) => ({ reminded_at: at, reminders: eb("reminders", "+", 1) }))
          .where("incident_id", "=", incidentId)
          .where("onboarding_id", "=", m.onboardingId)
          .where("status", "=", "notified")
          .where("excepted_reason", "is", null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) continue;
        await enqueueMail(trx, {
          to: m.contactEmail,
          template: "incident_reminder",
          onboardingId: m.onboardingId,
          message: mailTemplates.incidentReminder({ brokerage: m.brokerageName, incident: incident.name, dueDate: incident.dueAt.slice(0, 10), workspaceUrl: `${config().appUrl}/o`, certificate: m.method === "graph_own_app" }),
        });
        n++;
      }
      return n;
    });
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("incidents").set({ last_reminded_at: at }).where("id", "=", incidentId).execute();
    await appendEvent(trx, { onboardingId: null, type: "incident_reminder_sent", actor, details: { incidentId, reminded } });
  });
  return { reminded };
}

/** Open incidents whose scheduled reminder is due (every N hours since the last reminder or the opening). */
export async function remindDue(db: Kysely<Database>, now = new Date()): Promise<number> {
  const open = await db.selectFrom("incidents").selectAll().where("closed_at", "is", null).where("reminder_every_hours", ">", 0).execute();
  let total = 0;
  for (const row of open) {
    const last = row.last_reminded_at ?? row.created_at;
    if (new Date(last).getTime() + Number(row.reminder_every_hours) * 3_600_000 > now.getTime()) continue;
    total += (await remindRest(db, row.id, { kind: "system", label: "Scheduled incident reminder" }, now)).reminded;
  }
  return total;
}

/** Open incidents that still have members to notify (an opening interrupted by a crash): finished here. */
export async function incidentsWithPending(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom("incidents")
    .select("id")
    .where("closed_at", "is", null)
    .where((eb) => eb.exists(eb.selectFrom("incident_members").select("onboarding_id").whereRef("incident_members.incident_id", "=", "incidents.id").where("status", "=", "pending")))
    .execute();
  return rows.map((r) => r.id);
}

export async function exceptMember(db: Kysely<Database>, input: { incidentId: string; onboardingId: string; reason: string }, actor: Actor): Promise<void> {
  await openIncidentOrThrow(db, input.incidentId);
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("incident_members")
      .set({ excepted_reason: input.reason, excepted_by_label: actor.label, excepted_at: new Date().toISOString() })
      .where("incident_id", "=", input.incidentId)
      .where("onboarding_id", "=", input.onboardingId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new IncidentError("not_found");
    await appendEvent(trx, { onboardingId: input.onboardingId, type: "incident_member_excepted", actor, reason: input.reason, details: { incidentId: input.incidentId } });
  });
}

/**
 * MoxiWorks rotated its own app credential (`npm run keys:rotate`, a new app secret or certificate): every
 * app-access member is done, with that recorded as the reason.
 */
export async function recordAppRotation(db: Kysely<Database>, input: { incidentId: string; note: string }, actor: Actor): Promise<number> {
  await openIncidentOrThrow(db, input.incidentId);
  return db.transaction().execute(async (trx) => {
    const reason = `MoxiWorks rotated its app credential: ${input.note}`;
    const updated = await trx
      .updateTable("incident_members")
      .set({ excepted_reason: reason, excepted_by_label: actor.label, excepted_at: new Date().toISOString() })
      .where("incident_id", "=", input.incidentId)
      .where("status", "=", "moxiworks")
      .where("excepted_reason", "is", null)
      .executeTakeFirst();
    const n = Number(updated.numUpdatedRows);
    await appendEvent(trx, { onboardingId: null, type: "incident_app_rotation_recorded", actor, reason: input.note, details: { incidentId: input.incidentId, members: n } });
    return n;
  });
}

export async function closeIncident(db: Kysely<Database>, input: { incidentId: string; note: string }, actor: Actor, now = new Date()): Promise<void> {
  const incident = await openIncidentOrThrow(db, input.incidentId);
  const counts = countMembers(await incidentMembers(db, incident, now));
  if (counts.outstanding > 0) throw new IncidentError("incident_not_closable");
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("incidents")
      .set({ closed_at: now.toISOString(), closed_by_label: actor.label, close_note: input.note })
      .where("id", "=", input.incidentId)
      .where("closed_at", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new IncidentError("incident_closed");
    await appendEvent(trx, { onboardingId: null, type: "incident_closed", actor, reason: input.note, details: { incidentId: input.incidentId, ...counts } });
  });
}

/** The CSV for the incident report; the export itself is audited. */
export async function exportIncident(db: Kysely<Database>, incidentId: string, actor: Actor, now = new Date()): Promise<{ filename: string; csv: string }> {
  const incident = await getIncident(db, incidentId);
  if (!incident) throw new IncidentError("not_found");
  const members = await incidentMembers(db, incident, now);
  await appendEvent(db, { onboardingId: null, type: "incident_exported", actor, details: { incidentId, rows: members.length } });
  return { filename: `incident-${incident.id}.csv`, csv: membersCsv(members) };
}
