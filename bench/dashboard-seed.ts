// Seed data for bench/dashboard.ts: onboardings spread over six months, each walked along a lifecycle path
// with the events the app would write (created, link, checklist ticks, state changes).
import { sql } from "kysely";
import type { DatabaseHandle } from "@/lib/db/connect";
import type { EventsTable, OnboardingsTable } from "@/lib/db/schema";
import { newId } from "@/lib/db/ids";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import { searchText } from "@/lib/onboarding/store";
import { rebuildTallies } from "@/lib/onboarding/tallies";

export type SeedRows = { onboardings: OnboardingsTable[]; events: EventsTable[] };

// A deterministic pseudo-random sequence, so every run seeds the same data.
// (mulberry32: small, well-distributed, integer-exact in JavaScript.)
let seed = 42;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

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

export function seedRows(count: number) {
  const start = Date.now() - 180 * 86400_000;
  const onboardings: OnboardingsTable[] = [];
  const events: EventsTable[] = [];
  const actor = (kind: string, label: string) => ({ actor_kind: kind, actor_id: null, actor_label: label });
  for (let i = 0; i < count; i++) {
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

export async function insertAll(handle: DatabaseHandle, rows: SeedRows) {
  const chunk = 500;
  await handle.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.onboardings.length; i += chunk) await trx.insertInto("onboardings").values(rows.onboardings.slice(i, i + chunk)).execute();
    for (let i = 0; i < rows.events.length; i += chunk) await trx.insertInto("events").values(rows.events.slice(i, i + chunk)).execute();
  });
  // The load bypassed the store, so the kept counts per state and funnel are filled the way counts:check --rebuild does.
  await rebuildTallies(handle.db);
  // Production databases keep statistics (Postgres autovacuum, SQLite's optimize); give both the same footing.
  await sql`analyze`.execute(handle.db);
}

