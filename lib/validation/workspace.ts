import { z } from "zod";
import { TRACKS } from "@/lib/guide/ids";
import { freeText } from "./text";

/** Workspace forms (brokerage admin and vendor). */
export const trackSchema = z.object({
  track: z.enum([...TRACKS, "not-sure"], { message: "Choose where your mailboxes are hosted." }),
});

export const checklistSchema = z.object({
  itemId: z.string().regex(/^[a-z0-9-]{1,80}$/, "Unknown checklist item."),
  checked: z.enum(["true", "false"], { message: "Unknown checklist value." }).transform((v) => v === "true"),
});

export const vendorLinkSchema = z.object({
  label: freeText({ what: "name of the vendor or person", max: 80, missing: "Name the vendor or person this link is for." }),
});

export const revokeVendorLinkSchema = z.object({ linkId: z.string().regex(/^[0-9a-z]{26}$/, "Unknown link.") });

/** "Send me a fresh link" on a workspace page opened without a session (a mail link followed on another browser). */
export const freshLinkSchema = z.object({
  email: z
    .string({ message: "Enter the email address MoxiWorks wrote to." })
    .trim()
    .min(1, "Enter the email address MoxiWorks wrote to.")
    .max(254, "The email address must be 254 characters or fewer.")
    .pipe(z.email("Enter an email address like admin@brokerage.com.")),
});
