import "server-only";
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { HttpClient } from "@/lib/exchange/http-client";
import { createScrubber } from "@/lib/exchange/secrets";
import { ProbeError } from "@/lib/exchange/failures";
import type { DetectionSubject } from "./address";
import { decide, type Detection } from "./decide";
import { createDnsResolver, guardResolverFor } from "./dns";
import type { DetectionFacts, LookupFailure } from "./facts";
import { runLookups, type LookupTimings } from "./lookups";

/**
 * "Where does this address's mail live?" — every public lookup at once under one deadline, through the SSRF
 * guard (the HTTP lookups use the probe's guarded client; its addresses come from the same DNS servers), then
 * the pure decision. Domain-level facts are cached per domain and mailbox-level ones per address, for an hour;
 * a fact that failed for want of time or network is not cached.
 */
export type DetectorOptions = {
  /** host:port of DNS servers; empty: the system's. */
  dnsServers: string[];
  authorityUrl: string;
  autodiscoverUrl: string;
  /** Hosts that may be private/loopback and use any port (the simulator, tests). */
  allowedHosts: string[];
  extraCaPem?: string;
  deadlineMs?: number;
  cache?: DetectionCache;
};

export type DetectionRun = Detection & { elapsedMs: number; timings: LookupTimings; cached: boolean };

export const DETECT_DEADLINE_MS = 5000;
export const CACHE_TTL_MS = 60 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_CACHE_ENTRIES = 2000;

type DomainFacts = Pick<DetectionFacts, "mx" | "txt" | "tenant" | "realm" | "autodiscoverCname">;
type MailboxFacts = Pick<DetectionFacts, "cloudAutodiscover" | "onPremises">;

export class DetectionCache {
  private readonly domains = new Map<string, { at: number; facts: DomainFacts }>();
  private readonly mailboxes = new Map<string, { at: number; facts: MailboxFacts }>();
  constructor(private readonly ttlMs = CACHE_TTL_MS, private readonly now: () => number = Date.now) {}

  private read<T>(map: Map<string, { at: number; facts: T }>, key: string): T | undefined {
    const hit = map.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.ttlMs) {
      map.delete(key);
      return undefined;
    }
    return hit.facts;
  }

  private write<T extends object>(map: Map<string, { at: number; facts: T }>, key: string, facts: T) {
    const transient = Object.values(facts).some((f) => (f as LookupFailure).kind === "failed" && ["timeout", "unreachable"].includes((f as LookupFailure).reason));
    if (transient) return;
    if (map.size >= MAX_CACHE_ENTRIES) map.delete(map.keys().next().value!);
    map.set(key, { at: this.now(), facts });
  }

  domain(key: string) {
    return this.read(this.domains, key);
  }
  mailbox(key: string) {
    return this.read(this.mailboxes, key);
  }
  saveDomain(key: string, facts: DomainFacts) {
    this.write(this.domains, key, facts);
  }
  saveMailbox(key: string, facts: MailboxFacts) {
    this.write(this.mailboxes, key, facts);
  }
  /** Whether a detection for this subject would be answered from the cache alone. */
  has(subject: DetectionSubject) {
    return this.domain(subject.domain) !== undefined && this.mailbox(subject.email) !== undefined;
  }
}

export async function detectMailHost(subject: DetectionSubject, options: DetectorOptions): Promise<DetectionRun> {
  const t0 = performance.now();
  const deadlineMs = options.deadlineMs ?? DETECT_DEADLINE_MS;
  const cachedDomain = options.cache?.domain(subject.domain);
  const cachedMailbox = options.cache?.mailbox(subject.email);
  let timings: LookupTimings = {};
  let fresh: Partial<DetectionFacts> = {};

  if (!cachedDomain || !cachedMailbox) {
    const controller = new AbortController();
    setMaxListeners(64, controller.signal); // every lookup and request listens for the one deadline
    // Leave a little of the deadline for the decision and the answer itself.
    const timer = setTimeout(() => controller.abort(new ProbeError("deadline", "The detector ran out of time.")), Math.max(100, deadlineMs - 150));
    const dns = createDnsResolver(options.dnsServers, Math.min(2000, deadlineMs));
    const http = new HttpClient({
      policy: { allowedHosts: options.allowedHosts, resolve: guardResolverFor(dns) },
      extraCaPem: options.extraCaPem,
      perRequestTimeoutMs: deadlineMs,
      maxBodyBytes: MAX_BODY_BYTES,
      signal: controller.signal,
      scrubber: createScrubber("", ""),
      excerptBytes: 512,
    });
    controller.signal.addEventListener("abort", () => dns.cancel(), { once: true });
    try {
      const run = await runLookups(
        { dns, http, authorityUrl: options.authorityUrl, autodiscoverUrl: options.autodiscoverUrl, signal: controller.signal },
        subject,
        { domain: !cachedDomain, mailbox: !cachedMailbox },
      );
      timings = run.timings;
      fresh = run.facts;
    } finally {
      clearTimeout(timer);
      dns.cancel();
      http.close();
    }
  }

  const domainFacts: DomainFacts = cachedDomain ?? { mx: fresh.mx!, txt: fresh.txt!, tenant: fresh.tenant!, realm: fresh.realm!, autodiscoverCname: fresh.autodiscoverCname! };
  const mailboxFacts: MailboxFacts = cachedMailbox ?? { cloudAutodiscover: fresh.cloudAutodiscover!, onPremises: fresh.onPremises! };
  if (!cachedDomain) options.cache?.saveDomain(subject.domain, domainFacts);
  if (!cachedMailbox) options.cache?.saveMailbox(subject.email, mailboxFacts);

  const detection = decide({ email: subject.email, domain: subject.domain, ...domainFacts, ...mailboxFacts });
  return { ...detection, elapsedMs: Math.round(performance.now() - t0), timings, cached: Boolean(cachedDomain && cachedMailbox) };
}
