import "server-only";
import type { Kysely } from "kysely";
import type { Database, IncidentsTable } from "@/lib/db/schema";

/**
 * Where an incident stands, member by member, read from the onboardings' own history since each was notified:
 * the brokerage opened its workspace, submitted new details, and the new details verified ("rotated"). A member
 * still short of rotated after the due date is overdue. App-access members are MoxiWorks's own to rotate; own-app
 * members rotate their certificate (a new one made, uploaded, and put in use by a passed test).
 */
export type MemberPhase = "pending" | "notified" | "opened" | "submitted" | "rotated" | "revoked" | "excepted" | "moxiworks";
export const PHASE_LABELS: Record<MemberPhase, string> = {
  pending: "Not yet notified",
  notified: "Notified",
  opened: "Opened the link",
  submitted: "Submitted new details",
  rotated: "Rotated and verified",
  revoked: "Revoked",
  excepted: "Excepted",
  moxiworks: "App access: MoxiWorks rotates",
};

export type IncidentMember = {
  onboardingId: string;
  brokerageName: string;
  contactEmail: string;
  state: string;
  method: string;
  status: string;
  phase: MemberPhase;
  overdue: boolean;
  notifiedAt: string | null;
  openedAt: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  remindedAt: string | null;
  reminders: number;
  exceptedReason: string | null;
};

export type IncidentCounts = { members: number; notified: number; opened: number; submitted: number; verified: number; overdue: number; revoked: number; excepted: number; appAccess: number; pending: number; outstanding: number };

export type Incident = {
  id: string;
  name: string;
  reason: string;
  createdByLabel: string;
  createdAt: string;
  dueAt: string;
  reminderEveryHours: number;
  lastRemindedAt: string | null;
  closedAt: string | null;
  closedByLabel: string | null;
  closeNote: string | null;
};

export function toIncident(r: IncidentsTable): Incident {
  return {
    id: r.id,
    name: r.name,
    reason: r.reason,
    createdByLabel: r.created_by_label,
    createdAt: r.created_at,
    dueAt: r.due_at,
    reminderEveryHours: Number(r.reminder_every_hours),
    lastRemindedAt: r.last_reminded_at,
    closedAt: r.closed_at,
    closedByLabel: r.closed_by_label,
    closeNote: r.close_note,
  };
}

export async function getIncident(db: Kysely<Database>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** A member is done (for closing) once rotated, revoked, or excepted with a reason. */
export function isDone(phase: MemberPhase): boolean {
  return phase === "rotated" || phase === "revoked" || phase === "excepted";
}

/**
 * The latest event per member of one kind: entering a state (verified, submitted), anything the brokerage or its
 * vendor did, or — for an own-app member's certificate renewal — a certificate made or put in use.
 */
async function latestPerMember(db: Kysely<Database>, incidentId: string, where: "verified" | "submitted" | "brokerage" | "app_certificate_generated" | "app_certificate_verified") {
  let q = db
    .selectFrom("events")
    .select((eb) => ["events.onboarding_id as id", eb.fn.max("events.created_at").as("at")])
    .where("events.onboarding_id", "in", db.selectFrom("incident_members").select("onboarding_id").where("incident_id", "=", incidentId));
  q =
    where === "brokerage"
      ? q.where("events.actor_kind", "in", ["brokerage", "vendor"])
      : where === "verified" || where === "submitted"
        ? q.where("events.to_state", "=", where)
        : q.where("events.type", "=", where);
  const rows = await q.groupBy("events.onboarding_id").execute();
  return new Map(rows.map((r) => [r.id as string, String(r.at)]));
}

const after = (at: string | undefined | null, since: string) => (at && at > since ? at : null);

export async function incidentMembers(db: Kysely<Database>, incident: Incident, now = new Date()): Promise<IncidentMember[]> {
  const rows = await db
    .selectFrom("incident_members as m")
    .innerJoin("onboardings as o", "o.id", "m.onboarding_id")
    .select(["m.onboarding_id", "m.method", "m.status", "m.notified_at", "m.reminded_at", "m.reminders", "m.excepted_reason", "o.brokerage_name", "o.contact_email", "o.state"])
    .where("m.incident_id", "=", incident.id)
    .orderBy("o.brokerage_name")
    .orderBy("m.onboarding_id")
    .execute();
  const [verified, submitted, activity, certificateMade, certificateInUse] = await Promise.all([
    latestPerMember(db, incident.id, "verified"),
    latestPerMember(db, incident.id, "submitted"),
    latestPerMember(db, incident.id, "brokerage"),
    latestPerMember(db, incident.id, "app_certificate_generated"),
    latestPerMember(db, incident.id, "app_certificate_verified"),
  ]);
  const links = await db
    .selectFrom("access_tokens")
    .select((eb) => ["onboarding_id", eb.fn.max("last_used_at").as("at")])
    .where("onboarding_id", "in", db.selectFrom("incident_members").select("onboarding_id").where("incident_id", "=", incident.id))
    .groupBy("onboarding_id")
    .execute();
  const linkUse = new Map(links.map((l) => [l.onboarding_id as string, l.at ? String(l.at) : null]));
  const overdueAt = incident.dueAt;
  return rows.map((r) => {
    const since = r.notified_at ?? incident.createdAt;
    // Own app: "submitted" is a new certificate made, "rotated" a new certificate that passed and is now in use.
    const own = r.method === "graph_own_app";
    const verifiedAt = after((own ? certificateInUse : verified).get(r.onboarding_id), since);
    const submittedAt = after((own ? certificateMade : submitted).get(r.onboarding_id), since);
    const openedCandidates = [after(activity.get(r.onboarding_id), since), after(linkUse.get(r.onboarding_id), since)].filter(Boolean) as string[];
    const openedAt = openedCandidates.sort()[0] ?? null;
    let phase: MemberPhase;
    if (r.excepted_reason) phase = "excepted";
    else if (r.state === "revoked") phase = "revoked";
    else if (r.status === "moxiworks") phase = "moxiworks";
    else if (r.status === "pending") phase = "pending";
    else if (verifiedAt && r.state === "verified") phase = "rotated";
    else if (submittedAt) phase = "submitted";
    else if (openedAt) phase = "opened";
    else phase = "notified";
    return {
      onboardingId: r.onboarding_id,
      brokerageName: r.brokerage_name,
      contactEmail: r.contact_email,
      state: r.state,
      method: r.method,
      status: r.status,
      phase,
      overdue: !isDone(phase) && phase !== "moxiworks" && now.toISOString() > overdueAt,
      notifiedAt: r.notified_at,
      openedAt,
      submittedAt,
      verifiedAt,
      remindedAt: r.reminded_at,
      reminders: Number(r.reminders),
      exceptedReason: r.excepted_reason,
    };
  });
}

/** The progress counts: each is "reached at least this far" (a verified member has also opened and submitted). */
export function countMembers(members: IncidentMember[]): IncidentCounts {
  const c: IncidentCounts = { members: members.length, notified: 0, opened: 0, submitted: 0, verified: 0, overdue: 0, revoked: 0, excepted: 0, appAccess: 0, pending: 0, outstanding: 0 };
  for (const m of members) {
    if (m.notifiedAt) c.notified++;
    if (m.openedAt || m.submittedAt || m.phase === "rotated") c.opened++;
    if (m.submittedAt || m.phase === "rotated") c.submitted++;
    if (m.phase === "rotated") c.verified++;
    if (m.overdue) c.overdue++;
    if (m.phase === "revoked") c.revoked++;
    if (m.phase === "excepted") c.excepted++;
    if (m.method === "graph_app") c.appAccess++;
    if (m.phase === "pending") c.pending++;
    if (!isDone(m.phase)) c.outstanding++;
  }
  return c;
}

export async function listIncidents(db: Kysely<Database>): Promise<(Incident & { members: number })[]> {
  const rows = await db
    .selectFrom("incidents")
    .selectAll("incidents")
    .select((eb) => eb.selectFrom("incident_members").select((e) => e.fn.countAll<number>().as("n")).whereRef("incident_members.incident_id", "=", "incidents.id").as("members"))
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...toIncident(r), members: Number(r.members ?? 0) }));
}

const CSV_COLUMNS = ["onboarding_id", "brokerage", "contact_email", "method", "phase", "overdue", "state", "notified_at", "opened_at", "submitted_at", "verified_at", "reminders", "reminded_at", "excepted_reason"] as const;

/** A CSV field, quoted, and defused against spreadsheet formula injection (a leading = + - @ tab or CR). */
export function csvField(value: string | number | boolean | null): string {
  let s = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function membersCsv(members: IncidentMember[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const m of members) {
    lines.push(
      [m.onboardingId, m.brokerageName, m.contactEmail, m.method, m.phase, m.overdue, m.state, m.notifiedAt, m.openedAt, m.submittedAt, m.verifiedAt, m.reminders, m.remindedAt, m.exceptedReason].map(csvField).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
