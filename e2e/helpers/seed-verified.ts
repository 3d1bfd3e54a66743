/**
 * e2e set-up for the incident spec: N brokerages on the Exchange Server track, each invited (a real brokerage
 * link), its credentials submitted and VERIFIED AGAINST THE SIMULATOR by the real verification (lib/verification),
 * in one process — walking 50 brokerages through the browser would take many minutes. Prints one JSON line:
 * [{ id, url, email }].  Usage: tsx --conditions=react-server e2e/helpers/seed-verified.ts <count> <tag> <ewsUrl> <password>
 */
import { parseConfig } from "../../lib/config";
import { connect, migrateToLatest } from "../../lib/db/connect";
import { submitCredential } from "../../lib/credentials/store";
import { inviteBrokerage } from "../../lib/onboarding/invite";
import { getOnboarding, transition } from "../../lib/onboarding/store";
import { verifyOnboarding } from "../../lib/verification/workflow";

const [count, tag, ewsUrl, password] = process.argv.slice(2);
const config = parseConfig(process.env);
const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrateToLatest(handle.db);
const out: { id: string; url: string; email: string }[] = [];
for (let i = 0; i < Number(count); i++) {
  const email = `admin${i}@${tag}.test`;
  const { onboarding, inviteUrl } = await inviteBrokerage(handle.db, { brokerageName: `Incident ${tag} ${String(i).padStart(2, "0")}`, contactName: "Ada Admin", contactEmail: email, track: "exchange-server" }, { kind: "system", label: "e2e seed" }, config.appUrl);
  await transition(handle.db, onboarding.id, "in_progress", { kind: "brokerage", label: "Brokerage admin" });
  await submitCredential(handle.db, { onboardingId: onboarding.id, actor: { kind: "brokerage", label: "Brokerage admin" }, serviceAccount: `svc-moxi@${tag}.test`, password: password!, testMailbox: `agent${i}@${tag}.test`, ewsUrl: ewsUrl!, track: "exchange-server" });
  await verifyOnboarding(handle.db, onboarding.id, "submission");
  const state = (await getOnboarding(handle.db, onboarding.id))?.state;
  if (state !== "verified") throw new Error(`brokerage ${i} is ${state}, not verified`);
  out.push({ id: onboarding.id, url: inviteUrl, email });
}
console.log(JSON.stringify(out));
await handle.close();
