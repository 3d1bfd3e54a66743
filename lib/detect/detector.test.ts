import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { startSimDns, type SimDns } from "@/tools/exchange-sim/dns";
import { DETECT_DOMAIN, DISCOVERY_REACHABLE_HOSTS, tenantIdFor } from "@/tools/exchange-sim/discovery";
import { parseSubject } from "./address";
import { DetectionCache, detectMailHost, type DetectorOptions } from "./detector";

/**
 * Integration: the real detector — Node's c-ares resolver against a real DNS server (dns2) and the guarded
 * HTTP client against the simulator's OpenID, user-realm and Autodiscover endpoints over real TLS.
 */
let sim: ExchangeSim;
let dns: SimDns;
let silent: dgram.Socket;
let silentServer: string;
const DEADLINE = 2500;

beforeAll(async () => {
  sim = await startExchangeSim();
  const httpsPort = Number(new URL(sim.httpsUrl).port);
  dns = await startSimDns({ httpsPort });
  // A resolver that never answers anything.
  silent = dgram.createSocket("udp4");
  await new Promise<void>((r) => silent.bind(0, "127.0.0.1", () => r()));
  silentServer = `127.0.0.1:${silent.address().port}`;
});
afterAll(async () => {
  await Promise.all([sim.close(), dns.close(), new Promise<void>((r) => silent.close(() => r()))]);
});

function options(extra: Partial<DetectorOptions> = {}): DetectorOptions {
  return {
    dnsServers: [dns.server],
    authorityUrl: sim.m365.authorityHost,
    autodiscoverUrl: sim.httpsUrl,
    allowedHosts: [...sim.allowedHosts, ...DISCOVERY_REACHABLE_HOSTS],
    extraCaPem: sim.caPem,
    deadlineMs: DEADLINE,
    ...extra,
  };
}

async function detect(address: string, extra: Partial<DetectorOptions> = {}) {
  const parsed = parseSubject(address);
  if (!parsed.ok) throw new Error(parsed.problem);
  return detectMailHost(parsed.subject, options(extra));
}

const at = (label: string, local = "agent") => `${local}@${label}.${DETECT_DOMAIN}`;
const sentences = (r: { evidence: { sentence: string }[] }) => r.evidence.map((e) => e.sentence).join("\n");

describe("detector against a real DNS server and the simulator", () => {
  it("direct Microsoft 365: tenant, EOP MX and an Exchange Online mailbox", async () => {
    const r = await detect(at("m365"));
    expect(r).toMatchObject({ host: "microsoft-365", track: "microsoft-365", confidence: "high", tenantId: tenantIdFor(`m365.${DETECT_DOMAIN}`), ewsUrl: null });
    expect(sentences(r)).toMatch(/Exchange Online Protection/);
    expect(sentences(r)).toMatch(/places the mailbox .* in Exchange Online/);
    expect(sentences(r)).toMatch(/domain-verification record/);
    expect(sentences(r)).toMatch(/alias \(CNAME\) of autodiscover\.outlook\.com/);
    expect(r.elapsedMs).toBeLessThan(DEADLINE);
  });

  it.each(["mimecast", "proofpoint"])("Microsoft 365 behind %s: the MX hides it, Autodiscover v2 finds it", async (label) => {
    const r = await detect(at(label));
    expect(r).toMatchObject({ host: "microsoft-365", track: "microsoft-365", confidence: "high" });
    expect(r.tenantId).toBe(tenantIdFor(`${label}.${DETECT_DOMAIN}`));
    expect(sentences(r)).toMatch(/mail-filtering service/);
  });

  it("GoDaddy-federated tenant: the reseller track", async () => {
    const r = await detect(at("godaddy"));
    expect(r).toMatchObject({ host: "microsoft-365-reseller", track: "microsoft-365-reseller", confidence: "high" });
    expect(sentences(r)).toMatch(/federated to GoDaddy \(sso\.godaddy\.com\)/);
  });

  it("hybrid, a cloud mailbox: Microsoft 365, with the Exchange Server track for on-premises mailboxes", async () => {
    const r = await detect(at("hybrid", "agent"));
    expect(r).toMatchObject({ host: "hybrid-cloud-mailbox", track: "microsoft-365", alsoTracks: ["exchange-server"], confidence: "high", ewsUrl: null });
  });

  it("hybrid, an on-premises mailbox: the EWS URL of the Exchange server, and the domain in Microsoft 365", async () => {
    const r = await detect(at("hybrid", "onprem.agent"));
    expect(r).toMatchObject({ host: "hybrid-on-premises-mailbox", track: "exchange-server", alsoTracks: ["microsoft-365"], confidence: "high", ewsUrl: sim.ewsUrl });
    expect(r.tenantId).toBe(tenantIdFor(`hybrid.${DETECT_DOMAIN}`));
    expect(sentences(r)).toMatch(/sends .* to an on-premises Exchange server/);
  });

  it("Exchange Server: no tenant, the SRV record leads to its own Autodiscover and the EWS URL", async () => {
    const r = await detect(at("exchange"));
    expect(r).toMatchObject({ host: "exchange-server", track: "exchange-server", confidence: "high", tenantId: null, ewsUrl: sim.ewsUrl });
    expect(sentences(r)).toMatch(/no Microsoft 365 tenant/);
    expect(sentences(r)).toMatch(/SRV mail\.exchange\.detect\.sim\.test/);
  });

  it("hosted Exchange: MX and Autodiscover at a hosted-Exchange provider", async () => {
    const r = await detect(at("hosted"));
    expect(r).toMatchObject({ host: "hosted-exchange", track: "hosted-exchange", confidence: "high", ewsUrl: sim.ewsUrl });
    expect(sentences(r)).toMatch(/emailsrvr\.com/);
  });

  it("Google Workspace: not Exchange, no track", async () => {
    const r = await detect(at("google"));
    expect(r).toMatchObject({ host: "google-workspace", track: null, confidence: "high", tenantId: null });
  });

  it("no MX records: we could not tell", async () => {
    const r = await detect(at("nomx"));
    expect(r).toMatchObject({ host: "unknown", track: null, confidence: "none" });
    expect(sentences(r)).toMatch(/has no MX records/);
    expect(r.summary).toMatch(/We could not tell/);
  });

  it("a domain that does not exist: we could not tell, and say why", async () => {
    const r = await detect(at("missing"));
    expect(r).toMatchObject({ host: "unknown", track: null, confidence: "none" });
    expect(r.summary).toMatch(/does not exist/);
  });

  it("a domain nobody registered has no tenant and no track", async () => {
    const r = await detect(at("nowhere-at-all"));
    expect(r).toMatchObject({ host: "unknown", track: null, tenantId: null, confidence: "none" });
  });

  it("a bare domain is asked about as postmaster@", async () => {
    const r = await detect(`m365.${DETECT_DOMAIN}`);
    expect(r.host).toBe("microsoft-365");
    expect(sentences(r)).toMatch(/postmaster@m365/);
  });

  it("a resolver that never answers: ends within the deadline and could not tell", async () => {
    const r = await detect(at("exchange"), { dnsServers: [silentServer] });
    expect(r).toMatchObject({ host: "unknown", track: null, confidence: "none" });
    expect(sentences(r)).toMatch(/MX lookup .* did not answer in time/);
    expect(r.elapsedMs).toBeLessThan(DEADLINE + 300);
  });

  it("a domain the DNS server stays silent for: ends within the deadline", async () => {
    const r = await detect(at("silent-dns"));
    expect(r.host).toBe("unknown");
    expect(r.elapsedMs).toBeLessThan(DEADLINE + 300);
  });

  it("Microsoft's endpoints hang: ends within the deadline and could not tell", async () => {
    const r = await detect(at("hung-endpoints"));
    expect(r).toMatchObject({ host: "unknown", confidence: "none" });
    expect(sentences(r)).toMatch(/user-realm lookup did not answer in time/);
    expect(r.elapsedMs).toBeLessThan(DEADLINE + 300);
  });

  it("hostile answers (huge TXT, private and loopback autodiscover, CNAME loop): could not tell, nothing private contacted", async () => {
    const before = sim.requests.length;
    const r = await detect(at("hostile"));
    expect(r).toMatchObject({ host: "unknown", track: null, confidence: "none", ewsUrl: null });
    expect(sentences(r)).toMatch(/We did not contact (autodiscover|internal)\.hostile\.detect\.sim\.test: .*(private|loopback)/);
    expect(r.elapsedMs).toBeLessThan(DEADLINE + 300);
    // internal.hostile resolves to 127.0.0.1 on the simulator's port: had the guard let it through, the simulator would have seen it.
    expect(sim.requests.slice(before).filter((q) => /autodiscover\.json/i.test(q.path) && q.server === "https").length).toBe(1); // only Microsoft's Autodiscover v2
    expect(dns.queries).toContain(`hostile.${DETECT_DOMAIN} TXT`);
  });

  it("answers from the cache for an hour, without asking again", async () => {
    let now = 1_000_000;
    const cache = new DetectionCache(60 * 60 * 1000, () => now);
    const first = await detect(at("exchange"), { cache });
    const queries = dns.queries.length;
    const second = await detect(at("exchange"), { cache });
    expect(second.cached).toBe(true);
    expect(second.host).toBe(first.host);
    expect(dns.queries.length).toBe(queries);
    now += 61 * 60 * 1000;
    const third = await detect(at("exchange"), { cache });
    expect(third.cached).toBe(false);
    expect(dns.queries.length).toBeGreaterThan(queries);
  });

  it("does not cache a timeout", async () => {
    const cache = new DetectionCache();
    await detect(at("exchange"), { cache, dnsServers: [silentServer], deadlineMs: 600 });
    const r = await detect(at("exchange"), { cache });
    expect(r.cached).toBe(false);
    expect(r.host).toBe("exchange-server");
  });
});
