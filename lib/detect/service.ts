import "server-only";
import { readFile } from "node:fs/promises";
import type { Kysely } from "kysely";
import { consume } from "@/lib/auth/rate-limit";
import { clientKey, currentLinkSession } from "@/lib/auth/request";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import type { Database } from "@/lib/db/schema";
import { parseSubject, type SubjectProblem } from "./address";
import { DETECTED_HOST_LABELS } from "./decide";
import { CACHE_TTL_MS, DetectionCache, detectMailHost, type DetectionRun, type DetectorOptions } from "./detector";
import { getMailHost, saveMailHost } from "./store";
import type { MailHostView } from "./view";

/**
 * The detector as the app uses it: settings from the configuration, one cache per process (an hour per domain),
 * rate limits on fresh lookups, and the onboarding's stored answer. Pages and routes call only this module.
 */
export type DetectCaller = { client: string; linkSessionId?: string };

export type DetectResult =
  | { ok: true; view: MailHostView }
  | { ok: false; code: "invalid_address"; message: string }
  | { ok: false; code: "rate_limited" };

const PROBLEM_MESSAGES: Record<SubjectProblem, string> = {
  empty: "Enter an email address or a domain, e.g. jordan@yourbrokerage.com.",
  too_long: "That is too long for an email address (at most 254 characters).",
  not_an_address: "That is not an email address. Enter one like jordan@yourbrokerage.com, or just the domain.",
  not_a_public_domain: "That does not name a public domain. Enter the part after the @ of your email address, e.g. yourbrokerage.com.",
};

const cache = new DetectionCache();
let caPem: Promise<string | undefined> | undefined;

async function detectorOptions(): Promise<DetectorOptions> {
  const c = config();
  caPem ??= c.exchangeExtraCaFile ? readFile(c.exchangeExtraCaFile, "utf8") : Promise.resolve(undefined);
  return {
    dnsServers: c.dnsServers,
    authorityUrl: c.microsoftAuthorityHost,
    autodiscoverUrl: c.microsoftAutodiscoverHost,
    allowedHosts: c.exchangeAllowedHosts,
    extraCaPem: await caPem,
    cache,
  };
}

export function viewOf(run: DetectionRun, address: string, now = new Date()): MailHostView {
  return {
    address,
    domain: run.domain,
    host: run.host,
    hostLabel: DETECTED_HOST_LABELS[run.host],
    track: run.track,
    alsoTracks: run.alsoTracks,
    confidence: run.confidence,
    tenantId: run.tenantId,
    ewsUrl: run.ewsUrl,
    summary: run.summary,
    evidence: run.evidence.map((e) => e.sentence),
    detectedAt: now.toISOString(),
  };
}

/** Where does this address's (or domain's) mail live? */
export async function detectAddress(db: Kysely<Database>, raw: string, caller: DetectCaller, now = new Date()): Promise<DetectResult> {
  const parsed = parseSubject(raw);
  if (!parsed.ok) return { ok: false, code: "invalid_address", message: PROBLEM_MESSAGES[parsed.problem] };
  const options = await detectorOptions();
  if (!cache.has(parsed.subject)) {
    const limits = [consume(db, "detectPerClient", caller.client)];
    if (caller.linkSessionId) limits.push(consume(db, "detectPerLinkSession", caller.linkSessionId));
    if ((await Promise.all(limits)).some((r) => !r.ok)) return { ok: false, code: "rate_limited" };
  }
  const run = await detectMailHost(parsed.subject, options);
  return { ok: true, view: viewOf(run, parsed.subject.email, now) };
}

/**
 * The onboarding's mail host, detected from the brokerage contact's address on first use and kept. A stored
 * answer is reused; one that could not tell is tried again after the cache's hour (the DNS may have been down).
 */
export async function mailHostOfOnboarding(
  db: Kysely<Database>,
  onboarding: { id: string; contactEmail: string },
  caller: DetectCaller,
  now = new Date(),
): Promise<MailHostView | null> {
  const stored = await getMailHost(db, onboarding.id);
  const stale = stored && stored.host === "unknown" && now.getTime() - Date.parse(stored.detectedAt) > CACHE_TTL_MS;
  if (stored && !stale) return stored;
  try {
    const result = await detectAddress(db, onboarding.contactEmail, caller, now);
    if (!result.ok) return stored ?? null;
    await saveMailHost(db, onboarding.id, result.view);
    return result.view;
  } catch (error) {
    // A detection is a convenience: the question is still there to answer by hand.
    log.warn({ err: error, onboardingId: onboarding.id }, "mail host detection failed");
    return stored ?? null;
  }
}

/** The lookup for the request being answered (POST /api/detect): counted per client, and per link session when there is one. */
export async function detectForRequest(db: Kysely<Database>, raw: string): Promise<DetectResult> {
  const visitor = await currentLinkSession();
  return detectAddress(db, raw, { client: await clientKey(), linkSessionId: visitor?.linkId });
}
