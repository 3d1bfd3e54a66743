import http from "node:http";
import https from "node:https";
import {
  AutodiscoverService,
  ExchangeService,
  ExchangeVersion,
  Folder,
  Uri,
  UserSettingName,
  WebCredentials,
  WellKnownFolderName,
  XhrApi,
} from "ews-javascript-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxFor, SCENARIO_NAMES, scenarioForAddress, SIM_PASSWORD } from "./scenarios";
import { startExchangeSim, type ExchangeSim } from "./server";

let sim: ExchangeSim;
let agent: https.Agent;

beforeAll(async () => {
  sim = await startExchangeSim();
  agent = new https.Agent({ ca: sim.caPem });
});
afterAll(async () => {
  agent.destroy();
  await sim.close();
});

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    };
    (url.startsWith("https:") ? https.get(url, { agent }, onResponse) : http.get(url, onResponse)).on("error", reject);
  });
}

describe("scenario naming", () => {
  it("reads the scenario from the mailbox domain or the local part", () => {
    expect(scenarioForAddress("alice@expired-password.sim.test")).toBe("expired-password");
    expect(scenarioForAddress("expired-password@contoso.com")).toBe("expired-password");
    expect(scenarioForAddress("hung+2@contoso.com")).toBe("hung");
    expect(scenarioForAddress("alice@contoso.com")).toBeUndefined();
    expect(scenarioForAddress("alice@nonsense.sim.test")).toBeUndefined();
    for (const s of SCENARIO_NAMES) expect(scenarioForAddress(mailboxFor(s))).toBe(s);
  });
});

describe("the unauthenticated Autodiscover GET", () => {
  it("over https answers 401 advertising SOAP, as ews-javascript-api requires before it POSTs", async () => {
    const r = await get(`${sim.httpsUrl}/Autodiscover/Autodiscover.xml`);
    expect(r.status).toBe(401);
    expect(r.headers["x-soap-enabled"]).toBe("True");
    expect(r.headers["x-wssecurity-enabled"]).toBe("True");
    expect(String(r.headers["www-authenticate"])).toMatch(/Basic realm/);
  });
  it("over plain http redirects to https", async () => {
    const r = await get(`${sim.httpUrl}/autodiscover/autodiscover.xml`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`${sim.httpsUrl}/autodiscover/autodiscover.xml`);
  });
});

describe("the real ews-javascript-api against the simulator", () => {
  const xhr = () => new XhrApi({ httpsAgent: agent, timeout: 3000 } as never);

  it("AutodiscoverService.GetUserSettings returns the simulator's EWS URL", async () => {
    const ad = new AutodiscoverService(new Uri(sim.autodiscoverUrls[0]!), ExchangeVersion.Exchange2013_SP1);
    ad.Credentials = new WebCredentials("svc@contoso.test", SIM_PASSWORD);
    ad.XHRApi = xhr();
    const r = await ad.GetUserSettings(mailboxFor("healthy"), [UserSettingName.ExternalEwsUrl]);
    expect(r.Settings.get(UserSettingName.ExternalEwsUrl)).toBe(sim.ewsUrl);
  });

  it("Folder.Bind works on every folder MoxiEngage uses", async () => {
    const svc = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
    svc.Url = new Uri(sim.ewsUrl);
    svc.Credentials = new WebCredentials("svc@contoso.test", SIM_PASSWORD);
    svc.XHRApi = xhr();
    const names = [];
    for (const f of [WellKnownFolderName.Inbox, WellKnownFolderName.Contacts, WellKnownFolderName.Calendar, WellKnownFolderName.SentItems]) {
      names.push((await Folder.Bind(svc, f)).DisplayName);
    }
    expect(names).toEqual(["Inbox", "Contacts", "Calendar", "Sent Items"]);
  });
});

describe("runtime control", () => {
  it("rejects an unknown scenario on the admin endpoint", async () => {
    const res = await fetch(`${sim.httpUrl}/__sim/scenario?address=a@b.test&scenario=nope`, { method: "PUT" });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/one of healthy/);
  });

  it("lists scenarios and overrides", async () => {
    sim.setScenarioFor("Broker@Contoso.test", "throttled");
    const body = (await (await fetch(`${sim.httpUrl}/__sim/scenarios`)).json()) as { overrides: Record<string, string> };
    expect(body.overrides["broker@contoso.test"]).toBe("throttled");
    sim.setScenarioFor("broker@contoso.test", null);
  });

  it("adds the configured latency to each answer", async () => {
    sim.setLatency(120);
    const started = Date.now();
    await get(`${sim.httpsUrl}/autodiscover/autodiscover.xml`);
    sim.setLatency(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("counts requests and closes hung connections on close()", async () => {
    const other = await startExchangeSim();
    const hung = fetch(`${other.httpUrl}/EWS/Exchange.asmx`, { method: "POST", body: "<t:SmtpAddress>a@hung.sim.test</t:SmtpAddress>", headers: { authorization: `Basic ${Buffer.from(`svc@x.test:${SIM_PASSWORD}`).toString("base64")}` } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    expect(other.requests.at(-1)).toMatchObject({ scenario: "hung", status: null });
    const started = Date.now();
    await other.close();
    expect(await hung).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
