import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGetFolderRequest, checkFolders } from "@/lib/exchange/ews";
import { HttpClient } from "@/lib/exchange/http-client";
import { isWellFormedXml } from "@/lib/exchange/recording-xhr";
import { createScrubber } from "@/lib/exchange/secrets";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { SIM_PASSWORD, type ScenarioName } from "@/tools/exchange-sim/scenarios";
import { checkMailboxFolders, everyFolderOpened, getFolderTemplate, isBalancedXml } from "./ews-getfolder";

/** Integration: the roster's lighter GetFolder against the simulator, compared with the library's own path. */
let sim: ExchangeSim;
beforeAll(async () => {
  sim = await startExchangeSim();
});
afterAll(async () => {
  await sim.close();
});

const ACCOUNT = "svc-moxi@contoso.test";
const target = (testMailbox: string) => ({ ewsUrl: sim.ewsUrl, serviceAccount: ACCOUNT, password: SIM_PASSWORD, testMailbox });
const client = () =>
  new HttpClient({
    policy: { allowedHosts: sim.allowedHosts },
    extraCaPem: sim.caPem,
    perRequestTimeoutMs: 1500,
    maxBodyBytes: 1_000_000,
    signal: new AbortController().signal,
    scrubber: createScrubber(ACCOUNT, SIM_PASSWORD),
    credentials: { account: ACCOUNT, password: SIM_PASSWORD, scheme: "auto" },
  });

describe("the roster's GetFolder request", () => {
  it("is the library's own request for that mailbox, without the library's Basic header", async () => {
    const template = (await getFolderTemplate(target("x@contoso.test")))!;
    for (const address of ["agent7@contoso.test", "Ann.Lee+sales@Sub.Contoso.test", "o_k%1-2@contoso.test"]) {
      const library = await buildGetFolderRequest(target(address));
      const ours = template.requestFor(address)!;
      expect(ours.url).toBe(library.url);
      expect(ours.body).toBe(library.body);
      const { Authorization, ...headers } = library.headers;
      expect(Authorization).toMatch(/^Basic /);
      expect(ours.headers).toEqual(headers);
      expect(ours.headers?.["X-AnchorMailbox"]).toBe(address);
      expect(ours.authenticate).toBe(true);
      expect(JSON.stringify(ours)).not.toContain(SIM_PASSWORD);
    }
  });

  it("reads the simulator's healthy answer as every folder opened, without the library", async () => {
    const template = (await getFolderTemplate(target("x@contoso.test")))!;
    const c = client();
    try {
      const answer = await c.request(template.requestFor("agent1@contoso.test")!);
      expect(answer.status).toBe(200);
      expect(everyFolderOpened(answer)).toBe(true);
      const denied = await c.request(template.requestFor("calendar-denied@contoso.test")!);
      expect(denied.status).toBe(200);
      expect(everyFolderOpened(denied)).toBe(false);
    } finally {
      c.close();
    }
  });

  it("leaves addresses that need XML escaping to the library", async () => {
    const template = (await getFolderTemplate(target("x@contoso.test")))!;
    for (const address of ["o'brien@contoso.test", "a&b@contoso.test", "<x>@contoso.test", '"q"@contoso.test']) expect(template.requestFor(address)).toBeUndefined();
    const c = client();
    try {
      const r = await checkMailboxFolders(c, target("a&b@contoso.test"), template);
      expect(r.failure).toBeUndefined();
      expect(r.folders.every((f) => f.ok)).toBe(true);
      expect(c.roundTrips).toBe(1);
    } finally {
      c.close();
    }
  });
});

describe("reading the answer", () => {
  const scenarios: ScenarioName[] = ["healthy", "no-mailbox", "impersonation-denied", "throttled", "throttled-503", "calendar-denied", "ews-disabled", "malformed-xml", "wrong-password", "ntlm-only", "basic-only"];
  it("gives the library's result for every scenario, with one request per mailbox", async () => {
    const template = (await getFolderTemplate(target("x@contoso.test")))!;
    for (const scenario of scenarios) {
      const address = `${scenario}@contoso.test`;
      const a = client();
      const b = client();
      try {
        const before = sim.requests.length;
        const ours = await checkMailboxFolders(a, target(address), template);
        const ourRequests = sim.requests.length - before;
        const library = await checkFolders(b, target(address));
        expect({ scenario, failure: ours.failure, folders: ours.folders.map((f) => [f.folder, f.ok, f.failure]) }).toEqual({
          scenario,
          failure: library.failure,
          folders: library.folders.map((f) => [f.folder, f.ok, f.failure]),
        });
        expect(ourRequests, scenario).toBe(a.roundTrips);
        expect(a.roundTrips, scenario).toBe(b.roundTrips);
        expect(ours.exchanges.map((x) => x.status)).toEqual(library.exchanges.map((x) => x.status));
      } finally {
        a.close();
        b.close();
      }
    }
  });

  it("takes as plainly opened only a balanced answer with one Success/NoError message per folder", () => {
    const msg = (cls: string, code: string) => `<m:GetFolderResponseMessage ResponseClass="${cls}"><m:ResponseCode>${code}</m:ResponseCode><m:Folders><t:Folder><t:DisplayName>A &amp; B</t:DisplayName></t:Folder></m:Folders></m:GetFolderResponseMessage>`;
    const doc = (...m: string[]) => `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="s"><s:Body><m:GetFolderResponse xmlns:m="m" xmlns:t="t"><m:ResponseMessages>${m.join("")}</m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>`;
    const ok = msg("Success", "NoError");
    const answer = (body: string, status = 200) => ({ status, body });
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok)))).toBe(true);
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok), 500))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, ok)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok, ok)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, msg("Error", "ErrorAccessDenied"), ok)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, msg("Warning", "NoError"), ok)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, msg("Success", "ErrorItemNotFound"), ok)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok).slice(0, -20)))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok).replace("</s:Body>", "<s:Fault/></s:Body>")))).toBe(false);
    expect(everyFolderOpened(answer(doc(ok, ok, ok, ok).replace("A &amp; B", "A & B")))).toBe(false);
  });

  it("is stricter than xmldom: what it takes as balanced xmldom finds well-formed, and it refuses broken XML that xmldom lets through", () => {
    const balanced = [
      `<a/>`,
      `<?xml version="1.0"?>\n<a x="1" y='2'><b>t &lt; &#60; &#x3c;</b><!-- c --><![CDATA[<raw>]]></a>\n`,
      `<a:b xmlns:a="u"><a:c/></a:b>`,
      `<a>` + "<b>".repeat(50) + "</b>".repeat(50) + `</a>`,
    ];
    for (const c of balanced) expect({ c, ours: isBalancedXml(c), xmldom: isWellFormedXml(c) }).toEqual({ c, ours: true, xmldom: true });
    // Both refuse these…
    for (const c of [``, `   `, `<a/><b/>`, `<a><</a>`, `<html><body>Sign in</body>`]) expect({ c, ours: isBalancedXml(c), xmldom: isWellFormedXml(c) }).toEqual({ c, ours: false, xmldom: false });
    // …and xmldom only warns on these (truncated, crossed, stray text, bare & or <, unquoted attribute): the library reads them.
    for (const c of [`<a>`, `<a></b>`, `<a><b></a></b>`, `text<a/>`, `<a/>text`, `<a>x & y</a>`, `<a x="1 & 2"/>`, `<a x=1/>`, `<a x="<"/>`]) {
      expect({ c, ours: isBalancedXml(c), xmldom: isWellFormedXml(c) }).toEqual({ c, ours: false, xmldom: true });
    }
  });
});
