import { describe, expect, it } from "vitest";
import { parseRoster, ROSTER_LIMIT } from "./parse";

const domains = ["acme.test"];

describe("parseRoster", () => {
  it("reads one address per line, merging duplicates and case variants (first spelling kept)", () => {
    const r = parseRoster("Ann@acme.test\n\nbob@acme.test\nann@ACME.test\r\nbob@acme.test\n", { domains });
    expect(r).toMatchObject({ ok: true, addresses: ["Ann@acme.test", "bob@acme.test"], duplicates: 2, errors: [], flagged: [] });
  });

  it("reads a CSV with a header, by the email column wherever it is, with quotes", () => {
    const r = parseRoster('Name,"E-mail",Office\n"Doe, Ann",ann@acme.test,HQ\nBob,bob@sub.acme.test,"North"\n', { domains });
    expect(r).toMatchObject({ ok: true, addresses: ["ann@acme.test", "bob@sub.acme.test"] });
  });

  it("semicolon CSV with an unknown header takes the column holding addresses", () => {
    const r = parseRoster("Agent;Mailbox\nAnn;ann@acme.test\n", { domains });
    expect(r).toMatchObject({ ok: true, addresses: ["ann@acme.test"] });
  });

  it("gives every bad line its number and keeps the good ones", () => {
    const r = parseRoster("email\nann@acme.test\nnot an address\n,\nbob@@acme.test\ncy@acme.test", { domains });
    if (!r.ok) throw new Error("refused");
    expect(r.addresses).toEqual(["ann@acme.test", "cy@acme.test"]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(r.errors[0]!.message).toBe('Line 3: "not an address" is not an email address.');
    expect(r.errors[1]!.message).toBe('Line 4: "," is not an email address.');
    const csv = parseRoster("name,email\nAnn,\nBob,bob@acme.test", { domains });
    expect(csv).toMatchObject({ ok: true, addresses: ["bob@acme.test"], errors: [{ line: 2, message: "Line 2: no address in the email column." }] });
  });

  it("flags addresses outside the brokerage's domains instead of checking them", () => {
    const r = parseRoster("ann@acme.test\nbob@gmail.com\ncy@acme.test.evil.com", { domains });
    expect(r).toMatchObject({ ok: true, addresses: ["ann@acme.test"], flagged: [{ line: 2, address: "bob@gmail.com", reason: "outside_domains" }, { line: 3 }] });
  });

  it("refuses more than the limit as a whole, and an empty list", () => {
    const many = Array.from({ length: ROSTER_LIMIT + 1 }, (_, i) => `a${i}@acme.test`).join("\n");
    const r = parseRoster(many, { domains });
    expect(r).toMatchObject({ ok: false, reason: "too_many" });
    if (!r.ok) expect(r.message).toContain("10,001 distinct addresses; at most 10,000");
    expect(parseRoster(Array.from({ length: ROSTER_LIMIT }, (_, i) => `a${i}@acme.test`).join("\n"), { domains }).ok).toBe(true);
    expect(parseRoster(" \n\n", { domains })).toMatchObject({ ok: false, reason: "empty" });
    expect(parseRoster("nope\nstill nope", { domains })).toMatchObject({ ok: false, reason: "empty", errors: [{ line: 1 }, { line: 2 }] });
  });
});
