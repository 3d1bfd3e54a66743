// npm run -s probe -- --method graph --tenant T --client-id C --target M [--out-of-scope M2] [--send-test-mail]
//                     [--authority-host URL] [--graph-url URL] [--allow-host H[:P]]... [--ca-file F]
//                     [--cert-file F --key-file F] [--tenant-id GUID] [--timeout-ms N] [--track T] [--json]
// Runs the Microsoft Graph app-access test (lib/graph) and prints {"outcome","primaryCause","steps","log","findings"}
// (plus failedStage, elapsedMs, roundTrips), like the EWS probe. The client secret comes from PROBE_CLIENT_SECRET,
// never an argument; or a certificate credential from --cert-file/--key-file (PEM).
// Exit 0 whenever the test ran, whatever its outcome; exit 2 with one line on stderr for bad arguments.
// Loaded by scripts/probe.ts when --method graph is given.

import { readFileSync } from "node:fs";
import { allowHostsOrFail, cliFailer, parseToolArgs, probeTimeoutOrFail, readCaPem, trackOrFail, type Fail } from "./cli-args";
import { printProbeResult } from "./probe-output";
import { config } from "@/lib/config";
import { runGraphProbe, type GraphProbeInput } from "@/lib/graph/probe";

export const GRAPH_USAGE =
  "usage: npm run -s probe -- --method graph --tenant T --client-id C --target M [--out-of-scope M2] [--send-test-mail] [--authority-host URL] [--graph-url URL] [--allow-host H[:P]]... [--ca-file F] [--cert-file F --key-file F] [--tenant-id GUID] [--timeout-ms N] [--track T] [--json]  (client secret from PROBE_CLIENT_SECRET)";

const fail: Fail = cliFailer("probe");

const values = parseToolArgs(
  {
    method: { type: "string" },
    tenant: { type: "string" },
    "client-id": { type: "string" },
    target: { type: "string" },
    "out-of-scope": { type: "string" },
    "send-test-mail": { type: "boolean" },
    "authority-host": { type: "string" },
    "graph-url": { type: "string" },
    "cert-file": { type: "string" },
    "key-file": { type: "string" },
    "tenant-id": { type: "string" },
    track: { type: "string" },
  },
  GRAPH_USAGE,
  fail,
);

const tenant = values.tenant?.trim();
const clientId = values["client-id"]?.trim();
const target = values.target?.trim();
if (!tenant) fail("--tenant is required (the tenant ID or one of the tenant's domains)");
if (!clientId) fail("--client-id is required (the app's application (client) ID)");
if (!target) fail("--target is required (the test mailbox address)");

const timeoutMs = probeTimeoutOrFail(values["timeout-ms"], fail);
const track = trackOrFail(values.track, fail);
const extraHosts = allowHostsOrFail(values["allow-host"], fail);
for (const name of ["authority-host", "graph-url"] as const) {
  const v = values[name];
  if (v !== undefined && !/^https?:\/\//i.test(v.trim())) fail(`--${name} "${v.slice(0, 100)}" is not an https:// URL`);
  if (v !== undefined && !URL.canParse(v.trim())) fail(`--${name} "${v.slice(0, 100)}" is not a URL`);
}

let configured: ReturnType<typeof config> & { microsoftGraphUrl?: string };
try {
  configured = config();
} catch (e) {
  fail((e as Error).message);
}

const extraCaPem = readCaPem(values["ca-file"] ?? configured.exchangeExtraCaFile, fail);

function readPem(file: string, flag: string, marker: RegExp, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    fail(`cannot read ${flag} ${file} (${(e as NodeJS.ErrnoException).code ?? "read error"})`);
  }
  if (text.length > 64 * 1024) fail(`${flag} ${file} is larger than 64 KiB; it should hold one PEM ${what}`);
  if (!marker.test(text)) fail(`${flag} ${file} does not contain a PEM ${what}`);
  return text;
}

function credential(): GraphProbeInput["credential"] {
  const secret = process.env.PROBE_CLIENT_SECRET;
  const certFile = values["cert-file"];
  const keyFile = values["key-file"];
  if (certFile || keyFile) {
    if (!certFile || !keyFile) fail("--cert-file and --key-file go together: the certificate and its private key");
    if (secret) fail("give either PROBE_CLIENT_SECRET or --cert-file/--key-file, not both");
    return {
      kind: "certificate",
      certificatePem: readPem(certFile, "--cert-file", /-----BEGIN CERTIFICATE-----/, "certificate"),
      privateKeyPem: readPem(keyFile, "--key-file", /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/, "private key"),
    };
  }
  if (!secret) fail("no credential: set PROBE_CLIENT_SECRET, or give --cert-file and --key-file");
  return { kind: "secret", clientSecret: secret };
}

const cancel = new AbortController();
process.once("SIGINT", () => cancel.abort());

const result = await runGraphProbe(
  {
    tenant,
    clientId,
    credential: credential(),
    testMailbox: target,
    outOfScopeMailbox: values["out-of-scope"]?.trim() || undefined,
    sendTestMail: values["send-test-mail"] === true,
    expectedTenantId: values["tenant-id"]?.trim() || undefined,
  },
  {
    authorityHost: values["authority-host"]?.trim() ?? configured.microsoftAuthorityHost,
    graphUrl: values["graph-url"]?.trim() ?? configured.microsoftGraphUrl ?? "https://graph.microsoft.com",
    allowedHosts: [...configured.exchangeAllowedHosts, ...extraHosts.map((h) => h.trim().toLowerCase())],
    extraCaPem: extraCaPem ?? "",
    deadlineMs: timeoutMs,
    perRequestTimeoutMs: Math.min(10_000, timeoutMs),
    signal: cancel.signal,
  },
);
printProbeResult(result, { json: values.json === true, track, withFailure: true });
