import { z } from "zod";

/**
 * The client secret of the brokerage's own app, where its policy forces a secret instead of the certificate: the
 * secret's Value (not its Secret ID) and its expiry date as the Entra admin center shows it. One schema for the
 * form and its server action. Entra secrets last at most 24 months.
 */
export const SECRET_MAX_MONTHS = 24;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function latestSecretExpiry(now = new Date()): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() + SECRET_MAX_MONTHS);
  return d;
}

export const clientSecretField = z
  .string({ message: "Enter the client secret's Value." })
  .max(256, "The client secret is too long: Entra's secrets have about 40 characters.")
  .superRefine((v, ctx) => {
    if (!v) ctx.addIssue({ code: "custom", message: "Enter the client secret's Value, as the Entra admin center showed it once after you added it." });
    else if (CONTROL.test(v)) ctx.addIssue({ code: "custom", message: "The client secret contains a line break or another control character: copy only its Value." });
    else if (v.trim() !== v) ctx.addIssue({ code: "custom", message: "The client secret starts or ends with a space: copy only its Value." });
  });

export const secretExpiresField = z
  .string({ message: "Enter the date the client secret expires." })
  .max(10, "Enter the date as YYYY-MM-DD.")
  .superRefine((v, ctx) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const d = m ? new Date(`${v}T23:59:59.000Z`) : undefined;
    if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
      ctx.addIssue({ code: "custom", message: "Enter the date the client secret expires as YYYY-MM-DD, from its Expires column in the Entra admin center." });
      return;
    }
    const now = new Date();
    if (d.getTime() <= now.getTime()) ctx.addIssue({ code: "custom", message: "This date is past: that client secret has expired. Add a new one in the Entra admin center." });
    else if (d.getTime() > latestSecretExpiry(now).getTime() + 24 * 3600 * 1000) ctx.addIssue({ code: "custom", message: "A client secret lasts at most 24 months: check the Expires column in the Entra admin center." });
  });

export const ownAppSecretSchema = z.object({ clientSecret: clientSecretField, expiresOn: secretExpiresField });

export type OwnAppSecretForm = z.infer<typeof ownAppSecretSchema>;
