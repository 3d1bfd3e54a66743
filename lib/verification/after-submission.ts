import "server-only";
import type { Kysely } from "kysely";
import { after } from "next/server";
import type { Database } from "@/lib/db/schema";
import { log } from "@/lib/log";
import { verifyOnboarding } from "./workflow";

/**
 * A submission (service-account details or app access) is verified once the response is sent, so the page
 * answers at once; if the process stops first, the scheduler's resume job picks the verification up.
 */
export function verifyAfterResponse(db: Kysely<Database>, onboardingId: string): void {
  after(async () => {
    await verifyOnboarding(db, onboardingId, "submission").catch((error) => log.error({ err: error, onboardingId }, "verification after submission failed"));
  });
}
