import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { IncidentDraft } from "@/lib/validation/incident";
import { incidentMail } from "./notify";
import { resolveSelection } from "./selection";

/** What TechOps reviews before confirming: how many, how many are app access (nothing asked), the mail itself. */
export type IncidentReview = {
  count: number;
  ews: number;
  appAccess: number;
  unmatched: string[];
  unmatchedCount: number;
  notVerifiedCount: number;
  mail: { subject: string; text: string };
};

export async function reviewIncident(db: Kysely<Database>, draft: IncidentDraft, now = new Date()): Promise<IncidentReview> {
  const selected = await resolveSelection(db, draft.selection);
  const appAccess = selected.members.filter((m) => m.method === "graph_app").length;
  const dueAt = new Date(now.getTime() + draft.dueDays * 86_400_000).toISOString();
  return {
    count: selected.members.length,
    ews: selected.members.length - appAccess,
    appAccess,
    unmatched: selected.unmatched.slice(0, 20),
    unmatchedCount: selected.unmatched.length,
    notVerifiedCount: selected.notVerified.length,
    mail: incidentMail({ brokerage: "<brokerage name>", incident: draft.name, reason: draft.reason, dueAt }),
  };
}
