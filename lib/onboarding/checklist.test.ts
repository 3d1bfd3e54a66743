import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { getChecklist, setChecklistItem, setTrack } from "./checklist";
import { createOnboarding, getOnboarding, listEvents } from "./store";

const staff = { kind: "staff" as const, label: "Sam" };
const admin = { kind: "brokerage" as const, id: "l1", label: "Ada (brokerage)" };
const vendor = { kind: "vendor" as const, id: "l2", label: "GoDaddy (vendor)" };

describeEachDatabase("server checklist", (handle) => {
  it("keeps ticks from brokerage and vendor with who ticked what; the first tick starts the work", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Acme", contactName: "A", contactEmail: "a@a.test" }, staff);
    await setChecklistItem(db, o.id, "create-service-account-1", true, admin);
    await setChecklistItem(db, o.id, "grant-impersonation-2", true, vendor);
    await setChecklistItem(db, o.id, "create-service-account-1", false, vendor);
    const list = await getChecklist(db, o.id);
    expect(list["create-service-account-1"]).toMatchObject({ checked: false, actorKind: "vendor", actorLabel: "GoDaddy (vendor)" });
    expect(list["grant-impersonation-2"]).toMatchObject({ checked: true, actorKind: "vendor" });
    expect((await getOnboarding(db, o.id))?.state).toBe("in_progress");
    const events = await listEvents(db, o.id);
    expect(events.filter((e) => e.type === "checklist").map((e) => [e.actor.label, e.details])).toEqual([
      ["Ada (brokerage)", { itemId: "create-service-account-1", checked: true }],
      ["GoDaddy (vendor)", { itemId: "grant-impersonation-2", checked: true }],
      ["GoDaddy (vendor)", { itemId: "create-service-account-1", checked: false }],
    ]);
    expect(events.filter((e) => e.toState === "in_progress")).toHaveLength(1);
  });

  it("records the chosen track", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Beta", contactName: "B", contactEmail: "b@b.test" }, staff);
    await setTrack(db, o.id, "exchange-server", admin);
    expect((await getOnboarding(db, o.id))?.track).toBe("exchange-server");
    expect((await listEvents(db, o.id)).map((e) => e.type)).toEqual(["created", "track_chosen", "state_changed"]);
  });
});
