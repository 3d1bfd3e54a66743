import { z } from "zod";
import { DETECTED_HOSTS, type DetectedHost } from "@/lib/detect/decide";
import { STATES } from "@/lib/onboarding/lifecycle";

/**
 * The dashboard and audit pages take their filters from GET query parameters (plain forms, shareable URLs).
 * Anything unreadable falls back to "no filter" rather than an error page: a mangled URL still shows a list.
 */
export type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A search term: trimmed, control and bidi-override characters dropped, capped. */
const term = z
  .string()
  .transform((v) => v.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim().slice(0, 100));

const page = z.coerce.number().int().min(1).max(100_000);

export const DASHBOARD_SORTS = ["activity_desc", "activity_asc", "name_asc", "reach_asc", "expires_asc"] as const;
export type DashboardSort = (typeof DASHBOARD_SORTS)[number];
export const SORT_LABELS: Record<DashboardSort, string> = {
  activity_desc: "Latest activity first",
  activity_asc: "Oldest activity first",
  name_asc: "Brokerage name (A–Z)",
  reach_asc: "Fewest agents reachable first",
  expires_asc: "Credential expires soonest first",
};

export type DashboardParams = { q: string; state: (typeof STATES)[number] | undefined; host: DetectedHost | undefined; sort: DashboardSort; page: number };

export function parseDashboardParams(params: SearchParams): DashboardParams {
  return {
    q: term.catch("").parse(first(params.q) ?? ""),
    state: z.enum(STATES).optional().catch(undefined).parse(first(params.state) || undefined),
    host: z.enum(DETECTED_HOSTS).optional().catch(undefined).parse(first(params.host) || undefined),
    sort: z.enum(DASHBOARD_SORTS).catch("activity_desc").parse(first(params.sort) ?? "activity_desc"),
    page: page.catch(1).parse(first(params.page) ?? 1),
  };
}

export const ACTOR_KINDS = ["staff", "techops", "brokerage", "vendor", "system"] as const;
export type ActorKindFilter = (typeof ACTOR_KINDS)[number];

export type AuditParams = {
  type: string | undefined;
  actor: ActorKindFilter | undefined;
  q: string;
  /** YYYY-MM-DD, inclusive, UTC. */
  from: string | undefined;
  to: string | undefined;
  /** Keyset position: the page holds events strictly older (`before`) or newer (`after`) than this one. */
  cursor: AuditCursor | undefined;
};

/** An event's place in the audit order (created_at desc, id desc); in URLs as "<ISO time>~<event id>". */
export type AuditCursor = { dir: "before" | "after"; createdAt: string; id: string };

const cursorText = z
  .string()
  .max(120)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z~[0-9A-Za-z_-]{1,64}$/)
  .refine((v) => {
    const t = Date.parse(v.slice(0, 24));
    return !Number.isNaN(t) && new Date(t).toISOString() === v.slice(0, 24);
  })
  .transform((v) => ({ createdAt: v.slice(0, 24), id: v.slice(25) }));

export function auditCursorText(event: { createdAt: string; id: string }): string {
  return `${event.createdAt}~${event.id}`;
}

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));

export function parseAuditParams(params: SearchParams): AuditParams {
  return {
    type: z.string().regex(/^[a-z_]{1,40}$/).optional().catch(undefined).parse(first(params.type) || undefined),
    actor: z.enum(ACTOR_KINDS).optional().catch(undefined).parse(first(params.actor) || undefined),
    q: term.catch("").parse(first(params.q) ?? ""),
    from: isoDay.optional().catch(undefined).parse(first(params.from) || undefined),
    to: isoDay.optional().catch(undefined).parse(first(params.to) || undefined),
    cursor: auditCursor(first(params.before), first(params.after)),
  };
}

/** `before` wins over `after`; a malformed cursor reads as none, i.e. the newest page (a mangled URL still shows a list). */
function auditCursor(before: string | undefined, after: string | undefined): AuditCursor | undefined {
  const b = cursorText.safeParse(before);
  if (before !== undefined && b.success) return { dir: "before", ...b.data };
  const a = cursorText.safeParse(after);
  if (before === undefined && after !== undefined && a.success) return { dir: "after", ...a.data };
  return undefined;
}

/** The query string for a page link that keeps every other filter. Empty values are left out. */
export function withParams(base: string, params: Record<string, string | number | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}
