// Seed data for bench/dashboard.ts: onboardings spread over six months, each walked along a lifecycle path
// with the events the app would write (created, link, checklist ticks, state changes).
import { sql } from "kysely";
import { driverOfHandle, type DatabaseHandle } from "@/lib/db/connect";
import type { EventsTable, OnboardingsTable } from "@/lib/db/schema";
import { newId } from "@/lib/db/ids";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import { searchText } from "@/lib/onboarding/store";
import { rebuildTallies } from "@/lib/onboarding/tallies";

export type SeedRows = { onboardings: OnboardingsTable[]; events: EventsTable[] };

// A deterministic pseudo-random sequence, so every run seeds the same data.
// (mulberry32: small, well-distributed, integer-exact in JavaScript.)
function mulberry32(initial: number) {
  let seed = initial;
  return function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["Harbor", "Summit", "Pioneer", "Cedar", "Lakeside", "Golden", "Coastal", "Heritage", "Maple", "Keystone", "Redwood", "Bluebird"];
const KINDS = ["Realty", "Homes", "Properties", "Real Estate", "Group", "Brokers"];
const PATHS: OnboardingState[][] = [
  ["invited"],
  ["invited", "in_progress"],
  ["invited", "in_progress", "submitted"],
  ["invited", "in_progress", "submitted", "verifying", "needs_attention"],
  ["invited", "in_progress", "submitted", "verifying", "verified"],
  ["invited", "in_progress", "submitted", "verifying", "needs_attention", "submitted", "verifying", "verified"],
  ["invited", "in_progress", "submitted", "verifying", "verified", "rotation_requested"],
  ["invited", "in_progress", "revoked"],
];

/**
 * A deterministic stream of onboardings: `next(n)` gives the next n (numbered on from the last call), so a
 * database can be grown 10k → 100k → 1M without holding every row in memory; two seeders give the same rows.
 */
export function seeder() {
  const rand = mulberry32(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const start = Date.now() - 180 * 86400_000;
  let made = 0;
  return { next: (count: number) => seedRange(made, (made += count)) };

  function seedRange(from: number, to: number): SeedRows {
  const onboardings: OnboardingsTable[] = [];
  const events: EventsTable[] = [];
  const actor = (kind: string, label: string) => ({ actor_kind: kind, actor_id: null, actor_label: label });
  for (let i = from; i < to; i++) {
    const id = newId();
    const name = `${pick(WORDS)} ${pick(WORDS)} ${pick(KINDS)} ${i}`;
    const contact = { brokerageName: name, contactName: `Admin ${i}`, contactEmail: `admin${i}@broker${i}.test` };
    let t = start + rand() * 170 * 86400_000;
    const at = () => new Date(t).toISOString();
    const path = PATHS[Math.floor(rand() * PATHS.length)]!;
    const ev = (type: string, from: string | null, to: string | null, a: ReturnType<typeof actor>, details: object = {}) =>
      events.push({ id: newId(), onboarding_id: id, type, ...a, from_state: from, to_state: to, reason: to === "revoked" ? "duplicate" : "", details: JSON.stringify(details), created_at: at() });
    const created = at();
    ev("created", null, "invited", actor("staff", "Sam Staff (MoxiWorks staff)"));
    ev("link_created", null, null, actor("staff", "Sam Staff (MoxiWorks staff)"), { kind: "brokerage", label: "Brokerage admin" });
    for (let s = 1; s < path.length; s++) {
      t += rand() * 5 * 86400_000;
      const to = path[s]!;
      if (to === "in_progress") for (let k = 0; k < 6; k++) { t += rand() * 3600_000; ev("checklist", null, null, actor("brokerage", "Brokerage admin (brokerage)"), { itemId: `step-${k}`, checked: true }); }
      const who = to === "revoked" ? actor("staff", "Sam Staff") : ["verified", "needs_attention", "verifying"].includes(to) ? actor("system", "verification") : actor("brokerage", "Brokerage admin (brokerage)");
      ev("state_changed", path[s - 1]!, to, who);
    }
    onboardings.push({ id, brokerage_name: name, contact_name: contact.contactName, contact_email: contact.contactEmail, notes: "", track: pick(["exchange-server", "microsoft-365", null]), state: path[path.length - 1]!, search_text: searchText(contact), created_at: created, updated_at: at(), last_activity_at: at() });
  }
  return { onboardings, events };
  }
}

export function seedRows(count: number): SeedRows {
  return seeder().next(count);
}

/**
 * Appends rows fast: one prepared statement per row in one transaction on SQLite, unnest()ed arrays (5,000 rows a
 * statement) on Postgres. Call finishLoad once the rows are in.
 */
export async function insertRows(handle: DatabaseHandle, rows: SeedRows) {
  const driver = driverOfHandle(handle.db);
  const tables = [
    ["onboardings", ONBOARDING_COLUMNS, rows.onboardings],
    ["events", EVENT_COLUMNS, rows.events],
  ] as const;
  if (driver.dialect === "sqlite") {
    const load = driver.database.transaction(() => {
      for (const [table, columns, list] of tables) {
        const insert = driver.database.prepare(`insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`);
        for (const row of list as unknown as readonly Record<string, unknown>[]) insert.run(...columns.map((c) => row[c] ?? null));
      }
    });
    load();
    return;
  }
  const client = await driver.pool.connect();
  try {
    await client.query("begin");
    for (const [table, columns, list] of tables) {
      const statement = `insert into ${table} (${columns.join(", ")}) select * from unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(", ")})`;
      for (let i = 0; i < list.length; i += 5000) {
        const part = list.slice(i, i + 5000) as unknown as readonly Record<string, unknown>[];
        await client.query(statement, columns.map((c) => part.map((row) => (row[c] ?? null) as string | null)));
      }
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const ONBOARDING_COLUMNS = ["id", "brokerage_name", "contact_name", "contact_email", "notes", "track", "state", "search_text", "created_at", "updated_at", "last_activity_at"] as const;
const EVENT_COLUMNS = ["id", "onboarding_id", "type", "actor_kind", "actor_id", "actor_label", "from_state", "to_state", "reason", "details", "created_at"] as const;

/** After a bulk load: kept tallies rebuilt (the load bypassed the store), planner statistics refreshed. */
export async function finishLoad(handle: DatabaseHandle) {
  await rebuildTallies(handle.db);
  // Production databases keep statistics (Postgres autovacuum, SQLite's optimize); give both the same footing.
  // Postgres also vacuums (the visibility map that index-only scans need), as autovacuum soon would.
  await sql`${sql.raw(handle.dialect === "postgres" ? "vacuum analyze" : "analyze")}`.execute(handle.db);
}

export async function insertAll(handle: DatabaseHandle, rows: SeedRows) {
  await insertRows(handle, rows);
  await finishLoad(handle);
}
