import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import * as OTPAuth from "otpauth";
import { describeEachDatabase } from "@/lib/testing/databases";
import { totpCodeSchema } from "@/lib/validation/staff";
import { passSecondFactor } from "./second-factor";
import { attemptSignIn } from "./sign-in";
import { beginTotpEnrolment, completeSetup, createSetupLink, createStaff, readSession, reauthenticate, signIn } from "./staff";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-2fa-"));

const codeAt = (secret: string, ms: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: ms });
const wrongCode = (secret: string, ms: number) => String((Number(codeAt(secret, ms)) + 1) % 1_000_000).padStart(6, "0");

afterEach(() => vi.useRealTimers());

async function enrolledTechops(db: Parameters<typeof createStaff>[0], email: string) {
  const ops = await createStaff(db, { email, role: "techops" });
  const setup = await completeSetup(db, await createSetupLink(db, ops.id, "system"), "a long techops password");
  const session = (await readSession(db, setup!))!;
  const { secret } = await beginTotpEnrolment(db, session.staff);
  expect(await passSecondFactor(db, session, codeAt(secret, Date.now()), "enrol")).toBe("ok");
  return { ops, secret };
}

describeEachDatabase("the authenticator step", (handle) => {
  it("enrolment keeps its set-up key across reloads until a code confirms it, and takes a code typed with spaces", async () => {
    const { db } = handle();
    const ops = await createStaff(db, { email: `reload-${Math.random()}@moxiworks.test`, role: "techops" });
    const session = (await readSession(db, (await completeSetup(db, await createSetupLink(db, ops.id, "system"), "a long techops password"))!))!;
    const first = await beginTotpEnrolment(db, session.staff);
    const again = await beginTotpEnrolment(db, session.staff);
    // Was a fresh secret per visit: the account already added to the app stopped working on reload.
    expect(again.secret).toBe(first.secret);
    expect(again.uri).toBe(first.uri);
    // A new set-up link (password set again before enrolment) starts with a new key: the old one was shown to someone.
    const reset = (await readSession(db, (await completeSetup(db, await createSetupLink(db, ops.id, "system"), "another long password"))!))!;
    expect((await beginTotpEnrolment(db, reset.staff)).secret).not.toBe(first.secret);
    const second = await beginTotpEnrolment(db, session.staff);
    const code = codeAt(second.secret, Date.now());
    const typed = totpCodeSchema.safeParse({ code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(typed.success && typed.data.code).toBe(code);
    expect(await passSecondFactor(db, session, typed.success ? typed.data.code : "", "enrol")).toBe("ok");
    await expect(beginTotpEnrolment(db, session.staff)).rejects.toThrow(/already enrolled/);
  });

  it("a code schema refuses what is not six digits once spaces are dropped", () => {
    for (const bad of ["", "12345", "1234567", "12a456", "１２３４５６", "123 45", "1".repeat(40)]) expect(totpCodeSchema.safeParse({ code: bad }).success, bad).toBe(false);
    expect(totpCodeSchema.safeParse({ code: "123-456" }).success).toBe(true);
  });

  it("wrong codes count on their own key: five sign-in cycles of four wrong codes get refused after five (was 20 of 20)", async () => {
    const { db } = handle();
    const email = `cycles-${Math.random()}@moxiworks.test`;
    const { secret } = await enrolledTechops(db, email);
    const outcomes: string[] = [];
    for (let cycle = 0; cycle < 5; cycle++) {
      // Through the sign-in action's own path: a correct password resets and refunds the password limits there.
      const again = await attemptSignIn(db, email, "a long techops password", "203.0.113.7");
      if (!again.ok) throw new Error("password refused");
      const pending = (await readSession(db, again.sessionToken))!;
      for (let i = 0; i < 4; i++) outcomes.push(await passSecondFactor(db, pending, wrongCode(secret, Date.now()), "verify"));
    }
    expect(outcomes.filter((o) => o === "invalid")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "rate_limited")).toHaveLength(15);
  });

  it("a code is taken once: replayed on a second session it is refused, the next step's code works", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T12:00:05Z"));
    const { db } = handle();
    const email = `replay-${Math.random()}@moxiworks.test`;
    const { ops, secret } = await enrolledTechops(db, email);
    vi.setSystemTime(new Date("2026-12-02T12:00:35Z"));
    const sessions = [];
    for (let i = 0; i < 2; i++) {
      const r = await signIn(db, email, "a long techops password");
      if (!r.ok) throw new Error("password refused");
      sessions.push((await readSession(db, r.sessionToken))!);
    }
    const code = codeAt(secret, Date.now());
    expect(await passSecondFactor(db, sessions[0]!, code, "verify")).toBe("ok");
    expect(await passSecondFactor(db, sessions[1]!, code, "verify")).toBe("invalid");
    // The previous step's code (still inside the drift window) is older than the one used: refused too.
    expect(await passSecondFactor(db, sessions[1]!, codeAt(secret, Date.now() - 30_000), "verify")).toBe("invalid");
    // Re-authentication for a reveal takes the same rule.
    expect(await reauthenticate(db, ops.id, "a long techops password", code)).toBe(false);
    vi.setSystemTime(new Date("2026-12-02T12:01:05Z"));
    expect(await passSecondFactor(db, sessions[1]!, codeAt(secret, Date.now()), "verify")).toBe("ok");
  });
});
