/**
 * Puts one onboarding with a saved credential into an e2e server's data (DATA_DIR), for the TechOps reveal tests
 * of the OIDC server: `npx tsx --conditions=react-server e2e/helpers/oidc-seed.ts <password>` prints its id.
 */
import { parseConfig } from "../../lib/config";
import { submitCredential } from "../../lib/credentials/store";
import { connect, migrateToLatest } from "../../lib/db/connect";
import { createOnboarding, transition } from "../../lib/onboarding/store";

const config = parseConfig(process.env);
const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateToLatest(handle.db);
  const admin = { kind: "brokerage" as const, id: "seed", label: "Seed admin" };
  const o = await createOnboarding(handle.db, { brokerageName: "OIDC Reveal Realty", contactName: "Ada", contactEmail: "ada@reveal.test", track: "exchange-server" }, { kind: "system", label: "seed" });
  await transition(handle.db, o.id, "in_progress", admin);
  await submitCredential(handle.db, { onboardingId: o.id, actor: admin, serviceAccount: "svc-moxi@reveal.test", password: process.argv[2]!, testMailbox: "agent@reveal.test", ewsUrl: undefined, track: "exchange-server" });
  console.log(JSON.stringify({ id: o.id }));
} finally {
  await handle.close();
}
