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

describe("EWS over raw SOAP, as any client writes it", () => {
  const auth = `Basic ${Buffer.from(`svc@contoso.test:${SIM_PASSWORD}`).toString("base64")}`;
  const envelope = (body: string, mailbox = mailboxFor("healthy", "raw")) =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2016"/><t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>${mailbox}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
  function post(body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request(sim.ewsUrl, { method: "POST", agent, headers: { authorization: auth, "content-type": "text/xml; charset=utf-8" } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("GetFolder of msgfolderroot with a Mailbox (exchangelib's first request) answers the folder", async () => {
    const r = await post(envelope(`<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"><t:Mailbox><t:EmailAddress>raw@healthy.sim.test</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId><t:DistinguishedFolderId Id="publicfoldersroot"/><t:DistinguishedFolderId Id="nonsense"/></m:FolderIds></m:GetFolder>`));
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/ResponseClass="Success"><m:ResponseCode>NoError<\/m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="AAMk[^"]+"[^>]*\/><t:ParentFolderId[^>]*\/><t:FolderClass>IPF.Note<\/t:FolderClass><t:DisplayName>Top of Information Store<\/t:DisplayName>/);
    expect(r.text).toContain("<m:ResponseCode>ErrorFolderNotFound</m:ResponseCode>");
    expect(r.text).toContain("<m:ResponseCode>ErrorInvalidIdMalformed</m:ResponseCode>");
  });

  it("FindItem pages with IndexedPageItemView the way Exchange reports it", async () => {
    const page = (offset: number) =>
      post(envelope(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="1" Offset="${offset}" BasePoint="Beginning"/><m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds></m:FindItem>`));
    expect((await page(0)).text).toMatch(/<m:RootFolder IndexedPagingOffset="1" TotalItemsInView="2" IncludesLastItemInRange="false"><t:Items><t:Contact><t:ItemId Id="AAMk[^"]+" ChangeKey="[^"]+"\/><\/t:Contact><\/t:Items>/);
    expect((await page(1)).text).toMatch(/IndexedPagingOffset="2" TotalItemsInView="2" IncludesLastItemInRange="true"/);
  });

  it("a message sent with SendAndSaveCopy returns no id and is in Sent Items", async () => {
    const sent = await post(envelope(`<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:SavedItemFolderId><t:DistinguishedFolderId Id="sentitems"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>Raw &amp; ready</t:Subject><t:Body BodyType="Text">hi</t:Body><t:ToRecipients><t:Mailbox><t:EmailAddress>raw@healthy.sim.test</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>`));
    expect(sent.text).toContain(`<m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items/>`);
    const found = await post(envelope(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="item:Subject"/><t:FieldURIOrConstant><t:Constant Value="Raw &amp; ready"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id="sentitems"/></m:ParentFolderIds></m:FindItem>`));
    expect(found.text).toMatch(/TotalItemsInView="1"[\s\S]*<t:Subject>Raw &amp; ready<\/t:Subject>/);
  });

  it.each([
    ["not XML", "hello", 500, /ErrorSchemaValidation/],
    ["cut off", envelope("<m:GetFolder>").slice(0, -20), 500, /ErrorSchemaValidation/],
    ["nested 10,000 deep", envelope("<a>".repeat(10_000) + "</a>".repeat(10_000)), 500, /ErrorSchemaValidation/],
    ["an operation it does not implement", envelope("<m:SyncFolderItems/>"), 500, /ErrorInvalidRequest/],
    ["a foreign item id", envelope(`<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="AS4AUn=="/></m:ItemIds></m:DeleteItem>`), 200, /ErrorInvalidIdMalformed/],
    ["an unknown name", envelope(`<m:ResolveNames ReturnFullContactData="true"><m:UnresolvedEntry>&lt;script&gt;</m:UnresolvedEntry></m:ResolveNames>`), 200, /ErrorNameResolutionNoResults/],
  ])("a request that is %s gets Exchange's kind of answer, and the simulator keeps serving", async (_name, body, status, expected) => {
    const r = await post(body);
    expect(r.status).toBe(status);
    expect(r.text).toMatch(expected);
    expect((await post(envelope(`<m:ResolveNames><m:UnresolvedEntry>raw</m:UnresolvedEntry></m:ResolveNames>`))).text).toContain("<t:EmailAddress>raw@healthy.sim.test</t:EmailAddress>");
  });
});
