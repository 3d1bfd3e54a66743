/**
 * `npm run onboarding:create -- --brokerage "Acme Realty" --contact "Ada Admin" --email ada@acme.com [--track T]`
 * Creates an onboarding with its brokerage link and prints the invite URL (shown only now). For scripted
 * set-ups and tests; staff normally use the dashboard.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { createLink } from "../lib/auth/links";
import { createOnboarding } from "../lib/onboarding/store";
import { TRACKS } from "../lib/guide/ids";
import { freeText } from "../lib/validation/text";

const argsSchema = z.object({
  // The same rule as the dashboard form (newOnboardingSchema): one text rule for every free-text field.
  brokerage: freeText({ what: "brokerage name", max: 200, missing: "--brokerage is required" }),
  contact: freeText({ what: "contact's name", max: 120, missing: "--contact is required" }),
  email: z.email("--email must be an email address"),
  track: z.enum(TRACKS).optional(),
  json: z.boolean().optional(),
});

try {
  const { values } = parseArgs({
    options: { brokerage: { type: "string" }, contact: { type: "string" }, email: { type: "string" }, track: { type: "string" }, json: { type: "boolean" } },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(issue.path.length && !issue.message.startsWith("--") ? `--${String(issue.path[0])}: ${issue.message}` : issue.message);
  }
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const actor = { kind: "system" as const, label: "onboarding:create" };
    const a = parsed.data;
    const onboarding = await createOnboarding(handle.db, { brokerageName: a.brokerage, contactName: a.contact, contactEmail: a.email, track: a.track ?? null }, actor);
    const { token } = await createLink(handle.db, { onboardingId: onboarding.id, kind: "brokerage" }, actor);
    const url = `${config.appUrl}/o/${token}`;
    console.log(a.json ? JSON.stringify({ id: onboarding.id, url }) : `Onboarding ${onboarding.id} for ${onboarding.brokerageName}. Invite link (shown once):\n${url}`);
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
