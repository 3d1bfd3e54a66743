import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { isReadyAndMigrated, migrateToLatest } from "@/lib/db/connect";
import { appendEvent, countByState, createOnboarding, getOnboarding, listEvents, listOnboardings, transition, TransitionError } from "./store";

const staff = { kind: "staff" as const, id: "s1", label: "Sam Staff" };
const brokerage = { kind: "brokerage" as const, label: "Brokerage admin" };

describeEachDatabase("onboarding store", (handle) => {
  it("is migrated, and migrating again changes nothing", async () => {
    const { db } = handle();
    expect(await isReadyAndMigrated(db)).toBe(true);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it("creates an onboarding with its 'created' event in one go", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Acme Realty", contactName: "Ada", contactEmail: "ada@acme.test" }, staff);
    expect(o.state).toBe("invited");
    expect(await getOnboarding(db, o.id)).toEqual(o);
    const events = await listEvents(db, o.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "created", toState: "invited", actor: { kind: "staff", id: "s1", label: "Sam Staff" } });
  });

  it("stores hostile strings verbatim", async () => {
    const { db } = handle();
    const name = `Robert'); DROP TABLE onboardings;-- <script>alert(1)</script> 🏠 \u202e`;
    const o = await createOnboarding(db, { brokerageName: name, contactName: "x", contactEmail: "x@y.test", notes: "%_\\" }, staff);
    expect((await getOnboarding(db, o.id))?.brokerageName).toBe(name);
    expect((await listOnboardings(db, { search: "%_\\" })).total).toBe(0);
    expect((await listOnboardings(db, { search: "drop table" })).items.map((i) => i.id)).toContain(o.id);
  });

  it("applies legal transitions with an event and refuses illegal ones without writing", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Beta Homes", contactName: "B", contactEmail: "b@beta.test" }, staff);
    await transition(db, o.id, "in_progress", brokerage);
    await expect(transition(db, o.id, "verified", brokerage)).rejects.toMatchObject({ code: "illegal_transition" });
    await expect(transition(db, o.id, "submitted", staff)).rejects.toBeInstanceOf(TransitionError);
    await expect(transition(db, o.id, "revoked", staff)).rejects.toMatchObject({ code: "reason_required" });
    const after = await transition(db, o.id, "revoked", staff, { reason: "duplicate" });
    expect(after.state).toBe("revoked");
    const events = await listEvents(db, o.id);
    expect(events.map((e) => [e.fromState, e.toState])).toEqual([[null, "invited"], ["invited", "in_progress"], ["in_progress", "revoked"]]);
    expect(events[2]?.reason).toBe("duplicate");
    await expect(transition(db, "missing", "in_progress", brokerage)).rejects.toMatchObject({ code: "not_found" });
  });

  it("a concurrent change makes only one transition land", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Gamma", contactName: "G", contactEmail: "g@g.test" }, staff);
    const results = await Promise.allSettled([
      transition(db, o.id, "in_progress", brokerage),
      transition(db, o.id, "in_progress", brokerage),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await listEvents(db, o.id)).filter((e) => e.toState === "in_progress")).toHaveLength(1);
  });

  it("lists with search, state filter, sort and pagination; counts per state", async () => {
    const { db } = handle();
    for (let i = 0; i < 7; i++) {
      const o = await createOnboarding(db, { brokerageName: `Paging Realty ${i}`, contactName: "P", contactEmail: `p${i}@paging.test` }, staff);
      await appendEvent(db, { onboardingId: o.id, type: "note", actor: staff, at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() });
    }
    const page1 = await listOnboardings(db, { search: "PAGING", pageSize: 3, sort: "activity_asc" });
    expect(page1.total).toBe(7);
    expect(page1.items.map((i) => i.brokerageName)).toEqual(["Paging Realty 0", "Paging Realty 1", "Paging Realty 2"]);
    const page3 = await listOnboardings(db, { search: "paging", pageSize: 3, page: 3, sort: "activity_asc" });
    expect(page3.items.map((i) => i.brokerageName)).toEqual(["Paging Realty 6"]);
    const revoked = await listOnboardings(db, { state: "revoked" });
    expect(revoked.items.every((i) => i.state === "revoked")).toBe(true);
    const counts = await countByState(db);
    expect(counts.invited).toBeGreaterThanOrEqual(7);
  });
});

describe("connect", () => {
  it("names the database without leaking a password", async () => {
    const { connect } = await import("@/lib/db/connect");
    const h = connect({ databaseUrl: "postgres://user:s3cret@db.example:6543/app", dataDir: "/tmp" });
    expect(h.description).toBe("postgres at db.example:6543/app");
    await h.close();
  });
});
