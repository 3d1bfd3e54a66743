import { z } from "zod";
import { TRACKS } from "@/lib/guide/ids";
import { STATES } from "@/lib/onboarding/lifecycle";
import { CONTACT_CHANNELS } from "@/lib/staff/event-text";

/**
 * Staff forms about onboardings. One schema per form, used by the form and by its server action. Every text
 * field is trimmed and capped; control and bidi-override characters are refused in one-line fields (they can
 * make a name read differently from what it is), and multi-line notes keep only tabs and newlines.
 */
const INVISIBLE = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

function line(what: string, max: number) {
  return z
    .string({ message: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(max, `The ${what} must be ${max} characters or fewer.`)
    .refine((v) => !INVISIBLE.test(v), `Remove invisible or control characters from the ${what}.`);
}

function multiline(what: string, max: number) {
  return z
    .string({ message: `Enter the ${what}.` })
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(max, `The ${what} must be ${max} characters or fewer.`)
        .refine((v) => !INVISIBLE_EXCEPT_NEWLINES.test(v), `Remove invisible or control characters from the ${what}.`),
    );
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
