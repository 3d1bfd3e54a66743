import { z } from "zod";

/** Staff forms. One schema per form, used by the form and by its server action. */
const email = z.string({ message: "Enter your email address." }).trim().min(1, "Enter your email address.").max(254, "That email address is too long.").pipe(z.email("Enter an email address like name@moxiworks.com."));

export const signInSchema = z.object({
  email,
  password: z.string({ message: "Enter your password." }).min(1, "Enter your password.").max(256, "That password is too long."),
});

/**
 * An authenticator code as people type or paste it: apps show "123 456", so spaces (and a dash) between the digits
 * are dropped before the six digits are checked. Shared by every form that asks for a code.
 */
export const totpCode = z
  .string({ message: "Enter the 6-digit code." })
  .max(32, "Enter the 6-digit code from your authenticator app.")
  .transform((v) => v.replace(/[\s\u00a0-]+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

export const totpCodeSchema = z.object({ code: totpCode });

export const setupPasswordSchema = z
  .object({
    password: z.string({ message: "Choose a password." }).min(12, "Use at least 12 characters.").max(256, "Use at most 256 characters."),
    confirm: z.string({ message: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });
