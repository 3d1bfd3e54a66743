import { z } from "zod";
import { ROSTER_MAX_CHARS } from "@/lib/roster/parse";

/** The roster form: the pasted (or uploaded, read into the same field) list. Shared by the form and the action. */
export const rosterListSchema = z.object({
  list: z
    .string({ message: "Paste the agents' addresses, one per line, or choose a CSV file." })
    .trim()
    .min(1, "Paste the agents' addresses, one per line, or choose a CSV file.")
    .max(ROSTER_MAX_CHARS, "The list is too large: at most 10,000 addresses."),
});
export type RosterListForm = z.infer<typeof rosterListSchema>;

/** Re-check (all, or the failed ones) and cancel. */
export const rosterCheckSchema = z.object({ scope: z.enum(["all", "failed"]) });
export const rosterCancelSchema = z.object({});
