import { describe, expect, it } from "vitest";
import { parseTestRunRequest, splitRunOptions, testRunRequestSchema } from "./request";

const details = { serviceAccount: "svc-moxi@contoso.com", password: "S3cret-pass!", testMailbox: "agent@contoso.com", ewsUrl: "" };

describe("the send-a-test-message option beside what to test", () => {
  it("is off unless it is exactly true, and leaves the details to the details schema", () => {
    expect(splitRunOptions(details)).toEqual({ target: details, options: { sendTestMessage: false } });
    const ticked = splitRunOptions({ ...details, sendTestMessage: true })!;
    expect(ticked.options.sendTestMessage).toBe(true);
    expect(testRunRequestSchema.safeParse(ticked.target).success).toBe(true);
    expect(splitRunOptions({ useSaved: true, sendTestMessage: false })).toEqual({ target: { useSaved: true }, options: { sendTestMessage: false } });
  });

  it.each([
    ["a string", "true"],
    ["a number", 1],
    ["null", null],
    ["an object", { yes: true }],
    ["an array", [true]],
    ["a hostile string", "<script>alert(1)</script>\u202e"],
    ["an oversized string", "t".repeat(10_000)],
  ])("refuses %s", (_name, value) => {
    expect(splitRunOptions({ ...details, sendTestMessage: value })).toBeUndefined();
  });

  it("does not let the option smuggle other fields past the details schema", () => {
    const split = splitRunOptions({ ...details, sendTestMessage: true, extra: "x" })!;
    expect(testRunRequestSchema.safeParse(split.target).success).toBe(false);
  });

  it("passes anything that is not an object on for the details schema to refuse", () => {
    for (const body of [null, "text", 3, [details]]) {
      const split = splitRunOptions(body)!;
      expect(split.options.sendTestMessage).toBe(false);
      expect(testRunRequestSchema.safeParse(split.target).success).toBe(false);
    }
  });
});

describe("the Microsoft Graph app-access test through the same endpoint", () => {
  const appAccess = { appAccess: true, groupName: "MoxiEngage Agents", testMailbox: "Agent@Contoso.com", outOfScopeMailbox: "boss@contoso.com" };
  const fieldErrors = (body: unknown) => {
    const parsed = parseTestRunRequest(body);
    expect(parsed.success).toBe(false);
    return parsed.success ? {} : (parsed.error.flatten().fieldErrors as Record<string, string[]>);
  };

  it("parses the app-access form's fields with the form's rules (trimmed, lower-cased), the test message apart", () => {
    const parsed = parseTestRunRequest({ ...appAccess, sendTestMessage: true });
    expect(parsed.success && parsed.data).toEqual({ target: { ...appAccess, testMailbox: "agent@contoso.com" }, options: { sendTestMessage: true } });
  });

  it("names the field that is wrong, not the union's first member's", () => {
    expect(Object.keys(fieldErrors({ appAccess: true, groupName: "MoxiEngage Agents", testMailbox: "agent@contoso.com" }))).toEqual(["outOfScopeMailbox"]);
    expect(fieldErrors({ ...appAccess, outOfScopeMailbox: "agent@contoso.com" }).outOfScopeMailbox?.[0]).toMatch(/different mailbox/);
    expect(fieldErrors({ ...appAccess, groupName: "x'; Remove-Mailbox -Identity *" }).groupName?.[0]).toMatch(/group's name as in Exchange/);
  });

  it.each([
    ["a path in the mailbox", { testMailbox: "../../users" }],
    ["a mailbox with a query", { testMailbox: "agent@contoso.com?$select=*" }],
    ["an oversized mailbox", { testMailbox: `${"a".repeat(300)}@contoso.com` }],
    ["a number for a mailbox", { testMailbox: 42 }],
    ["null for the group", { groupName: null }],
    ["bidi and script in the group", { groupName: "<script>\u202e" }],
  ])("refuses %s", (_name, change) => {
    const errors = fieldErrors({ ...appAccess, ...change });
    expect(Object.keys(errors).length).toBeGreaterThan(0);
  });

  it("refuses appAccess that is not exactly true and fields of another kind smuggled in", () => {
    for (const body of [{ ...appAccess, appAccess: "true" }, { ...appAccess, appAccess: false }, { ...appAccess, password: "x" }, { ...appAccess, useSaved: true }]) {
      expect(parseTestRunRequest(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});
