import { describe, expect, it } from "vitest";
import { z } from "zod";
import { contactNoteSchema, extendLinkSchema, newOnboardingSchema, staffNoteSchema, staffVendorLinkSchema, stateChangeSchema } from "./onboarding";

const ID = "0000000000aaaaaaaaaaaaaaaa";
const errorsOf = (schema: z.ZodType, value: unknown): Record<string, string[] | undefined> => {
  const r = schema.safeParse(value);
  return r.success ? {} : (z.flattenError(r.error).fieldErrors as Record<string, string[] | undefined>);
};

describe("new onboarding form", () => {
  const ok = { brokerageName: "  Acme Realty ", contactName: "Ada Admin", contactEmail: " ada@acme.test ", notes: "", track: "" };

  it("accepts a plain entry, trimmed, with no track and no notes", () => {
    expect(newOnboardingSchema.parse(ok)).toEqual({ brokerageName: "Acme Realty", contactName: "Ada Admin", contactEmail: "ada@acme.test", notes: "", track: null });
    expect(newOnboardingSchema.parse({ ...ok, track: "exchange-server", notes: "line 1\r\nline 2" })).toMatchObject({ track: "exchange-server", notes: "line 1\nline 2" });
    const { notes: _n, track: _t, ...required } = ok;
    void _n; void _t;
    expect(newOnboardingSchema.parse(required)).toMatchObject({ notes: "", track: null });
  });

  it("says exactly what is missing or wrong", () => {
    expect(errorsOf(newOnboardingSchema, {})).toEqual({
      brokerageName: ["Enter the brokerage name."],
      contactName: ["Enter the contact's name."],
      contactEmail: ["Enter the contact's email address."],
    });
    expect(errorsOf(newOnboardingSchema, { ...ok, brokerageName: "   ", contactEmail: "not-an-email" })).toEqual({
      brokerageName: ["Enter the brokerage name."],
      contactEmail: ["Enter an email address like admin@brokerage.com."],
    });
    expect(errorsOf(newOnboardingSchema, { ...ok, track: "lotus-notes" }).track?.[0]).toMatch(/Choose a mail system/);
  });

  it("caps lengths", () => {
    expect(errorsOf(newOnboardingSchema, { ...ok, brokerageName: "x".repeat(201) }).brokerageName).toEqual(["The brokerage name must be 200 characters or fewer."]);
    expect(errorsOf(newOnboardingSchema, { ...ok, notes: "x".repeat(2001) }).notes).toEqual(["The notes must be 2000 characters or fewer."]);
    expect(errorsOf(newOnboardingSchema, { ...ok, contactEmail: `${"a".repeat(250)}@x.test` }).contactEmail?.[0]).toMatch(/254 characters/);
  });

  it("keeps hostile but visible text verbatim and refuses invisible or control characters", () => {
    const name = `O'Brien & Sons <script>alert(1)</script> '); DROP TABLE onboardings;-- 🏠`;
    expect(newOnboardingSchema.parse({ ...ok, brokerageName: name }).brokerageName).toBe(name);
    for (const bad of ["Acme\u202eytlaeR", "Acme\u0000", "Acme\u200bRealty", "Acme\nRealty"]) {
      expect(errorsOf(newOnboardingSchema, { ...ok, brokerageName: bad }).brokerageName, JSON.stringify(bad)).toEqual([
        "Remove line breaks, invisible or control characters from the brokerage name.",
      ]);
    }
    expect(errorsOf(newOnboardingSchema, { ...ok, notes: "ok\n\tfine" })).toEqual({});
    expect(errorsOf(newOnboardingSchema, { ...ok, notes: "bad\u0007bell" }).notes).toEqual(["Remove line breaks, invisible or control characters from the notes."]);
    expect(errorsOf(newOnboardingSchema, { ...ok, contactEmail: ["a@b.test", "c@d.test"] }).contactEmail).toBeDefined();
  });
});

describe("link, note and state forms", () => {
  it("extends by 1 to 90 whole days only", () => {
    expect(extendLinkSchema.parse({ onboardingId: ID, linkId: ID, days: "30" }).days).toBe(30);
    expect(errorsOf(extendLinkSchema, { onboardingId: ID, linkId: ID, days: "0" }).days).toEqual(["Extend by at least 1 day."]);
    expect(errorsOf(extendLinkSchema, { onboardingId: ID, linkId: ID, days: "91" }).days).toEqual(["Extend by at most 90 days at a time."]);
    expect(errorsOf(extendLinkSchema, { onboardingId: ID, linkId: ID, days: "1.5" }).days).toEqual(["Enter a whole number of days."]);
    expect(errorsOf(extendLinkSchema, { onboardingId: "../etc", linkId: ID, days: "3" }).onboardingId).toEqual(["Unknown onboarding."]);
  });

  it("needs a vendor label, a note, a channel and a reason", () => {
    expect(errorsOf(staffVendorLinkSchema, { onboardingId: ID, label: " " }).label).toEqual(["Enter the name of the vendor or person."]);
    expect(errorsOf(contactNoteSchema, { onboardingId: ID, channel: "fax", note: "" })).toEqual({
      channel: ["Choose how you were in touch."],
      note: ["Write what was said or agreed."],
    });
    expect(errorsOf(staffNoteSchema, { onboardingId: ID, note: "x".repeat(4001) }).note).toEqual(["The note must be 4000 characters or fewer."]);
    expect(errorsOf(stateChangeSchema, { onboardingId: ID, to: "revoked", reason: "  " }).reason).toEqual(["Give a reason: it is kept in the audit log."]);
    expect(errorsOf(stateChangeSchema, { onboardingId: ID, to: "gone", reason: "x" }).to).toEqual(["Choose the new state."]);
    expect(stateChangeSchema.parse({ onboardingId: ID, to: "revoked", reason: " Duplicate of Acme " }).reason).toBe("Duplicate of Acme");
  });
});
