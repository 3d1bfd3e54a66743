import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";
import { checkUrl, isAllowedHost, isPublicAddress, parseHostEntry, vetTarget, type Resolver } from "./address-guard";
import { ProbeError } from "./failures";
import { runProbe } from "./probe";

const noAllow = { allowedHosts: [] };
const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

async function refusal(promise: Promise<unknown>): Promise<ProbeError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProbeError);
  return e as ProbeError;
}

describe("which addresses are public", () => {
  it.each([
    ["8.8.8.8", true],
    ["40.99.10.1", true],
    ["2603:1036::1", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.9.9", false],
    ["192.168.0.10", false],
    ["100.64.0.1", false],
    ["169.254.169.254", false],
    ["0.0.0.0", false],
    ["0.1.2.3", false],
    ["224.0.0.251", false],
    ["255.255.255.255", false],
    ["::1", false],
    ["::", false],
    ["fe80::1", false],
    ["fc00::1", false],
    ["fd00:ec2::254", false],
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:169.254.169.254", false],
    ["not-an-ip", false],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

/**
 * The review's SSRF address list: every IPv6 form that embeds or tunnels an IPv4 address, and the IPv6 blocks
 * outside global unicast. Public means plainly public: anything not global unicast is refused, and only NAT64
 * (64:ff9b::/96, which an IPv6-only host with DNS64 really uses) may carry a public IPv4 address through.
 */
describe("IPv6 forms that carry an IPv4 address, and blocks outside global unicast", () => {
  it.each([
    // IPv4-compatible (::/96, deprecated): refused whatever it embeds
    ["::127.0.0.1", false],
    ["::7f00:1", false],
    ["::169.254.169.254", false],
    ["::a9fe:a9fe", false],
    ["::10.0.0.1", false],
    ["::8.8.8.8", false],
    // IPv4-mapped: judged as the IPv4 address it is
    ["::ffff:8.8.8.8", true],
    ["::ffff:10.0.0.1", false],
    ["::ffff:7f00:1", false],
    // NAT64 (RFC 6052 well-known prefix): public only when the embedded address is
    ["64:ff9b::8.8.8.8", true],
    ["64:ff9b::127.0.0.1", false],
    ["64:ff9b::a9fe:a9fe", false],
    ["64:ff9b::192.168.1.1", false],
    ["64:ff9b:1::808:808", false], // local-use NAT64 (RFC 8215)
    // SIIT / 6to4 / Teredo tunnels: refused
    ["::ffff:0:8.8.8.8", false],
    ["2002:7f00:1::1", false],
    ["2002:a9fe:a9fe::1", false],
    ["2002:808:808::1", false],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", false],
    // outside 2000::/3 or special inside it
    ["100::1", false],
    ["2001:db8::1", false],
    ["3fff::1", false],
    ["5f00::1", false],
    ["4000::1", false],
    ["fec0::1", false],
    ["2a00:1450:4001:80b::200e", true],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it("refuses [::127.0.0.1] and [::169.254.169.254] as URLs, before connecting", async () => {
    for (const raw of ["https://[::127.0.0.1]/EWS/Exchange.asmx", "https://[::169.254.169.254]/latest/meta-data/", "https://[64:ff9b::7f00:1]/", "https://[2002:7f00:1::1]/"]) {
      const e = await refusal(vetTarget(checkUrl(raw, noAllow), noAllow));
      expect(e.code).toBe("address_not_public");
    }
  });
});

describe("the allow-list", () => {
  it("parses host, host:port and IPv6 forms", () => {
    expect(parseHostEntry("Mail.Contoso.com")).toEqual({ host: "mail.contoso.com" });
    expect(parseHostEntry("127.0.0.1:8443")).toEqual({ host: "127.0.0.1", port: 8443 });
    expect(parseHostEntry("[::1]:8443")).toEqual({ host: "::1", port: 8443 });
    expect(parseHostEntry("::1")).toEqual({ host: "::1" });
    expect(parseHostEntry("bad host")).toBeUndefined();
  });
  it("matches the host, and the port when one is given", () => {
    expect(isAllowedHost(new URL("https://127.0.0.1:8443/x"), ["127.0.0.1:8443"])).toBe(true);
    expect(isAllowedHost(new URL("https://127.0.0.1:9443/x"), ["127.0.0.1:8443"])).toBe(false);
    expect(isAllowedHost(new URL("https://127.0.0.1:9443/x"), ["127.0.0.1"])).toBe(true);
    expect(isAllowedHost(new URL("https://[::1]:8443/x"), ["[::1]:8443"])).toBe(true);
    expect(isAllowedHost(new URL("https://localhost/x"), ["127.0.0.1"])).toBe(false);
  });
});

describe("URL form", () => {
  it("refuses plain http, odd ports and user info unless the host is allowed", () => {
    expect(() => checkUrl("http://mail.contoso.com/EWS/Exchange.asmx", noAllow)).toThrow(/does not use https/);
    expect(() => checkUrl("https://mail.contoso.com:8443/EWS/Exchange.asmx", noAllow)).toThrow(/uses port 8443/);
    expect(() => checkUrl("https://u:p@mail.contoso.com/EWS/Exchange.asmx", noAllow)).toThrow(/user name or password/);
    expect(() => checkUrl("file:///etc/passwd", noAllow)).toThrow(/does not use https/);
    expect(checkUrl("http://127.0.0.1:8080/EWS/Exchange.asmx", { allowedHosts: ["127.0.0.1:8080"] }).port).toBe("8080");
    expect(checkUrl("http://autodiscover.contoso.com/autodiscover/autodiscover.xml", noAllow, { allowPlainHttp: true }).protocol).toBe("http:");
  });
});

describe("resolved addresses", () => {
  it.each([
    ["https://127.0.0.1/", /loopback/],
    ["https://10.0.0.5/", /private \(RFC 1918\)/],
    ["https://169.254.169.254/", /link-local.*metadata/],
    ["https://100.64.1.1/", /carrier-grade NAT/],
    ["https://0.0.0.0/", /unspecified/],
    ["https://[::1]/", /loopback/],
    ["https://[fe80::1]/", /link-local/],
    ["https://[fd00::1]/", /unique-local/],
    ["https://[::ffff:169.254.169.254]/", /link-local/],
  ])("refuses %s", async (url, reason) => {
    const e = await refusal(vetTarget(new URL(url), noAllow));
    expect(e.code).toBe("address_not_public");
    expect(e.message).toMatch(reason);
    expect(e.message).toMatch(/unless this server allows that host for testing/);
  });

  it("refuses localhost through the system resolver", async () => {
    const e = await refusal(vetTarget(new URL("https://localhost/EWS/Exchange.asmx"), noAllow));
    expect(e.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
  });

  it("refuses a public-looking name that resolves to the metadata address", async () => {
    const e = await refusal(vetTarget(new URL("https://mail.evil.example/"), { allowedHosts: [], resolve: resolveTo("169.254.169.254") }));
    expect(e.message).toBe(
      "Refused to connect to mail.evil.example (mail.evil.example resolves to 169.254.169.254): it is a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services live). Only public addresses are allowed unless this server allows that host for testing.",
    );
  });

  it("refuses a name when any one of its addresses is private", async () => {
    const e = await refusal(vetTarget(new URL("https://mail.mixed.example/"), { allowedHosts: [], resolve: resolveTo("40.99.10.1", "192.168.1.1") }));
    expect(e.message).toMatch(/192\.168\.1\.1/);
  });

  it("accepts public addresses, and private ones for allowed hosts", async () => {
    await expect(vetTarget(new URL("https://outlook.example/"), { allowedHosts: [], resolve: resolveTo("40.99.10.1") })).resolves.toMatchObject({ address: "40.99.10.1" });
    await expect(vetTarget(new URL("https://127.0.0.1:8443/"), { allowedHosts: ["127.0.0.1:8443"] })).resolves.toMatchObject({ address: "127.0.0.1", allowed: true });
  });

  it("reports names that do not resolve", async () => {
    const e = await refusal(vetTarget(new URL("https://no-such-host.invalid/"), noAllow));
    expect(e.code).toBe("dns_failed");
  });
});

describe("the probe behind the guard", () => {
  let sim: ExchangeSim;
  beforeAll(async () => {
    sim = await startExchangeSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  const input = (ewsUrl: string) => ({ serviceAccount: "svc@contoso.test", password: "Sim-Passw0rd!", testMailbox: mailboxFor("healthy"), ewsUrl });

  it("refuses an EWS host that resolves to loopback, without sending anything", async () => {
    const r = await runProbe(input("https://ews.contoso.example/EWS/Exchange.asmx"), { allowedHosts: [], resolve: resolveTo("127.0.0.1"), deadlineMs: 2000 });
    expect(r.failedStage).toBe("connect");
    expect(r.failure?.message).toMatch(/ews\.contoso\.example resolves to 127\.0\.0\.1\): it is a loopback address/);
    expect(r.roundTrips).toBe(0);
  });

  it("refuses the simulator itself when it is not allowed", async () => {
    const r = await runProbe(input(sim.ewsUrl), { allowedHosts: [], extraCaPem: sim.caPem, deadlineMs: 2000 });
    expect(r.failedStage).toBe("input");
    expect(r.failure?.message).toMatch(/uses port \d+/);
  });

  it("refuses an Autodiscover redirect toward the metadata service", async () => {
    const r = await runProbe(
      { serviceAccount: "svc@contoso.test", password: sim.password, testMailbox: mailboxFor("redirect-to-metadata") },
      { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 2000 },
    );
    expect(r.failedStage).toBe("autodiscover");
    expect(r.failure?.message).toMatch(/Refused to connect to 169\.254\.169\.254/);
  });

  it("connects to the vetted address, not to whatever DNS says later", async () => {
    // sim.example does not exist in DNS: the only way to reach the simulator is the address our resolver vetted.
    const port = new URL(sim.httpUrl).port;
    const r = await runProbe(input(`http://sim.example:${port}/EWS/Exchange.asmx`), {
      allowedHosts: [`sim.example:${port}`],
      resolve: resolveTo("127.0.0.1"),
      deadlineMs: 3000,
    });
    expect(r.outcome).toBe("passed");
    expect(r.steps.find((s) => s.id === "connect")?.details.join(" ")).toMatch(/Plain http: allowed only because this server allows that host for testing/);
  });
});
