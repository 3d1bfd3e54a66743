import { z } from "zod";
import { DETECTED_HOSTS } from "@/lib/detect/decide";
import { PASSWORD_MAX } from "./credentials";
import { totpCode } from "./staff";
import { freeText } from "./text";

/**
 * Security incidents (issue 21), one schema per form, run in the browser and again by the server action.
 * Who is affected: every verified onboarding, a dashboard filter (search, mail host), or a pasted list.
 */
export const SELECTION_KINDS = ["all_verified", "filter", "list"] as const;
export const MAX_LIST_CHARS = 200_000;

export const incidentSelectionSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("all_verified") }),
    z.object({
      kind: z.literal("filter"),
      q: freeText({ what: "search", max: 100, min: 0 }).optional(),
      host: z.enum(DETECTED_HOSTS, { message: "Choose a mail host from the list." }).optional(),
    }),
    z.object({
      kind: z.literal("list"),
      list: z
        .string({ message: "Paste the onboarding ids or contact emails, one per line." })
        .max(MAX_LIST_CHARS, "That list is too long; split it into several incidents.")
        .refine((v) => v.trim().length > 0, "Paste the onboarding ids or contact emails, one per line."),
    }),
  ],
  { message: "Choose who is affected." },
);
export type IncidentSelection = z.output<typeof incidentSelectionSchema>;

const details = {
  name: freeText({ what: "incident name", max: 120, min: 3, missing: "Name the incident (for example \"2026-12 phishing of the vendor portal\")." }),
  reason: freeText({ what: "reason", max: 1000, min: 10, multiline: true, missing: "Say what happened, in at least 10 characters; the brokerages read this." }),
  dueDays: z.coerce.number({ message: "Give the number of days to rotate in." }).int("Give a whole number of days.").min(1, "Give at least 1 day.").max(90, "Give at most 90 days."),
  reminderEveryHours: z.coerce.number({ message: "Choose how often to remind." }).int().min(0, "Choose how often to remind.").max(24 * 14, "Remind at least every 14 days, or never."),
};

/** What the review step needs: the incident and the selection, flat as a form sends it. */
export const incidentDraftSchema = z
  .object({
    ...details,
    kind: z.enum(SELECTION_KINDS, { message: "Choose who is affected." }),
    q: z.string().optional(),
    host: z.string().optional(),
    list: z.string().optional(),
  })
  .transform((v, ctx) => {
    const raw = v.kind === "all_verified" ? { kind: v.kind } : v.kind === "filter" ? { kind: v.kind, q: v.q || undefined, host: v.host || undefined } : { kind: v.kind, list: v.list ?? "" };
    const selection = incidentSelectionSchema.safeParse(raw);
    if (!selection.success) {
      for (const issue of selection.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.length ? issue.path : ["kind"] });
      return z.NEVER;
    }
    return { name: v.name, reason: v.reason, dueDays: v.dueDays, reminderEveryHours: v.reminderEveryHours, selection: selection.data };
  });
export type IncidentDraft = z.output<typeof incidentDraftSchema>;

/** Opening it: the draft again, plus a fresh password and authenticator code, and the count reviewed. */
export const openIncidentSchema = z.intersection(
  incidentDraftSchema,
  z.object({
    password: z.string({ message: "Enter your own password." }).min(1, "Enter your own password.").max(PASSWORD_MAX, "That password is too long."),
    code: totpCode,
    expectedCount: z.coerce.number({ message: "Review the count first." }).int().min(1, "Nobody is selected."),
  }),
);

const id = (what: string) => z.string({ message: `Unknown ${what}.` }).regex(/^[0-9a-z]{26}$/, `Unknown ${what}.`);

export const incidentIdSchema = z.object({ incidentId: id("incident") });

export const exceptMemberSchema = z.object({
  incidentId: id("incident"),
  onboardingId: id("onboarding"),
  reason: freeText({ what: "reason", max: 500, min: 10, multiline: true, missing: "Say why this brokerage is excepted, in at least 10 characters." }),
});

export const closeIncidentSchema = z.object({
  incidentId: id("incident"),
  note: freeText({ what: "closing note", max: 2000, min: 10, multiline: true, missing: "Write a closing note for the incident report, in at least 10 characters." }),
});

export const recordAppRotationSchema = z.object({
  incidentId: id("incident"),
  note: freeText({ what: "note", max: 1000, min: 10, multiline: true, missing: "Say what MoxiWorks rotated (for example \"keys:rotate run, new app secret issued\"), in at least 10 characters." }),
});
