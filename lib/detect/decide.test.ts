import { describe, expect, it } from "vitest";
import { parseSubject } from "./address";
import { decide, tracksForHost, DETECTED_HOSTS } from "./decide";
import type { DetectionFacts } from "./facts";
import { parseAutodiscoverV2, parseOpenIdConfiguration, parseUserRealm, readTxtRecords } from "./parse";

const TENANT = "4c5b3e1a-0000-4000-8000-000000000001";
const nothing: DetectionFacts = {
  email: "ada@acme.test",
  domain: "acme.test",
  mx: { kind: "none" },
  txt: { kind: "none" },
  tenant: { kind: "no_tenant" },
  realm: { kind: "unknown" },
  cloudAutodiscover: { kind: "not_found" },
  autodiscoverCname: { kind: "none" },
  onPremises: { kind: "none", tried: ["autodiscover.acme.test"] },
};
const facts = (f: Partial<DetectionFacts>): DetectionFacts => ({ ...nothing, ...f });
const timeout = { kind: "failed", reason: "timeout", detail: "" } as const;
const EXO = "https://outlook.office365.com/EWS/Exchange.asmx";
const ONPREM = "https://mail.acme.test/EWS/Exchange.asmx";

describe("decide", () => {
  it("nothing found: could not tell, no track, no guess", () => {
    const d = decide(nothing);
    expect(d).toMatchObject({ host: "unknown", track: null, confidence: "none", tenantId: null, ewsUrl: null });
    expect(d.summary).toMatch(/We could not tell/);
    expect(d.evidence.map((e) => e.source)).toEqual(["mx", "tenant", "realm", "autodiscover-v2", "on-premises-autodiscover"]);
  });

  it("everything timed out: could not tell, and each sentence says so", () => {
    const d = decide(facts({ mx: timeout, txt: timeout, tenant: timeout, realm: timeout, cloudAutodiscover: timeout, autodiscoverCname: timeout, onPremises: timeout }));
    expect(d.host).toBe("unknown");
    expect(d.evidence.every((e) => /did not answer in time/.test(e.sentence))).toBe(true);
  });

  it("a tenant alone is not a mailbox: still could not tell", () => {
    expect(decide(facts({ tenant: { kind: "tenant", tenantId: TENANT } })).host).toBe("unknown");
  });

  it("an Exchange Online mailbox is Microsoft 365, high; GoDaddy federation makes it the reseller track", () => {
    expect(decide(facts({ tenant: { kind: "tenant", tenantId: TENANT }, cloudAutodiscover: { kind: "exchange_online", ewsUrl: EXO } }))).toMatchObject({ host: "microsoft-365", confidence: "high", tenantId: TENANT });
    const godaddy = decide(facts({ tenant: { kind: "tenant", tenantId: TENANT }, realm: { kind: "federated", brand: null, authHost: "sso.godaddy.com" }, cloudAutodiscover: { kind: "exchange_online", ewsUrl: EXO } }));
    expect(godaddy).toMatchObject({ host: "microsoft-365-reseller", track: "microsoft-365-reseller" });
    const okta = decide(facts({ tenant: { kind: "tenant", tenantId: TENANT }, realm: { kind: "federated", brand: "Acme", authHost: "acme.okta.com" }, cloudAutodiscover: { kind: "exchange_online", ewsUrl: EXO } }));
    expect(okta.host).toBe("microsoft-365");
  });

  it("EOP MX and a tenant without an Autodiscover answer: Microsoft 365, medium only", () => {
    const d = decide(facts({ mx: { kind: "hosts", hosts: ["acme-test.mail.protection.outlook.com"] }, tenant: { kind: "tenant", tenantId: TENANT }, cloudAutodiscover: timeout }));
    expect(d).toMatchObject({ host: "microsoft-365", confidence: "medium" });
  });

  it("EOP MX without a tenant is not enough", () => {
    expect(decide(facts({ mx: { kind: "hosts", hosts: ["acme-test.mail.protection.outlook.com"] }, tenant: timeout })).host).toBe("unknown");
  });

  it("hybrid: an on-premises mailbox in a Microsoft 365 domain gets its EWS URL and both tracks", () => {
    const d = decide(facts({ tenant: { kind: "tenant", tenantId: TENANT }, cloudAutodiscover: { kind: "on_premises", ewsUrl: ONPREM } }));
    expect(d).toMatchObject({ host: "hybrid-on-premises-mailbox", track: "exchange-server", alsoTracks: ["microsoft-365"], ewsUrl: ONPREM, confidence: "high" });
    const cloudOne = decide(facts({ tenant: { kind: "tenant", tenantId: TENANT }, cloudAutodiscover: { kind: "exchange_online", ewsUrl: EXO }, onPremises: { kind: "ews_url", ewsUrl: ONPREM, via: "autodiscover.acme.test" } }));
    expect(cloudOne).toMatchObject({ host: "hybrid-cloud-mailbox", track: "microsoft-365", alsoTracks: ["exchange-server"], ewsUrl: null });
  });

  it("the domain's own Autodiscover: Exchange Server; at a hosting provider: hosted Exchange", () => {
    expect(decide(facts({ onPremises: { kind: "ews_url", ewsUrl: ONPREM, via: "autodiscover.acme.test" } }))).toMatchObject({ host: "exchange-server", confidence: "high", ewsUrl: ONPREM });
    expect(decide(facts({ onPremises: { kind: "ews_url", ewsUrl: ONPREM, via: "autodiscover.acme.test" }, tenant: { kind: "tenant", tenantId: TENANT } })).confidence).toBe("medium");
    expect(decide(facts({ mx: { kind: "hosts", hosts: ["mx1.emailsrvr.com"] }, onPremises: { kind: "ews_url", ewsUrl: "https://ex.emailsrvr.com/EWS/Exchange.asmx", via: "SRV autodiscover.emailsrvr.com:443" } }))).toMatchObject({ host: "hosted-exchange", confidence: "high" });
    expect(decide(facts({ mx: { kind: "hosts", hosts: ["mx1.emailsrvr.com"] } }))).toMatchObject({ host: "hosted-exchange", confidence: "low", ewsUrl: null });
  });

  it("Google MX: Google Workspace, no track", () => {
    expect(decide(facts({ mx: { kind: "hosts", hosts: ["aspmx.l.google.com"] } }))).toMatchObject({ host: "google-workspace", track: null, confidence: "medium" });
  });

  it("an own MX host and no tenant: Exchange Server, low — but not when Autodiscover pointed somewhere private", () => {
    expect(decide(facts({ mx: { kind: "hosts", hosts: ["mail.acme.test"] } }))).toMatchObject({ host: "exchange-server", confidence: "low" });
    const refused = decide(facts({ mx: { kind: "hosts", hosts: ["mail.acme.test"] }, onPremises: { kind: "refused", host: "autodiscover.acme.test", detail: "it is a private address." } }));
    expect(refused.host).toBe("unknown");
    expect(refused.evidence.at(-1)!.sentence).toMatch(/We did not contact autodiscover\.acme\.test/);
  });

  it("a domain that does not exist is said so", () => {
    expect(decide(facts({ mx: { kind: "no_domain" } })).summary).toMatch(/does not exist/);
  });

  it("every host maps to tracks in one place", () => {
    for (const host of DETECTED_HOSTS) expect(tracksForHost(host)).toHaveProperty("track");
    expect(tracksForHost("google-workspace").track).toBeNull();
  });
});

describe("parsers", () => {
  const a = (status: number, body: unknown) => ({ status, headers: {}, body: typeof body === "string" ? body : JSON.stringify(body) });
  it("OpenID configuration: tenant id from the issuer, AADSTS90002 means no tenant, anything else a bad answer", () => {
    expect(parseOpenIdConfiguration(a(200, { issuer: `https://login.microsoftonline.com/${TENANT.toUpperCase()}/v2.0` }))).toEqual({ kind: "tenant", tenantId: TENANT });
    expect(parseOpenIdConfiguration(a(400, { error: "invalid_tenant", error_description: "AADSTS90002: Tenant 'x' not found." }))).toEqual({ kind: "no_tenant" });
    expect(parseOpenIdConfiguration(a(200, { issuer: "https://evil/" })).kind).toBe("failed");
    expect(parseOpenIdConfiguration(a(500, "<html>")).kind).toBe("failed");
    expect(parseOpenIdConfiguration(a(200, "[1,2]")).kind).toBe("failed");
  });
  it("user realm: Managed, Federated with its sign-in host, Unknown, junk", () => {
    expect(parseUserRealm(a(200, { NameSpaceType: "Managed", FederationBrandName: "Acme" }))).toEqual({ kind: "managed", brand: "Acme" });
    expect(parseUserRealm(a(200, { NameSpaceType: "Federated", AuthURL: "https://SSO.GoDaddy.com/?realm=pass" }))).toEqual({ kind: "federated", brand: null, authHost: "sso.godaddy.com" });
    expect(parseUserRealm(a(200, { NameSpaceType: "Federated", AuthURL: "not a url" }))).toMatchObject({ kind: "federated", authHost: null });
    expect(parseUserRealm(a(200, { NameSpaceType: "Unknown" }))).toEqual({ kind: "unknown" });
    expect(parseUserRealm(a(200, { NameSpaceType: 7 })).kind).toBe("failed");
  });
  it("Autodiscover v2: cloud URL, on-premises URL, redirect = not known, plain-http URL refused", () => {
    expect(parseAutodiscoverV2(a(200, { Protocol: "EWS", Url: EXO }))).toEqual({ kind: "exchange_online", ewsUrl: EXO });
    expect(parseAutodiscoverV2(a(200, { Protocol: "EWS", Url: ONPREM }))).toEqual({ kind: "on_premises", ewsUrl: ONPREM });
    expect(parseAutodiscoverV2({ status: 302, headers: { location: "https://autodiscover.acme.test/" }, body: "" })).toEqual({ kind: "not_found" });
    expect(parseAutodiscoverV2(a(200, { Protocol: "EWS", Url: "http://mail.acme.test/EWS/Exchange.asmx" })).kind).toBe("failed");
    expect(parseAutodiscoverV2(a(200, "{not json")).kind).toBe("failed");
  });
  it("TXT: only the first records are read, each capped", () => {
    const many = Array.from({ length: 5000 }, () => ["x".repeat(255)]);
    expect(readTxtRecords([...many, ["MS=ms123"]])).toMatchObject({ microsoftVerification: false });
    expect(readTxtRecords([["MS=ms123"], ["v=spf1 include:spf.protection.outlook.com -all"]])).toEqual({ kind: "records", microsoftVerification: true, spfMicrosoft: true, spfGoogle: false });
  });
});

describe("parseSubject", () => {
  it("takes an address or a domain, lower-cases and punycodes the domain", () => {
    expect(parseSubject(" Ada@Acme.TEST ")).toEqual({ ok: true, subject: { email: "Ada@acme.test", domain: "acme.test", givenAs: "email" } });
    expect(parseSubject("acme.test")).toEqual({ ok: true, subject: { email: "postmaster@acme.test", domain: "acme.test", givenAs: "domain" } });
    expect(parseSubject("ada@bücher.example")).toMatchObject({ ok: true, subject: { domain: "xn--bcher-kva.example" } });
  });
  it.each([
    ["", "empty"],
    ["a".repeat(300), "too_long"],
    ["@acme.test", "not_an_address"],
    ["a b@acme.test", "not_an_address"],
    ["ada@127.0.0.1", "not_a_public_domain"],
    ["ada@[::1]", "not_a_public_domain"],
    ["ada@localhost", "not_a_public_domain"],
    ["ada@intranet", "not_a_public_domain"],
    ["ada@acme.test/../x", "not_a_public_domain"],
    ["ada@acme.test:443", "not_a_public_domain"],
    ["ada@-acme.test", "not_a_public_domain"],
    // a domain ending in a number is an IPv4 address to a URL parser (issue 17 #12): the same rule as the forms
    ["ada@contoso.123", "not_a_public_domain"],
    ["ada@mail.0x7f", "not_a_public_domain"],
    ["10.0.0.1.", "not_a_public_domain"],
    ["<script>@acme.test", "not_an_address"],
  ])("refuses %j (%s)", (input, problem) => {
    expect(parseSubject(input)).toEqual({ ok: false, problem });
  });
});
