import { z } from "zod";
import { TRACKS } from "@/lib/guide/ids";

/** Workspace forms (brokerage admin and vendor). */
export const trackSchema = z.object({
  track: z.enum([...TRACKS, "not-sure"], { message: "Choose where your mailboxes are hosted." }),
});

export const checklistSchema = z.object({
  itemId: z.string().regex(/^[a-z0-9-]{1,80}$/, "Unknown checklist item."),
  checked: z.enum(["true", "false"], { message: "Unknown checklist value." }).transform((v) => v === "true"),
});

export const vendorLinkSchema = z.object({
  label: z
    .string({ message: "Name the vendor or person this link is for." })
    .trim()
    .min(1, "Name the vendor or person this link is for.")
    .max(80, "Use at most 80 characters.")
    .refine((v) => !/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(v), "Remove invisible or control characters."),
});

export const revokeVendorLinkSchema = z.object({ linkId: z.string().regex(/^[0-9a-z]{26}$/, "Unknown link.") });
