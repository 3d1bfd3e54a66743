import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/ids";
import { appendEvent, getOnboarding, transition, type Actor } from "./store";

/**
 * Checklist ticks kept on the server for a workspace. Ticks from the brokerage and the vendor both count;
 * the last person to change an item is remembered, and every change is in the timeline.
 */
export type ChecklistTick = { checked: boolean; actorKind: string; actorLabel: string; updatedAt: string };

export async function getChecklist(db: Kysely<Database>, onboardingId: string): Promise<Record<string, ChecklistTick>> {
  const rows = await db.selectFrom("checklist_progress").selectAll().where("onboarding_id", "=", onboardingId).execute();
  return Object.fromEntries(
    rows.map((r) => [r.item_id, { checked: r.checked === 1, actorKind: r.actor_kind, actorLabel: r.actor_label, updatedAt: r.updated_at }]),
  );
}

export async function setChecklistItem(db: Kysely<Database>, onboardingId: string, itemId: string, checked: boolean, actor: Actor) {
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    const values = { checked: checked ? 1 : 0, actor_kind: actor.kind, actor_label: actor.label, updated_at: at };
    await trx
      .insertInto("checklist_progress")
      .values({ onboarding_id: onboardingId, item_id: itemId, ...values })
      .onConflict((oc) => oc.columns(["onboarding_id", "item_id"]).doUpdateSet(values))
      .execute();
    await appendEvent(trx, { onboardingId, type: "checklist", actor, details: { itemId, checked }, at });
  });
  await startWork(db, onboardingId, actor);
}

/** The first sign of work on an invited onboarding moves it to in_progress. */
export async function startWork(db: Kysely<Database>, onboardingId: string, actor: Actor) {
  const current = await getOnboarding(db, onboardingId);
  if (current?.state !== "invited") return;
  await transition(db, onboardingId, "in_progress", actor).catch((error: { code?: string }) => {
    if (error.code !== "stale") throw error; // someone else moved it first: fine
  });
}

export async function setTrack(db: Kysely<Database>, onboardingId: string, track: string, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("onboardings").set({ track, updated_at: nowIso() }).where("id", "=", onboardingId).execute();
    await appendEvent(trx, { onboardingId, type: "track_chosen", actor, details: { track } });
  });
  await startWork(db, onboardingId, actor);
}
