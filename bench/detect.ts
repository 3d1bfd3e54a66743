// npm run -s bench:detect -- [--latency-ms 50] [--runs 5] [--json]
// Mail-host detection (lib/detect) against the simulator's DNS server and its Entra / Autodiscover v2 endpoints,
// with the same latency added to every DNS answer and every HTTPS answer. Each run starts from an empty cache.
//   wall  = the detector's own elapsed time (median over runs)
//   sum   = the lookups' times added up (what doing them one after another would cost)
//   max   = the slowest single lookup: the floor for lookups run in parallel
// The detector runs every lookup at once under one deadline, so wall should be close to max, far below sum.

import { parseArgs } from "node:util";
import { parseSubject } from "@/lib/detect/address";
import { DetectionCache, detectMailHost } from "@/lib/detect/detector";
import { startSimDns } from "@/tools/exchange-sim/dns";
import { DETECT_DOMAIN, DISCOVERY_REACHABLE_HOSTS } from "@/tools/exchange-sim/discovery";
import { startExchangeSim } from "@/tools/exchange-sim/server";

const { values } = parseArgs({ options: { "latency-ms": { type: "string", default: "50" }, runs: { type: "string", default: "5" }, json: { type: "boolean" } } });
const latencyMs = Number(values["latency-ms"]);
const runs = Number(values.runs);

const sim = await startExchangeSim({ latencyMs });
const dns = await startSimDns({ httpsPort: Number(new URL(sim.httpsUrl).port), latencyMs });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const CASES = ["m365", "mimecast", "godaddy", "hybrid", "exchange", "hosted", "google", "nomx", "missing"];
const rows = [];
for (const label of CASES) {
  const walls: number[] = [];
  const sums: number[] = [];
  const maxes: number[] = [];
  let host = "";
  for (let i = 0; i < runs; i++) {
    const parsed = parseSubject(`agent${i}@${label}.${DETECT_DOMAIN}`);
    if (!parsed.ok) throw new Error(parsed.problem);
    const run = await detectMailHost(parsed.subject, {
      dnsServers: [dns.server],
      authorityUrl: sim.m365.authorityHost,
      autodiscoverUrl: sim.httpsUrl,
      allowedHosts: [...sim.allowedHosts, ...DISCOVERY_REACHABLE_HOSTS],
      extraCaPem: sim.caPem,
      cache: new DetectionCache(),
    });
    const times = Object.values(run.timings) as number[];
    walls.push(run.elapsedMs);
    sums.push(times.reduce((a, b) => a + b, 0));
    maxes.push(Math.max(...times));
    host = run.host;
  }
  rows.push({ domain: label, host, wallMs: median(walls), sumMs: median(sums), maxMs: median(maxes) });
}
await Promise.all([sim.close(), dns.close()]);

if (values.json) {
  process.stdout.write(`${JSON.stringify({ latencyMs, runs, rows }, null, 2)}\n`);
} else {
  process.stdout.write(`mail-host detection, ${latencyMs} ms added to every DNS and HTTPS answer, median of ${runs} cold runs\n`);
  process.stdout.write(`${"domain".padEnd(10)} ${"host".padEnd(28)} ${"wall ms".padStart(8)} ${"max ms".padStart(7)} ${"sum ms".padStart(7)}  wall/max  wall/sum\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.domain.padEnd(10)} ${r.host.padEnd(28)} ${String(r.wallMs).padStart(8)} ${String(r.maxMs).padStart(7)} ${String(r.sumMs).padStart(7)}  ${(r.wallMs / r.maxMs).toFixed(2).padStart(8)}  ${(r.wallMs / r.sumMs).toFixed(2).padStart(8)}\n`,
    );
  }
}
