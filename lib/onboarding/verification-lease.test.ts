import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { onboardingIn } from "@/lib/credentials/testing/fixtures";
import { claimVerification, releaseVerification, renewVerification, staleVerifications, VERIFICATION_LEASE_MS } from "./verification-lease";

describeEachDatabase("verification lease", (handle) => {
  it("one holder at a time; a lease renewed stays, one not renewed can be taken over; release frees it", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "verified");
    const t0 = new Date();
    const later = (ms: number) => new Date(t0.getTime() + ms);
    expect(await claimVerification(db, id, "a", ["verified"], t0)).toBe(true);
    expect(await claimVerification(db, id, "b", ["verified"], later(1000))).toBe(false);
    // A renews before the lease runs out: B still cannot take it where it would have expired.
    expect(await renewVerification(db, id, "a", later(VERIFICATION_LEASE_MS - 1000))).toBe(true);
    expect(await claimVerification(db, id, "b", ["verified"], later(VERIFICATION_LEASE_MS + 1000))).toBe(false);
    // A stops renewing: once stale, B takes over, and A's renewal now fails (it lost the lease).
    expect(await claimVerification(db, id, "b", ["verified"], later(2 * VERIFICATION_LEASE_MS))).toBe(true);
    expect(await renewVerification(db, id, "a", later(2 * VERIFICATION_LEASE_MS + 1))).toBe(false);
    await releaseVerification(db, id, "a"); // not A's any more: no effect
    expect(await claimVerification(db, id, "c", ["verified"], later(2 * VERIFICATION_LEASE_MS + 2))).toBe(false);
    await releaseVerification(db, id, "b");
    expect(await claimVerification(db, id, "c", ["verified"], later(2 * VERIFICATION_LEASE_MS + 3))).toBe(true);
    // Only in the states asked for.
    await releaseVerification(db, id, "c");
    expect(await claimVerification(db, id, "d", ["submitted"], later(0))).toBe(false);
  });

  it("an onboarding left verifying without a live lease is stale; one with a live lease is not", async () => {
    const { db } = handle();
    const stuck = await onboardingIn(db, "submitted");
    await db.updateTable("onboardings").set({ state: "verifying" }).where("id", "=", stuck).execute(); // as before leases
    const live = await onboardingIn(db, "submitted");
    expect(await claimVerification(db, live, "x", ["submitted"])).toBe(true);
    await db.updateTable("onboardings").set({ state: "verifying" }).where("id", "=", live).execute();
    const now = new Date();
    expect(await staleVerifications(db, now)).toContain(stuck);
    expect(await staleVerifications(db, now)).not.toContain(live);
    expect(await staleVerifications(db, new Date(now.getTime() + VERIFICATION_LEASE_MS + 1))).toContain(live);
  });
});
