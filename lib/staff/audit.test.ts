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
    expect(r.total).toBe(6);
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
    const count = async (q: string) => (await listAuditEvents(db, { ...all, q })).total;
    expect(await count("50%")).toBe(3);
    expect(await count("%")).toBe(3);
    expect(await count("_")).toBe(0);
    expect(await count("' or 1=1 --")).toBe(0);
  });

  it("pages on the server", async () => {
    const { db } = handle();
    const p1 = await listAuditEvents(db, { ...all, page: 1, pageSize: 4 });
    const p2 = await listAuditEvents(db, { ...all, page: 2, pageSize: 4 });
    const p9 = await listAuditEvents(db, { ...all, page: 9, pageSize: 4 });
    expect([p1.items.length, p2.items.length, p9.items.length]).toEqual([4, 2, 0]);
    expect(p1.pageCount).toBe(2);
    expect(new Set([...p1.items, ...p2.items].map((e) => e.id)).size).toBe(6);
    expect(acme && beta).toBeTruthy();
  });
});
