/**
 * `npm run onboarding:create -- --brokerage "Acme Realty" --contact "Ada Admin" --email ada@acme.com [--track T]`
 * Creates an onboarding with its brokerage link and queues the invite mail, as the staff dashboard does
 * (lib/onboarding/invite.ts), and prints the invite URL (shown only now). The running server's outbox
 * delivers the mail. For scripted set-ups and tests; staff normally use the dashboard.
 */
import { parseArgs } from "node:util";
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { inviteBrokerage } from "../lib/onboarding/invite";
import { newOnboardingSchema } from "../lib/validation/onboarding";

const FLAGS: Record<string, string> = { brokerageName: "--brokerage", contactName: "--contact", contactEmail: "--email", track: "--track" };

try {
  const { values } = parseArgs({
    options: { brokerage: { type: "string" }, contact: { type: "string" }, email: { type: "string" }, track: { type: "string" }, json: { type: "boolean" } },
  });
  // The staff form's own schema, so the CLI accepts exactly what the dashboard accepts.
  const parsed = newOnboardingSchema.safeParse({ brokerageName: values.brokerage, contactName: values.contact, contactEmail: values.email, track: values.track });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${FLAGS[String(issue.path[0])] ?? "input"}: ${issue.message}`);
  }
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const { onboarding, inviteUrl } = await inviteBrokerage(handle.db, parsed.data, { kind: "system", label: "onboarding:create" }, config.appUrl);
    console.log(
      values.json
        ? JSON.stringify({ id: onboarding.id, url: inviteUrl })
        : `Onboarding ${onboarding.id} for ${onboarding.brokerageName}; invite mail queued to ${onboarding.contactEmail}. Invite link (shown once):\n${inviteUrl}`,
    );
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
