import { z } from "zod";
import { TRACKS } from "@/lib/guide/ids";
import { STATES } from "@/lib/onboarding/lifecycle";
import { CONTACT_CHANNELS } from "@/lib/staff/event-text";
import { freeText } from "./text";

/**
 * Staff forms about onboardings. One schema per form, used by the form and by its server action. Every text
 * field follows the one text rule (lib/validation/text.ts): trimmed, capped, no line breaks, controls or bidi
 * overrides in one-line fields; multi-line notes keep only tabs and newlines.
 */
function line(what: string, max: number) {
  return freeText({ what, max });
}

function multiline(what: string, max: number) {
  return freeText({ what, max, min: 0, multiline: true });
}

const id = (what: string) => z.string({ message: `Unknown ${what}.` }).regex(/^[0-9a-z]{26}$/, `Unknown ${what}.`);

export const newOnboardingSchema = z.object({
  brokerageName: line("brokerage name", 200),
  contactName: line("contact's name", 120),
  contactEmail: z
    .string({ message: "Enter the contact's email address." })
    .trim()
    .min(1, "Enter the contact's email address.")
    .max(254, "The email address must be 254 characters or fewer.")
    .pipe(z.email("Enter an email address like admin@brokerage.com.")),
  notes: multiline("notes", 2000).optional().default(""),
  track: z
    .enum(["", ...TRACKS], { message: "Choose a mail system from the list, or leave it as “Let the brokerage choose”." })
    .optional()
    .transform((v) => v || null),
});
export type NewOnboardingInput = z.infer<typeof newOnboardingSchema>;

export const linkRefSchema = z.object({ onboardingId: id("onboarding"), linkId: id("link") });

export const extendLinkSchema = linkRefSchema.extend({
  days: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "Extend by at least 1 day.")
    .max(90, "Extend by at most 90 days at a time."),
});

export const staffVendorLinkSchema = z.object({
  onboardingId: id("onboarding"),
  label: line("name of the vendor or person", 80),
});

export const contactNoteSchema = z.object({
  onboardingId: id("onboarding"),
  channel: z.enum(CONTACT_CHANNELS, { message: "Choose how you were in touch." }),
  note: multiline("note", 4000).pipe(z.string().min(1, "Write what was said or agreed.")),
});

export const staffNoteSchema = z.object({
  onboardingId: id("onboarding"),
  note: multiline("note", 4000).pipe(z.string().min(1, "Write the note.")),
});

export const stateChangeSchema = z.object({
  onboardingId: id("onboarding"),
  to: z.enum(STATES, { message: "Choose the new state." }),
  reason: multiline("reason", 1000).pipe(z.string().min(1, "Give a reason: it is kept in the audit log.")),
});
