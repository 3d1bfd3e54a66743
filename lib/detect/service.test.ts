import { afterAll, beforeAll, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { startSimDns, type SimDns } from "@/tools/exchange-sim/dns";
import { DETECT_DOMAIN, DISCOVERY_REACHABLE_HOSTS, tenantIdFor } from "@/tools/exchange-sim/discovery";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createOnboarding, listOnboardings } from "@/lib/onboarding/store";
import { loadDashboard } from "@/lib/staff/dashboard";
import { parseDashboardParams } from "@/lib/staff/params";
import { loadOnboardingDetail } from "@/lib/staff/onboarding-detail";
import { detectAddress, mailHostOfOnboarding } from "./service";
import { getMailHost } from "./store";

/**
 * The detector as the app runs it: settings from the environment (DNS_SERVERS, the Microsoft hosts, the allowed
 * hosts and CA), a real DNS server and the simulator, the answer stored per onboarding, the rate limits and the
 * staff dashboard's filter — on both databases.
 */
let sim: ExchangeSim;
let dns: SimDns;

beforeAll(async () => {
  sim = await startExchangeSim();
  dns = await startSimDns({ httpsPort: Number(new URL(sim.httpsUrl).port) });
  const caFile = `${process.env.TMPDIR ?? "/tmp"}/detect-service-ca-${process.pid}.pem`;
  (await import("node:fs")).writeFileSync(caFile, sim.caPem);
  Object.assign(process.env, {
    DNS_SERVERS: dns.server,
    MICROSOFT_AUTHORITY_HOST: sim.m365.authorityHost,
    MICROSOFT_AUTODISCOVER_HOST: sim.httpsUrl,
    EXCHANGE_ALLOWED_HOSTS: [...sim.allowedHosts, ...DISCOVERY_REACHABLE_HOSTS].join(","),
    EXCHANGE_EXTRA_CA_FILE: caFile,
  });
});
afterAll(async () => {
  await Promise.all([sim.close(), dns.close()]);
});

const staff = { kind: "staff" as const, id: "s1", label: "Sam Staff" };
const at = (label: string, local = "pat") => `${local}@${label}.${DETECT_DOMAIN}`;
let clientNo = 0;
const caller = () => ({ client: `client-${++clientNo}-${Math.random()}`, linkSessionId: `link-${clientNo}-${Math.random()}` });

describeEachDatabase("mail host detection in the app", (handle) => {
  it("detects the contact's Microsoft 365 domain once, stores it, and answers from the store afterwards", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Cloud Realty", contactName: "Pat", contactEmail: at("m365") }, staff);
    const first = await mailHostOfOnboarding(db, o, caller());
    expect(first).toMatchObject({ host: "microsoft-365", track: "microsoft-365", confidence: "high", tenantId: tenantIdFor(`m365.${DETECT_DOMAIN}`) });
    expect(first!.evidence.length).toBeGreaterThan(2);
    expect(await getMailHost(db, o.id)).toEqual(first);
    const queries = dns.queries.length;
    expect(await mailHostOfOnboarding(db, o, caller())).toEqual(first);
    expect(dns.queries.length).toBe(queries);
    const detail = await loadOnboardingDetail(db, o.id);
    expect(detail?.mailHost?.host).toBe("microsoft-365");
  });

  it("an Exchange Server domain gives the EWS URL its Autodiscover found", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Own Server Realty", contactName: "Pat", contactEmail: at("exchange") }, staff);
    const view = await mailHostOfOnboarding(db, o, caller());
    expect(view).toMatchObject({ host: "exchange-server", track: "exchange-server", tenantId: null });
    expect(view!.ewsUrl).toMatch(/^https:\/\/.+\/EWS\/Exchange\.asmx$/i);
  });

  it("a domain that does not exist is stored as 'could not tell', and looked up again only after the hour", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Nowhere Realty", contactName: "Pat", contactEmail: at("missing") }, staff);
    const view = await mailHostOfOnboarding(db, o, caller());
    expect(view).toMatchObject({ host: "unknown", track: null, confidence: "none" });
    const queries = dns.queries.length;
    expect(await mailHostOfOnboarding(db, o, caller())).toEqual(view);
    expect(dns.queries.length).toBe(queries);
    const later = new Date(Date.parse(view!.detectedAt) + 61 * 60 * 1000);
    const again = await mailHostOfOnboarding(db, o, caller(), later);
    expect(again?.host).toBe("unknown");
    expect(Date.parse(again!.detectedAt)).toBeGreaterThan(Date.parse(view!.detectedAt));
  });

  it("the dashboard filters by detected host and shows each row's host", async () => {
    const { db } = handle();
    const cloud = await listOnboardings(db, { host: "microsoft-365" });
    expect(cloud.items.map((o) => o.brokerageName)).toEqual(["Cloud Realty"]);
    expect((await listOnboardings(db, { host: "exchange-server" })).items.map((o) => o.brokerageName)).toEqual(["Own Server Realty"]);
    expect((await listOnboardings(db, { host: "google-workspace" })).total).toBe(0);
    const dashboard = await loadDashboard(db, parseDashboardParams({ host: "unknown" }));
    expect(dashboard.list.items.map((o) => o.brokerageName)).toEqual(["Nowhere Realty"]);
    expect(Object.values(dashboard.mailHosts)).toEqual(["unknown"]);
    // An unreadable filter value means no filter, not an error.
    expect(parseDashboardParams({ host: "<script>" }).host).toBeUndefined();
    expect((await loadDashboard(db, parseDashboardParams({ host: ["bogus", "x"] }))).list.total).toBe(3);
  });

  it("refuses input that is not an address or a public domain, with a specific message", async () => {
    const { db } = handle();
    const cases: [string, RegExp][] = [
      ["", /Enter an email address or a domain/],
      ["not an address@", /does not name a public domain|not an email address/],
      ["a@127.0.0.1", /public domain/],
      ["pat@localhost", /public domain/],
      [`${"x".repeat(300)}@example.com`, /too long/],
      ["a b@example.com", /not an email address/],
    ];
    for (const [input, message] of cases) {
      const r = await detectAddress(db, input, caller());
      expect(r, input).toMatchObject({ ok: false, code: "invalid_address" });
      expect((r as { message: string }).message, input).toMatch(message);
    }
  });

  it("fresh lookups are limited per link session and per client; cached answers are not counted", async () => {
    const { db } = handle();
    const session = { client: `c-${Math.random()}`, linkSessionId: `l-${Math.random()}` };
    const results = [];
    const run = Math.random().toString(36).slice(2, 8); // the detector's cache is per process: new addresses per database
    for (let i = 0; i < 22; i++) results.push(await detectAddress(db, at("nomx", `agent${i}-${run}`), { ...session, client: `${session.client}-${i}` }));
    expect(results.slice(0, 20).every((r) => r.ok)).toBe(true);
    expect(results.slice(20)).toEqual([{ ok: false, code: "rate_limited" }, { ok: false, code: "rate_limited" }]);
    // The same address again is an answer from the cache: it still works.
    expect((await detectAddress(db, at("nomx", `agent0-${run}`), session)).ok).toBe(true);
    const client = { client: `c2-${Math.random()}` };
    const byClient = [];
    for (let i = 0; i < 31; i++) byClient.push(await detectAddress(db, at("google", `u${i}-${Math.random()}`), client));
    expect(byClient.filter((r) => !r.ok)).toEqual([{ ok: false, code: "rate_limited" }]);
  });
});
