import "server-only";
import { PostgresAdapter, sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import { STATES, type OnboardingState } from "./lifecycle";

/**
 * The dashboard's counts per state and its funnel, kept incrementally in state_tallies (migration 025) by
 * lib/onboarding/store.ts in the same transaction as each state change, so they cannot drift: a transaction
 * that fails rolls the tally back with the change. `recountTallies` recomputes both from the onboardings and
 * the event log (`npm run -s counts:check`, and the test that proves they agree).
 *
 *   current — onboardings in the state now (onboardings.state)
 *   reached — onboardings that ever entered the state (distinct onboarding ids of events with that to_state)
 */
export type TallyKind = "current" | "reached";
export type Tallies = Record<TallyKind, Record<OnboardingState, number>>;
type Db = Kysely<Database> | Transaction<Database>;

export async function bumpTally(trx: Transaction<Database>, kind: TallyKind, state: OnboardingState, by: 1 | -1): Promise<void> {
  await trx
    .insertInto("state_tallies")
    .values({ kind, state, n: by })
    .onConflict((oc) => oc.columns(["kind", "state"]).doUpdateSet({ n: sql`state_tallies.n + ${by}` }))
    .execute();
}

/**
 * Records that `onboardingId` entered `to` from `from` (null: it was just created). Call after the onboarding's
 * row was updated (its row lock serialises changes to one onboarding) and before the event is appended, so the
 * "reached" check sees only earlier entries.
 */
export async function tallyTransition(trx: Transaction<Database>, onboardingId: string, from: OnboardingState | null, to: OnboardingState): Promise<void> {
  // Rows are locked in one fixed order (kind, then state name), so two opposite changes cannot deadlock on Postgres.
  const current: [OnboardingState, 1 | -1][] = from ? [[from, -1 as const], [to, 1 as const]] : [[to, 1]];
  current.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [state, by] of current) await bumpTally(trx, "current", state, by);
  const before = await trx
    .selectFrom("events")
    .select("id")
    .where("onboarding_id", "=", onboardingId)
    .where("to_state", "=", to)
    .limit(1)
    .executeTakeFirst();
  if (!before) await bumpTally(trx, "reached", to, 1);
}

function empty(): Record<OnboardingState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<OnboardingState, number>;
}

function fill(rows: { kind: string; state: string | null; n: number | string | bigint }[]): Tallies {
  const out: Tallies = { current: empty(), reached: empty() };
  for (const r of rows) {
    if ((r.kind === "current" || r.kind === "reached") && r.state && (STATES as readonly string[]).includes(r.state)) out[r.kind][r.state as OnboardingState] = Number(r.n);
  }
  return out;
}

/** The kept tallies: a dozen rows. */
export async function readTallies(db: Db): Promise<Tallies> {
  return fill(await db.selectFrom("state_tallies").select(["kind", "state", "n"]).execute());
}

/** The same figures recomputed from the data (reads every onboarding and every state change: slow, for checks). */
export async function recountTallies(db: Db): Promise<Tallies> {
  const current = await db.selectFrom("onboardings").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("state").execute();
  const reached = await db
    .selectFrom("events")
    .select(["to_state", (eb) => eb.fn.count<number>("onboarding_id").distinct().as("n")])
    .where("to_state", "is not", null)
    .where("onboarding_id", "is not", null)
    .groupBy("to_state")
    .execute();
  return fill([...current.map((r) => ({ kind: "current", state: r.state, n: r.n })), ...reached.map((r) => ({ kind: "reached", state: r.to_state, n: r.n }))]);
}

export type TallyDifference = { kind: TallyKind; state: OnboardingState; kept: number; recomputed: number };

export function tallyDifferences(kept: Tallies, recomputed: Tallies): TallyDifference[] {
  const out: TallyDifference[] = [];
  for (const kind of ["current", "reached"] as const) {
    for (const state of STATES) if (kept[kind][state] !== recomputed[kind][state]) out.push({ kind, state, kept: kept[kind][state], recomputed: recomputed[kind][state] });
  }
  return out;
}

/** Compares the kept tallies with the recount, in one consistent read. */
export async function checkTallies(db: Kysely<Database>): Promise<TallyDifference[]> {
  // Postgres: one snapshot for both reads (read committed would let a commit land between them). SQLite's read
  // transaction is a snapshot already.
  const trx = db.getExecutor().adapter instanceof PostgresAdapter ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
  return trx.execute(async (t) => tallyDifferences(await readTallies(t), await recountTallies(t)));
}

/** Replaces the kept tallies with the recount (after a bulk load that bypassed the store, e.g. the bench). */
export async function rebuildTallies(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const recount = await recountTallies(trx);
    await trx.deleteFrom("state_tallies").execute();
    const rows = (["current", "reached"] as const).flatMap((kind) => STATES.filter((s) => recount[kind][s] > 0).map((state) => ({ kind, state, n: recount[kind][state] })));
    if (rows.length) await trx.insertInto("state_tallies").values(rows).execute();
  });
}
