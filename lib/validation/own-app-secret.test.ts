import { describe, expect, it } from "vitest";
import { ownAppSecretSchema } from "./own-app-secret";

const inDays = (d: number) => new Date(Date.now() + d * 24 * 3600 * 1000).toISOString().slice(0, 10);
const ok = { clientSecret: "Abc8Q~w1n7ErVa1ue0123456789xyzXYZ.-_~12", expiresOn: inDays(180) };
const message = (v: unknown) => {
  const r = ownAppSecretSchema.safeParse(v);
  return r.success ? undefined : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join(" | ");
};

describe("own app client secret form", () => {
  it("accepts a secret and a future expiry date within 24 months", () => {
    expect(ownAppSecretSchema.parse(ok)).toEqual(ok);
    expect(message({ ...ok, expiresOn: inDays(729) })).toBeUndefined();
  });
  it.each([
    ["empty secret", { ...ok, clientSecret: "" }, /clientSecret: Enter the client secret's Value/],
    ["missing secret", { expiresOn: ok.expiresOn }, /clientSecret: Enter the client secret's Value/],
    ["too long", { ...ok, clientSecret: "x".repeat(257) }, /clientSecret: The client secret is too long/],
    ["line break", { ...ok, clientSecret: "abc\ndef" }, /control character/],
    ["NUL", { ...ok, clientSecret: "abc\u0000def" }, /control character/],
    ["DEL", { ...ok, clientSecret: "abc\u007fdef" }, /control character/],
    ["surrounding space", { ...ok, clientSecret: " abc" }, /starts or ends with a space/],
    ["not a string", { ...ok, clientSecret: 12345 }, /clientSecret/],
    ["no date", { ...ok, expiresOn: "" }, /expiresOn: Enter the date the client secret expires as YYYY-MM-DD/],
    ["not a date", { ...ok, expiresOn: "next year" }, /expiresOn: Enter the date/],
    ["impossible date", { ...ok, expiresOn: "2027-02-30" }, /expiresOn: Enter the date/],
    ["other format", { ...ok, expiresOn: "12/31/2027" }, /expiresOn: Enter the date/],
    ["past", { ...ok, expiresOn: inDays(-1) }, /expiresOn: This date is past/],
    ["beyond 24 months", { ...ok, expiresOn: inDays(740) }, /expiresOn: A client secret lasts at most 24 months/],
    ["injection", { ...ok, expiresOn: "2027-01-01'; drop table x;--" }, /expiresOn/],
  ])("refuses %s", (_name, input, expected) => {
    expect(message(input)).toMatch(expected);
  });
  it("accepts 256 characters, no more", () => {
    expect(message({ ...ok, clientSecret: "x".repeat(256) })).toBeUndefined();
  });
});
