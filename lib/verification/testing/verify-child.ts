/**
 * One "app instance" for the crash test: verifies one submitted onboarding against the simulator, printing
 * "started" once its test run is in flight. The test SIGKILLs it there, as a crash or an OOM kill would.
 */
import { connectChildDatabase } from "@/lib/testing/child-database";
import { verifyOnboarding } from "@/lib/verification/workflow";

const handle = connectChildDatabase();
const onboardingId = process.env.ONBOARDING_ID!;
const caPem = process.env.SIM_CA_PEM!;
const allowedHosts = process.env.SIM_ALLOWED_HOSTS!.split(",");
const run = verifyOnboarding(handle.db, onboardingId, "submission", undefined, {
  probeOptions: { allowedHosts, extraCaPem: caPem, deadlineMs: 120_000, perRequestTimeoutMs: 120_000 },
  onStep: (step) => { if (step.status === "running") process.stdout.write(`started ${step.id}\n`); },
});
await run;
process.stdout.write("finished\n");
await handle.close();
