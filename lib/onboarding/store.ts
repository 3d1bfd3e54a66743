import "server-only";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, EventsTable, OnboardingsTable } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import { checkTransition, type ActorKind, type OnboardingState } from "./lifecycle";
import { readTallies, tallyTransition } from "./tallies";

/**
 * Onboarding records and their append-only event log. Every function takes the Kysely instance so the
 * same code runs on SQLite and Postgres, in or out of a transaction.
 */
export type Actor = { kind: ActorKind; id?: string | null; label: string };
type Db = Kysely<Database> | Transaction<Database>;

export type Onboarding = {
  id: string;
  brokerageName: string;
  contactName: string;
  contactEmail: string;
  notes: string;
  track: string | null;
  state: OnboardingState;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
};

export type OnboardingEvent = {
  id: string;
  onboardingId: string | null;
  type: string;
  actor: Actor;
  fromState: OnboardingState | null;
  toState: OnboardingState | null;
  reason: string;
  details: Record<string, unknown>;
  createdAt: string;
};

function toOnboarding(row: OnboardingsTable): Onboarding {
  return {
    id: row.id,
    brokerageName: row.brokerage_name,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    notes: row.notes,
    track: row.track,
    state: row.state as OnboardingState,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
  };
}

/** An event's details: a JSON object; anything else (an old or damaged row) reads as none. */
function detailsOf(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An event row as the app reads it (the workspace timeline and the staff audit log, lib/staff/audit.ts). */
export function toEvent(row: EventsTable): OnboardingEvent {
  return {
    id: row.id,
    onboardingId: row.onboarding_id,
    type: row.type,
    actor: { kind: row.actor_kind as ActorKind, id: row.actor_id, label: row.actor_label },
    fromState: row.from_state as OnboardingState | null,
    toState: row.to_state as OnboardingState | null,
    reason: row.reason,
    details: detailsOf(row.details),
    createdAt: row.created_at,
  };
}

export function searchText(fields: { brokerageName: string; contactName: string; contactEmail: string }) {
  return `${fields.brokerageName} ${fields.contactName} ${fields.contactEmail}`.toLowerCase();
}

export async function appendEvent(
  db: Db,
  event: {
    onboardingId: string | null;
    type: string;
    actor: Actor;
    fromState?: OnboardingState | null;
    toState?: OnboardingState | null;
    reason?: string;
    details?: Record<string, unknown>;
    at?: string;
  },
): Promise<OnboardingEvent> {
  const row: EventsTable = {
    id: newId(),
    onboarding_id: event.onboardingId,
    type: event.type,
    actor_kind: event.actor.kind,
    actor_id: event.actor.id ?? null,
    actor_label: event.actor.label,
    from_state: event.fromState ?? null,
    to_state: event.toState ?? null,
    reason: event.reason ?? "",
    details: JSON.stringify(event.details ?? {}),
    created_at: event.at ?? nowIso(),
  };
  await db.insertInto("events").values(row).execute();
  if (event.onboardingId) {
    await db.updateTable("onboardings").set({ last_activity_at: row.created_at }).where("id", "=", event.onboardingId).execute();
  }
  return toEvent(row);
}

export type NewOnboarding = {
  brokerageName: string;
  contactName: string;
  contactEmail: string;
  notes?: string;
  track?: string | null;
};

export async function createOnboarding(db: Kysely<Database>, input: NewOnboarding, actor: Actor): Promise<Onboarding> {
  const at = nowIso();
  const row: OnboardingsTable = {
    id: newId(),
    brokerage_name: input.brokerageName,
    contact_name: input.contactName,
    contact_email: input.contactEmail,
    notes: input.notes ?? "",
    track: input.track ?? null,
    state: "invited",
    search_text: searchText(input),
    created_at: at,
    updated_at: at,
    last_activity_at: at,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto("onboardings").values(row).execute();
    await tallyTransition(trx, row.id, null, "invited");
    await appendEvent(trx, { onboardingId: row.id, type: "created", actor, toState: "invited", at });
  });
  return toOnboarding(row);
}

export async function getOnboarding(db: Db, id: string): Promise<Onboarding | undefined> {
  const row = await db.selectFrom("onboardings").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toOnboarding(row);
}

export class TransitionError extends Error {
  constructor(readonly code: "illegal_transition" | "not_allowed" | "reason_required" | "not_found" | "stale") {
    super(code);
    this.name = "TransitionError";
  }
}

/**
 * Moves an onboarding to a new state and records the event, atomically. `expectFrom` guards against a
 * concurrent change: the update only lands if the state is still what the caller saw.
 */
export async function transition(
  db: Kysely<Database>,
  id: string,
  to: OnboardingState,
  actor: Actor,
  options: { reason?: string; details?: Record<string, unknown>; type?: string; trx?: Transaction<Database> } = {},
): Promise<Onboarding> {
  const run = async (trx: Transaction<Database>) => {
    const current = await getOnboarding(trx, id);
    if (!current) throw new TransitionError("not_found");
    const check = checkTransition(current.state, to, actor.kind, options.reason);
    if (!check.ok) throw new TransitionError(check.error);
    const at = nowIso();
    const result = await trx
      .updateTable("onboardings")
      .set({ state: to, updated_at: at, last_activity_at: at })
      .where("id", "=", id)
      .where("state", "=", current.state)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new TransitionError("stale");
    await tallyTransition(trx, id, current.state, to);
    await appendEvent(trx, {
      onboardingId: id,
      type: options.type ?? "state_changed",
      actor,
      fromState: current.state,
      toState: to,
      reason: options.reason,
      details: options.details,
      at,
    });
    return { ...current, state: to, updatedAt: at, lastActivityAt: at };
  };
  return options.trx ? run(options.trx) : db.transaction().execute(run);
}

export type ListQuery = {
  search?: string;
  state?: OnboardingState;
  /** The mail host the detector found (lib/detect). */
  host?: string;
  /** reach_asc: the smallest share of agents reachable (latest finished roster check) first; none last. */
  sort?: "activity_desc" | "activity_asc" | "name_asc" | "reach_asc" | "expires_asc";
  page?: number;
  pageSize?: number;
};

/**
 * The share of agents reachable at the onboarding's latest finished roster check (roster_checks.roster_reachable
 * of roster_total, migration 022); 2 when there is none, so those sort after every real share (at most 1).
 */
const latestRosterReach = sql<number>`coalesce((
  select rc.roster_reachable * 1.0 / rc.roster_total from roster_checks rc
  where rc.onboarding_id = onboardings.id and rc.state in ('done', 'failed') and rc.roster_total > 0
  order by rc.finished_at desc, rc.id desc limit 1
), 2)`;

/**
 * When the credential an own app registration signs in with expires (the dashboard's "credential expires"): the
 * stored client secret's date, else the certificate in use (else the newest); '9999' when there is none, so those
 * sort after every real date. The same rule as the dashboard's cell (lib/staff/dashboard.ts connectionsOf).
 */
const credentialExpiry = sql<string>`case when onboardings.connection_method = 'graph_app' and exists (
  select 1 from app_access a where a.onboarding_id = onboardings.id and a.registration = 'own'
) then coalesce(
  (select s.expires_at from app_client_secrets s where s.onboarding_id = onboardings.id),
  (select c.not_after from app_certificates c where c.onboarding_id = onboardings.id and c.status <> 'destroyed'
   order by case when c.status = 'active' then 0 else 1 end, c.created_at desc limit 1),
  '9999'
) else '9999' end`;

export async function listOnboardings(db: Db, query: ListQuery = {}) {
  const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
  const page = Math.max(query.page ?? 1, 1);
  let q = db.selectFrom("onboardings");
  if (query.state) q = q.where("state", "=", query.state);
  const host = query.host;
  if (host) {
    q = q.where((eb) =>
      eb.exists(eb.selectFrom("mail_host_detections").select("mail_host_detections.onboarding_id").whereRef("mail_host_detections.onboarding_id", "=", "onboardings.id").where("mail_host_detections.host", "=", host)),
    );
  }
  const term = query.search?.trim().toLowerCase();
  if (term) {
    // Escape LIKE wildcards so a search for "50%" means the characters typed.
    const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where(sql<boolean>`search_text like ${`%${escaped}%`} escape '\\'`);
  }
  // Without a search or host filter the total is a kept tally (lib/onboarding/tallies.ts): no count of every row.
  const total = !term && !host ? await keptTotal(db, query.state) : Number(((await q.select((eb) => eb.fn.countAll<number>().as("total")).execute()) as [{ total: number | string }])[0].total);
  // The page's ids first, then their rows: picking the ids reads only the index that holds the order and the
  // search text (migration 025), so neither database fetches every row the state filter matches to test the search.
  let ids = q.select("id");
  if (query.sort === "name_asc") ids = ids.orderBy("brokerage_name", "asc");
  else if (query.sort === "reach_asc") ids = ids.orderBy(latestRosterReach, "asc").orderBy("last_activity_at", "desc");
  else if (query.sort === "expires_asc") ids = ids.orderBy(credentialExpiry, "asc").orderBy("last_activity_at", "desc");
  else ids = ids.orderBy("last_activity_at", query.sort === "activity_asc" ? "asc" : "desc");
  const pageIds = (await ids.orderBy("id", "desc").limit(pageSize).offset((page - 1) * pageSize).execute()).map((r) => r.id);
  const rows = pageIds.length ? await db.selectFrom("onboardings").selectAll().where("id", "in", pageIds).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = pageIds.flatMap((id) => (byId.has(id) ? [toOnboarding(byId.get(id)!)] : []));
  return { items, total, page, pageSize };
}

async function keptTotal(db: Db, state: OnboardingState | undefined): Promise<number> {
  const current = (await readTallies(db)).current;
  return state ? current[state] : Object.values(current).reduce((a, b) => a + b, 0);
}

/** Onboardings per state now: the kept tally (lib/onboarding/tallies.ts), a dozen rows however many onboardings. */
export async function countByState(db: Db): Promise<Record<OnboardingState, number>> {
  return (await readTallies(db)).current;
}

export async function listEvents(db: Db, onboardingId: string): Promise<OnboardingEvent[]> {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("onboarding_id", "=", onboardingId)
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .execute();
  return rows.map(toEvent);
}
