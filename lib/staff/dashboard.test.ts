import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { appendEvent, createOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import { formatDuration, funnel, loadDashboard, rosterReachText, timeInState, TIME_IN_STATE_SAMPLE } from "./dashboard";
import { parseDashboardParams } from "./params";
import { rebuildTallies } from "@/lib/onboarding/tallies";

const staff: Actor = { kind: "staff", id: "s1", label: "Sam Staff" };
const brokerage: Actor = { kind: "brokerage", label: "Brokerage admin" };
const T0 = Date.parse("2026-03-02T09:00:00.000Z");
const at = (hours: number) => new Date(T0 + hours * 3600_000).toISOString();

describeEachDatabase("dashboard figures (empty database)", (handle) => {
  it("shows zeros, an empty funnel and no times", async () => {
    const { db } = handle();
    const d = await loadDashboard(db, parseDashboardParams({}));
    expect(d.totalOnboardings).toBe(0);
    expect(d.list).toMatchObject({ items: [], total: 0, page: 1, pageCount: 1 });
    expect(Object.values(d.counts).every((n) => n === 0)).toBe(true);
    expect(d.funnel.every((s) => s.reached === 0)).toBe(true);
    expect(d.timeInState.every((t) => t.finished.count === 0 && t.current.count === 0)).toBe(true);
  });
});

describeEachDatabase("dashboard figures", (handle) => {
  /**
   * A: invited 1h → in progress 2h → submitted (still, 7h so far)
   * B: invited 3h → in progress (still, 7h so far)
   * C: invited (still, 10h so far)
   * Written with explicit times, the way the store writes them (one event per state change).
   */
  async function seed() {
    const { db } = handle();
    const ids: string[] = [];
    for (const name of ["Alpha Realty", "Beta Homes", "Gamma Estates"]) {
      const o = await createOnboarding(db, { brokerageName: name, contactName: "C", contactEmail: "c@x.test" }, staff);
      await db.updateTable("events").set({ created_at: at(0) }).where("onboarding_id", "=", o.id).execute();
      ids.push(o.id);
    }
    const [a, b] = ids as [string, string, string];
    const move = async (id: string, from: string, to: string, hours: number, actor = brokerage) => {
      await appendEvent(db, { onboardingId: id, type: "state_changed", actor, fromState: from as never, toState: to as never, at: at(hours) });
      await db.updateTable("onboardings").set({ state: to }).where("id", "=", id).execute();
    };
    await move(a, "invited", "in_progress", 1);
    await move(a, "in_progress", "submitted", 3);
    await move(b, "invited", "in_progress", 3);
    // A checklist tick is an event without a state change: it must not end a stay.
    await appendEvent(db, { onboardingId: b, type: "checklist", actor: brokerage, details: { itemId: "x", checked: true }, at: at(4) });
    // The moves above bypass the store (explicit times), so the kept tallies are rebuilt the way a bulk load does.
    await rebuildTallies(db);
    return ids;
  }

  it("counts how many onboardings reached each stage, once each", async () => {
    const { db } = handle();
    await seed();
    expect(await funnel(db)).toEqual([
      { state: "invited", reached: 3 },
      { state: "in_progress", reached: 2 },
      { state: "submitted", reached: 1 },
      { state: "verifying", reached: 0 },
      { state: "verified", reached: 0 },
    ]);
  });

  it("gives the median time in each state, finished stays apart from current ones", async () => {
    const { db } = handle();
    const { rows, since } = await timeInState(db, new Date(at(10)));
    expect(since).toBe(at(0));
    const get = (s: string) => rows.find((r) => r.state === s)!;
    expect(get("invited").finished).toEqual({ count: 2, medianSeconds: 2 * 3600 }); // 1h and 3h
    expect(get("invited").current.count).toBe(1);
    expect(get("invited").current.medianSeconds).toBeCloseTo(10 * 3600, 0);
    expect(get("in_progress").finished.count).toBe(1);
    expect(get("in_progress").finished.medianSeconds).toBeCloseTo(2 * 3600, 0);
    expect(get("in_progress").current.medianSeconds).toBeCloseTo(7 * 3600, 0);
    expect(get("submitted").current).toMatchObject({ count: 1 });
    expect(get("verified")).toEqual({ state: "verified", finished: { count: 0, medianSeconds: null }, current: { count: 0, medianSeconds: null } });
    expect(rows.map((r) => r.state)).not.toContain("revoked");
  });

  it("loads the first page, counts and charts together; filters and pages on the server", async () => {
    const { db } = handle();
    const d = await loadDashboard(db, parseDashboardParams({}), new Date(at(10)));
    expect(d.totalOnboardings).toBe(3);
    expect(d.counts).toMatchObject({ invited: 1, in_progress: 1, submitted: 1, verified: 0, revoked: 0 });
    const filtered = await loadDashboard(db, parseDashboardParams({ q: "beta", state: "in_progress" }));
    expect(filtered.list.items.map((o) => o.brokerageName)).toEqual(["Beta Homes"]);
    const none = await loadDashboard(db, parseDashboardParams({ q: "beta", state: "invited" }));
    expect(none.list.total).toBe(0);
    const sorted = await loadDashboard(db, parseDashboardParams({ sort: "name_asc" }));
    expect(sorted.list.items.map((o) => o.brokerageName)).toEqual(["Alpha Realty", "Beta Homes", "Gamma Estates"]);
    const beyond = await loadDashboard(db, parseDashboardParams({ page: "99" }));
    expect(beyond.list).toMatchObject({ items: [], total: 3, page: 99, pageCount: 1 });
  });

  it("a revoke through the lifecycle shows in counts and leaves the funnel's history alone", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Delta", contactName: "D", contactEmail: "d@x.test" }, staff);
    await transition(db, o.id, "revoked", staff, { reason: "duplicate" });
    const d = await loadDashboard(db, parseDashboardParams({ state: "revoked" }));
    expect(d.counts.revoked).toBe(1);
    expect(d.list.items.map((i) => i.id)).toEqual([o.id]);
    expect(d.funnel[0]).toEqual({ state: "invited", reached: 4 });
  });

  it("draws time in state from the latest state changes only, and still finds where each of those stays ended", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Zeta", contactName: "Z", contactEmail: "z@x.test" }, staff);
    // Push the sample past everything written so far: TIME_IN_STATE_SAMPLE later state changes, a minute apart.
    const base = Date.now() + 86400_000;
    const later = Array.from({ length: TIME_IN_STATE_SAMPLE }, (_, i) => ({
      id: `zz${String(i).padStart(24, "0")}`, onboarding_id: o.id, type: "state_changed", actor_kind: "system", actor_id: null, actor_label: "bench",
      from_state: i % 2 ? "verified" : "verifying", to_state: i % 2 ? "verifying" : "verified", reason: "", details: "{}", created_at: new Date(base + i * 60_000).toISOString(),
    }));
    for (let i = 0; i < later.length; i += 500) await db.insertInto("events").values(later.slice(i, i + 500)).execute();
    const { rows, since } = await timeInState(db, new Date(base + 10 * 86400_000));
    expect(since).toBe(new Date(base).toISOString());
    const get = (s: string) => rows.find((r) => r.state === s)!;
    expect(get("invited")).toMatchObject({ finished: { count: 0 }, current: { count: 0 } }); // older stays left out
    expect(get("verified").finished.count + get("verifying").finished.count).toBe(TIME_IN_STATE_SAMPLE - 1);
    expect(get("verified").finished.medianSeconds).toBeCloseTo(60, 0);
    await db.deleteFrom("events").where("id", "like", "zz%").execute();
  });

  it("treats hostile search text as plain characters", async () => {
    const { db } = handle();
    for (const q of ["%", "_", "\\", "' or 1=1 --", "<script>", "\u202egnp.exe"]) {
      const d = await loadDashboard(db, parseDashboardParams({ q }));
      expect(d.list.total, q).toBe(0);
    }
  });
});

it("formats durations the way a person would say them", () => {
  expect(formatDuration(null)).toBe("—");
  expect(formatDuration(0.2)).toBe("under a second");
  expect(formatDuration(45)).toBe("45 seconds");
  expect(formatDuration(60)).toBe("1 minute");
  expect(formatDuration(5400)).toBe("1.5 hours");
  expect(formatDuration(86400 * 3)).toBe("3 days");
  expect(formatDuration(86400 * 12.4)).toBe("12 days");
});

describeEachDatabase("dashboard: agents reachable N of M (issue 16)", (handle) => {
  let n = 0;
  async function check(onboardingId: string, state: string, reachable: number | null, total: number | null, finishedHoursAgo: number | null) {
    const finished = finishedHoursAgo === null ? null : new Date(Date.now() - finishedHoursAgo * 3600_000).toISOString();
    await handle()
      .db.insertInto("roster_checks")
      .values({ id: `rc-${++n}`, onboarding_id: onboardingId, state, scope: "all", track: "ews", total: total ?? 0, requested_by: "test", created_at: finished ?? new Date().toISOString(), started_at: finished, finished_at: finished, holder: null, lease_until: null, cancel_requested: 0, access_failure: state === "failed" ? "auth_failed" : null, roster_reachable: reachable, roster_total: total })
      .execute();
  }

  it("shows the latest finished check's figures, — when none, and sorts the smallest share first", async () => {
    const { db } = handle();
    const ids: Record<string, string> = {};
    for (const name of ["Reach A", "Reach B", "Reach C", "Reach D"]) ids[name] = (await createOnboarding(db, { brokerageName: name, contactName: "C", contactEmail: "c@x.test" }, staff)).id;
    // A: 10 of 10 two days ago, 2 of 10 since (the latest counts).
    await check(ids["Reach A"]!, "done", 10, 10, 48);
    await check(ids["Reach A"]!, "done", 2, 10, 1);
    // B: 9 of 10; a later cancelled check and one under way change nothing.
    await check(ids["Reach B"]!, "done", 9, 10, 5);
    await check(ids["Reach B"]!, "cancelled", 0, 10, 2);
    await check(ids["Reach B"]!, "running", null, null, null);
    // C: only a check under way: none finished yet.
    await check(ids["Reach C"]!, "running", null, null, null);
    // D: the access itself failed: 0 of 5.
    await check(ids["Reach D"]!, "failed", 0, 5, 3);

    const d = await loadDashboard(db, parseDashboardParams({ q: "reach", sort: "reach_asc" }));
    expect(d.list.items.map((o) => o.brokerageName)).toEqual(["Reach D", "Reach A", "Reach B", "Reach C"]);
    expect(d.rosterReach).toEqual({ [ids["Reach A"]!]: { reachable: 2, total: 10 }, [ids["Reach B"]!]: { reachable: 9, total: 10 }, [ids["Reach D"]!]: { reachable: 0, total: 5 } });
    expect(["Reach A", "Reach B", "Reach C", "Reach D"].map((name) => rosterReachText(d.rosterReach[ids[name]!]))).toEqual(["2 of 10", "9 of 10", "—", "0 of 5"]);
    // Ties and onboardings without a check keep the latest activity first.
    const e = await createOnboarding(db, { brokerageName: "Reach E", contactName: "C", contactEmail: "c@x.test" }, staff);
    await check(e.id, "done", 1, 5, 1); // 20 %, like A
    await db.updateTable("onboardings").set({ last_activity_at: "2000-01-01T00:00:00.000Z" }).where("id", "=", e.id).execute();
    const again = await loadDashboard(db, parseDashboardParams({ q: "reach", sort: "reach_asc" }));
    expect(again.list.items.map((o) => o.brokerageName)).toEqual(["Reach D", "Reach A", "Reach E", "Reach B", "Reach C"]);
  });

});

describeEachDatabase("dashboard: agents reachable, no roster check anywhere", (handle) => {
  it("every row shows —, and sorting by it keeps the latest activity first", async () => {
    const { db } = handle();
    for (const [i, name] of ["None A", "None B", "None C"].entries()) {
      const o = await createOnboarding(db, { brokerageName: name, contactName: "C", contactEmail: "c@x.test" }, staff);
      await db.updateTable("onboardings").set({ last_activity_at: at(i) }).where("id", "=", o.id).execute();
    }
    const plain = await loadDashboard(db, parseDashboardParams({ sort: "reach_asc" }));
    expect(plain.list.items.map((o) => o.brokerageName)).toEqual(["None C", "None B", "None A"]);
    expect(plain.rosterReach).toEqual({});
    expect(plain.list.items.map((o) => rosterReachText(plain.rosterReach[o.id]))).toEqual(["—", "—", "—"]);
  });
});
