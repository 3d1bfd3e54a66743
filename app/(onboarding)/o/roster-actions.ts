"use server";

import { revalidatePath } from "next/cache";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { cancelRoster, recheckRoster, submitRoster } from "@/lib/roster/workspace";
import { rosterCancelSchema, rosterCheckSchema, rosterListSchema } from "@/lib/validation/roster";
import type { RosterLineError } from "@/lib/roster/parse";

/** The agents' roster (issue 16): brokerage links only; the list belongs to the visitor's own onboarding. */
export type RosterSubmitData = { errors: RosterLineError[]; flagged: string[]; duplicates: number; total: number };

export const submitRosterAction = workspaceAction(
  rosterListSchema,
  async ({ list }, { visitor, db }): Promise<ActionState<RosterSubmitData>> => {
    const r = await submitRoster(db, visitor.onboardingId, list, visitor.actor.label);
    if (!r.ok) {
      if (r.code === "invalid_input") return { status: "invalid", message: r.message ?? "The list was refused; your saved list is unchanged.", fieldErrors: { list: (r.errors ?? []).slice(0, 20).map((e) => e.message) } };
      return fail(r.code);
    }
    revalidatePath("/o");
    const parts = [`Checking ${r.total.toLocaleString("en-US")} mailboxes.`];
    if (r.duplicates) parts.push(`${r.duplicates} duplicate${r.duplicates === 1 ? "" : "s"} merged.`);
    if (r.flagged?.length) parts.push(`${r.flagged.length} outside your domains not checked.`);
    if (r.errors?.length) parts.push(`${r.errors.length} line${r.errors.length === 1 ? "" : "s"} could not be read.`);
    return { status: "success", message: parts.join(" "), data: { errors: (r.errors ?? []).slice(0, 50), flagged: (r.flagged ?? []).map((f) => f.address).slice(0, 50), duplicates: r.duplicates ?? 0, total: r.total } };
  },
  { kinds: ["brokerage"] },
);

export const recheckRosterAction = workspaceAction(
  rosterCheckSchema,
  async ({ scope }, { visitor, db }): Promise<ActionState> => {
    const r = await recheckRoster(db, visitor.onboardingId, scope, visitor.actor.label);
    if (!r.ok) return fail(r.code);
    revalidatePath("/o");
    return { status: "success", message: `Checking ${r.total.toLocaleString("en-US")} mailboxes again.` };
  },
  { kinds: ["brokerage"] },
);

export const cancelRosterAction = workspaceAction(
  rosterCancelSchema,
  async (_data, { visitor, db }): Promise<ActionState> => {
    await cancelRoster(db, visitor.onboardingId);
    return { status: "success", message: "Cancelling: mailboxes already checked keep their results." };
  },
  { kinds: ["brokerage"] },
);
