import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { toEvent, type OnboardingEvent } from "@/lib/onboarding/store";
import type { AuditParams } from "./params";

/**
 * The audit log: every event of every onboarding, newest first, with filters. Read straight from the
 * append-only events table, the same one the timelines show.
 */
export const AUDIT_PAGE_SIZE = 50;

export type AuditEntry = OnboardingEvent & { brokerageName: string | null };

function likeTerm(term: string) {
  // Escape LIKE wildcards so a search for "50%" means the characters typed (same rule as listOnboardings).
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listAuditEvents(
  db: Kysely<Database>,
  params: Omit<AuditParams, "page"> & { page?: number; pageSize?: number },
): Promise<{ items: AuditEntry[]; total: number; page: number; pageSize: number; pageCount: number }> {
  const pageSize = Math.min(Math.max(params.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  const page = Math.max(params.page ?? 1, 1);
  let q = db.selectFrom("events").leftJoin("onboardings", "onboardings.id", "events.onboarding_id");
  if (params.type) q = q.where("events.type", "=", params.type);
  if (params.actor) q = q.where("events.actor_kind", "=", params.actor);
  // Dates are whole UTC days, inclusive; ISO timestamps compare correctly as text.
  if (params.from) q = q.where("events.created_at", ">=", `${params.from}T00:00:00.000Z`);
  if (params.to) q = q.where("events.created_at", "<=", `${params.to}T23:59:59.999Z`);
  if (params.q) q = q.where(sql<boolean>`onboardings.search_text like ${likeTerm(params.q)} escape '\\'`);

  const [{ total }] = (await q.select((eb) => eb.fn.countAll<number>().as("total")).execute()) as [{ total: number | string }];
  const rows = await q
    .selectAll("events")
    .select("onboardings.brokerage_name")
    .orderBy("events.created_at", "desc")
    .orderBy("events.id", "desc")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const items = rows.map(({ brokerage_name, ...row }) => ({ ...toEvent(row), brokerageName: brokerage_name }));
  return { items, total: Number(total), page, pageSize, pageCount: Math.max(1, Math.ceil(Number(total) / pageSize)) };
}
