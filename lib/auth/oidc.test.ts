import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { listAuditEvents } from "@/lib/staff/audit";
import { hasFreshMfa, mfaFromClaims, parsePending, roleFromClaims } from "./oidc";
import { attemptSignIn } from "./sign-in";
import { createStaff, setStaffPassword, type StaffSession } from "./staff";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-oidc-"));
vi.setConfig({ testTimeout: 120_000 });

const mapping = { roleClaim: "roles", staffValues: ["onboarding-staff"], techopsValues: ["onboarding-techops"] };

describe("roles from the provider's claim", () => {
  it.each([
    [{ roles: ["onboarding-staff"] }, "staff"],
    [{ roles: ["onboarding-staff", "onboarding-techops"] }, "techops"],
    [{ roles: "onboarding-techops" }, "techops"],
    [{ roles: "other onboarding-staff" }, "staff"],
    [{ roles: ["marketing"] }, undefined],
    [{ roles: [] }, undefined],
    [{ roles: [1, null, { v: "onboarding-staff" }] }, undefined],
    [{ groups: ["onboarding-staff"] }, undefined],
    [{}, undefined],
    [{ roles: ["Onboarding-Staff"] }, undefined],
  ])("%j → %s", (claims, role) => {
    expect(roleFromClaims(claims, mapping)).toBe(role);
  });
});

describe("MFA from amr / acr", () => {
  const mfa = { mfaAmr: ["mfa"], mfaAcr: ["phr", "urn:okta:loa:2fa:any"] };
  it.each([
    [{ amr: ["pwd", "mfa"] }, true],
    [{ amr: ["pwd"] }, false],
    [{ amr: "mfa" }, true],
    [{ acr: "phr" }, true],
    [{ acr: "urn:okta:loa:2fa:any" }, true],
    [{ acr: "urn:okta:loa:1fa:any" }, false],
    [{ acr: ["phr"] }, false],
    [{}, false],
  ])("%j → %s", (claims, expected) => {
    expect(mfaFromClaims(claims, mfa)).toBe(expected);
  });

  it("a TechOps action needs MFA proved in the last 15 minutes", () => {
    const at = (minutesAgo: number | null) => ({ mfaAt: minutesAgo === null ? null : new Date(Date.now() - minutesAgo * 60_000).toISOString() }) as StaffSession;
    expect(hasFreshMfa(at(1))).toBe(true);
    expect(hasFreshMfa(at(14))).toBe(true);
    expect(hasFreshMfa(at(16))).toBe(false);
    expect(hasFreshMfa(at(null))).toBe(false);
  });
});

describe("the pending sign-in cookie", () => {
  const good = { state: "s".repeat(43), nonce: "n".repeat(43), verifier: "v".repeat(43), startedAt: Date.now() };
  it("reads a fresh one and refuses anything malformed or older than 10 minutes", () => {
    expect(parsePending(JSON.stringify(good))).toEqual(good);
    for (const bad of [undefined, "", "{", "null", "[]", JSON.stringify({ ...good, state: "short" }), JSON.stringify({ ...good, nonce: "has space in it 0123456789" }), JSON.stringify({ ...good, verifier: 5 }), JSON.stringify({ ...good, startedAt: "now" }), JSON.stringify({ ...good, startedAt: Date.now() - 11 * 60_000 })]) {
      expect(parsePending(bad)).toBeUndefined();
    }
  });
});

describeEachDatabase("break-glass password sign-in (OIDC configured)", (handle) => {
  it("TechOps may use the password, and each use is audited; a staff account's right password is refused and audited", async () => {
    const { db } = handle();
    const ops = await createStaff(db, { email: `ops-${Math.random()}@moxiworks.test`, role: "techops", name: "Ops Person" });
    const staff = await createStaff(db, { email: `st-${Math.random()}@moxiworks.test`, role: "staff" });
    await setStaffPassword(db, ops.id, "the right password");
    await setStaffPassword(db, staff.id, "the right password");

    const opsIn = await attemptSignIn(db, ops.email, "the right password", "203.0.113.1", { breakGlassOnly: true });
    expect(opsIn.ok).toBe(true);
    const staffIn = await attemptSignIn(db, staff.email, "the right password", "203.0.113.2", { breakGlassOnly: true });
    expect(staffIn).toEqual({ ok: false, notBreakGlass: true });
    // Without OIDC the same staff password works as before.
    expect((await attemptSignIn(db, staff.email, "the right password", "203.0.113.2")).ok).toBe(true);

    const audit = await listAuditEvents(db, { type: undefined, actor: undefined, q: "", from: undefined, to: undefined });
    const types = audit.items.map((e) => e.type);
    expect(types).toContain("break_glass_sign_in");
    expect(types).toContain("break_glass_refused");
    const used = audit.items.find((e) => e.type === "break_glass_sign_in")!;
    expect(used).toMatchObject({ actor: expect.objectContaining({ kind: "techops", id: ops.id }) });
    expect(JSON.stringify(audit.items)).not.toContain("the right password");
  });

  it("break-glass attempts are rate-limited like every password sign-in", async () => {
    const { db } = handle();
    const ops = await createStaff(db, { email: `ops-rl-${Math.random()}@moxiworks.test`, role: "techops" });
    await setStaffPassword(db, ops.id, "the right password");
    const outcomes = [];
    for (let i = 0; i < 7; i++) outcomes.push(await attemptSignIn(db, ops.email, `wrong ${i}`, "203.0.113.77", { breakGlassOnly: true }));
    expect(outcomes.filter((o) => "rateLimited" in o)).toHaveLength(2);
  });
});
