/** `npm run staff:create -- --email a@b.com --role staff|techops [--name "Ada"]`: prints a one-time set-up link. */
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { createStaffWithLink } from "../lib/auth/bootstrap";
import { STAFF_ROLES } from "../lib/auth/staff";
import { freeText } from "../lib/validation/text";

const argsSchema = z.object({
  email: z.email("--email must be an email address"),
  role: z.enum(STAFF_ROLES, { message: "--role must be staff or techops" }),
  name: freeText({ what: "name", max: 120, min: 0 }).optional(),
});

try {
  const { values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string", default: "staff" }, name: { type: "string" } } });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const { staff, url } = await createStaffWithLink(handle.db, config.appUrl, parsed.data);
    console.log(`Staff member ${staff.email} (${staff.role}). One-time set-up link, valid for 24 hours:\n${url}`);
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
