import { describe, expect, it } from "vitest";
import { parseAuditParams, parseDashboardParams, withParams } from "./params";

describe("dashboard query parameters", () => {
  it("defaults to every onboarding, latest activity first, page 1", () => {
    expect(parseDashboardParams({})).toEqual({ q: "", state: undefined, sort: "activity_desc", page: 1 });
  });

  it("reads valid filters and ignores anything unreadable instead of failing", () => {
    expect(parseDashboardParams({ q: "  Acme ", state: "verified", sort: "name_asc", page: "3" })).toEqual({ q: "Acme", state: "verified", sort: "name_asc", page: 3 });
    expect(parseDashboardParams({ q: ["a", "b"], state: "bogus", sort: "random()", page: "-1" })).toEqual({ q: "a", state: undefined, sort: "activity_desc", page: 1 });
    expect(parseDashboardParams({ sort: "reach_asc" }).sort).toBe("reach_asc");
    expect(["reach_desc", "REACH_ASC", "reach_asc;--", ""].map((sort) => parseDashboardParams({ sort }).sort)).toEqual(["activity_desc", "activity_desc", "activity_desc", "activity_desc"]);
    expect(parseDashboardParams({ page: "1e9" }).page).toBe(1);
    expect(parseDashboardParams({ page: "2.5" }).page).toBe(1);
    expect(parseDashboardParams({ q: "x".repeat(500) }).q).toHaveLength(100);
    expect(parseDashboardParams({ q: "ac\u202eme\u0000" }).q).toBe("acme");
  });
});

describe("audit query parameters", () => {
  it("reads filters, accepts real dates only", () => {
    expect(parseAuditParams({ type: "contact_note", actor: "vendor", q: "acme", from: "2026-01-31", to: "2026-02-01", before: "2026-02-01T10:00:00.000Z~01abc" })).toEqual({
      type: "contact_note", actor: "vendor", q: "acme", from: "2026-01-31", to: "2026-02-01", cursor: { dir: "before", createdAt: "2026-02-01T10:00:00.000Z", id: "01abc" },
    });
    expect(parseAuditParams({ after: "2026-02-01T10:00:00.000Z~01abc" }).cursor).toEqual({ dir: "after", createdAt: "2026-02-01T10:00:00.000Z", id: "01abc" });
    // Both given: "before" is read; a bad "before" does not fall through to "after".
    expect(parseAuditParams({ before: "2026-02-01T10:00:00.000Z~b", after: "2026-02-01T10:00:00.000Z~a" }).cursor?.id).toBe("b");
    expect(parseAuditParams({ before: "junk", after: "2026-02-01T10:00:00.000Z~a" }).cursor).toBeUndefined();
    expect(parseAuditParams({ type: "DROP TABLE", actor: "root", from: "2026-02-30", to: "yesterday" })).toEqual({
      type: undefined, actor: undefined, q: "", from: undefined, to: undefined, cursor: undefined,
    });
  });

  it("builds links that keep filters and drop empty ones", () => {
    expect(withParams("/staff", { q: "a&b=c", state: undefined, page: 2 })).toBe("/staff?q=a%26b%3Dc&page=2");
    expect(withParams("/staff", { q: "" })).toBe("/staff");
  });
});
