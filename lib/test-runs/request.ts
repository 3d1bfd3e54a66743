import { z } from "zod";

/**
 * What a browser may ask the test endpoint for. Only shape and size are checked here; the probe's own
 * input stage checks the values and reports problems as a failed first step, like the Remote Connectivity
 * Analyzer does.
 */
export const testRunRequestSchema = z.union([
  z
    .object({
      serviceAccount: z.string().max(320, "The service account is too long."),
      password: z.string().max(1024, "The password is too long."),
      testMailbox: z.string().max(320, "The test mailbox is too long."),
      ewsUrl: z.string().max(2048, "The EWS URL is too long.").optional(),
    })
    .strict(),
  z.object({ useSaved: z.literal(true), onboardingId: z.string().regex(/^[0-9a-z]{26}$/).optional() }).strict(),
]);
export type TestRunRequest = z.infer<typeof testRunRequestSchema>;

/** Largest request body accepted (a few fields; anything bigger is refused unread). */
export const MAX_TEST_REQUEST_BYTES = 8 * 1024;
