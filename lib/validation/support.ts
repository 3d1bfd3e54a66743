import { z } from "zod";
import { revealSchema } from "./credentials";
import { freeText } from "./text";

/**
 * Support access with the brokerage's approval (issue 24). One schema per form, run by react-hook-form in the
 * browser and again by the server action on the FormData. Form values arrive as strings, so the duration is
 * coerced from its select; nothing here ever quotes the input back.
 */
export const ACCESS_DURATIONS_HOURS = [1, 4, 8, 24] as const;
export const MAX_ACCESS_HOURS = 24;
export const ACCESS_MODES = ["single-use", "time-boxed"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

const id = (what: string) => z.string({ message: `Unknown ${what}.` }).regex(/^[0-9a-z]{26}$/, `Unknown ${what}.`);

export const requestAccessSchema = z.strictObject({
  onboardingId: id("onboarding"),
  reason: freeText({
    what: "reason",
    max: 500,
    min: 10,
    multiline: true,
    missing: "Say why you need to see this credential, in at least 10 characters (for example a ticket number and purpose).",
  }),
  durationHours: z.coerce
    .number({ message: "Choose how long you need access." })
    .int("Choose how long you need access.")
    .min(1, "Ask for at least 1 hour.")
    .max(MAX_ACCESS_HOURS, `Ask for at most ${MAX_ACCESS_HOURS} hours.`),
});
export type RequestAccessInput = z.input<typeof requestAccessSchema>;
export type RequestAccessData = z.output<typeof requestAccessSchema>;

/** The brokerage's answer to one request. */
export const answerAccessSchema = z.discriminatedUnion(
  "decision",
  [
    z.strictObject({ requestId: id("request"), decision: z.literal("approve"), mode: z.enum(ACCESS_MODES, { message: "Choose single use or for the whole period." }) }),
    z.strictObject({ requestId: id("request"), decision: z.literal("decline") }),
  ],
  { message: "Choose approve or decline." },
);
export type AnswerAccessData = z.output<typeof answerAccessSchema>;

export const revokeAccessSchema = z.strictObject({ requestId: id("request") });

/** Reveal with an approval: the TechOps reveal's re-authentication and reason, plus the approved request. */
export const revealWithApprovalSchema = revealSchema.extend({ requestId: id("request") });
export type RevealWithApprovalData = z.output<typeof revealWithApprovalSchema>;
