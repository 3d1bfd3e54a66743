import "server-only";
import { promises as dnsPromises } from "node:dns";
import type { Resolver as GuardResolver } from "@/lib/exchange/address-guard";

/**
 * DNS for the detector: Node's c-ares resolver on the configured servers (DNS_SERVERS; the system's when none),
 * with a short per-try timeout so a silent server gives up inside the detector's deadline. The same resolver
 * answers the SSRF guard's address lookups, so every host the detector connects to was resolved here.
 */
export function createDnsResolver(servers: string[], timeoutMs: number): dnsPromises.Resolver {
  const resolver = new dnsPromises.Resolver({ timeout: Math.max(200, Math.floor(timeoutMs / 2)), tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);
  return resolver;
}

/** The guard's resolver over c-ares: A and AAAA, either may be missing; both failing is the failure. */
export function guardResolverFor(resolver: dnsPromises.Resolver): GuardResolver {
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const found = [
      ...(v4.status === "fulfilled" ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === "fulfilled" ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (found.length === 0 && v4.status === "rejected") throw v4.reason;
    return found;
  };
}

/** c-ares error codes → what the decision needs to know. */
export function dnsErrorKind(e: unknown): "no_domain" | "no_data" | "timeout" | "unreachable" {
  const code = (e as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "NXDOMAIN") return "no_domain";
  if (code === "ENODATA" || code === "ENONAME") return "no_data";
  if (code === "ETIMEOUT" || code === "ECANCELLED") return "timeout";
  return "unreachable";
}
