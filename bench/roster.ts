// npm run -s bench:roster [-- --mailboxes 2000 --latency-ms 50 --concurrency 16,50 --one-by-one 100 --memory 10000 --json]
// The roster check against the simulator (its own process, 50 ms added to every answer), through the real store
// (SQLite in a temp dir, results written as the app writes them):
//  - wall time for N mailboxes against the minimum the concurrency allows (mailboxes × round trips ÷ concurrency ×
//    latency; one GetFolder per mailbox = 1 round trip), and against checking them one by one (measured on a sample
//    and scaled: one by one is latency-bound, linear in the count);
//  - /api/health p99 while it runs: this process answers GET /api/health as the app's route does (a database
//    read that the schema is migrated, JSON), polled every 20 ms by a separate process (started and answering
//    before the check begins; only the polls begun during the check count);
//  - CPU ms per mailbox of this process and of the simulator (/proc): on the shared 2-core machine they tell a
//    slow run that was starved of CPU from one that was not;
//  - peak memory (RSS and heap above the start) for a 10,000-mailbox check.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connect, isReadyAndMigrated, migrateToLatest } from "@/lib/db/connect";
import { createOnboarding } from "@/lib/onboarding/store";
import type { RosterSetup } from "@/lib/roster/access";
import { claimRosterCheck, rosterProgress, runRosterCheck, saveRoster, startRosterCheck } from "@/lib/roster/store";

const { values } = parseArgs({
  options: {
    mailboxes: { type: "string", default: "2000" },
    "latency-ms": { type: "string", default: "50" },
    concurrency: { type: "string", default: "16,50" },
    "one-by-one": { type: "string", default: "100" },
    memory: { type: "string", default: "10000" },
    json: { type: "boolean" },
  },
});
const N = Number(values.mailboxes);
const LATENCY = Number(values["latency-ms"]);
const CONCURRENCIES = values.concurrency!.split(",").map(Number);
const SAMPLE = Number(values["one-by-one"]);
const MEMORY_N = Number(values.memory);

type Sim = { ewsUrl: string; allowedHosts: string[]; caPem: string; password: string; pid: number };

/** CPU ms a process has used so far (Linux /proc; clock ticks of 10 ms), NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime
  } catch {
    return NaN;
  }
}
function startSim(): Promise<{ sim: Sim; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tools/exchange-sim/cli.ts", "--port", "0", "--https-port", "0", "--latency-ms", String(LATENCY), "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.startsWith("{"));
      if (line && buf.includes("\n")) resolve({ sim: JSON.parse(line) as Sim, child });
    });
    child.on("exit", (code) => reject(new Error(`simulator exited ${code}`)));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-roster-"));
const handle = connect({ dataDir: dir });
await migrateToLatest(handle.db);
const db = handle.db;
const { sim, child: simChild } = await startSim();

const server = http.createServer(async (req, res) => {
  if (req.url !== "/api/health") return res.writeHead(404).end();
  const ok = await isReadyAndMigrated(db);
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ok ? "ok" : "unavailable" }));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const healthUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/health`;

const setup: RosterSetup = { track: "ews", guidanceTrack: "exchange-server", access: { kind: "ews", serviceAccount: "svc@acme.test", password: sim.password, ewsUrl: sim.ewsUrl }, domains: ["acme.test"], allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem };

async function onboardingWith(n: number): Promise<string> {
  const o = await createOnboarding(db, { brokerageName: "Bench Realty", contactName: "Ann", contactEmail: "ann@acme.test" }, { kind: "system", label: "bench" });
  const saved = await saveRoster(db, o.id, Array.from({ length: n }, (_, i) => `agent${i}@acme.test`).join("\n"));
  if (!saved.ok) throw new Error(saved.code);
  return o.id;
}

/**
 * Polls /api/health every 20 ms from another process. Resolves once the poller answers (its own start-up — a
 * Node process — is not timed against the check); `stop` returns the latencies of the polls begun after `from`
 * (a Date.now() time).
 */
async function startPoller(): Promise<{ stop(from: number): Promise<number[]> }> {
  const code = `const http=require("node:http");const t=[];let on=true;let first=true;process.on("message",()=>{on=false});function go(){if(!on){process.send(t);return}const at=Date.now();const s=performance.now();http.get(${JSON.stringify(healthUrl)},(r)=>{r.resume();r.on("end",()=>{t.push([at,performance.now()-s]);if(first){first=false;process.send("ready")}setTimeout(go,20)})}).on("error",()=>setTimeout(go,20))}go();`;
  const p = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve) => p.once("message", () => resolve()));
  return {
    stop: (from) =>
      new Promise((resolve) => {
        p.once("message", (m) => {
          p.kill();
          resolve((m as [number, number][]).filter(([at]) => at >= from).map(([, ms]) => ms));
        });
        p.send("stop");
      }),
  };
}

async function check(n: number, concurrency: number, opts: { poll?: boolean; memory?: boolean } = {}) {
  const id = await onboardingWith(n);
  const start = await startRosterCheck(db, id, "all", "bench", { skipAccessCheck: true });
  if (!start.ok) throw new Error(start.code);
  await claimRosterCheck(db, start.checkId, "bench");
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const poller = opts.poll ? await startPoller() : undefined;
  const from = Date.now();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const simCpu0 = processCpuMs(sim.pid);
  const state = await runRosterCheck(db, start.checkId, "bench", { setup, concurrency, mailboxDeadlineMs: 15_000 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const simCpuMs = processCpuMs(sim.pid) - simCpu0;
  clearInterval(sampler);
  const latencies = poller ? await poller.stop(from) : [];
  const p = await rosterProgress(db, id);
  if (state !== "done") throw new Error(`check ended ${state}`);
  latencies.sort((a, b) => a - b);
  const q = (f: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))]! : NaN);
  return { n, concurrency, reachable: p.counts.reachable, failed: p.counts.byCause, wallMs, minimumMs: (n * 1 * LATENCY) / concurrency, cpuMsPerMailbox: (cpu.user + cpu.system) / 1000 / n, simCpuMsPerMailbox: simCpuMs / n, peakRssMb: (peakRss - base.rss) / 2 ** 20, peakHeapMb: (peakHeap - base.heapUsed) / 2 ** 20, rssMb: peakRss / 2 ** 20, health: { n: latencies.length, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? NaN } };
}

const out: Record<string, unknown> = { mailboxes: N, latencyMs: LATENCY, at: new Date().toISOString(), loadAverage: os.loadavg()[0] };
const rows = [];
await check(200, 16); // warm-up: TLS contexts, JIT
for (const c of CONCURRENCIES) rows.push(await check(N, c, { poll: true }));
const single = await check(SAMPLE, 1);
const oneByOneMs = (single.wallMs / SAMPLE) * N;
const memory = await check(MEMORY_N, Math.max(...CONCURRENCIES));
out.rows = rows;
out.oneByOne = { sample: SAMPLE, msPerMailbox: single.wallMs / SAMPLE, scaledMs: oneByOneMs };
out.memory = memory;

if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
else {
  const f = (x: number) => Math.round(x).toLocaleString("en-US");
  process.stdout.write(`Roster check, ${N} mailboxes, ${LATENCY} ms added per answer (load average ${os.loadavg()[0]!.toFixed(1)})\n`);
  process.stdout.write("| concurrency | wall ms | minimum ms | × minimum | one by one ms (scaled) | speed-up | /api/health p50 / p99 / max ms (n) | CPU ms per mailbox: check / simulator |\n|---:|---:|---:|---:|---:|---:|---|---|\n");
  for (const r of [...rows, memory]) if (r.reachable !== r.n) process.stdout.write(`Note: ${r.n - r.reachable} of ${r.n} mailboxes not reachable at concurrency ${r.concurrency}: ${JSON.stringify(r.failed)}\n`);
  for (const r of rows) process.stdout.write(`| ${r.concurrency} | ${f(r.wallMs)} | ${f(r.minimumMs)} | ${(r.wallMs / r.minimumMs).toFixed(2)} | ${f(oneByOneMs)} | ${(oneByOneMs / r.wallMs).toFixed(1)}× | ${r.health.p50.toFixed(1)} / ${r.health.p99.toFixed(1)} / ${r.health.max.toFixed(1)} (${r.health.n}) | ${r.cpuMsPerMailbox.toFixed(2)} / ${r.simCpuMsPerMailbox.toFixed(2)} |\n`);
  process.stdout.write(`One by one: ${(single.wallMs / SAMPLE).toFixed(1)} ms per mailbox measured on ${SAMPLE}.\n`);
  process.stdout.write(`${MEMORY_N} mailboxes at concurrency ${memory.concurrency}: ${f(memory.wallMs)} ms (${(memory.wallMs / memory.minimumMs).toFixed(2)}× minimum), peak RSS ${memory.rssMb.toFixed(0)} MB (+${memory.peakRssMb.toFixed(0)} MB during the check), heap +${memory.peakHeapMb.toFixed(0)} MB; CPU ms per mailbox ${memory.cpuMsPerMailbox.toFixed(2)} (check) / ${memory.simCpuMsPerMailbox.toFixed(2)} (simulator).\n`);
}
server.close();
simChild.kill();
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
