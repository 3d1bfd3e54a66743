/**
 * Child process for the crash test (crash.test.ts): submits credentials against a SQLite database and gets
 * SIGKILLed by the parent part-way. Run as ONE process — `node --import tsx --conditions=react-server …` —
 * because the `tsx` CLI forks a child that a SIGKILL of the parent would leave running.
 *
 *   submit-child.ts <dataDir> <onboardingId> hold:<step>   — stops (forever) at that point of one submission
 *   submit-child.ts <dataDir> <onboardingId> loop          — submits again and again until killed
 *
 * It prints "AT <step>" when holding and "COMMITTED <credentialId>" after each commit. The password is a fixed
 * test value; it is never printed.
 */
import { connect } from "@/lib/db/connect";
import { loadKeyRing } from "@/lib/crypto/load-key-ring";
import { submitCredential, type SubmitStep } from "@/lib/credentials/store";

const [dataDir, onboardingId, mode] = process.argv.slice(2);
if (!dataDir || !onboardingId || !mode) {
  console.error("usage: submit-child.ts <dataDir> <onboardingId> hold:<step>|loop");
  process.exit(2);
}

const handle = connect({ dataDir });
const { ring } = loadKeyRing({ env: process.env, dataDir });
const actor = { kind: "brokerage" as const, id: "crash-test", label: "Crash test (brokerage)" };
const input = {
  serviceAccount: "svc-crash@contoso.com",
  password: "Crash-Test-Password-1!",
  testMailbox: "jane@contoso.com",
  ewsUrl: undefined,
  track: "exchange-server" as const,
};

const hold = mode.startsWith("hold:") ? (mode.slice(5) as SubmitStep) : undefined;
const onStep = async (step: SubmitStep) => {
  if (step === hold) {
    process.stdout.write(`AT ${step}\n`);
    // Wait here, inside the open transaction, for SIGKILL (the interval keeps the event loop alive).
    await new Promise(() => setInterval(() => {}, 60_000));
  }
};

process.stdout.write("READY\n");
for (;;) {
  const { credentialId } = await submitCredential(handle.db, { ...input, onboardingId, actor }, { ring, onStep });
  process.stdout.write(`COMMITTED ${credentialId}\n`);
  if (hold) break;
}
await handle.close();
