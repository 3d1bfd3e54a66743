import { z } from "zod";

/** The mail-host lookup: one address or domain (the public guide's box, the workspace, the test form). */
export const MAX_DETECT_REQUEST_BYTES = 2048;

export const detectRequestSchema = z.strictObject({
  address: z
    .string({ message: "Enter an email address or a domain, e.g. jordan@yourbrokerage.com." })
    .trim()
    .min(1, "Enter an email address or a domain, e.g. jordan@yourbrokerage.com.")
    .max(320, "That is too long for an email address (at most 320 characters)."),
});
export type DetectRequest = z.infer<typeof detectRequestSchema>;
