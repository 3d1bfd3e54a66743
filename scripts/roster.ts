// npm run -s roster -- --onboarding ID --file agents.csv --json
// Checks every agent's mailbox on the list (a CSV with a header, or one address per line) with the onboarding's
// verified access (lib/roster) and prints {"onboardingId","track","counts","mailboxes":[{address,outcome,cause,
// title,guideStep,…}],"flagged","errors","duplicates","elapsedMs"}. The list replaces the onboarding's saved
// roster, as pasting it in the workspace does. Settings: ROSTER_CONCURRENCY, ROSTER_MAILBOX_DEADLINE_MS,
// EXCHANGE_ALLOWED_HOSTS, EXCHANGE_EXTRA_CA_FILE, DATABASE_URL / DATA_DIR.
// Exit 0 whenever the check ran, whatever its outcomes; 1 when it could not run (unknown onboarding, no verified
// access, a list that is refused); 2 with one line on stderr for bad arguments.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { cliFailer, parseOrFail, type Fail } from "./cli-args";
import { db } from "@/lib/db";
import { checkRosterNow } from "@/lib/roster/run";

const USAGE = "usage: npm run -s roster -- --onboarding ID --file agents.csv [--json]";
const fail: Fail = cliFailer("roster");

const values = parseOrFail(
  () =>
    parseArgs({
      options: { onboarding: { type: "string" }, file: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values,
  USAGE,
  fail,
);
if (!values.onboarding) fail(`--onboarding is required\n${USAGE}`);
if (!values.file) fail(`--file is required\n${USAGE}`);
let text: string;
try {
  text = readFileSync(values.file, "utf8");
} catch (e) {
  fail(`cannot read --file ${values.file} (${(e as NodeJS.ErrnoException).code ?? "read error"})`);
}

const handle = await db();
const report = await checkRosterNow(handle, values.onboarding, text);
if (!report.ok) {
  process.stderr.write(`roster: ${report.message}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ error: { code: report.code, message: report.message, lineErrors: report.lineErrors } })}\n`);
  process.exit(1);
}
if (values.json) process.stdout.write(`${JSON.stringify(report.report)}\n`);
else {
  const r = report.report;
  process.stdout.write(`${r.counts.reachable} of ${r.counts.total} mailboxes reachable (${r.track}), ${r.elapsedMs} ms\n`);
  for (const m of r.mailboxes) if (m.outcome !== "reachable") process.stdout.write(`${m.address}\t${m.cause}\t${m.title}\t${m.guideStep}\n`);
}
process.exit(0);
