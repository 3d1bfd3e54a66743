import "server-only";
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { ProbeError } from "./failures";

/**
 * The SSRF guard for outbound probe calls: https on port 443 only; every
 * resolved address must be public unicast; hosts listed in the allow-list (host or host:port) may be private
 * or loopback, use any port and plain http. The caller connects to the vetted address so DNS can't rebind.
 */
export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type GuardPolicy = {
  allowedHosts: string[];
  /** Replaces the system resolver (tests use it to make a name resolve to a private address). */
  resolve?: Resolver;
};

export type VettedTarget = { url: URL; hostname: string; port: number; address: string; family: 4 | 6; allowed: boolean };

export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * IPv6 text with a dotted IPv4 tail ("::127.0.0.1") rewritten as hex groups ("::7f00:1"). ipaddr.js reads any
 * dotted tail as IPv4-mapped, which would judge the IPv4-compatible "::127.0.0.1" unlike its own "::7f00:1".
 */
function hexTail(address: string): string {
  const m = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return address;
  const [a, b, c, d] = m.slice(2).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((n) => n > 255)) return address;
  return `${m[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const NAT64_V6 = ipaddr.parseCIDR("64:ff9b::/96");
const IPV4_COMPATIBLE_V6 = ipaddr.parseCIDR("::/96");

/**
 * The range an address is in: "unicast" only for a plainly public address, otherwise ipaddr.js's range name
 * (or ours: "ipv4Compatible", "notGlobalUnicast"). An allow-list, not a block-list: IPv6 is public only inside
 * global unicast (2000::/3) and outside every special block there (6to4, Teredo, documentation, …). Addresses
 * that embed IPv4 are judged by what they embed where the kernel really connects to it: IPv4-mapped
 * (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96, what an IPv6-only host with DNS64 resolves public names to). The
 * deprecated IPv4-compatible form (::/96), 6to4, Teredo and SIIT are refused whatever they carry.
 */
export function addressRange(address: string): string {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(hexTail(address.trim()));
  } catch {
    return "invalid";
  }
  if (ip.kind() === "ipv4") return ip.range();
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range();
  if (v6.match(NAT64_V6)) {
    const bytes = v6.toByteArray().slice(12);
    const inner = ipaddr.fromByteArray(bytes).range();
    return inner === "unicast" ? "unicast" : inner;
  }
  const range = v6.range();
  if (range !== "unicast") return range;
  if (v6.match(IPV4_COMPATIBLE_V6)) return "ipv4Compatible";
  return v6.match(GLOBAL_UNICAST_V6) ? "unicast" : "notGlobalUnicast";
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === "unicast";
}

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private (RFC 1918) address",
  carrierGradeNat: "a carrier-grade NAT (100.64.0.0/10) address",
  linkLocal: "a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services live)",
  uniqueLocal: "a unique-local (fc00::/7) address",
  multicast: "a multicast address",
  unspecified: "an unspecified (0.0.0.0/8 or ::) address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  ipv4Compatible: "an IPv4-compatible IPv6 address (::/96, deprecated)",
  rfc6052: "a NAT64 address",
  rfc6145: "an IPv4-translated (SIIT) address",
  "6to4": "a 6to4 tunnel address (2002::/16)",
  teredo: "a Teredo tunnel address (2001::/32)",
  notGlobalUnicast: "an IPv6 address outside global unicast (2000::/3)",
};

export function describeRange(address: string): string {
  const range = addressRange(address);
  return RANGE_WORDS[range] ?? `a non-public address (${range})`;
}

export function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
}

/** Parses an allow-list entry: "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address. */
export function parseHostEntry(entry: string): { host: string; port?: number } | undefined {
  const e = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(e);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const colons = (e.match(/:/g) ?? []).length;
  if (colons > 1) return net.isIPv6(e) ? { host: e } : undefined;
  const m = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(e);
  return m ? { host: m[1]!, port: m[2] ? Number(m[2]) : undefined } : undefined;
}

/** Whether the allow-list names this URL's host (entry "host") or host and port (entry "host:port"). */
export function isAllowedHost(url: URL, allowedHosts: string[]): boolean {
  const host = hostnameOf(url);
  const port = portOf(url);
  return allowedHosts.some((entry) => {
    const parsed = parseHostEntry(entry);
    return parsed !== undefined && parsed.host === host && (parsed.port === undefined || parsed.port === port);
  });
}

/** Checks the URL's form (scheme, port, userinfo) without touching the network. */
export function checkUrl(raw: string, policy: GuardPolicy, opts: { allowPlainHttp?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProbeError("url_not_allowed", `"${raw.slice(0, 200)}" is not a valid URL.`);
  }
  const allowed = isAllowedHost(url, policy.allowedHosts);
  if (url.username || url.password) throw new ProbeError("url_not_allowed", `The URL ${url.origin} carries a user name or password; the probe refuses it.`);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && (allowed || opts.allowPlainHttp))) {
    throw new ProbeError("url_not_allowed", `The URL ${url.href} does not use https; the probe only connects over https.`);
  }
  const defaultPort = url.protocol === "http:" ? 80 : 443;
  if (!allowed && portOf(url) !== defaultPort) {
    throw new ProbeError("url_not_allowed", `The URL ${url.href} uses port ${portOf(url)}; the probe only connects to port ${defaultPort} unless this server allows that host for testing.`);
  }
  return url;
}

/** Resolves the host and vets every address; returns the one address to connect to. */
export async function vetTarget(url: URL, policy: GuardPolicy): Promise<VettedTarget> {
  const hostname = hostnameOf(url);
  const port = portOf(url);
  const allowed = isAllowedHost(url, policy.allowedHosts);
  let addresses: ResolvedAddress[];
  if (net.isIP(hostname)) {
    addresses = [{ address: hostname, family: net.isIP(hostname) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(hostname);
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new ProbeError("dns_failed", `The host name ${hostname} could not be resolved${code ? ` (${code})` : ""}.`);
    }
    if (addresses.length === 0) throw new ProbeError("dns_failed", `The host name ${hostname} has no addresses.`);
  }
  if (!allowed) {
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) {
      const via = bad.address === hostname ? "" : ` (${hostname} resolves to ${bad.address})`;
      throw new ProbeError(
        "address_not_public",
        `Refused to connect to ${hostname}${via}: it is ${describeRange(bad.address)}. Only public addresses are allowed unless this server allows that host for testing.`,
      );
    }
  }
  const chosen = addresses[0]!;
  return { url, hostname, port, address: chosen.address, family: chosen.family, allowed };
}
