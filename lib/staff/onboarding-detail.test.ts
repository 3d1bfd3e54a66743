import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createLink, revokeLink } from "@/lib/auth/links";
import { setChecklistItem } from "@/lib/onboarding/checklist";
import { createOnboarding, listEvents, type Actor } from "@/lib/onboarding/store";
import { addContactNote, addStaffNote, checklistProgress, loadOnboardingDetail, NoteError, staffActor, staffTransitions } from "./onboarding-detail";

const staff: Actor = { kind: "staff", id: "s1", label: "Sam Staff" };
const brokerage: Actor = { kind: "brokerage", id: "l1", label: "Brokerage admin (brokerage)" };
const vendor: Actor = { kind: "vendor", id: "l2", label: "GoDaddy (vendor)" };

describeEachDatabase("staff onboarding detail", (handle) => {
  it("is undefined for an unknown id", async () => {
    expect(await loadOnboardingDetail(handle().db, "0000000000aaaaaaaaaaaaaaaa")).toBeUndefined();
  });

  it("gathers the record, its timeline, links and who ticked what", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Acme", contactName: "Ada", contactEmail: "ada@acme.test" }, staff);
    const { link } = await createLink(db, { onboardingId: o.id, kind: "brokerage" }, staff);
    await setChecklistItem(db, o.id, "create-service-account-1", true, brokerage);
    await setChecklistItem(db, o.id, "grant-impersonation-2", true, vendor);
    await setChecklistItem(db, o.id, "find-ews-url-1", true, vendor);
    await setChecklistItem(db, o.id, "find-ews-url-1", false, brokerage);
    const d = (await loadOnboardingDetail(db, o.id))!;
    expect(d.onboarding.state).toBe("in_progress"); // the first tick starts the work
    expect(d.links.map((l) => [l.id, l.kind, l.status])).toEqual([[link.id, "brokerage", "active"]]);
    expect(d.checklist.map((c) => [c.itemId, c.checked, c.actorKind, c.actorLabel])).toEqual([
      ["create-service-account-1", true, "brokerage", "Brokerage admin (brokerage)"],
      ["grant-impersonation-2", true, "vendor", "GoDaddy (vendor)"],
      ["find-ews-url-1", false, "brokerage", "Brokerage admin (brokerage)"],
    ]);
    expect(d.events.filter((e) => e.type === "checklist").map((e) => [e.actor.kind, e.details])).toEqual([
      ["brokerage", { itemId: "create-service-account-1", checked: true }],
      ["vendor", { itemId: "grant-impersonation-2", checked: true }],
      ["vendor", { itemId: "find-ews-url-1", checked: true }],
      ["brokerage", { itemId: "find-ews-url-1", checked: false }],
    ]);
    expect(await checklistProgress(db, "0000000000aaaaaaaaaaaaaaaa")).toEqual([]);
  });

  it("keeps contact and staff notes as events, verbatim, and refuses an unknown onboarding", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Beta", contactName: "B", contactEmail: "b@beta.test" }, staff);
    const hostile = "Called Bob.\n<script>alert(1)</script> '); DROP TABLE events;-- 🏠";
    await addContactNote(db, o.id, { channel: "phone", note: hostile }, staff);
    await addStaffNote(db, o.id, "Prefers email.", staff);
    const events = await listEvents(db, o.id);
    expect(events.slice(-2).map((e) => [e.type, e.details, e.actor.label])).toEqual([
      ["contact_note", { channel: "phone", note: hostile }, "Sam Staff"],
      ["staff_note", { note: "Prefers email." }, "Sam Staff"],
    ]);
    await expect(addStaffNote(db, "0000000000aaaaaaaaaaaaaaaa", "x", staff)).rejects.toBeInstanceOf(NoteError);
    await expect(addContactNote(db, "0000000000aaaaaaaaaaaaaaaa", { channel: "email", note: "x" }, staff)).rejects.toBeInstanceOf(NoteError);
  });

  it("lists revoked links with their status", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Gamma", contactName: "G", contactEmail: "g@g.test" }, staff);
    const { link } = await createLink(db, { onboardingId: o.id, kind: "vendor", label: "GoDaddy" }, staff);
    await revokeLink(db, o.id, link.id, staff);
    expect((await loadOnboardingDetail(db, o.id))!.links.map((l) => [l.label, l.status])).toEqual([["GoDaddy", "revoked"]]);
  });
});

it("offers staff only the hand-made transitions the lifecycle allows, never 'verifying'", () => {
  expect(staffTransitions("invited", "staff")).toEqual(["revoked"]);
  expect(staffTransitions("verified", "staff")).toEqual(["rotation_requested", "revoked"]);
  expect(staffTransitions("needs_attention", "techops")).toEqual(["verified", "revoked"]);
  expect(staffTransitions("submitted", "staff")).toEqual(["revoked"]);
  expect(staffTransitions("revoked", "techops")).toEqual([]);
});

it("records staff actions under their role, id and a recognisable label", () => {
  const session = { staff: { id: "s9", email: "t@moxi.test", name: "Tess", role: "techops" as const, totpEnabled: true, hasPassword: true }, secondFactorDone: true, tokenHash: "h", authMethod: "password" as const, mfaAt: null, oidcCheckedAt: null };
  expect(staffActor(session)).toEqual({ kind: "techops", id: "s9", label: "Tess (MoxiWorks TechOps)" });
});
