import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { ProbeInput } from "@/lib/exchange/probe";

/**
 * The onboarding's newest saved credential, opened for the probe. The password lives only in this
 * object, in server memory, for the length of one test.
 */
export async function savedProbeInput(db: Kysely<Database>, onboardingId: string): Promise<{ credentialId: string; input: ProbeInput } | undefined> {
  void db;
  void onboardingId;
  return undefined;
}
