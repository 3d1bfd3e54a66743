import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { changeState } from "@/lib/verification/controls";
import { createOnboarding, transition, TransitionError, type Actor } from "./store";
import { migrations } from "@/lib/db/migrations";
import { checkTallies, readTallies, rebuildTallies, recountTallies } from "./tallies";

const staff: Actor = { kind: "staff", id: "s1", label: "Sam Staff" };
const brokerage: Actor = { kind: "brokerage", label: "Brokerage admin" };
const system: Actor = { kind: "system", label: "verification" };

describeEachDatabase("kept state tallies", (handle) => {
  const agree = async () => {
    const { db } = handle();
    expect(await checkTallies(db)).toEqual([]);
    expect(await readTallies(db)).toEqual(await recountTallies(db));
  };
  let a = "";
  let b = "";

  it("follow creations, state changes (a loop back included) and revokes", async () => {
    const { db } = handle();
    a = (await createOnboarding(db, { brokerageName: "Alpha", contactName: "A", contactEmail: "a@x.test" }, staff)).id;
    b = (await createOnboarding(db, { brokerageName: "Beta", contactName: "B", contactEmail: "b@x.test" }, staff)).id;
    await createOnboarding(db, { brokerageName: "Gamma", contactName: "G", contactEmail: "g@x.test" }, staff);
    await agree();
    await transition(db, a, "in_progress", brokerage);
    await transition(db, a, "submitted", brokerage);
    await transition(db, a, "verifying", system);
    await transition(db, a, "needs_attention", system);
    await transition(db, a, "submitted", brokerage);
    await transition(db, a, "verifying", system); // reached "verifying" again: the funnel counts it once
    await transition(db, a, "verified", system);
    await transition(db, b, "in_progress", brokerage);
    await changeState(db, b, "revoked", staff, "Duplicate of Alpha");
    await agree();
    const t = await readTallies(db);
    expect(t.current).toMatchObject({ invited: 1, in_progress: 0, verified: 1, revoked: 1 });
    expect(t.reached).toMatchObject({ invited: 3, in_progress: 2, submitted: 1, verifying: 1, verified: 1, needs_attention: 1, revoked: 1 });
  });

  it("are untouched by refused changes and by a transaction that fails after the change", async () => {
    const { db } = handle();
    const before = await readTallies(db);
    await expect(transition(db, a, "invited", brokerage)).rejects.toBeInstanceOf(TransitionError);
    await expect(transition(db, b, "in_progress", brokerage)).rejects.toBeInstanceOf(TransitionError); // revoked is final
    // A crash mid-transaction: the change and its tally land, then the work throws; both roll back together.
    const g = (await createOnboarding(db, { brokerageName: "Delta", contactName: "D", contactEmail: "d@x.test" }, staff)).id;
    const afterCreate = await readTallies(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await transition(db, g, "in_progress", brokerage, { trx });
        await transition(db, g, "submitted", brokerage, { trx });
        throw new Error("crash after the transition");
      }),
    ).rejects.toThrow("crash after the transition");
    expect(await readTallies(db)).toEqual(afterCreate);
    expect((await db.selectFrom("onboardings").select("state").where("id", "=", g).executeTakeFirstOrThrow()).state).toBe("invited");
    await agree();
    expect(afterCreate.current.invited).toBe(before.current.invited + 1);
    // The same onboarding can still move afterwards, and "reached in progress" counts it now, not at the crash.
    await transition(db, g, "in_progress", brokerage);
    expect((await readTallies(db)).reached.in_progress).toBe(afterCreate.reached.in_progress + 1);
    await agree();
  });

  it("keep up with concurrent changes to one onboarding (one wins, the others are stale)", async () => {
    const { db } = handle();
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createOnboarding(db, { brokerageName: `Epsilon ${i}`, contactName: "E", contactEmail: `e${i}@x.test` }, staff).then((o) => o.id)),
    );
    const results = await Promise.allSettled(ids.flatMap((id) => [transition(db, id, "in_progress", brokerage), transition(db, id, "in_progress", brokerage)]));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    await agree();
  });

  it("the check reports a difference when the kept figures drift, and a rebuild repairs them", async () => {
    const { db } = handle();
    // Something wrote a state behind the store's back.
    await db.updateTable("onboardings").set({ state: "verified" }).where("id", "=", a).execute();
    await db.updateTable("onboardings").set({ state: "submitted" }).where("id", "=", a).execute();
    const diff = await checkTallies(db);
    expect(diff).toEqual([
      { kind: "current", state: "submitted", kept: expect.any(Number), recomputed: expect.any(Number) },
      { kind: "current", state: "verified", kept: expect.any(Number), recomputed: expect.any(Number) },
    ]);
    expect(diff[0]!.recomputed - diff[0]!.kept).toBe(1);
    await rebuildTallies(db);
    await agree();
  });

  it("migration 025 fills them from the data already there (a database upgraded with history)", async () => {
    const { db } = handle();
    const expected = await recountTallies(db);
    expect(expected.reached.verified).toBeGreaterThan(0);
    const m = migrations["025_state_tallies"]!;
    await m.down!(db as never);
    await m.up(db as never);
    expect(await readTallies(db)).toEqual(expected);
    await agree();
  });
});
