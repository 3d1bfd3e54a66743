/**
 * One "app instance" for the incident crash test: notifies an incident's pending members, printing
 * "committed N" after each batch commits (then pausing NOTIFY_PAUSE_MS) and "inside N" while batch
 * KILL_INSIDE_BATCH holds its uncommitted writes (then waiting for good). The test SIGKILLs it at one of those.
 */
import { connectChildDatabase } from "@/lib/testing/child-database";
import { notifyPending } from "@/lib/incidents/notify";

const handle = connectChildDatabase();
const pause = Number(process.env.NOTIFY_PAUSE_MS ?? 0);
const inside = Number(process.env.KILL_INSIDE_BATCH ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report = await notifyPending(handle.db, process.env.INCIDENT_ID!, {
  hooks: {
    beforeCommit: async (n) => {
      if (n !== inside) return;
      process.stdout.write(`inside ${n}\n`);
      await sleep(600_000);
    },
    afterCommit: async (n) => {
      process.stdout.write(`committed ${n}\n`);
      if (pause) await sleep(pause);
    },
  },
});
process.stdout.write(`finished ${JSON.stringify(report)}\n`);
await handle.close();
