import ipaddr from "ipaddr.js";

/**
 * Who is asking, for per-client rate limits. The socket address is the truth; X-Forwarded-For is believed only
 * as far as TRUSTED_PROXIES says (default: not at all), because anyone can send it — a new value per request
 * used to defeat every per-client limit. The socket address reaches route handlers in CLIENT_ADDRESS_HEADER,
 * which our server (scripts/serve.mjs) sets on every request after removing any copy the client sent.
 */
export const CLIENT_ADDRESS_HEADER = "x-moxi-client-address";

export type TrustedProxies = { kind: "none" } | { kind: "hops"; count: number } | { kind: "ranges"; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] };

/** `TRUSTED_PROXIES`: empty (trust none), a number of proxy hops in front of the app, or IPs/CIDRs of the proxies. */
export function parseTrustedProxies(value: string): { ok: true; trusted: TrustedProxies } | { ok: false } {
  const v = value.trim();
  if (!v || v === "0") return { ok: true, trusted: { kind: "none" } };
  if (/^\d+$/.test(v)) {
    const count = Number(v);
    return count <= 10 ? { ok: true, trusted: { kind: "hops", count } } : { ok: false };
  }
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!isPlainIp(entry.split("/")[0]!)) return { ok: false };
    try {
      if (entry.includes("/")) ranges.push(ipaddr.parseCIDR(entry));
      else {
        const ip = ipaddr.parse(entry);
        ranges.push([ip, ip.kind() === "ipv4" ? 32 : 128]);
      }
    } catch {
      return { ok: false };
    }
  }
  return ranges.length ? { ok: true, trusted: { kind: "ranges", ranges } } : { ok: false };
}

/** A plain dotted-quad IPv4 or an IPv6 address (ipaddr.js alone would also take "1.2.3" or "0x7f.1"). */
function isPlainIp(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(":") && ipaddr.IPv6.isValid(text));
}

function normalise(address: string): string | undefined {
  const raw = address.trim().replace(/^\[|\]$/g, "");
  if (!isPlainIp(raw)) return undefined;
  const ip = ipaddr.parse(raw);
  return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address().toString() : ip.toString();
}

function inRanges(address: string, ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]): boolean {
  const ip = ipaddr.parse(address);
  return ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match([range, bits] as never));
}

/**
 * The client's address: the socket's, or — through trusted proxies only — the address the nearest untrusted hop
 * reported, walking X-Forwarded-For from the right (as Express's `trust proxy` does). Without our server's header
 * (e.g. `next dev`) every client is "unknown", which still counts.
 */
export function clientAddress(headers: Headers, trusted: TrustedProxies): string {
  const socket = normalise(headers.get(CLIENT_ADDRESS_HEADER) ?? "");
  if (!socket) return "unknown";
  if (trusted.kind === "none") return socket;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalise(s))
    .reverse();
  // A malformed hop ends the chain: nothing beyond it can be believed.
  const cut = forwarded.indexOf(undefined);
  const chain = [socket, ...(cut === -1 ? forwarded : forwarded.slice(0, cut))] as string[];
  if (trusted.kind === "hops") return chain[Math.min(trusted.count, chain.length - 1)]!;
  let i = 0;
  while (i < chain.length - 1 && inRanges(chain[i]!, trusted.ranges)) i++;
  return chain[i]!;
}
