// Times diagnose() on a ~1 MB realistic log: repeated Remote Connectivity Analyzer sections (with
// wrapped headers), our probe's log lines, noise in other languages and the seed's failing sections.
// Run: npx tsx bench/diagnose.ts   (not part of npm test; target: median under 50 ms per 1 MB log)

import { readFileSync } from "node:fs";
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

// Every repetition gets its own request ids, timings and test mailbox, as in a real log, so that few
// lines repeat verbatim (the engine skips exact repeats; that must not flatter the figure).
function vary(section: string, i: number): string {
  return section
    .replace(/request-id: [0-9a-f-]+/gi, () => `request-id: ${crypto.randomUUID()}`)
    .replace(/RequestId=[0-9a-f-]+/g, () => `RequestId=${crypto.randomUUID()}`)
    .replace(/Elapsed Time: \d+ ms/g, () => `Elapsed Time: ${(i * 37) % 997} ms`)
    .replace(/agent@contoso\.com/g, `agent${i}@contoso.com`);
}

function buildLog(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < MAX_LOG_CHARS - 4096; i++) {
    const section = vary(SECTIONS[i % SECTIONS.length]!, i);
    parts.push(section);
    size += section.length + 1;
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
    runs: RUNS,
    medianMs: Number(median.toFixed(2)),
    p95Ms: Number(p95.toFixed(2)),
    mbPerSecond: Number((megabytes / (median / 1000)).toFixed(1)),
    primaryCause: primary,
    targetMs: 50,
    withinTarget: median < 50,
  }),
);
