"use server";

import { revalidatePath } from "next/cache";
import { fail, workspaceAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { linkUrl, listLinks, revokeLink } from "@/lib/auth/links";
import { createVendorLink } from "@/lib/onboarding/vendor-links";
import { config } from "@/lib/config";
import { setChecklistItem, setTrack } from "@/lib/onboarding/checklist";
import { checklistItemLabel } from "@/lib/guide/tracks";
import { clientKey } from "@/lib/auth/request";
import { consume } from "@/lib/auth/rate-limit";
import { checklistSchema, revokeVendorLinkSchema, trackSchema, vendorLinkSchema } from "@/lib/validation/workspace";

export const setTrackAction = workspaceAction(trackSchema, async ({ track }, { visitor, db }): Promise<ActionState> => {
  if (track !== "not-sure") await setTrack(db, visitor.onboardingId, track, visitor.actor);
  revalidatePath("/o");
  return { status: "success", message: track === "not-sure" ? "No problem — the notes below help you find out." : "Saved. Your setup guide is ready: it is the next step, Prepare your server." };
});

export const setChecklistItemAction = workspaceAction(checklistSchema, async ({ itemId, checked }, { visitor, db }): Promise<ActionState> => {
  if (checklistItemLabel(itemId) === undefined) return { status: "invalid", message: "Unknown checklist item.", fieldErrors: { itemId: ["Unknown checklist item."] } };
  if (!(await consume(db, "checklistPerClient", await clientKey())).ok) return fail("rate_limited");
  await setChecklistItem(db, visitor.onboardingId, itemId, checked, visitor.actor);
  return { status: "success" };
});

export const createVendorLinkAction = workspaceAction(
  vendorLinkSchema,
  async ({ label }, { visitor, db }): Promise<ActionState<{ url: string }>> => {
    const created = await createVendorLink(db, { onboardingId: visitor.onboardingId, label }, visitor.actor, await clientKey());
    if (!created.ok) return fail(created.code);
    const { token } = created;
    revalidatePath("/o");
    return { status: "success", message: `Link for ${label} created. Copy it now: for your security it is shown only once.`, data: { url: linkUrl(config().appUrl, token) } };
  },
  { kinds: ["brokerage"] },
);

export const revokeVendorLinkAction = workspaceAction(
  revokeVendorLinkSchema,
  async ({ linkId }, { visitor, db }): Promise<ActionState> => {
    const link = (await listLinks(db, visitor.onboardingId)).find((l) => l.id === linkId && l.kind === "vendor");
    if (!link || !(await revokeLink(db, visitor.onboardingId, linkId, visitor.actor))) return fail("link_unusable");
    revalidatePath("/o");
    return { status: "success", message: `The link for ${link.label} no longer works.` };
  },
  { kinds: ["brokerage"] },
);
