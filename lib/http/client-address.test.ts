import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustedProxies, type TrustedProxies } from "./client-address";

const trust = (v: string): TrustedProxies => {
  const r = parseTrustedProxies(v);
  if (!r.ok) throw new Error(`bad ${v}`);
  return r.trusted;
};
const req = (socket: string | null, xff?: string) => {
  const h = new Headers();
  if (socket !== null) h.set(CLIENT_ADDRESS_HEADER, socket);
  if (xff !== undefined) h.set("x-forwarded-for", xff);
  return h;
};

describe("the client's address for rate limits", () => {
  it("trusting no proxy (the default), X-Forwarded-For is ignored: a new value per request is the same client", () => {
    const seen = new Set(Array.from({ length: 40 }, (_, i) => clientAddress(req("203.0.113.7", `198.51.100.${i}`), trust(""))));
    expect([...seen]).toEqual(["203.0.113.7"]);
    expect(clientAddress(req("::ffff:203.0.113.7"), trust(""))).toBe("203.0.113.7");
    expect(clientAddress(req("2001:db8::1"), trust(""))).toBe("2001:db8::1");
  });

  it("without the server's socket header every request is 'unknown', never a value the client chose", () => {
    expect(clientAddress(req(null, "198.51.100.9"), trust(""))).toBe("unknown");
    expect(clientAddress(req("not an ip", "198.51.100.9"), trust("1"))).toBe("unknown");
  });

  it("one trusted hop: the address the proxy saw (the rightmost entry), not what the client wrote before it", () => {
    expect(clientAddress(req("10.0.0.2", "198.51.100.9"), trust("1"))).toBe("198.51.100.9");
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 198.51.100.9"), trust("1"))).toBe("198.51.100.9");
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.0.0.3"), trust("2"))).toBe("198.51.100.9");
    // Fewer hops than configured: the furthest address known.
    expect(clientAddress(req("10.0.0.2"), trust("1"))).toBe("10.0.0.2");
  });

  it("trusted ranges: walk left past the proxies to the first address that is not one", () => {
    const t = trust("10.0.0.0/8, 192.0.2.1, fd00::/8");
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 198.51.100.9, 192.0.2.1"), t)).toBe("198.51.100.9");
    expect(clientAddress(req("203.0.113.7", "198.51.100.9"), t)).toBe("203.0.113.7"); // not from a proxy: XFF ignored
    expect(clientAddress(req("fd00::5", "2001:db8::9"), t)).toBe("2001:db8::9");
    // A malformed hop ends what can be believed.
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, <script>, 10.1.1.1"), t)).toBe("10.1.1.1");
  });

  it("TRUSTED_PROXIES is a hop count or a list of IPs/CIDRs", () => {
    expect(parseTrustedProxies("")).toEqual({ ok: true, trusted: { kind: "none" } });
    expect(parseTrustedProxies("0")).toEqual({ ok: true, trusted: { kind: "none" } });
    expect(parseTrustedProxies("2")).toEqual({ ok: true, trusted: { kind: "hops", count: 2 } });
    for (const bad of ["11", "-1", "10.0.0.0/33", "proxy.example", "1.2.3", "10.0.0.0/8,,x"]) expect(parseTrustedProxies(bad), bad).toEqual({ ok: false });
  });
});
