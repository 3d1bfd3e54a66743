import { describe, expect, it } from "vitest";
import { z } from "zod";
import { credentialFormSchema, hasMixedScripts } from "./credentials";

const PASSWORD = "Corr3ct-Horse!battery";
const good = {
  serviceAccount: "svc-moxiengage@contoso.com",
  password: PASSWORD,
  testMailbox: "jane.agent@contoso.com",
  ewsUrl: "https://mail.contoso.com/EWS/Exchange.asmx",
  track: "exchange-server",
};

function errorsFor(input: Record<string, unknown>) {
  const r = credentialFormSchema.safeParse(input);
  return r.success ? {} : (z.flattenError(r.error).fieldErrors as Record<string, string[] | undefined>);
}

describe("credential form schema: good input", () => {
  it("accepts a complete form and trims addresses but never the password", () => {
    const r = credentialFormSchema.parse({ ...good, serviceAccount: "  svc@contoso.com ", password: "  spaced pass  " });
    expect(r).toEqual({ ...good, serviceAccount: "svc@contoso.com", password: "  spaced pass  ", authScheme: "auto" });
  });
  it("signs in automatically unless a method is chosen", () => {
    expect(credentialFormSchema.parse({ ...good, authScheme: "ntlm" }).authScheme).toBe("ntlm");
  });
  it("treats an empty or missing EWS URL as Autodiscover", () => {
    expect(credentialFormSchema.parse({ ...good, ewsUrl: "" }).ewsUrl).toBeUndefined();
    expect(credentialFormSchema.parse({ ...good, ewsUrl: "   " }).ewsUrl).toBeUndefined();
    const { ewsUrl: _omit, ...withoutUrl } = good;
    void _omit;
    expect(credentialFormSchema.parse(withoutUrl).ewsUrl).toBeUndefined();
  });
  it.each([
    ["EWS path in any case", { ewsUrl: "https://MAIL.contoso.com/ews/exchange.ASMX" }],
    ["a port", { ewsUrl: "https://mail.contoso.com:8443/EWS/Exchange.asmx" }],
    ["a single-script IDN domain", { testMailbox: "agent@bücher.de" }],
    ["a single-script IDN domain typed as punycode", { testMailbox: "agent@xn--bcher-kva.de" }],
    ["an all-Cyrillic domain typed as punycode", { testMailbox: "agent@xn--d1acpjx3f.ru" }],
    ["an all-Cyrillic domain", { testMailbox: "agent@пример.рф" }],
    ["Japanese Han+Hiragana label", { testMailbox: "agent@例え.jp" }],
    ["plus and apostrophe in the local part", { serviceAccount: "o'brien+svc@contoso.com" }],
    ["a 256-character password", { password: "p".repeat(256) }],
    ["a password with unicode letters", { password: "pässwörd-密码" }],
    ["every track", { track: "hosted-exchange" }],
    ["the service account as DOMAIN\\user (Exchange Server)", { serviceAccount: "CONTOSO\\svc-moxiengage" }],
    ["each sign-in method", { authScheme: "ntlm" }],
    ["Basic as sign-in method", { authScheme: "basic" }],
  ])("accepts %s", (_name, patch) => {
    expect(errorsFor({ ...good, ...patch })).toEqual({});
  });
});

// [case, patch, field, expected message fragment]
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  // service account
  ["service account empty", { serviceAccount: "" }, "serviceAccount", /Enter the service account's sign-in address/],
  ["service account missing", { serviceAccount: undefined }, "serviceAccount", /Enter the service account's sign-in address/],
  ["service account blank", { serviceAccount: "   " }, "serviceAccount", /Enter the service account's sign-in address/],
  ["service account too long", { serviceAccount: `${"a".repeat(60)}@${"b".repeat(200)}.com` }, "serviceAccount", /too long: use at most 254/],
  ["service account no @", { serviceAccount: "svc-moxiengage" }, "serviceAccount", /with one @/],
  ["service account two @", { serviceAccount: "svc@x@contoso.com" }, "serviceAccount", /with one @/],
  ["service account DOMAIN\\user with a 16-character domain", { serviceAccount: "CONTOSOCONTOSO16\\svc" }, "serviceAccount", /NetBIOS domain name: up to 15/],
  ["service account DOMAIN\\user with a 21-character user", { serviceAccount: `CONTOSO\\${"s".repeat(21)}` }, "serviceAccount", /pre-Windows 2000 name: up to 20/],
  ["service account DOMAIN\\user with a forbidden character", { serviceAccount: "CONTOSO\\svc*moxi" }, "serviceAccount", /pre-Windows 2000 name/],
  ["service account DOMAIN\\ with no user", { serviceAccount: "CONTOSO\\" }, "serviceAccount", /with one @/],
  ["service account two backslashes", { serviceAccount: "CONTOSO\\svc\\x" }, "serviceAccount", /with one @/],
  ["sign-in method unknown", { authScheme: "kerberos" }, "authScheme", /Choose how the service account signs in/],
  ["sign-in method not a string", { authScheme: 3 }, "authScheme", /Choose how the service account signs in/],
  ["service account no local part", { serviceAccount: "@contoso.com" }, "serviceAccount", /part before the @/],
  ["service account no domain", { serviceAccount: "svc@" }, "serviceAccount", /domain after the @/],
  ["service account dotless domain", { serviceAccount: "svc@contoso" }, "serviceAccount", /domain after the @ is not valid/],
  ["service account IP domain", { serviceAccount: "svc@10.0.0.1" }, "serviceAccount", /domain after the @ is not valid/],
  ["service account bad local part", { serviceAccount: "svc..x@contoso.com" }, "serviceAccount", /no dot at the start or end or two dots/],
  ["service account accented local", { serviceAccount: "sérvice@contoso.com" }, "serviceAccount", /unaccented letters/],
  ["service account inner space", { serviceAccount: "svc moxi@contoso.com" }, "serviceAccount", /Remove the spaces/],
  ["service account NUL", { serviceAccount: "svc\u0000@contoso.com" }, "serviceAccount", /NUL character/],
  ["service account newline", { serviceAccount: "svc@contoso.com\nx" }, "serviceAccount", /line break or another control character/],
  ["service account zero-width space", { serviceAccount: "svc\u200b@contoso.com" }, "serviceAccount", /invisible character/],
  ["service account BOM", { serviceAccount: "\ufeffsvc@contoso.com" }, "serviceAccount", /invisible character/],
  ["service account RTL override", { serviceAccount: "svc@\u202emoc.osotnoc" }, "serviceAccount", /text-direction control/],
  ["service account Cyrillic o in Latin domain", { serviceAccount: "svc@cont\u043eso.com" }, "serviceAccount", /mixes letters from different alphabets/],
  ["service account Greek omicron in Latin domain", { serviceAccount: "svc@micr\u03bfsoft.com" }, "serviceAccount", /mixes letters from different alphabets/],
  ["service account look-alike domain typed as punycode", { serviceAccount: "svc@xn--mcrosoft-thh.com" }, "serviceAccount", /mixes letters from different alphabets/],
  // WHATWG URL reads a host ending in a number as IPv4, so Autodiscover could not even form its URLs (issue 17 #12).
  ["test mailbox at an IP address", { testMailbox: "jane@10.0.0.1" }, "testMailbox", /domain after the @ is not valid/],
  ["test mailbox domain ending in a number", { testMailbox: "jane@contoso.123" }, "testMailbox", /domain after the @ is not valid/],
  ["test mailbox undecodable punycode domain", { testMailbox: "agent@xn--99999999999.com" }, "testMailbox", /domain after the @ is not valid/],
  ["service account not a string", { serviceAccount: 42 }, "serviceAccount", /Enter the service account's sign-in address/],
  // password
  ["password empty", { password: "" }, "password", /Enter the service account's password/],
  ["password missing", { password: undefined }, "password", /Enter the service account's password/],
  ["password too long", { password: "p".repeat(257) }, "password", /too long: use at most 256/],
  ["password NUL", { password: "abc\u0000def" }, "password", /NUL character/],
  ["password trailing newline", { password: "abcdef\n" }, "password", /line break/],
  ["password zero-width joiner", { password: "abc\u200ddef" }, "password", /invisible character/],
  ["password RTL override", { password: "abc\u202edef" }, "password", /text-direction control/],
  // test mailbox
  ["test mailbox empty", { testMailbox: "" }, "testMailbox", /Enter the address of a regular user's mailbox/],
  ["test mailbox too long", { testMailbox: `a@${"b".repeat(260)}.com` }, "testMailbox", /too long/],
  ["test mailbox wrong shape", { testMailbox: "jane.agent" }, "testMailbox", /test mailbox address with one @/],
  ["test mailbox zero-width", { testMailbox: "jane\u200c@contoso.com" }, "testMailbox", /invisible character/],
  ["test mailbox bidi isolate", { testMailbox: "jane@contoso.com\u2067" }, "testMailbox", /text-direction control/],
  ["test mailbox homoglyph domain", { testMailbox: "jane@\u0430pple.com" }, "testMailbox", /different alphabets/],
  ["test mailbox equals service account", { testMailbox: good.serviceAccount }, "testMailbox", /not the service account itself/],
  ["test mailbox equals service account, other case", { testMailbox: "SVC-MoxiEngage@Contoso.COM" }, "testMailbox", /not the service account itself/],
  // EWS URL
  ["EWS URL http", { ewsUrl: "http://mail.contoso.com/EWS/Exchange.asmx" }, "ewsUrl", /must start with https:\/\/ — the password is never sent over plain http/],
  ["EWS URL ftp", { ewsUrl: "ftp://mail.contoso.com/EWS/Exchange.asmx" }, "ewsUrl", /must start with https:\/\//],
  ["EWS URL not a URL", { ewsUrl: "mail.contoso.com/EWS/Exchange.asmx" }, "ewsUrl", /Enter a full address/],
  ["EWS URL OWA", { ewsUrl: "https://mail.contoso.com/owa/" }, "ewsUrl", /must end with \/EWS\/Exchange\.asmx/],
  ["EWS URL Autodiscover", { ewsUrl: "https://autodiscover.contoso.com/autodiscover/autodiscover.xml" }, "ewsUrl", /must end with \/EWS\/Exchange\.asmx/],
  ["EWS URL with userinfo", { ewsUrl: "https://svc:pw@mail.contoso.com/EWS/Exchange.asmx" }, "ewsUrl", /Remove the user name or password/],
  ["EWS URL with query", { ewsUrl: "https://mail.contoso.com/EWS/Exchange.asmx?x=1" }, "ewsUrl", /Remove the part after \?/],
  ["EWS URL too long", { ewsUrl: `https://mail.contoso.com/${"a".repeat(2100)}/EWS/Exchange.asmx` }, "ewsUrl", /too long/],
  ["EWS URL zero-width", { ewsUrl: "https://mail.contoso.com/EWS/Exchange.asmx\u200b" }, "ewsUrl", /invisible character/],
  ["EWS URL RTL override", { ewsUrl: "https://mail.contoso.com/\u202eEWS/Exchange.asmx" }, "ewsUrl", /text-direction control/],
  ["EWS URL NUL", { ewsUrl: "https://mail.contoso.com/EWS/Exchange.asmx\u0000" }, "ewsUrl", /control character/],
  ["EWS URL homoglyph host", { ewsUrl: "https://mail.c\u043entoso.com/EWS/Exchange.asmx" }, "ewsUrl", /mixes letters from different alphabets/],
  // "mіcrosoft.com" with a Cyrillic і, typed in its ASCII (punycode) form
  ["EWS URL homoglyph host as punycode", { ewsUrl: "https://mail.xn--mcrosoft-thh.com/EWS/Exchange.asmx" }, "ewsUrl", /mixes letters from different alphabets/],
  ["EWS URL undecodable punycode host", { ewsUrl: "https://xn--a-ecp.xn--99999999999.com/EWS/Exchange.asmx" }, "ewsUrl", /Enter a full address/],
  ["EWS URL inner space", { ewsUrl: "https://mail.contoso.com/EWS/Exchange .asmx" }, "ewsUrl", /Remove the spaces/],
  // track
  ["track empty", { track: "" }, "track", /Choose where your mailboxes are hosted/],
  ["track unknown", { track: "gmail" }, "track", /Choose where your mailboxes are hosted/],
  ["track missing", { track: undefined }, "track", /Choose where your mailboxes are hosted/],
];

describe("credential form schema: bad input gives the field's own error", () => {
  it.each(BAD)("%s", (_name, patch, field, expected) => {
    const errors = errorsFor({ ...good, ...patch });
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toHaveLength(1);
    expect(errors[field]![0]).toMatch(expected);
  });

  it("never quotes the password in an error", () => {
    for (const password of ["secret\u0000value", "x".repeat(300), "bad\u202eone", "zero\u200bwidth"]) {
      const r = credentialFormSchema.safeParse({ ...good, password });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain(password.slice(0, 6));
    }
  });

  it("reports every broken field at once", () => {
    const errors = errorsFor({ serviceAccount: "", password: "", testMailbox: "", ewsUrl: "http://x/EWS/Exchange.asmx", track: "" });
    expect(Object.keys(errors).sort()).toEqual(["ewsUrl", "password", "serviceAccount", "testMailbox", "track"]);
  });
});

describe("hasMixedScripts", () => {
  it.each([
    ["contoso.com", false],
    ["xn--80ak6aa92e.com", false],
    ["пример.рф", false],
    ["bücher.de", false],
    ["例え.jp", false],
    ["한국.kr", false],
    ["contоso.com", true],
    ["аpple.com", true],
    ["παypal.com", true],
  ])("%s → %s", (host, mixed) => {
    expect(hasMixedScripts(host)).toBe(mixed);
  });
});

describe("one schema for the test and the credential form", () => {
  const details = { serviceAccount: good.serviceAccount, password: good.password, testMailbox: good.testMailbox, ewsUrl: good.ewsUrl };
  it.each([
    ["a bad DOMAIN\\user", { serviceAccount: "CONTOSOCONTOSO16\\svc" }],
    ["a 300-character address", { testMailbox: `${"a".repeat(60)}@${"b".repeat(236)}.com` }],
    ["a 300-character password", { password: "p".repeat(300) }],
    ["the service account as test mailbox", { testMailbox: " SVC-MoxiEngage@contoso.com " }],
    ["plain http EWS URL", { ewsUrl: "http://mail.contoso.com/EWS/Exchange.asmx" }],
  ])("the test request, the test's details and the credential form all refuse %s with the same message", async (_name, patch) => {
    const { connectionDetailsSchema } = await import("./credentials");
    const { testRunRequestSchema, parseTestRunRequest } = await import("@/lib/test-runs/request");
    const { fieldErrorsOf } = await import("@/lib/http/api");
    const asForm = errorsFor({ ...good, ...patch });
    const asDetails = connectionDetailsSchema.safeParse({ ...details, ...patch });
    expect(asDetails.success).toBe(false);
    expect(testRunRequestSchema.safeParse({ ...details, ...patch }).success).toBe(false);
    const field = Object.keys(patch)[0] === "serviceAccount" ? "serviceAccount" : Object.keys(patch)[0] === "password" ? "password" : Object.keys(patch)[0] === "ewsUrl" ? "ewsUrl" : "testMailbox";
    const parsed = parseTestRunRequest({ ...details, ...patch });
    expect(parsed.success ? undefined : fieldErrorsOf(parsed.error)[field]).toEqual(asForm[field]);
  });
  it("refuses the service account as test mailbox with a clear message", () => {
    expect(errorsFor({ ...good, testMailbox: good.serviceAccount }).testMailbox?.[0]).toMatch(/not the service account itself/);
  });
  it("accepts good details without a track, and the saved-details request", async () => {
    const { testRunRequestSchema } = await import("@/lib/test-runs/request");
    expect(testRunRequestSchema.safeParse(details).success).toBe(true);
    expect(testRunRequestSchema.safeParse({ useSaved: true }).success).toBe(true);
    expect(testRunRequestSchema.safeParse({ ...details, extra: 1, useSaved: true }).success).toBe(false);
  });
});

describe("the workspace's one connection form", () => {
  it("its test refuses the service account as test mailbox before a mail host is chosen (no track in the test)", async () => {
    const { connectionTestFormSchema, SAME_MAILBOX_MESSAGE } = await import("./credentials");
    const r = connectionTestFormSchema.safeParse({ ...good, track: "", testMailbox: ` ${good.serviceAccount.toUpperCase()} ` });
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path[0] === "testMailbox")?.message).toBe(SAME_MAILBOX_MESSAGE);
    expect(connectionTestFormSchema.safeParse({ ...good, track: "" }).success).toBe(true);
  });
  it("sameMailbox: case and spaces do not count, empty never matches", async () => {
    const { sameMailbox } = await import("./credentials");
    expect(sameMailbox(" A@b.com", "a@B.com ")).toBe(true);
    expect(sameMailbox("", "")).toBe(false);
    expect(sameMailbox("a@b.com", "c@b.com")).toBe(false);
  });
});
