import "server-only";
import { readFile } from "node:fs/promises";
import type { Kysely } from "kysely";
import { appAccessSetup, appCredential } from "@/lib/app-access/app";
import { getAppAccess } from "@/lib/app-access/consent";
import { config } from "@/lib/config";
import { newestVerifiedRow, openSealedRow } from "@/lib/credentials/store";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import type { Database } from "@/lib/db/schema";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { parseTrack } from "@/lib/guide/ids";
import type { RosterAccess } from "./check";
import { domainOf } from "./parse";

/**
 * The onboarding's verified access as the roster check uses it: the verified service-account credential (EWS
 * track), or the verified app-access grant (Graph track). Opened in server memory only, for one check.
 * `domains`: the brokerage's mail domains (its contact's and its test mailbox's), against which a roster's
 * addresses are flagged.
 */
export type RosterSetup = { track: "ews" | "graph"; guidanceTrack: GuidanceTrack; access: RosterAccess; domains: string[]; allowedHosts: string[]; extraCaPem?: string };

export type RosterSetupProblem = "not_found" | "no_verified_access";

export async function rosterDomains(db: Kysely<Database>, onboardingId: string): Promise<string[] | undefined> {
  const o = await db.selectFrom("onboardings").select(["contact_email", "state"]).where("id", "=", onboardingId).executeTakeFirst();
  if (!o || o.state === "revoked") return undefined;
  const domains = new Set([domainOf(o.contact_email)]);
  const rec = await getAppAccess(db, onboardingId);
  if (rec.method === "graph_app" && rec.testMailbox) domains.add(domainOf(rec.testMailbox));
  else {
    const row = await db.selectFrom("credentials").select("test_mailbox").where("onboarding_id", "=", onboardingId).where("sealed", "is not", null).orderBy("created_at", "desc").executeTakeFirst();
    if (row?.test_mailbox) domains.add(domainOf(row.test_mailbox));
  }
  return [...domains];
}

export async function rosterSetup(db: Kysely<Database>, onboardingId: string): Promise<{ ok: true; setup: RosterSetup } | { ok: false; problem: RosterSetupProblem }> {
  const o = await db.selectFrom("onboardings").select(["contact_email", "state", "track"]).where("id", "=", onboardingId).executeTakeFirst();
  if (!o || o.state === "revoked") return { ok: false, problem: "not_found" };
  const c = config();
  const extraCaPem = c.exchangeExtraCaFile ? await readFile(c.exchangeExtraCaFile, "utf8") : undefined;
  const domains = (await rosterDomains(db, onboardingId)) ?? [];
  const rec = await getAppAccess(db, onboardingId);
  const base = { guidanceTrack: (parseTrack(o.track) ?? "unknown") as GuidanceTrack, domains, allowedHosts: c.exchangeAllowedHosts, extraCaPem };
  if (rec.method === "graph_app") {
    const app = appAccessSetup();
    if (!app || !rec.tenantId || !rec.verifiedAt) return { ok: false, problem: "no_verified_access" };
    const access: RosterAccess = { kind: "graph", tenant: rec.tenantId, clientId: app.clientId, credential: await appCredential(), authorityHost: app.authorityHost, graphUrl: app.graphUrl };
    return { ok: true, setup: { ...base, track: "graph", access } };
  }
  const row = await newestVerifiedRow(db, onboardingId);
  if (!row) return { ok: false, problem: "no_verified_access" };
  const cred = openSealedRow(row, credentialKeyRing());
  const access: RosterAccess = { kind: "ews", serviceAccount: cred.serviceAccount, password: cred.password, authScheme: cred.authScheme, ewsUrl: cred.ewsUrl, autodiscoverMailbox: cred.testMailbox };
  return { ok: true, setup: { ...base, track: "ews", access } };
}
