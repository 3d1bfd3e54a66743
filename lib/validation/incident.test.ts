import { describe, expect, it } from "vitest";
import { closeIncidentSchema, exceptMemberSchema, incidentDraftSchema, openIncidentSchema } from "./incident";

const draft = { name: "Vendor portal phishing", reason: "A phishing mail reached the vendor portal.", dueDays: "7", reminderEveryHours: "24", kind: "all_verified" };

describe("incident forms", () => {
  it("accepts each selection and normalises it", () => {
    expect(incidentDraftSchema.parse(draft)).toEqual({ name: draft.name, reason: draft.reason, dueDays: 7, reminderEveryHours: 24, selection: { kind: "all_verified" } });
    expect(incidentDraftSchema.parse({ ...draft, kind: "filter", q: " acme ", host: "" }).selection).toEqual({ kind: "filter", q: "acme" });
    expect(incidentDraftSchema.parse({ ...draft, kind: "list", list: "a@b.test\nc@d.test" }).selection).toEqual({ kind: "list", list: "a@b.test\nc@d.test" });
    const open = openIncidentSchema.parse({ ...draft, password: "pw", code: "123456", expectedCount: "50", step: "open" });
    expect(open).toMatchObject({ selection: { kind: "all_verified" }, password: "pw", code: "123456", expectedCount: 50 });
  });

  it.each([
    ["no name", { name: "" }, "name"],
    ["a name with a line break", { name: "a\nb c" }, "name"],
    ["a short reason", { reason: "oops" }, "reason"],
    ["a reason with a bidi override", { reason: "A phishing mail \u202e reached us" }, "reason"],
    ["zero days", { dueDays: "0" }, "dueDays"],
    ["not a number of days", { dueDays: "soon" }, "dueDays"],
    ["too many days", { dueDays: "365" }, "dueDays"],
    ["negative reminders", { reminderEveryHours: "-1" }, "reminderEveryHours"],
    ["an unknown selection", { kind: "everyone" }, "kind"],
    ["an empty list", { kind: "list", list: "  \n " }, "list"],
    ["an unknown mail host", { kind: "filter", host: "mars" }, "host"],
    ["a huge list", { kind: "list", list: "x".repeat(200_001) }, "list"],
  ])("refuses %s", (_what, patch, field) => {
    const r = incidentDraftSchema.safeParse({ ...draft, ...patch });
    expect(r.success).toBe(false);
    expect(Object.keys(r.error!.flatten().fieldErrors)).toContain(field);
  });

  it("opening needs a password, a six-digit code and the reviewed count", () => {
    for (const [patch, field] of [[{ password: "" }, "password"], [{ code: "12" }, "code"], [{ expectedCount: "0" }, "expectedCount"], [{ expectedCount: "x" }, "expectedCount"]] as const) {
      const r = openIncidentSchema.safeParse({ ...draft, password: "pw", code: "123456", expectedCount: "3", ...patch });
      expect(r.success, field).toBe(false);
      expect(Object.keys(r.error!.flatten().fieldErrors), field).toContain(field);
    }
  });

  it("exceptions and closing need an id and a reason", () => {
    const id = "01jabcdefghjkmnpqrstvwxyz0";
    expect(exceptMemberSchema.safeParse({ incidentId: id, onboardingId: id, reason: "never exposed, confirmed by phone" }).success).toBe(true);
    expect(exceptMemberSchema.safeParse({ incidentId: id, onboardingId: "../x", reason: "never exposed, confirmed by phone" }).success).toBe(false);
    expect(exceptMemberSchema.safeParse({ incidentId: id, onboardingId: id, reason: "no" }).success).toBe(false);
    expect(closeIncidentSchema.safeParse({ incidentId: "1; drop table", note: "all rotated in two days" }).success).toBe(false);
  });
});
