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

/**
 * The running e2e server writes to the same SQLite file (its scheduler ticks every second): a transaction of ours
 * that read before its write can lose the race (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out). Each
 * step is one transaction, rolled back whole when refused, so it is simply tried again.
 */
async function retried<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 20 || !String((error as { code?: string }).code ?? "").startsWith("SQLITE_BUSY")) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
const config = parseConfig(process.env);
const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrateToLatest(handle.db);
const out: { id: string; url: string; email: string }[] = [];
for (let i = 0; i < Number(count); i++) {
  const email = `admin${i}@${tag}.test`;
  const { onboarding, inviteUrl } = await retried(() => inviteBrokerage(handle.db, { brokerageName: `Incident ${tag} ${String(i).padStart(2, "0")}`, contactName: "Ada Admin", contactEmail: email, track: "exchange-server" }, { kind: "system", label: "e2e seed" }, config.appUrl));
  await retried(() => transition(handle.db, onboarding.id, "in_progress", { kind: "brokerage", label: "Brokerage admin" }));
  await retried(() => submitCredential(handle.db, { onboardingId: onboarding.id, actor: { kind: "brokerage", label: "Brokerage admin" }, serviceAccount: `svc-moxi@${tag}.test`, password: password!, testMailbox: `agent${i}@${tag}.test`, ewsUrl: ewsUrl!, track: "exchange-server" }));
  // Tried again only while nothing of it stuck (still submitted): a verification is not repeated once under way.
  await retried(async () => {
    if ((await getOnboarding(handle.db, onboarding.id))?.state === "submitted") await verifyOnboarding(handle.db, onboarding.id, "submission");
  });
  const state = (await getOnboarding(handle.db, onboarding.id))?.state;
  if (state !== "verified") throw new Error(`brokerage ${i} is ${state}, not verified`);
  out.push({ id: onboarding.id, url: inviteUrl, email });
}
console.log(JSON.stringify(out));
await handle.close();
