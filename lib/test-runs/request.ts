import { z } from "zod";
import { appAccessTestSchema } from "@/lib/validation/app-access-test";
import { connectionDetailsSchema } from "@/lib/validation/credentials";

/**
 * What a browser may ask the test endpoint for: typed-in connection details, checked by the same schema as the
 * workspace's form (so the probe gets parsed input), the saved details, or the Microsoft Graph app-access test of
 * a graph_app onboarding with the app-access form's fields.
 */
export const testRunRequestSchema = z.union([
  connectionDetailsSchema,
  appAccessTestSchema,
  z.object({ useSaved: z.literal(true), onboardingId: z.string().regex(/^[0-9a-z]{26}$/).optional() }).strict(),
]);
export type TestRunRequest = z.output<typeof testRunRequestSchema>;

/**
 * The one run option a request may carry beside what to test: whether to send a test message from the test
 * mailbox to itself. Only a person ticking it sends mail; it is off unless it is exactly `true`.
 */
const runOptionsSchema = z.object({ sendTestMessage: z.boolean().optional() });
export type RunOptions = { sendTestMessage: boolean };

/** Splits the run option off the request body: undefined when the option is there but not a boolean. */
export function splitRunOptions(json: unknown): { target: unknown; options: RunOptions } | undefined {
  if (!json || typeof json !== "object" || Array.isArray(json) || !Object.hasOwn(json, "sendTestMessage")) return { target: json, options: { sendTestMessage: false } };
  const { sendTestMessage, ...target } = json as Record<string, unknown>;
  const parsed = runOptionsSchema.safeParse({ sendTestMessage });
  return parsed.success ? { target, options: { sendTestMessage: parsed.data.sendTestMessage === true } } : undefined;
}

/**
 * The whole request: the run option split off, then what to test. When it fails, the error is the one the
 * request's own kind gives (the details schema's field errors for typed-in details), not the union's.
 */
export function parseTestRunRequest(json: unknown): { success: true; data: { target: TestRunRequest; options: RunOptions } } | { success: false; error: z.ZodError } {
  const split = splitRunOptions(json);
  if (!split) return { success: false, error: runOptionsSchema.safeParse(json).error ?? new z.ZodError([]) };
  const parsed = testRunRequestSchema.safeParse(split.target);
  if (parsed.success) return { success: true, data: { target: parsed.data, options: split.options } };
  const kind = split.target && typeof split.target === "object" ? split.target : {};
  const own = "useSaved" in kind ? parsed : "appAccess" in kind ? appAccessTestSchema.safeParse(split.target) : connectionDetailsSchema.safeParse(split.target);
  return { success: false, error: own.error ?? parsed.error };
}

/** Largest request body accepted (a few fields; anything bigger is refused unread). */
export const MAX_TEST_REQUEST_BYTES = 8 * 1024;
