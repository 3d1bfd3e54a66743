import { z } from "zod";
import { looksLikeGroupName } from "@/lib/guide/placeholders";
import { mailboxProblem } from "./tenant";

/**
 * The graph_app submission (and live test) form, shared by the workspace form and the server action: the group
 * of agents the app is scoped to, the test mailbox, and a mailbox that must stay out of reach. No secret at all.
 */
function mailbox(what: string) {
  return z
    .string({ message: `Enter the ${what} address.` })
    .max(254, `The ${what} address is too long: use at most 254 characters.`)
    .superRefine((v, ctx) => {
      const problem = mailboxProblem(v, what);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((v) => v.trim().toLowerCase());
}

/** The scope fields, shared with the own-app form (lib/validation/own-app.ts). */
export const scopeFields = {
  groupName: z
    .string({ message: "Enter the group's name." })
    .max(64, "The group name is too long: at most 64 characters.")
    .refine((v) => looksLikeGroupName(v), "Use the group's name as in Exchange: letters, digits, spaces, dots, hyphens or underscores.")
    .transform((v) => v.trim()),
  testMailbox: mailbox("test mailbox"),
  outOfScopeMailbox: mailbox("out-of-reach mailbox"),
  sendTestMail: z.enum(["on", ""]).optional().transform((v) => v === "on"),
};

export const DISTINCT_MAILBOXES = { path: ["outOfScopeMailbox"], message: "The out-of-reach mailbox must be a different mailbox from the test mailbox." };

export const appAccessSchema = z
  .object(scopeFields)
  .refine((v) => v.testMailbox !== v.outOfScopeMailbox, DISTINCT_MAILBOXES);

export type AppAccessForm = z.infer<typeof appAccessSchema>;
