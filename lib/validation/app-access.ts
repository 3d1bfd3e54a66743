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

const appAccessFields = {
  groupName: z
    .string({ message: "Enter the group's name." })
    .max(64, "The group name is too long: at most 64 characters.")
    .refine((v) => looksLikeGroupName(v), "Use the group's name as in Exchange: letters, digits, spaces, dots, hyphens or underscores.")
    .transform((v) => v.trim()),
  testMailbox: mailbox("test mailbox"),
  outOfScopeMailbox: mailbox("out-of-reach mailbox"),
};
const differentMailboxes: [(v: { testMailbox: string; outOfScopeMailbox: string }) => boolean, { path: string[]; message: string }] = [
  (v) => v.testMailbox !== v.outOfScopeMailbox,
  { path: ["outOfScopeMailbox"], message: "The out-of-reach mailbox must be a different mailbox from the test mailbox." },
];

export const appAccessSchema = z
  .object({ ...appAccessFields, sendTestMail: z.enum(["on", ""]).optional().transform((v) => v === "on") })
  .refine(...differentMailboxes);

export type AppAccessForm = z.infer<typeof appAccessSchema>;

/**
 * A live Graph test asked of the test endpoint (`/api/test-runs`, streamed like the EWS test): the same fields as
 * the form, checked by the same rules; whether to send a test message is the endpoint's own run option.
 */
export const appAccessTestSchema = z
  .object({ appAccess: z.literal(true), ...appAccessFields })
  .strict()
  .refine(...differentMailboxes);

export type AppAccessTestRequest = z.output<typeof appAccessTestSchema>;
