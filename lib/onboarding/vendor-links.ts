import "server-only";
import type { Kysely } from "kysely";
import { createLink, type LinkInfo } from "@/lib/auth/links";
import { consume } from "@/lib/auth/rate-limit";
import type { Database } from "@/lib/db/schema";
import { getOnboarding, type Actor } from "./store";

export type VendorLinkResult = { ok: true; token: string; link: LinkInfo } | { ok: false; code: "not_found" | "illegal_transition" | "rate_limited" };

/**
 * A new vendor link for an onboarding, from the brokerage's workspace or the staff detail page alike: refused for
 * a revoked onboarding, and limited per onboarding and per client like every other way in.
 */
export async function createVendorLink(db: Kysely<Database>, input: { onboardingId: string; label: string }, actor: Actor, client: string): Promise<VendorLinkResult> {
  const current = await getOnboarding(db, input.onboardingId);
  if (!current) return { ok: false, code: "not_found" };
  if (current.state === "revoked") return { ok: false, code: "illegal_transition" };
  const limits = await Promise.all([consume(db, "vendorLinkPerOnboarding", input.onboardingId), consume(db, "vendorLinkPerClient", client)]);
  if (limits.some((l) => !l.ok)) return { ok: false, code: "rate_limited" };
  const { token, link } = await createLink(db, { onboardingId: input.onboardingId, kind: "vendor", label: input.label }, actor);
  return { ok: true, token, link };
}
