// Times diagnose() on a ~1 MB pasted log of distinct real-looking lines (see buildLog).
// Run: npx tsx bench/diagnose.ts   (not part of npm test; target: median under 50 ms per 1 MB log)

import { readFileSync } from "node:fs";
import { loadCorpus } from "@/lib/diagnosis/corpus";
import { diagnose, MAX_LOG_CHARS } from "@/lib/diagnosis/diagnose";

const seed = (name: string) => {
  const text = readFileSync(new URL(`../lib/diagnosis/fixtures/${name}`, import.meta.url), "utf8");
  return text.slice(text.indexOf("\n---\n") + 5);
};

const SECTIONS = [
  seed("seed-456-app-password-required.txt"),
  seed("seed-401-basic-auth-blocked.txt"),
  [
    "Attempting to test potential Autodiscover URL https://contoso.com:443/Autodiscover/Autodiscover.xml",
    "Testing of this potential Autodiscover URL failed.",
    "Test Steps",
    "Attempting to resolve the host name contoso.com in DNS.",
    "The host name resolved successfully.",
    "IP addresses returned: 203.0.113.10",
    "Elapsed Time: 21 ms.",
    "Testing TCP port 443 on host contoso.com to ensure it's listening and open.",
    "The port was opened successfully.",
    "Elapsed Time: 88 ms.",
    "HTTP Response Headers:",
    "request-id: 0f6592d3-3bc7-4f9a-9341-33fe7773fcba",
    "WWW-Authenticate: Basic realm=\"autodiscover.contoso.com\"",
    "X-FEServer: CYS-E16MSF01",
    "",
  ].join("\r\n"),
  "Alle erweitern\nTout développer\tRéduire tout\nРазвернуть все   すべて展開\n\u00A0\u00A0Datenschutz & Cookies · Nutzungsbedingungen\n",
  "Attempting to open the Inbox of agent@contoso.com as svc-moxi@contoso.com\nHTTP/1.1 200 OK\nElapsed Time: 95 ms.\n",
];

// A 1 MB paste of distinct, real-looking lines: RCA steps, HTTP headers, probe steps, client stack frames and
// JSON error bodies, generated from templates with varying hosts, mailboxes, ids and timings (so nearly every
// line is new: the engine skips exact repeats, which must not flatter the figure), with the real corpus texts
// (lib/diagnosis/corpus) and the seed's two failing sections interleaved.
let seedN = 12345;
const rnd = (n: number) => {
  seedN = (seedN * 1103515245 + 12345) & 0x7fffffff;
  return seedN % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
const DOMAINS = ["contoso.com", "fabrikam.net", "northwind-realty.com", "adatum.org", "tailspin-homes.com", "woodgrove.us"];
const HEADERS = ["X-FEServer", "X-BEServer", "X-CalculatedBETarget", "X-DiagInfo", "X-Proxy-RoutingCorrectness", "Cache-Control", "Server", "X-Powered-By", "Date", "Content-Length"];
const STEPS = [
  "Attempting to resolve the host name %h in DNS.",
  "The host name resolved successfully. IP addresses returned: %ip",
  "Testing TCP port 443 on host %h to ensure it's listening and open.",
  "The port was opened successfully.",
  "Testing the SSL certificate to make sure it's valid for %h.",
  "The certificate passed all validation requirements.",
  "Attempting to send an Autodiscover POST request to potential Autodiscover URLs for %m.",
  "Attempting to test potential Autodiscover URL https://%h/Autodiscover/Autodiscover.xml",
  "Checking the IIS configuration for client certificate authentication on %h.",
  "Attempting to open the Inbox of %m as svc-moxi@%d.",
  "Attempting to retrieve the EWS URL for %m through Autodiscover.",
  "Connected to %h; TLS TLSv1.3, certificate verified.",
  "Listed the contacts of %m (%n items).",
  "Read today's calendar view of %m (%n events).",
];
const FRAMES = [
  "   at Microsoft.Exchange.WebServices.Data.ServiceRequestBase.GetEwsHttpWebResponse(IEwsHttpWebRequest request) in C:\\build\\%n\\ServiceRequestBase.cs:line %n",
  "\tat microsoft.exchange.webservices.data.core.ExchangeService.bindToFolder(ExchangeService.java:%n)",
  "  File \"/usr/lib/python3/site-packages/exchangelib/protocol.py\", line %n, in get_session",
  "    at ExchangeService.FindItems (node_modules/ews-javascript-api/js/Core/ExchangeService.js:%n:17)",
];
const fill = (t: string, i: number) =>
  t
    .replace(/%h/g, () => `mail${i % 97}.${pick(DOMAINS)}`)
    .replace(/%m/g, () => `agent${i}@${pick(DOMAINS)}`)
    .replace(/%d/g, () => pick(DOMAINS))
    .replace(/%ip/g, () => `203.0.${rnd(255)}.${rnd(255)}`)
    .replace(/%n/g, () => String(rnd(5000)));

function line(i: number): string {
  switch (rnd(6)) {
    case 0:
    case 1:
      return `${fill(pick(STEPS), i)} (${rnd(900) + 100} ms)`;
    case 2:
      return `${pick(HEADERS)}: ${pick(["CY4PR", "BN6PR", "DM5PR", "SN1PR"])}${rnd(99)}MB${rnd(9999)}.namprd${rnd(20)}.prod.example.net`;
    case 3:
      return `request-id: ${crypto.randomUUID()}`;
    case 4:
      return `${fill(pick(FRAMES), i)}:${i}`;
    default:
      return `Elapsed Time: ${rnd(3000)} ms. Step ${i} of the ${pick(["Autodiscover", "EWS", "impersonation", "Graph"])} test.`;
  }
}

function buildLog(): string {
  const corpus = loadCorpus().map((e) => e.text);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < MAX_LOG_CHARS - 8192; i++) {
    const chunk = i % 400 === 0 ? SECTIONS[(i / 400) % SECTIONS.length]! : i % 50 === 0 ? corpus[(i / 50) % corpus.length]! : line(i);
    parts.push(chunk);
    size += chunk.length + 1;
  }
  return parts.join("\n");
}

const log = buildLog();
const distinctLines = new Set(log.split(/\r?\n/)).size;
const RUNS = 30;
for (let i = 0; i < 3; i++) diagnose(log); // warm up the JIT

const times: number[] = [];
let primary: string | null = null;
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  primary = diagnose(log).primaryCause;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
const p95 = times[Math.min(RUNS - 1, Math.ceil(RUNS * 0.95) - 1)]!;
const megabytes = log.length / 1_048_576;
console.log(
  JSON.stringify({
    inputChars: log.length,
    lines: log.split("\n").length,
    distinctLines,
    distinctShare: Number((distinctLines / log.split(/\r?\n/).length).toFixed(3)),
    runs: RUNS,
    medianMs: Number(median.toFixed(2)),
    p95Ms: Number(p95.toFixed(2)),
    mbPerSecond: Number((megabytes / (median / 1000)).toFixed(1)),
    primaryCause: primary,
    targetMs: 50,
    withinTarget: median < 50,
  }),
);
