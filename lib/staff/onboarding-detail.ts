import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { listLinks, type LinkInfo } from "@/lib/auth/links";
import type { StaffSession } from "@/lib/auth/staff";
import { checkTransition, STATES, type OnboardingState } from "@/lib/onboarding/lifecycle";
import { appendEvent, getOnboarding, listEvents, type Actor, type Onboarding, type OnboardingEvent } from "@/lib/onboarding/store";
import { getMailHost } from "@/lib/detect/store";
import type { MailHostView } from "@/lib/detect/view";
import type { ContactChannel } from "./event-text";

/** Everything the staff detail page of one onboarding shows. */
export type ChecklistEntry = { itemId: string; checked: boolean; actorKind: string; actorLabel: string; updatedAt: string };

export type OnboardingDetail = {
  onboarding: Onboarding;
  events: OnboardingEvent[];
  links: LinkInfo[];
  checklist: ChecklistEntry[];
  /** Where the mail lives, as detected from the contact's address (undefined: not looked up yet). */
  mailHost: MailHostView | undefined;
};

/** The actor recorded for a staff member's actions: their role, id and a label people recognise. */
export function staffActor(session: StaffSession): Actor {
  const { staff } = session;
  return { kind: staff.role, id: staff.id, label: `${staff.name} (MoxiWorks ${staff.role === "techops" ? "TechOps" : "staff"})` };
}

/** Current ticks with who made the last change to each, ticked items first, then by time. */
export async function checklistProgress(db: Kysely<Database>, onboardingId: string): Promise<ChecklistEntry[]> {
  const rows = await db
    .selectFrom("checklist_progress")
    .selectAll()
    .where("onboarding_id", "=", onboardingId)
    .orderBy("checked", "desc")
    .orderBy("updated_at", "asc")
    .orderBy("item_id", "asc")
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, checked: r.checked === 1, actorKind: r.actor_kind, actorLabel: r.actor_label, updatedAt: r.updated_at }));
}

export async function loadOnboardingDetail(db: Kysely<Database>, id: string): Promise<OnboardingDetail | undefined> {
  const onboarding = await getOnboarding(db, id);
  if (!onboarding) return undefined;
  const [events, links, checklist, mailHost] = await Promise.all([listEvents(db, id), listLinks(db, id), checklistProgress(db, id), getMailHost(db, id)]);
  return { onboarding, events, links, checklist, mailHost };
}

/**
 * States a staff member may move this onboarding to by hand. `verifying` is left out on purpose: it means a
 * test is running, so it is entered by starting a test, not by a state picker.
 */
export function staffTransitions(from: OnboardingState, role: "staff" | "techops"): OnboardingState[] {
  return STATES.filter((to) => to !== "verifying" && to !== from && checkTransition(from, to, role, "a reason").ok);
}

export class NoteError extends Error {
  constructor(readonly code: "not_found") {
    super(code);
    this.name = "NoteError";
  }
}

/** A conversation with the brokerage (or vendor) outside the app, kept in the timeline. */
export async function addContactNote(db: Kysely<Database>, onboardingId: string, input: { channel: ContactChannel; note: string }, actor: Actor) {
  if (!(await getOnboarding(db, onboardingId))) throw new NoteError("not_found");
  return appendEvent(db, { onboardingId, type: "contact_note", actor, details: { channel: input.channel, note: input.note } });
}

/** An internal note for colleagues. Staff-only: the workspace never shows events. */
export async function addStaffNote(db: Kysely<Database>, onboardingId: string, note: string, actor: Actor) {
  if (!(await getOnboarding(db, onboardingId))) throw new NoteError("not_found");
  return appendEvent(db, { onboardingId, type: "staff_note", actor, details: { note } });
}
