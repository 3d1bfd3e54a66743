"use server";

import { revalidatePath } from "next/cache";
import { fail, staffAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { extendLink, linkUrl, regenerateLink, revokeLink } from "@/lib/auth/links";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { inviteBrokerage } from "@/lib/onboarding/invite";
import { createVendorLink } from "@/lib/onboarding/vendor-links";
import { getOnboarding } from "@/lib/onboarding/store";
import { STATE_LABELS } from "@/lib/onboarding/lifecycle";
import { changeState } from "@/lib/verification/controls";
import { addContactNote, addStaffNote, NoteError, staffActor } from "@/lib/staff/onboarding-detail";
import {
  contactNoteSchema,
  extendLinkSchema,
  linkRefSchema,
  newOnboardingSchema,
  staffNoteSchema,
  staffVendorLinkSchema,
  stateChangeSchema,
} from "@/lib/validation/onboarding";

/**
 * Staff actions on onboardings. Every one goes through staffAction (same-origin, signed in with the second
 * factor, validated). A link's URL is returned only by the action that made it: the database keeps hashes.
 */
export type CreatedLink = { url: string; onboardingId?: string; label?: string };

const inviteUrl = (token: string) => linkUrl(config().appUrl, token);
const detailPath = (id: string) => `/staff/onboardings/${id}`;

export const createOnboardingAction = staffAction(newOnboardingSchema, async (input, { staff, db }): Promise<ActionState<CreatedLink>> => {
  const { onboarding, inviteUrl } = await inviteBrokerage(db, input, staffActor(staff), config().appUrl);
  log.info({ onboardingId: onboarding.id, staffId: staff.staff.id }, "onboarding created");
  revalidatePath("/staff");
  return {
    status: "success",
    message: `Onboarding for ${onboarding.brokerageName} created. Copy the invite link now: it is shown only once.`,
    data: { url: inviteUrl, onboardingId: onboarding.id },
  };
});

export const extendLinkAction = staffAction(extendLinkSchema, async ({ onboardingId, linkId, days }, { staff, db }): Promise<ActionState> => {
  const expiresAt = await extendLink(db, onboardingId, linkId, days, staffActor(staff));
  if (!expiresAt) return fail("link_unusable");
  revalidatePath(detailPath(onboardingId));
  return { status: "success", message: `Link extended by ${days} day${days === 1 ? "" : "s"}: it now works until ${expiresAt.slice(0, 10)}.` };
});

export const revokeLinkAction = staffAction(linkRefSchema, async ({ onboardingId, linkId }, { staff, db }): Promise<ActionState> => {
  if (!(await revokeLink(db, onboardingId, linkId, staffActor(staff)))) return fail("link_unusable");
  revalidatePath(detailPath(onboardingId));
  return { status: "success", message: "The link no longer works. Anyone using it has been signed out of the workspace." };
});

export const regenerateLinkAction = staffAction(linkRefSchema, async ({ onboardingId, linkId }, { staff, db }): Promise<ActionState<CreatedLink>> => {
  const current = await getOnboarding(db, onboardingId);
  if (!current || current.state === "revoked") return fail("link_unusable");
  const result = await regenerateLink(db, onboardingId, linkId, staffActor(staff));
  if (!result) return fail("link_unusable");
  revalidatePath(detailPath(onboardingId));
  return {
    status: "success",
    message: `New ${result.link.kind} link for “${result.link.label}” made; the old one no longer works. Copy it now: it is shown only once.`,
    data: { url: inviteUrl(result.token), label: result.link.label },
  };
});

export const createVendorLinkAction = staffAction(staffVendorLinkSchema, async ({ onboardingId, label }, { staff, db }): Promise<ActionState<CreatedLink>> => {
  const created = await createVendorLink(db, { onboardingId, label }, staffActor(staff), `staff:${staff.staff.id}`);
  if (!created.ok) return fail(created.code);
  const { token, link } = created;
  revalidatePath(detailPath(onboardingId));
  return { status: "success", message: `Vendor link for “${link.label}” made. Copy it now: it is shown only once.`, data: { url: inviteUrl(token), label: link.label } };
});

export const addContactNoteAction = staffAction(contactNoteSchema, async ({ onboardingId, channel, note }, { staff, db }): Promise<ActionState> => {
  try {
    await addContactNote(db, onboardingId, { channel, note }, staffActor(staff));
  } catch (error) {
    if (error instanceof NoteError) return fail("not_found");
    throw error;
  }
  revalidatePath(detailPath(onboardingId));
  return { status: "success", message: "Contact recorded in the timeline." };
});

export const addStaffNoteAction = staffAction(staffNoteSchema, async ({ onboardingId, note }, { staff, db }): Promise<ActionState> => {
  try {
    await addStaffNote(db, onboardingId, note, staffActor(staff));
  } catch (error) {
    if (error instanceof NoteError) return fail("not_found");
    throw error;
  }
  revalidatePath(detailPath(onboardingId));
  return { status: "success", message: "Note saved. Only MoxiWorks staff can see it." };
});

export const changeStateAction = staffAction(stateChangeSchema, async ({ onboardingId, to, reason }, { staff, db }): Promise<ActionState> => {
  // `verifying` is entered by starting a test, never by hand (see staffTransitions).
  if (to === "verifying") return fail("illegal_transition");
  // changeState applies what each change implies (revoke: credentials destroyed, links off) in one transaction.
  const updated = await changeState(db, onboardingId, to, staffActor(staff), reason);
  log.info({ onboardingId, to, staffId: staff.staff.id }, "onboarding state changed by staff");
  revalidatePath(detailPath(onboardingId));
  revalidatePath("/staff");
  return { status: "success", message: `State changed to ${STATE_LABELS[updated.state]}.` };
});
