import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it, vi } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { clientAddress, CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { consume } from "./rate-limit";
import { attemptSignIn } from "./sign-in";
import { createStaff, setStaffPassword } from "./staff";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-signin-"));
// Every attempt that gets past the limits costs a real scrypt hash (OWASP cost): slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

/** What a request from one machine looks like to the limits, whatever X-Forwarded-For it invents. */
const fromSocket = (socket: string, xff: string) => clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: socket, "x-forwarded-for": xff }), { kind: "none" });

describeEachDatabase("staff sign-in limits", (handle) => {
  it("a new X-Forwarded-For per request no longer buys fresh guesses (was 40 of 40 accepted)", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `xff-${Math.random()}@moxiworks.test`, role: "staff" });
    await setStaffPassword(db, staff.id, "the right password");
    const outcomes = [];
    for (let i = 0; i < 40; i++) outcomes.push(await attemptSignIn(db, staff.email, `wrong ${i}`, fromSocket("203.0.113.50", `198.51.100.${i}`)));
    expect(outcomes.filter((o) => "rateLimited" in o)).toHaveLength(35);
  });

  it("wrong passwords from elsewhere do not lock the real staff member out", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `dos-${Math.random()}@moxiworks.test`, role: "staff" });
    await setStaffPassword(db, staff.id, "the right password");
    for (let i = 0; i < 6; i++) await attemptSignIn(db, staff.email, `attacker ${i}`, `198.51.100.${i % 3}`);
    const real = await attemptSignIn(db, staff.email, "the right password", "203.0.113.9");
    expect(real.ok).toBe(true);
  });

  it("one client's count per account: five wrong, then refused even with the right password; others unaffected", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `five-${Math.random()}@moxiworks.test`, role: "staff" });
    await setStaffPassword(db, staff.id, "the right password");
    for (let i = 0; i < 5; i++) expect((await attemptSignIn(db, staff.email, "nope", "192.0.2.77")).ok).toBe(false);
    expect(await attemptSignIn(db, staff.email, "the right password", "192.0.2.77")).toEqual({ ok: false, rateLimited: true });
    expect((await attemptSignIn(db, staff.email, "the right password", "192.0.2.78")).ok).toBe(true);
  });

  it("guessing one account from many clients hits the account-wide cap", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `spread-${Math.random()}@moxiworks.test`, role: "staff" });
    await setStaffPassword(db, staff.id, "the right password");
    // 45 guesses already made from other clients (counted directly: each real attempt costs a password hash).
    expect((await consume(db, "signInPerAccount", staff.email, 45)).ok).toBe(true);
    const outcomes = [];
    for (let i = 0; i < 10; i++) outcomes.push(await attemptSignIn(db, staff.email, "guess", `198.18.0.${i}`));
    expect(outcomes.filter((o) => "rateLimited" in o)).toHaveLength(5);
  });
});
