import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createLink, readLinkSession, revokeLink } from "@/lib/auth/links";
import { createOnboarding, getOnboarding, listEvents } from "./store";
import { openWorkspace } from "./open-workspace";

const staff = { kind: "staff" as const, id: "s", label: "Sam" };

describeEachDatabase("opening a workspace link", (handle) => {
  it("gives a link session and moves the onboarding from invited to in progress on the first visit only", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Open Realty", contactName: "Ada", contactEmail: "ada@open.test" }, staff);
    expect((await getOnboarding(db, o.id))?.state).toBe("invited");
    const brokerage = await createLink(db, { onboardingId: o.id, kind: "brokerage" }, staff);
    const opened = await openWorkspace(db, brokerage.token, "client-b");
    if (!opened.ok) throw new Error(opened.reason);
    expect((await readLinkSession(db, opened.sessionToken))?.onboardingId).toBe(o.id);
    expect((await getOnboarding(db, o.id))?.state).toBe("in_progress");
    const transitions = async () => (await listEvents(db, o.id)).filter((e) => e.type === "state_changed").length;
    const before = await transitions();
    const vendor = await createLink(db, { onboardingId: o.id, kind: "vendor" }, staff);
    expect((await openWorkspace(db, vendor.token, "client-v")).ok).toBe(true);
    expect((await openWorkspace(db, brokerage.token, "client-b")).ok).toBe(true);
    expect((await getOnboarding(db, o.id))?.state).toBe("in_progress");
    expect(await transitions()).toBe(before);
  });

  it("refuses unknown, malformed and revoked links with their reason, and a client guessing links is slowed", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Guess Realty", contactName: "Ada", contactEmail: "ada@guess.test" }, staff);
    const { token, link } = await createLink(db, { onboardingId: o.id, kind: "brokerage" }, staff);
    await revokeLink(db, o.id, link.id, staff);
    expect(await openWorkspace(db, token, "client-r")).toEqual({ ok: false, reason: "revoked" });
    for (const bad of ["", "x".repeat(5000), "../../etc/passwd", "%00", token.slice(0, -1) + (token.endsWith("a") ? "b" : "a")]) {
      expect(await openWorkspace(db, bad, "client-r"), bad.slice(0, 20)).toEqual({ ok: false, reason: "unknown" });
    }
    const answers: string[] = [];
    for (let i = 0; i < 62; i++) {
      const r = await openWorkspace(db, "guess".padEnd(43, String(i % 10)), "client-guess");
      answers.push(r.ok ? "ok" : r.reason);
    }
    expect(answers.filter((r) => r === "busy")).toHaveLength(2); // 60 a minute (lib/auth/rate-limit.ts)
    expect(answers.slice(0, 60).every((r) => r === "unknown")).toBe(true);
  });
});
