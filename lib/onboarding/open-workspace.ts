import "server-only";
import type { Kysely } from "kysely";
import { openLink } from "@/lib/auth/links";
import { consume } from "@/lib/auth/rate-limit";
import type { Database } from "@/lib/db/schema";
import { startWork } from "./checklist";

export type OpenedWorkspace = { ok: true; sessionToken: string; expiresAt: string } | { ok: false; reason: "busy" | "unknown" | "expired" | "revoked" };

/**
 * A visitor opens an invite or vendor link: counted per client (guessing links is slow), exchanged for a link
 * session, and the brokerage's onboarding moves from invited to in progress on its first visit.
 */
export async function openWorkspace(db: Kysely<Database>, token: string, client: string): Promise<OpenedWorkspace> {
  if (!(await consume(db, "linkOpenPerClient", client)).ok) return { ok: false, reason: "busy" };
  const opened = await openLink(db, token);
  if (!opened.ok) return opened;
  await startWork(db, opened.onboardingId, { kind: opened.kind, label: opened.kind === "brokerage" ? "Brokerage admin" : "Email vendor" });
  return { ok: true, sessionToken: opened.sessionToken, expiresAt: opened.expiresAt };
}
