import "server-only";
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "@/lib/db/schema";
import { STATES, type OnboardingState } from "@/lib/onboarding/lifecycle";
import { countByState, listOnboardings, type Onboarding } from "@/lib/onboarding/store";
import { readTallies } from "@/lib/onboarding/tallies";
import { DETECTED_HOSTS, type DetectedHost } from "@/lib/detect/decide";
import type { DashboardParams } from "./params";

/**
 * What the staff dashboard shows: one page of onboardings, counts per state, the funnel and the median time
 * in each state. All of it is computed by the database (a handful of rows come back), so the page stays fast
 * with tens of thousands of onboardings — see bench/dashboard.ts.
 */
export const DASHBOARD_PAGE_SIZE = 25;

/** The happy path, in order: the funnel counts how many onboardings ever reached each stage. */
export const FUNNEL_STAGES = ["invited", "in_progress", "submitted", "verifying", "verified"] as const satisfies readonly OnboardingState[];

export type FunnelStage = { state: OnboardingState; reached: number };

/** How many onboardings ever reached each stage: the kept tally (lib/onboarding/tallies.ts), not a scan of the events. */
export async function funnel(db: Kysely<Database>): Promise<FunnelStage[]> {
  const reached = (await readTallies(db)).reached;
  return FUNNEL_STAGES.map((state) => ({ state, reached: reached[state] }));
}

function isPostgres(db: Kysely<Database>) {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Seconds since the epoch of an ISO 8601 text timestamp: the one expression that differs between the databases. */
function epochSeconds(db: Kysely<Database>, at: RawBuilder<unknown>) {
  return isPostgres(db) ? sql<number>`extract(epoch from (${at})::timestamptz)::float8` : sql<number>`(julianday(${at}) - 2440587.5) * 86400.0`;
}

export type TimeInState = {
  state: OnboardingState;
  /** Stays that ended (the onboarding moved on). */
  finished: { count: number; medianSeconds: number | null };
  /** Onboardings in this state now, timed up to `now`. */
  current: { count: number; medianSeconds: number | null };
};

/** How many of the latest state changes the time-in-state figures are drawn from (bounds the work). */
export const TIME_IN_STATE_SAMPLE = 5000;

/**
 * Median time spent in each state, from the event log. A stay starts at an event that enters a state and ends
 * at the onboarding's next state change; stays still under way are timed up to `now` and kept apart, so a
 * brokerage stuck for weeks shows up without skewing the finished figure.
 *
 * Only stays that began with one of the latest TIME_IN_STATE_SAMPLE state changes count: the figure describes
 * recent work, and its cost stays flat as history grows. (Every later state change of the same onboarding is
 * in that set too, so each stay's end is found.) The median is picked with window functions: both databases
 * have them; neither has a portable percentile function.
 */
export async function timeInState(db: Kysely<Database>, now = new Date()): Promise<{ since: string | null; rows: TimeInState[] }> {
  const nowSeconds = now.getTime() / 1000;
  const result = await sql<{ state: string | null; open: number | null; n: number | string | null; median: number | string | null; since: string | null }>`
    with recent as (
      select onboarding_id, to_state, created_at, id, ${epochSeconds(db, sql`created_at`)} as t
      from events
      where to_state is not null and onboarding_id is not null
      order by created_at desc, id desc
      limit ${TIME_IN_STATE_SAMPLE}
    ),
    stays as (
      select to_state as state, t as entered, lead(t) over (partition by onboarding_id order by created_at, id) as left_at
      from recent
    ),
    durations as (
      -- Each timestamp is converted once; rounding to whole milliseconds removes the float representation noise.
      select state, case when left_at is null then 1 else 0 end as open,
             round((coalesce(left_at, ${nowSeconds}) - entered) * 1000) / 1000.0 as seconds
      from stays
    ),
    ranked as (
      select state, open, seconds,
             row_number() over (partition by state, open order by seconds) as rn,
             count(*) over (partition by state, open) as n
      from durations
    )
    select state, open, n, avg(seconds) as median, null as since
    from ranked
    where rn in ((n + 1) / 2, (n + 2) / 2)
    group by state, open, n
    union all
    select null, null, null, null, min(created_at) from recent
  `.execute(db);
  const since = result.rows.find((r) => r.state === null)?.since ?? null;
  const byKey = new Map(result.rows.filter((r) => r.state !== null).map((r) => [`${r.state}:${Number(r.open)}`, r]));
  const figure = (state: string, open: 0 | 1) => {
    const r = byKey.get(`${state}:${open}`);
    return r ? { count: Number(r.n), medianSeconds: r.median === null ? null : Math.max(0, Number(r.median)) } : { count: 0, medianSeconds: null };
  };
  return { since, rows: STATES.filter((s) => s !== "revoked").map((state) => ({ state, finished: figure(state, 0), current: figure(state, 1) })) };
}

export type Dashboard = {
  list: { items: Onboarding[]; total: number; page: number; pageSize: number; pageCount: number };
  /** The detected mail host of each onboarding on the page (absent: not detected yet). */
  mailHosts: Record<string, DetectedHost>;
  /** graph_app onboardings on this page: their tenant and whether consent is trusted (EWS ones are absent). */
  connections: Record<string, ConnectionSummary>;
  /** "Agents reachable N of M" from each onboarding's latest finished roster check (absent: none yet). */
  rosterReach: Record<string, RosterReach>;
  counts: Record<OnboardingState, number>;
  totalOnboardings: number;
  funnel: FunnelStage[];
  timeInState: TimeInState[];
  /** The earliest state change the time-in-state figures draw on (null: none yet). */
  timeInStateSince: string | null;
};

async function mailHostsOf(db: Kysely<Database>, ids: string[]): Promise<Record<string, DetectedHost>> {
  if (ids.length === 0) return {};
  const rows = await db.selectFrom("mail_host_detections").select(["onboarding_id", "host"]).where("onboarding_id", "in", ids).execute();
  return Object.fromEntries(rows.filter((r) => (DETECTED_HOSTS as readonly string[]).includes(r.host)).map((r) => [r.onboarding_id, r.host as DetectedHost]));
}

/**
 * `registration` own: the brokerage's own app (issue 13), whose consent is its own; `credentialExpiresAt`: when the
 * certificate it signs in with expires (the one in use, else the newest), null when none.
 */
export type ConnectionSummary = {
  method: "graph_app";
  registration: "moxiworks" | "own";
  tenantId: string | null;
  consent: "granted" | "unconfirmed" | "none";
  credentialExpiresAt: string | null;
  /** Which credential the own app signs in with: a stored client secret wins over the certificate. */
  credentialKind?: "certificate" | "secret";
};

async function connectionsOf(db: Kysely<Database>, ids: string[]): Promise<Record<string, ConnectionSummary>> {
  if (ids.length === 0) return {};
  const rows = await db
    .selectFrom("onboardings")
    .leftJoin("app_access", "app_access.onboarding_id", "onboardings.id")
    .select(["onboardings.id", "app_access.tenant_id", "app_access.trusted_at", "app_access.granted_at", "app_access.registration"])
    .where("onboardings.id", "in", ids)
    .where("onboardings.connection_method", "=", "graph_app")
    .execute();
  const certs = await db
    .selectFrom("app_certificates")
    .select(["onboarding_id", "status", "not_after", "created_at"])
    .where("onboarding_id", "in", ids)
    .where("status", "!=", "destroyed")
    .orderBy("created_at", "desc")
    .execute();
  const secrets = await db.selectFrom("app_client_secrets").select(["onboarding_id", "expires_at"]).where("onboarding_id", "in", ids).execute();
  const secretExpiry = (id: string) => secrets.find((x) => x.onboarding_id === id)?.expires_at;
  const certExpiry = (id: string) => (certs.find((c) => c.onboarding_id === id && c.status === "active") ?? certs.find((c) => c.onboarding_id === id))?.not_after ?? null;
  return Object.fromEntries(
    rows.map((r) => {
      const own = r.registration === "own";
      const secret = own ? secretExpiry(r.id) : undefined;
      const credentialExpiresAt = own ? (secret ?? certExpiry(r.id)) : null;
      const consent = r.trusted_at ? "granted" : r.granted_at ? "unconfirmed" : "none";
      return [r.id, { method: "graph_app", registration: own ? "own" : "moxiworks", tenantId: r.tenant_id ?? null, consent, credentialExpiresAt, ...(own ? { credentialKind: secret ? "secret" : "certificate" } : {}) }];
    }),
  );
}

export type RosterReach = { reachable: number; total: number };

/** The dashboard's cell: "80 of 86" ("agents reachable" is the column), "—" when no roster check finished. */
export function rosterReachText(reach: RosterReach | undefined): string {
  return reach ? `${reach.reachable.toLocaleString("en-US")} of ${reach.total.toLocaleString("en-US")}` : "—";
}

/** The figures the latest finished (done, or failed on the access) roster check of each onboarding left. */
export async function rosterReachOf(db: Kysely<Database>, ids: string[]): Promise<Record<string, RosterReach>> {
  if (ids.length === 0) return {};
  const rows = await db
    .selectFrom("roster_checks")
    .select(["onboarding_id", "roster_reachable", "roster_total"])
    .where("onboarding_id", "in", ids)
    .where("state", "in", ["done", "failed"])
    .where("roster_total", ">", 0)
    .orderBy("finished_at", "asc")
    .orderBy("id", "asc")
    .execute();
  // Ascending: the latest check of each onboarding is the one written last.
  return Object.fromEntries(rows.map((r) => [r.onboarding_id, { reachable: Number(r.roster_reachable ?? 0), total: Number(r.roster_total) }]));
}

/** Everything the /staff page renders, in one call (the bench times exactly this). */
export async function loadDashboard(db: Kysely<Database>, params: DashboardParams, now = new Date()): Promise<Dashboard> {
  const [list, rawCounts, funnelStages, times] = await Promise.all([
    listOnboardings(db, { search: params.q, state: params.state, host: params.host, sort: params.sort, page: params.page, pageSize: DASHBOARD_PAGE_SIZE }),
    countByState(db),
    funnel(db),
    timeInState(db, now),
  ]);
  const ids = list.items.map((o) => o.id);
  const [mailHosts, connections, rosterReach] = await Promise.all([mailHostsOf(db, ids), connectionsOf(db, ids), rosterReachOf(db, ids)]);
  const counts = Object.fromEntries(STATES.map((s) => [s, rawCounts[s] ?? 0])) as Record<OnboardingState, number>;
  return {
    list: { ...list, pageCount: Math.max(1, Math.ceil(list.total / list.pageSize)) },
    mailHosts,
    connections,
    rosterReach,
    counts,
    totalOnboardings: Object.values(counts).reduce((a, b) => a + b, 0),
    funnel: funnelStages,
    timeInState: times.rows,
    timeInStateSince: times.since,
  };
}

/** "3 days", "5 hours", "12 minutes": the unit a person would use. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const units: [number, string][] = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round((seconds / size) * 10) / 10;
      const shown = n >= 10 ? Math.round(n) : n;
      return `${shown} ${name}${shown === 1 ? "" : "s"}`;
    }
  }
  return seconds < 1 ? "under a second" : `${Math.round(seconds)} second${Math.round(seconds) === 1 ? "" : "s"}`;
}
