// npm run -s detect -- --email E [--dns-server H:P]… [--authority-host URL] [--autodiscover-host URL]
//                      [--allow-host H[:P]]… [--ca-file F] [--timeout-ms N] [--json]
// Where does this address's mail live? Runs the detector (lib/detect) and prints
// {"track","confidence","tenantId","ewsUrl","evidence"} (plus host, alsoTracks, summary, elapsedMs).
// Defaults come from the settings (DNS_SERVERS, MICROSOFT_AUTHORITY_HOST, MICROSOFT_AUTODISCOVER_HOST,
// EXCHANGE_ALLOWED_HOSTS, EXCHANGE_EXTRA_CA_FILE); flags add to or replace them for one run.
// Exit 0 whenever the detector ran, whatever it found; exit 2 with one line on stderr for bad arguments.

import { allowHostsOrFail, cliFailer, parseToolArgs, readCaPem, type Fail } from "./cli-args";
import { parseHostEntry } from "@/lib/exchange/address-guard";
import { config } from "@/lib/config";
import { parseSubject } from "@/lib/detect/address";
import { DETECT_DEADLINE_MS, detectMailHost } from "@/lib/detect/detector";

const USAGE =
  "usage: npm run -s detect -- --email E [--dns-server H:P]... [--authority-host URL] [--autodiscover-host URL] [--allow-host H[:P]]... [--ca-file F] [--timeout-ms N] [--json]";

const fail: Fail = cliFailer("detect");

const values = parseToolArgs(
  {
    email: { type: "string" },
    "dns-server": { type: "string", multiple: true },
    "authority-host": { type: "string" },
    "autodiscover-host": { type: "string" },
  },
  USAGE,
  fail,
);

if (!values.email) fail("--email is required (an address, or a bare domain)");
const parsed = parseSubject(values.email);
if (!parsed.ok) {
  const why = { empty: "is empty", too_long: "is too long", not_an_address: "is not an email address", not_a_public_domain: "does not name a public domain" }[parsed.problem];
  fail(`--email "${values.email}" ${why}`);
}

const timeoutMs = values["timeout-ms"] === undefined ? DETECT_DEADLINE_MS : Number(values["timeout-ms"]);
if (!Number.isInteger(timeoutMs) || timeoutMs < 500 || timeoutMs > 60_000) fail(`--timeout-ms must be a whole number of milliseconds between 500 and 60000, got "${values["timeout-ms"]}"`);

const dnsServers = values["dns-server"] ?? [];
const badDns = dnsServers.find((s) => !parseHostEntry(s));
if (badDns !== undefined) fail(`--dns-server "${badDns}" is not a host or host:port`);
const extraHosts = allowHostsOrFail(values["allow-host"], fail);
for (const flag of ["authority-host", "autodiscover-host"] as const) {
  const u = values[flag];
  if (u !== undefined && !(URL.canParse(u) && /^https?:$/.test(new URL(u).protocol))) fail(`--${flag} "${u}" is not an http(s) URL`);
}

let settings: ReturnType<typeof config>;
try {
  settings = config();
} catch (e) {
  fail((e as Error).message);
}

const caFile = values["ca-file"] ?? settings.exchangeExtraCaFile;
const extraCaPem = readCaPem(caFile, fail);

const run = await detectMailHost(parsed.subject, {
  dnsServers: dnsServers.length ? dnsServers : settings.dnsServers,
  authorityUrl: values["authority-host"] ?? settings.microsoftAuthorityHost,
  autodiscoverUrl: values["autodiscover-host"] ?? settings.microsoftAutodiscoverHost,
  allowedHosts: [...settings.exchangeAllowedHosts, ...extraHosts.map((h) => h.trim().toLowerCase())],
  extraCaPem,
  deadlineMs: timeoutMs,
});

if (values.json) {
  const { track, confidence, tenantId, ewsUrl, evidence, host, alsoTracks, summary, elapsedMs } = run;
  process.stdout.write(`${JSON.stringify({ track, confidence, tenantId, ewsUrl, evidence, host, alsoTracks, summary, elapsedMs }, null, 2)}\n`);
} else {
  process.stdout.write(`${run.summary}\n${run.evidence.map((e) => `- ${e.sentence}`).join("\n")}\n`);
}
process.exit(0);
