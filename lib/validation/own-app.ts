import { z } from "zod";
import { isGuid, parseTenant } from "./tenant";
import { DISTINCT_MAILBOXES, scopeFields } from "./app-access";

/**
 * "Use our own app registration": the brokerage's tenant (ID or a verified domain) and its app's Application
 * (client) ID, plus the same scope fields as the MoxiWorks-app form. One schema for the workspace form, its test
 * and submit actions. No secret: the certificate's private key is made and kept on the server.
 */
const GUID_HINT = "It looks like 00000000-0000-0000-0000-000000000000: 32 hexadecimal digits in groups of 8-4-4-4-12.";

export const clientIdField = z
  .string({ message: "Enter the app's Application (client) ID." })
  .max(100, "The Application (client) ID is too long: it is a GUID of 36 characters.")
  .transform((v) => v.trim().toLowerCase())
  .superRefine((v, ctx) => {
    if (!v) ctx.addIssue({ code: "custom", message: "Enter the app's Application (client) ID, from the app's Overview page in the Microsoft Entra admin center." });
    else if (!isGuid(v)) ctx.addIssue({ code: "custom", message: `The Application (client) ID must be a GUID. ${GUID_HINT}` });
  });

export const tenantField = z
  .string({ message: "Enter your tenant: its Directory (tenant) ID or a verified domain." })
  .max(253, "The tenant is too long: a domain name has at most 253 characters.")
  .transform((v) => v.trim().toLowerCase())
  .superRefine((v, ctx) => {
    const parsed = parseTenant(v);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  });

/** The Overview page shows both GUIDs one above the other; copying the wrong one is the usual slip. */
export const SWAPPED_IDS = { path: ["clientId"], message: "This is the Directory (tenant) ID. Copy the Application (client) ID, the line above it on the app's Overview page." };

export const ownAppFields = { tenant: tenantField, clientId: clientIdField };

export const ownAppSchema = z
  .object({ ...ownAppFields, ...scopeFields })
  .refine((v) => v.testMailbox !== v.outOfScopeMailbox, DISTINCT_MAILBOXES)
  .refine((v) => v.clientId !== v.tenant, SWAPPED_IDS);

export type OwnAppForm = z.infer<typeof ownAppSchema>;
