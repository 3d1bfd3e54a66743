import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it, vi } from "vitest";
import * as OTPAuth from "otpauth";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createOnboarding, listEvents } from "@/lib/onboarding/store";
import {
  beginTotpEnrolment, completeSetup, confirmTotpEnrolment, createSetupLink, createStaff, readSession, reauthenticate,
  SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, signIn, signOut, verifySecondFactor,
} from "./staff";
import { createLink, extendLink, openLink, readLinkSession, regenerateLink, revokeLink } from "./links";
import { hashToken } from "./secrets";

// TOTP secrets are sealed with the credential key ring, which lives in the data directory.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-auth-"));

const staffActor = { kind: "staff" as const, id: "s", label: "Sam" };
const codeFor = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();

describeEachDatabase("staff auth", (handle) => {
  it("signs in with the right password only, with one generic failure for every wrong case", async () => {
    const { db } = handle();
    await createStaff(db, { email: " Pat@MoxiWorks.test ", role: "staff", password: "correct horse battery" });
    const ok = await signIn(db, "pat@moxiworks.test", "correct horse battery");
    expect(ok).toMatchObject({ ok: true, needsSecondFactor: false, staff: { email: "pat@moxiworks.test", role: "staff" } });
    expect(await signIn(db, "pat@moxiworks.test", "wrong password!!")).toEqual({ ok: false });
    expect(await signIn(db, "nobody@moxiworks.test", "correct horse battery")).toEqual({ ok: false });
    if (!ok.ok) throw new Error();
    const session = await readSession(db, ok.sessionToken);
    expect(session?.staff.email).toBe("pat@moxiworks.test");
    expect(session?.secondFactorDone).toBe(true);
    // only the hash is stored
    const rows = await db.selectFrom("staff_sessions").select("token_hash").execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(ok.sessionToken));
    expect(JSON.stringify(rows)).not.toContain(ok.sessionToken);
    await signOut(db, ok.sessionToken);
    expect(await readSession(db, ok.sessionToken)).toBeUndefined();
  });

  it("expires sessions after the idle and the absolute timeout", async () => {
    const { db } = handle();
    await createStaff(db, { email: "idle@moxiworks.test", role: "staff", password: "correct horse battery" });
    const r = await signIn(db, "idle@moxiworks.test", "correct horse battery");
    if (!r.ok) throw new Error();
    const now = Date.now();
    expect(await readSession(db, r.sessionToken, new Date(now + SESSION_IDLE_MS - 5_000))).toBeDefined();
    expect(await readSession(db, r.sessionToken, new Date(now + 2 * SESSION_IDLE_MS))).toBeUndefined();
    // keep it active, minute by minute, until the absolute limit
    let t = now;
    while (t < now + SESSION_ABSOLUTE_MS - SESSION_IDLE_MS) {
      t += SESSION_IDLE_MS - 60_000;
      expect(await readSession(db, r.sessionToken, new Date(t))).toBeDefined();
    }
    expect(await readSession(db, r.sessionToken, new Date(now + SESSION_ABSOLUTE_MS + 1000))).toBeUndefined();
  });

  it("techops must pass TOTP; setup links are single-use", async () => {
    const { db } = handle();
    const ops = await createStaff(db, { email: "ops@moxiworks.test", role: "techops" });
    const token = await createSetupLink(db, ops.id, "system");
    const setupSession = await completeSetup(db, token, "a long techops password");
    expect(setupSession).toBeTypeOf("string");
    expect(await completeSetup(db, token, "another password here")).toBeUndefined();
    const s = await readSession(db, setupSession!);
    expect(s?.secondFactorDone).toBe(false);
    const { secret, uri } = await beginTotpEnrolment(db, s!.staff);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(await confirmTotpEnrolment(db, s!, "000000")).toBe(false);
    expect(await confirmTotpEnrolment(db, s!, codeFor(secret))).toBe(true);
    // Each code is taken once (lib/auth/second-factor.test.ts): the next uses come 30 s later.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 30_000);
    const stored = await db.selectFrom("staff_users").select("totp_secret").where("id", "=", ops.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(secret); // sealed, not in clear
    expect((await readSession(db, setupSession!))?.secondFactorDone).toBe(true);

    const again = await signIn(db, "ops@moxiworks.test", "a long techops password");
    if (!again.ok) throw new Error();
    expect(again.needsSecondFactor).toBe(true);
    const pending = await readSession(db, again.sessionToken);
    expect(pending?.secondFactorDone).toBe(false);
    expect(await verifySecondFactor(db, pending!, "12345")).toBe(false);
    expect(await verifySecondFactor(db, pending!, codeFor(secret))).toBe(true);
    expect((await readSession(db, again.sessionToken))?.secondFactorDone).toBe(true);
    vi.setSystemTime(Date.now() + 30_000);
    expect(await reauthenticate(db, ops.id, "a long techops password", codeFor(secret))).toBe(true);
    vi.useRealTimers();
    expect(await reauthenticate(db, ops.id, "a long techops password", "000000")).toBe(false);
    expect(await reauthenticate(db, ops.id, "wrong", codeFor(secret))).toBe(false);
  });
});

describeEachDatabase("workspace links", (handle) => {
  it("a link opens into a session for its own onboarding only", async () => {
    const { db } = handle();
    const a = await createOnboarding(db, { brokerageName: "A", contactName: "a", contactEmail: "a@a.test" }, staffActor);
    const b = await createOnboarding(db, { brokerageName: "B", contactName: "b", contactEmail: "b@b.test" }, staffActor);
    const { token, link } = await createLink(db, { onboardingId: a.id, kind: "brokerage" }, staffActor);
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(link.status).toBe("active");
    const opened = await openLink(db, token);
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.onboardingId).toBe(a.id);
    const session = await readLinkSession(db, opened.sessionToken);
    expect(session).toMatchObject({ onboardingId: a.id, kind: "brokerage" });
    expect(session?.onboardingId).not.toBe(b.id);
    const stored = await db.selectFrom("access_tokens").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await listEvents(db, a.id)).map((e) => e.type)).toContain("link_created");
  });

  it("refuses unknown, malformed, expired and revoked links, and kills their sessions", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "C", contactName: "c", contactEmail: "c@c.test" }, staffActor);
    expect(await openLink(db, "x")).toEqual({ ok: false, reason: "unknown" });
    expect(await openLink(db, "' OR 1=1 --")).toEqual({ ok: false, reason: "unknown" });
    expect(await openLink(db, "A".repeat(43))).toEqual({ ok: false, reason: "unknown" });
    const expired = await createLink(db, { onboardingId: o.id, kind: "vendor", ttlDays: -1 }, staffActor);
    expect(await openLink(db, expired.token)).toEqual({ ok: false, reason: "expired" });

    const live = await createLink(db, { onboardingId: o.id, kind: "vendor", label: "GoDaddy" }, staffActor);
    const opened = await openLink(db, live.token);
    if (!opened.ok) throw new Error();
    expect(await revokeLink(db, o.id, live.link.id, staffActor)).toBe(true);
    expect(await openLink(db, live.token)).toEqual({ ok: false, reason: "revoked" });
    // a stolen cookie replayed after revoke
    expect(await readLinkSession(db, opened.sessionToken)).toBeUndefined();
  });

  it("extends and regenerates", async () => {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "D", contactName: "d", contactEmail: "d@d.test" }, staffActor);
    const other = await createOnboarding(db, { brokerageName: "E", contactName: "e", contactEmail: "e@e.test" }, staffActor);
    const first = await createLink(db, { onboardingId: o.id, kind: "brokerage" }, staffActor);
    const newExpiry = await extendLink(db, o.id, first.link.id, 10, staffActor);
    expect(Date.parse(newExpiry!)).toBeGreaterThan(Date.parse(first.link.expiresAt));
    expect(await extendLink(db, other.id, first.link.id, 10, staffActor)).toBeUndefined(); // wrong onboarding
    const second = await regenerateLink(db, o.id, first.link.id, staffActor);
    expect(second?.token).not.toBe(first.token);
    expect(await openLink(db, first.token)).toEqual({ ok: false, reason: "revoked" });
    expect((await openLink(db, second!.token)).ok).toBe(true);
  });
});
