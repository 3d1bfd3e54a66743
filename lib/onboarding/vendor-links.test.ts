import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { listLinks } from "@/lib/auth/links";
import { createOnboarding, transition } from "./store";
import { createVendorLink } from "./vendor-links";

const staff = { kind: "staff" as const, id: "s1", label: "Sam Staff" };
const brokerage = { kind: "brokerage" as const, label: "Brokerage admin" };

describeEachDatabase("vendor links", (handle) => {
  it("a burst of 30 gets 10 links and then a clear refusal (was 30 of 30)", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Burst Realty", contactName: "Ada", contactEmail: "ada@burst.test" }, staff);
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await createVendorLink(db, { onboardingId: o.id, label: `Vendor ${i}` }, brokerage, `client-${i}`));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.slice(10).every((r) => !r.ok && r.code === "rate_limited")).toBe(true);
    expect((await listLinks(db, o.id)).filter((l) => l.kind === "vendor")).toHaveLength(10);
  });

  it("one client cannot spread a burst over many onboardings", async () => {
    const { db } = handle();
    const client = `spreader-${Math.random()}`;
    const results = [];
    for (let i = 0; i < 25; i++) {
      const o = await createOnboarding(db, { brokerageName: `Spread ${i}`, contactName: "Ada", contactEmail: `ada${i}@spread.test` }, staff);
      results.push(await createVendorLink(db, { onboardingId: o.id, label: "IT company" }, brokerage, client));
    }
    expect(results.filter((r) => r.ok)).toHaveLength(20);
  });

  it("refuses an unknown or revoked onboarding", async () => {
    const { db } = handle();
    expect(await createVendorLink(db, { onboardingId: "01xxxxxxxxxxxxxxxxxxxxxxxx", label: "x" }, brokerage, "c")).toEqual({ ok: false, code: "not_found" });
    const o = await createOnboarding(db, { brokerageName: "Closed Realty", contactName: "Ada", contactEmail: "ada@closed.test" }, staff);
    await transition(db, o.id, "revoked", staff, { reason: "test" });
    expect(await createVendorLink(db, { onboardingId: o.id, label: "x" }, brokerage, "c2")).toEqual({ ok: false, code: "illegal_transition" });
  });
});
