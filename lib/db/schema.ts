import type { Generated } from "kysely";

/**
 * Table types. Portable across SQLite and Postgres on purpose: ids and timestamps are text (ISO 8601 UTC,
 * so they sort as strings), JSON is text, booleans are integers.
 */
export interface OnboardingsTable {
  id: string;
  brokerage_name: string;
  contact_name: string;
  contact_email: string;
  notes: string;
  track: string | null;
  state: string;
  /** Lower-cased name, contact and email: one LIKE works the same on both databases. */
  search_text: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface EventsTable {
  id: string;
  onboarding_id: string | null;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  /** JSON object; never holds a secret. */
  details: string;
  created_at: string;
}

export interface Database {
  onboardings: OnboardingsTable;
  events: EventsTable;
}

export type { Generated };
