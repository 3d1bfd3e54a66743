import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { createSetupLink, createStaff, findStaffByEmail, type StaffRole } from "./staff";

export const INITIAL_TECHOPS_EMAIL = "techops@moxiworks.local";

/**
 * On a start where no staff member can sign in yet, makes (or reuses) the initial techops account and returns
 * a one-time set-up link, so `npm ci && npm start` is enough to try the whole product.
 */
export async function initialStaffLink(db: Kysely<Database>, appUrl: string): Promise<{ email: string; url: string } | undefined> {
  const withPassword = await db.selectFrom("staff_users").select("id").where("password_hash", "is not", null).executeTakeFirst();
  if (withPassword) return undefined;
  const staff = (await findStaffByEmail(db, INITIAL_TECHOPS_EMAIL)) ?? (await createStaff(db, { email: INITIAL_TECHOPS_EMAIL, name: "Initial TechOps", role: "techops" }));
  const token = await createSetupLink(db, staff.id, "system (first start)");
  return { email: staff.email, url: `${appUrl}/staff/setup/${token}` };
}

/** `npm run staff:create`: a new staff member (or a fresh set-up link for an existing one). */
export async function createStaffWithLink(db: Kysely<Database>, appUrl: string, input: { email: string; role: StaffRole; name?: string }) {
  const staff = (await findStaffByEmail(db, input.email)) ?? (await createStaff(db, input));
  const token = await createSetupLink(db, staff.id, "staff:create");
  return { staff, url: `${appUrl}/staff/setup/${token}` };
}
