import { z } from "zod";
import { DISTINCT_MAILBOXES, scopeFields } from "./app-access";
import { clientIdField, SWAPPED_IDS, tenantField } from "./own-app";

/**
 * A live Microsoft Graph test asked of the test endpoint (`/api/test-runs`, streamed like the EWS test): the
 * app-access form's fields checked by the form's own rules — with the brokerage's own app registration also its
 * tenant and Application (client) ID. Whether to send a test message is the endpoint's run option, not a field.
 */
const { groupName, testMailbox, outOfScopeMailbox } = scopeFields;

export const appAccessTestSchema = z
  .object({ appAccess: z.literal(true), groupName, testMailbox, outOfScopeMailbox, tenant: tenantField.optional(), clientId: clientIdField.optional() })
  .strict()
  .refine((v) => v.testMailbox !== v.outOfScopeMailbox, DISTINCT_MAILBOXES)
  .refine((v) => (v.tenant === undefined) === (v.clientId === undefined), { path: ["clientId"], message: "Enter both the tenant and the Application (client) ID of your app." })
  .refine((v) => !v.clientId || v.clientId !== v.tenant, SWAPPED_IDS);

export type AppAccessTestRequest = z.output<typeof appAccessTestSchema>;
