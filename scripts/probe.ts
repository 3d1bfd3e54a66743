// npm run -s probe -- --service-account A --target T [--ews-url U] [--allow-host H[:P]]… [--ca-file F]
//                     [--timeout-ms N] [--autodiscover-url U]… [--track T] [--send-test-message] [--json]
// Runs the impersonation test (lib/exchange) and prints {"outcome","primaryCause","steps","log","findings"}
// (plus failedStage, elapsedMs, roundTrips). The password comes from PROBE_PASSWORD or stdin, never an argument.
// Exit 0 whenever the test ran, whatever its outcome; exit 2 with one line on stderr for bad arguments.

import { readFileSync } from "node:fs";
import { allowHostsOrFail, cliFailer, parseToolArgs, probeTimeoutOrFail, readCaPem, trackOrFail, type Fail } from "./cli-args";
import { printProbeResult } from "./probe-output";
import { config } from "@/lib/config";
import { runProbe } from "@/lib/exchange/probe";
import { connectionDetailsSchema } from "@/lib/validation/credentials";

// --method graph runs the Microsoft Graph app-access test instead (scripts/probe-graph.ts, which exits when done);
// --method absent (or "ews") is this EWS test, with its interface unchanged.
{
  const args = process.argv;
  const at = args.findIndex((a, i) => i >= 2 && (a === "--method" || a.startsWith("--method=")));
  if (at >= 0) {
    const method = args[at]!.includes("=") ? args[at]!.slice("--method=".length) : args[at + 1];
    if (method === "graph") {
      await import("./probe-graph");
      await new Promise(() => {}); // probe-graph exits the process
    }
    if (method !== "ews") cliFailer("probe")(`--method must be ews or graph, got "${method ?? ""}"`);
    args.splice(at, args[at]!.includes("=") ? 1 : 2);
  }
}

const USAGE =
  "usage: npm run -s probe -- --service-account A --target T [--ews-url U] [--allow-host H[:P]]... [--ca-file F] [--timeout-ms N] [--autodiscover-url U]... [--track T] [--send-test-message] [--json]  (password from PROBE_PASSWORD or stdin)";

const fail: Fail = cliFailer("probe");

const values = parseToolArgs(
  {
    "service-account": { type: "string" },
    target: { type: "string" },
    "ews-url": { type: "string" },
    "autodiscover-url": { type: "string", multiple: true },
    track: { type: "string" },
    "send-test-message": { type: "boolean" },
  },
  USAGE,
  fail,
);

const serviceAccount = values["service-account"]?.trim();
const target = values.target?.trim();
if (!serviceAccount) fail("--service-account is required (the service account's user@domain)");
if (!target) fail("--target is required (the test mailbox address)");

const timeoutMs = probeTimeoutOrFail(values["timeout-ms"], fail);
const track = trackOrFail(values.track, fail);
const extraHosts = allowHostsOrFail(values["allow-host"], fail);

for (const u of values["autodiscover-url"] ?? []) if (!URL.canParse(u)) fail(`--autodiscover-url "${u}" is not a URL`);

let configuredHosts: string[];
let configuredCaFile: string | undefined;
try {
  ({ exchangeAllowedHosts: configuredHosts, exchangeExtraCaFile: configuredCaFile } = config());
} catch (e) {
  fail((e as Error).message);
}

const caFile = values["ca-file"] ?? configuredCaFile;
const extraCaPem = readCaPem(caFile, fail);

function readPassword(): string {
  const fromEnv = process.env.PROBE_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) fail("no password: set PROBE_PASSWORD or pipe it on stdin");
  let text: string;
  try {
    text = readFileSync(0).subarray(0, 64 * 1024).toString("utf8");
  } catch {
    fail("no password: set PROBE_PASSWORD or pipe it on stdin");
  }
  const password = text.replace(/\r?\n$/, "");
  if (!password) fail("no password: set PROBE_PASSWORD or pipe it on stdin");
  return password;
}

const password = readPassword();
// The same schema as the workspace's form and the test endpoint: the probe takes parsed input.
const details = connectionDetailsSchema.safeParse({ serviceAccount, password, testMailbox: target, ewsUrl: values["ews-url"] });
if (!details.success) fail(details.error.issues.map((i) => i.message).join(" "));
const cancel = new AbortController();
process.once("SIGINT", () => cancel.abort());

const result = await runProbe(
  details.data,
  {
    allowedHosts: [...configuredHosts, ...extraHosts.map((h) => h.trim().toLowerCase())],
    extraCaPem: extraCaPem ?? "",
    deadlineMs: timeoutMs,
    perRequestTimeoutMs: Math.min(10_000, timeoutMs),
    autodiscoverUrls: values["autodiscover-url"],
    sendTestMessage: values["send-test-message"] === true,
    signal: cancel.signal,
  },
);
printProbeResult(result, { json: values.json === true, track });
