import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import type { IncidentSelection } from "@/lib/validation/incident";
import { resolveSelection } from "./selection";

/**
 * Opening an incident fixes its members in one transaction (the incident row, one member row per affected
 * onboarding, status `pending`, and the audit event). Nobody is mailed yet: `notifyPending` does that in batches,
 * so a crash after opening loses nothing — the pending members are simply notified when it runs again.
 */
export type OpenIncidentInput = { name: string; reason: string; selection: IncidentSelection; dueDays: number; reminderEveryHours: number };

export class IncidentError extends Error {
  constructor(readonly code: "incident_empty" | "incident_count_changed" | "not_found" | "incident_closed" | "incident_not_closable") {
    super(code);
    this.name = "IncidentError";
  }
}

const INSERT_CHUNK = 200;

export async function openIncident(db: Kysely<Database>, input: OpenIncidentInput, actor: Actor, options: { expectedCount?: number; now?: Date } = {}): Promise<{ id: string; members: number }> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const selected = await resolveSelection(trx, input.selection);
    if (selected.members.length === 0) throw new IncidentError("incident_empty");
    // The TechOps person confirmed a count: if the set moved since the review, they review again.
    if (options.expectedCount !== undefined && options.expectedCount !== selected.members.length) throw new IncidentError("incident_count_changed");
    const id = newId();
    const at = now.toISOString();
    await trx
      .insertInto("incidents")
      .values({
        id,
        name: input.name,
        reason: input.reason,
        selection: JSON.stringify(input.selection.kind === "list" ? { kind: "list", entries: selected.members.length, unmatched: selected.unmatched.length } : input.selection),
        created_by_id: actor.id ?? null,
        created_by_label: actor.label,
        created_at: at,
        due_at: new Date(now.getTime() + input.dueDays * 86_400_000).toISOString(),
        reminder_every_hours: input.reminderEveryHours,
        last_reminded_at: null,
        closed_at: null,
        closed_by_label: null,
        close_note: null,
      })
      .execute();
    for (let i = 0; i < selected.members.length; i += INSERT_CHUNK) {
      await trx
        .insertInto("incident_members")
        .values(
          selected.members.slice(i, i + INSERT_CHUNK).map((m) => ({
            incident_id: id,
            onboarding_id: m.onboardingId,
            method: m.method,
            status: "pending",
            notified_at: null,
            reminded_at: null,
            reminders: 0,
            excepted_reason: null,
            excepted_by_label: null,
            excepted_at: null,
          })),
        )
        .execute();
    }
    const appAccess = selected.members.filter((m) => m.method === "graph_app").length;
    await appendEvent(trx, {
      onboardingId: null,
      type: "incident_opened",
      actor,
      reason: input.reason,
      details: { incidentId: id, name: input.name, members: selected.members.length, appAccess, selection: input.selection.kind, at: nowIso() },
    });
    return { id, members: selected.members.length };
  });
}
