import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { appendEvent, createOnboarding, type Actor } from "@/lib/onboarding/store";
import { listAuditEvents } from "./audit";
import { parseAuditParams } from "./params";

const staff: Actor = { kind: "staff", id: "s1", label: "Sam Staff" };
const vendor: Actor = { kind: "vendor", id: "l2", label: "GoDaddy (vendor)" };
const all = parseAuditParams({});

describeEachDatabase("audit log", (handle) => {
  let acme = "";
  let beta = "";

  it("lists every event newest first, with the brokerage name", async () => {
    const { db } = handle();
    acme = (await createOnboarding(db, { brokerageName: "Acme 50% Realty", contactName: "Ada", contactEmail: "ada@acme.test" }, staff)).id;
    beta = (await createOnboarding(db, { brokerageName: "Beta Homes", contactName: "Bob", contactEmail: "bob@beta.test" }, staff)).id;
    await appendEvent(db, { onboardingId: acme, type: "contact_note", actor: staff, details: { channel: "phone", note: "hi" }, at: "2026-02-01T10:00:00.000Z" });
    await appendEvent(db, { onboardingId: beta, type: "checklist", actor: vendor, details: { itemId: "a", checked: true }, at: "2026-02-02T23:59:59.999Z" });
    await appendEvent(db, { onboardingId: acme, type: "checklist", actor: vendor, details: { itemId: "b", checked: true }, at: "2026-02-03T00:00:00.000Z" });
    await appendEvent(db, { onboardingId: null, type: "key_rotated", actor: { kind: "system", label: "keys" }, at: "2026-01-15T00:00:00.000Z" });
    const r = await listAuditEvents(db, all);
    expect(r.items).toHaveLength(6);
    expect([r.newer, r.older]).toEqual([null, null]);
    const times = r.items.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(r.items.find((e) => e.type === "contact_note")).toMatchObject({ brokerageName: "Acme 50% Realty", details: { note: "hi" }, actor: { kind: "staff", label: "Sam Staff" } });
    expect(r.items.find((e) => e.type === "key_rotated")).toMatchObject({ onboardingId: null, brokerageName: null });
  });

  it("filters by type, actor kind, onboarding and whole UTC days", async () => {
    const { db } = handle();
    const types = async (p: Record<string, string>) => (await listAuditEvents(db, parseAuditParams(p))).items.map((e) => `${e.type}:${e.brokerageName}`);
    expect(await types({ type: "checklist" })).toEqual(["checklist:Acme 50% Realty", "checklist:Beta Homes"]);
    expect(await types({ actor: "vendor", q: "beta" })).toEqual(["checklist:Beta Homes"]);
    expect(await types({ q: "ada@acme" })).toHaveLength(3);
    expect(await types({ from: "2026-02-02", to: "2026-02-02" })).toEqual(["checklist:Beta Homes"]);
    expect(await types({ from: "2026-02-01", to: "2026-02-03" })).toHaveLength(3);
    expect(await types({ to: "2026-01-31" })).toEqual(["key_rotated:null"]);
    expect(await types({ type: "checklist", actor: "staff" })).toEqual([]);
  });

  it("matches search text literally, hostile characters included", async () => {
    const { db } = handle();
    const count = async (q: string) => (await listAuditEvents(db, { ...all, q })).items.length;
    expect(await count("50%")).toBe(3);
    expect(await count("%")).toBe(3);
    expect(await count("_")).toBe(0);
    expect(await count("' or 1=1 --")).toBe(0);
  });

  it("pages by keyset: older and newer cursors walk the whole log once, in order", async () => {
    const { db } = handle();
    // Two events in the same millisecond: the id breaks the tie, so neither is skipped nor repeated.
    await appendEvent(db, { onboardingId: beta, type: "contact_note", actor: staff, at: "2026-02-01T10:00:00.000Z" });
    const everything = (await listAuditEvents(db, { ...all, pageSize: 200 })).items.map((e) => e.id);
    expect(everything).toHaveLength(7);
    const seen: string[] = [];
    let page = await listAuditEvents(db, { ...all, pageSize: 3 });
    expect(page.newer).toBeNull();
    const pages = [page];
    while (page.older) {
      page = await listAuditEvents(db, { ...parseAuditParams({ before: page.older }), pageSize: 3 });
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.items.map((e) => e.id));
    expect(seen).toEqual(everything);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages[2]!.older).toBeNull();
    // And back up from the last page: "newer" gives exactly the page before it.
    const back = await listAuditEvents(db, { ...parseAuditParams({ after: pages[2]!.newer! }), pageSize: 3 });
    expect(back.items.map((e) => e.id)).toEqual(pages[1]!.items.map((e) => e.id));
    const top = await listAuditEvents(db, { ...parseAuditParams({ after: back.newer! }), pageSize: 3 });
    expect(top.items.map((e) => e.id)).toEqual(pages[0]!.items.map((e) => e.id));
    expect(top.newer).toBeNull();
    // Filters apply on every page.
    const checklist = await listAuditEvents(db, { ...parseAuditParams({ type: "checklist" }), pageSize: 1 });
    const next = await listAuditEvents(db, { ...parseAuditParams({ type: "checklist", before: checklist.older! }), pageSize: 1 });
    expect([...checklist.items, ...next.items].map((e) => e.type)).toEqual(["checklist", "checklist"]);
    expect(next.older).toBeNull();
  });

  it("a malformed cursor reads as none: the newest page", async () => {
    const { db } = handle();
    const newest = (await listAuditEvents(db, all)).items.map((e) => e.id);
    for (const bad of ["x", "2026-02-01T10:00:00.000Z", "2026-02-31T10:00:00.000Z~abc", "2026-02-01T10:00:00.000Z~' or 1=1 --", `2026-02-01T10:00:00.000Z~${"a".repeat(200)}`, "2026-13-01T99:00:00.000Z~a"]) {
      for (const key of ["before", "after"]) {
        const params = parseAuditParams({ [key]: bad });
        expect(params.cursor).toBeUndefined();
        expect((await listAuditEvents(db, params)).items.map((e) => e.id)).toEqual(newest);
      }
    }
    expect(acme && beta).toBeTruthy();
  });
});
