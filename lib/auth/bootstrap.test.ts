import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { initialStaffLink, INITIAL_TECHOPS_EMAIL } from "./bootstrap";
import { completeSetup, createSetupLink, createStaff, signIn } from "./staff";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-bootstrap-"));
const APP = "http://localhost:3000";
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

describeEachDatabase("staff set-up links", (handle) => {
  it("two instances starting together print one first-start link between them; a restart mints none", async () => {
    const first = handle();
    const second = first.openAnother();
    try {
      const results = await Promise.all([initialStaffLink(first.db, APP), initialStaffLink(second.db, APP)]);
      expect(results.filter((r) => r?.kind === "issued")).toHaveLength(1);
      expect(results.filter((r) => r?.kind === "already_issued")).toHaveLength(1);
      const again = await initialStaffLink(first.db, APP);
      expect(again).toMatchObject({ kind: "already_issued", email: INITIAL_TECHOPS_EMAIL });
      const links = await first.db.selectFrom("access_tokens").select("id").where("kind", "=", "staff_setup").execute();
      expect(links).toHaveLength(1);

      const issued = results.find((r) => r?.kind === "issued") as { url: string };
      expect(await completeSetup(first.db, tokenOf(issued.url), "the first techops password")).toBeTypeOf("string");
      // Once someone can sign in there is nothing to print.
      expect(await initialStaffLink(second.db, APP)).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it("setting the password through one set-up link retires every other one (was: the second reset it)", async () => {
    const { db } = handle();
    const staff = await createStaff(db, { email: `twice-${Math.random()}@moxiworks.test`, role: "staff" });
    const a = await createSetupLink(db, staff.id, "staff:create");
    const b = await createSetupLink(db, staff.id, "staff:create");
    expect(await completeSetup(db, a, "the owner's own password")).toBeTypeOf("string");
    expect(await completeSetup(db, b, "an attacker's password!")).toBeUndefined();
    expect((await signIn(db, staff.email, "the owner's own password")).ok).toBe(true);
    expect((await signIn(db, staff.email, "an attacker's password!")).ok).toBe(false);
    // A link made after the set-up still works (staff:create is how a lost password is reset), once.
    const c = await createSetupLink(db, staff.id, "staff:create");
    expect(await completeSetup(db, c, "a reset password here")).toBeTypeOf("string");
    expect(await completeSetup(db, c, "once more, again")).toBeUndefined();
  });
});
