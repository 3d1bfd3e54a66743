import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { createSetupLink, createStaff, findStaffByEmail, type StaffRole } from "./staff";

export const INITIAL_TECHOPS_EMAIL = "techops@moxiworks.local";

export type InitialStaffLink = { kind: "issued"; email: string; url: string } | { kind: "already_issued"; email: string; issuedAt: string };

/** The marker row (in job_leases: one row per name, inserted atomically) that says the first-start link exists. */
const FIRST_START_MARKER = "first-start-setup-link";

/**
 * On a start where no staff member can sign in yet, makes the initial techops account and returns a one-time
 * set-up link, so `npm ci && npm start` is enough to try the whole product. The link is issued once per
 * database, not once per process: two instances starting together print one link between them, and a restart
 * says where the first one went instead of minting another (`npm run staff:create` makes a fresh one).
 */
export async function initialStaffLink(db: Kysely<Database>, appUrl: string): Promise<InitialStaffLink | undefined> {
  const withPassword = await db.selectFrom("staff_users").select("id").where("password_hash", "is not", null).executeTakeFirst();
  if (withPassword) return undefined;
  const at = new Date().toISOString();
  const claimed = await db
    .insertInto("job_leases")
    .values({ name: FIRST_START_MARKER, holder: "first start", expires_at: "9999-12-31T00:00:00.000Z", last_run_at: at })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) {
    const marker = await db.selectFrom("job_leases").select("last_run_at").where("name", "=", FIRST_START_MARKER).executeTakeFirst();
    return { kind: "already_issued", email: INITIAL_TECHOPS_EMAIL, issuedAt: marker?.last_run_at ?? at };
  }
  const staff = (await findStaffByEmail(db, INITIAL_TECHOPS_EMAIL)) ?? (await createStaff(db, { email: INITIAL_TECHOPS_EMAIL, name: "Initial TechOps", role: "techops" }));
  const token = await createSetupLink(db, staff.id, "system (first start)");
  return { kind: "issued", email: staff.email, url: `${appUrl}/staff/setup/${token}` };
}

/** `npm run staff:create`: a new staff member (or a fresh set-up link for an existing one). */
export async function createStaffWithLink(db: Kysely<Database>, appUrl: string, input: { email: string; role: StaffRole; name?: string }) {
  const staff = (await findStaffByEmail(db, input.email)) ?? (await createStaff(db, input));
  const token = await createSetupLink(db, staff.id, "staff:create");
  return { staff, url: `${appUrl}/staff/setup/${token}` };
}
