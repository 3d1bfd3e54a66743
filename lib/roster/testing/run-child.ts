/**
 * One "app instance" for the roster crash test: claims a roster check and runs it against the simulator,
 * printing "claimed" once it holds the lease. The test SIGKILLs it mid-check.
 */
import { connectChildDatabase } from "@/lib/testing/child-database";
import { claimRosterCheck, runRosterCheck } from "@/lib/roster/store";

const handle = connectChildDatabase();
const checkId = process.env.CHECK_ID!;
const holder = `child-${process.pid}`;
if (!(await claimRosterCheck(handle.db, checkId, holder, new Date(), 1000))) throw new Error("not claimed");
process.stdout.write("claimed\n");
await runRosterCheck(handle.db, checkId, holder, {
  leaseMs: 1000,
  renewMs: 200,
  concurrency: 20,
  mailboxDeadlineMs: 10_000,
  setup: {
    track: "ews",
    guidanceTrack: "exchange-server",
    access: { kind: "ews", serviceAccount: "svc@acme.test", password: process.env.SIM_PASSWORD!, ewsUrl: process.env.SIM_EWS_URL! },
    domains: ["acme.test"],
    allowedHosts: process.env.SIM_ALLOWED_HOSTS!.split(","),
    extraCaPem: process.env.SIM_CA_PEM!,
  },
});
process.stdout.write("finished\n");
await handle.close();
