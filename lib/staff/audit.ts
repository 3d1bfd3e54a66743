import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { toEvent, type OnboardingEvent } from "@/lib/onboarding/store";
import { auditCursorText, type AuditParams } from "./params";

/**
 * The audit log: every event of every onboarding, newest first, with filters. Read straight from the
 * append-only events table, the same one the timelines show.
 *
 * Keyset pagination on (created_at, id): a page costs what it shows, however long the history (no OFFSET, no
 * count of every matching event). The index events_time_id (migration 025) serves the order on both databases.
 */
export const AUDIT_PAGE_SIZE = 50;

export type AuditEntry = OnboardingEvent & { brokerageName: string | null };

export type AuditPage = {
  items: AuditEntry[];
  pageSize: number;
  /** Cursor texts for the neighbouring pages (null: there is none). */
  older: string | null;
  newer: string | null;
};

function likeTerm(term: string) {
  // Escape LIKE wildcards so a search for "50%" means the characters typed (same rule as listOnboardings).
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listAuditEvents(db: Kysely<Database>, params: Partial<AuditParams> & { pageSize?: number }): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(params.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  let q = db.selectFrom("events").leftJoin("onboardings", "onboardings.id", "events.onboarding_id");
  if (params.type) q = q.where("events.type", "=", params.type);
  if (params.actor) q = q.where("events.actor_kind", "=", params.actor);
  // Dates are whole UTC days, inclusive; ISO timestamps compare correctly as text.
  if (params.from) q = q.where("events.created_at", ">=", `${params.from}T00:00:00.000Z`);
  if (params.to) q = q.where("events.created_at", "<=", `${params.to}T23:59:59.999Z`);
  if (params.q) q = q.where(sql<boolean>`onboardings.search_text like ${likeTerm(params.q)} escape '\\'`);

  const cursor = params.cursor;
  const forward = cursor?.dir !== "after"; // newest first from the cursor (or the top); "after" walks back up
  if (cursor) {
    q = q.where(
      forward
        ? sql<boolean>`(events.created_at, events.id) < (${cursor.createdAt}, ${cursor.id})`
        : sql<boolean>`(events.created_at, events.id) > (${cursor.createdAt}, ${cursor.id})`,
    );
  }
  const rows = await q
    .selectAll("events")
    .select("onboardings.brokerage_name")
    .orderBy("events.created_at", forward ? "desc" : "asc")
    .orderBy("events.id", forward ? "desc" : "asc")
    .limit(pageSize + 1)
    .execute();
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (!forward) page.reverse();
  const items = page.map(({ brokerage_name, ...row }) => ({ ...toEvent(row), brokerageName: brokerage_name }));
  const first = items[0];
  const last = items[items.length - 1];
  // Walking down, there is a newer page whenever a cursor brought us here; walking up, an older one.
  const older = last && (forward ? more : true) ? auditCursorText(last) : null;
  const newer = first && (forward ? cursor !== undefined : more) ? auditCursorText(first) : null;
  return { items, pageSize, older, newer };
}
