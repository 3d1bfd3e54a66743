import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createStaffWithLink } from "./bootstrap";
import { completeSetup, createSetupLink, createStaff, findSetupLink, setStaffPassword, signIn } from "./staff";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-setup-"));
const APP = "https://onboarding.example";
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** Issue 17.3 beyond bootstrap.test.ts: other paths to a password, and two links used at the same moment. */
describeEachDatabase("staff set-up links", (handle) => {
  it("an older and a newer link both stop working once one link set the password", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `pat-${Math.random()}@moxiworks.test`, role: "staff" });
    const first = await createSetupLink(db, staff.id, "test");
    const second = await createSetupLink(db, staff.id, "test");
    const third = await createSetupLink(db, staff.id, "test");
    expect(await completeSetup(db, second, "the owner's password")).toBeTruthy();
    expect(await findSetupLink(db, first)).toBeUndefined();
    expect(await completeSetup(db, first, "an attacker's password")).toBeUndefined();
    expect(await completeSetup(db, third, "an attacker's password")).toBeUndefined();
    expect(await signIn(db, staff.email, "the owner's password")).toMatchObject({ ok: true });
    expect(await signIn(db, staff.email, "an attacker's password")).toEqual({ ok: false });
  });

  it("a password set another way retires open links; a link made afterwards works, other accounts' links too", async () => {
    const { db } = handle();
    const email = `sam-${Math.random()}@moxiworks.test`;
    const staff = await createStaff(db, { email, role: "staff" });
    const link = await createSetupLink(db, staff.id, "test");
    const other = await createStaff(db, { email: `kim-${Math.random()}@moxiworks.test`, role: "staff" });
    const otherLink = await createSetupLink(db, other.id, "test");
    await setStaffPassword(db, staff.id, "set by another path");
    expect(await completeSetup(db, link, "an attacker's password")).toBeUndefined();
    expect(await findSetupLink(db, otherLink)).toMatchObject({ staffId: other.id });
    // a TechOps reset (staff:create for an existing account) is still possible
    const fresh = (await createStaffWithLink(db, APP, { email, role: "staff" })).url;
    expect(await completeSetup(db, tokenOf(fresh), "a reset password")).toBeTruthy();
    expect(await signIn(db, email, "a reset password")).toMatchObject({ ok: true });
  });

  it("two links of one account used at the same moment from two processes: at most one sets the password", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `race-${Math.random()}@moxiworks.test`, role: "staff" });
    const a = await createSetupLink(db, staff.id, "test");
    const b = await createSetupLink(db, staff.id, "test");
    const other = handle().openAnother();
    try {
      const results = await Promise.all([completeSetup(db, a, "password from link a"), completeSetup(other.db, b, "password from link b")]);
      expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
      const works = await Promise.all([signIn(db, staff.email, "password from link a"), signIn(db, staff.email, "password from link b")]);
      expect(works.filter((w) => w.ok).length).toBeLessThanOrEqual(1);
    } finally {
      await other.close();
    }
  });
});
