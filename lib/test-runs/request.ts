import { z } from "zod";
import { connectionDetailsSchema } from "@/lib/validation/credentials";

/**
 * What a browser may ask the test endpoint for: typed-in connection details, checked by the same schema as the
 * workspace's form (so the probe gets parsed input), or the saved details.
 */
export const testRunRequestSchema = z.union([
  connectionDetailsSchema,
  z.object({ useSaved: z.literal(true), onboardingId: z.string().regex(/^[0-9a-z]{26}$/).optional() }).strict(),
]);
export type TestRunRequest = z.output<typeof testRunRequestSchema>;

/**
 * The one run option a request may carry beside what to test: whether to send a test message from the test
 * mailbox to itself. Only a person ticking it sends mail; it is off unless it is exactly `true`.
 */
const runOptionsSchema = z.strictObject({ sendTestMessage: z.boolean().optional() });
export type RunOptions = { sendTestMessage: boolean };

/** Splits the run option off the request body: undefined when the option is there but not a boolean. */
export function splitRunOptions(json: unknown): { target: unknown; options: RunOptions } | undefined {
  if (!json || typeof json !== "object" || Array.isArray(json) || !Object.hasOwn(json, "sendTestMessage")) return { target: json, options: { sendTestMessage: false } };
  const { sendTestMessage, ...target } = json as Record<string, unknown>;
  const parsed = runOptionsSchema.safeParse({ sendTestMessage });
  return parsed.success ? { target, options: { sendTestMessage: parsed.data.sendTestMessage === true } } : undefined;
}

/** Field errors of typed-in details (the first message per field), for the form to show beside each field. */
export function connectionFieldErrors(json: unknown): Record<string, string[]> | undefined {
  if (json && typeof json === "object" && "useSaved" in json) return undefined;
  const r = connectionDetailsSchema.safeParse(json);
  if (r.success) return undefined;
  const out: Record<string, string[]> = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0] ?? "form");
    out[field] ??= [issue.message];
  }
  return out;
}

/** Largest request body accepted (a few fields; anything bigger is refused unread). */
export const MAX_TEST_REQUEST_BYTES = 8 * 1024;
