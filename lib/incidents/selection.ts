import "server-only";
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { IncidentSelection } from "@/lib/validation/incident";

/**
 * Who an incident concerns: every verified onboarding, those of a dashboard filter (search and mail host, always
 * among the verified), or a pasted list of onboarding ids or contact emails. Only verified onboardings hold a
 * live credential to rotate; anything else named in a list is reported back as not included, with why.
 */
/**
 * How a member connects, so what the incident asks of it: a new service-account password (ews_impersonation),
 * nothing (graph_app: MoxiWorks's own app, which MoxiWorks rotates), or a new certificate for the brokerage's own
 * app registration (graph_own_app: its private key was made and sealed here, so it counts as exposed).
 */
export type SelectedMember = { onboardingId: string; method: "ews_impersonation" | "graph_app" | "graph_own_app" };
export type Selected = { members: SelectedMember[]; unmatched: string[]; notVerified: string[] };

const CHUNK = 500;

/** Whose app a graph_app onboarding uses (app_access.registration), read beside the onboarding. */
const registration = (eb: ExpressionBuilder<Database, "onboardings">) =>
  eb.selectFrom("app_access").select("app_access.registration").whereRef("app_access.onboarding_id", "=", "onboardings.id").as("registration");

function method(connection: string | undefined | null, registration: string | undefined | null): SelectedMember["method"] {
  if (connection !== "graph_app") return "ews_impersonation";
  return registration === "own" ? "graph_own_app" : "graph_app";
}

/** Splits a pasted list (one per line, or separated by commas, semicolons or spaces), trimmed, deduplicated. */
export function parseList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((t) => t.trim()).filter(Boolean))];
}

export async function resolveSelection(db: Kysely<Database>, selection: IncidentSelection): Promise<Selected> {
  if (selection.kind !== "list") {
    let q = db.selectFrom("onboardings").select(["id", "connection_method", registration]).where("state", "=", "verified");
    if (selection.kind === "filter") {
      const host = selection.host;
      if (host) {
        q = q.where((eb) =>
          eb.exists(eb.selectFrom("mail_host_detections").select("mail_host_detections.onboarding_id").whereRef("mail_host_detections.onboarding_id", "=", "onboardings.id").where("mail_host_detections.host", "=", host)),
        );
      }
      const term = selection.q?.trim().toLowerCase();
      if (term) {
        const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
        q = q.where(sql<boolean>`search_text like ${`%${escaped}%`} escape '\\'`);
      }
    }
    const rows = await q.orderBy("id").execute();
    return { members: rows.map((r) => ({ onboardingId: r.id, method: method(r.connection_method, r.registration) })), unmatched: [], notVerified: [] };
  }
  const entries = parseList(selection.list);
  const byId = new Map<string, SelectedMember>();
  const matched = new Set<string>();
  const notVerified = new Set<string>();
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const lower = chunk.map((e) => e.toLowerCase());
    const rows = await db
      .selectFrom("onboardings")
      .select(["id", "contact_email", "state", "connection_method", registration])
      .where((eb) => eb.or([eb("id", "in", chunk), eb(sql<string>`lower(contact_email)`, "in", lower)]))
      .execute();
    for (const r of rows) {
      const keys = [r.id, r.contact_email.toLowerCase()];
      for (const k of keys) matched.add(k);
      if (r.state === "verified") byId.set(r.id, { onboardingId: r.id, method: method(r.connection_method, r.registration) });
      else for (const e of chunk) if (keys.includes(e) || keys.includes(e.toLowerCase())) notVerified.add(e);
    }
  }
  const unmatched = entries.filter((e) => !matched.has(e) && !matched.has(e.toLowerCase()));
  return { members: [...byId.values()].sort((a, b) => (a.onboardingId < b.onboardingId ? -1 : 1)), unmatched, notVerified: [...notVerified] };
}
