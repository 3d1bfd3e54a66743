// npm run -s bench:verdict -- [--latency-ms 50] [--runs 3] [--only a,b] [--graph-only] [--json]
// Time-to-verdict per simulator scenario, with a fixed latency added to every simulator answer:
//   ours    = the full test, runProbe with sendTestMessage (own concurrent Autodiscover, one batched GetFolder,
//             then the sync's checks in two rounds: reads, creates and the send at once; deletes and the Sent
//             Items search at once)
//   library = ews-javascript-api's own ExchangeService.AutodiscoverUrl + Folder.Bind on Inbox, Contacts,
//             Calendar, Sent Items, then the same checks one call after another, as its API reads (URLs for
//             *.sim.test rewritten to the simulator; same per-request timeout).
// --only ntlm: the NTLM row (ntlm-only with NTLM chosen; min RT 6, see below).
// "min RT" is the fewest sequential round trips the verdict needs (lib/exchange/scenario-expectations.ts);
// "×min" is time-to-verdict ÷ (min RT × latency). Requests are counted at the simulator.
// Graph rows: runGraphProbe (lib/graph: real msal-node, our recording layer) per Entra/Graph scenario, run as
// verification runs it (tenant GUID + consented tenant, an out-of-reach mailbox); min RT from
// lib/graph/scenario-expectations.ts (OpenID configuration ‖ token, reads ‖ creates, deletes), ×min adds the
// Retry-After wait the verdict cannot avoid. Two extra healthy rows: the tenant by domain (OpenID configuration
// before the token: 4 RT) and with --send-test-mail (5 calls for one mailbox, still 3 RT under the limit of 4).

import https from "node:https";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  Appointment,
  BodyType,
  CalendarView,
  Contact,
  DateTime,
  DateTimeKind,
  DeleteMode,
  EmailMessage,
  FolderId,
  ItemSchema,
  ItemView,
  MessageBody,
  SearchFilter,
  SendCancellationsMode,
  SendInvitationsMode,
  TimeZoneInfo,
  ExchangeService,
  ExchangeVersion,
  Folder,
  ImpersonatedUserId,
  ConnectingIdType,
  WebCredentials,
  WellKnownFolderName,
  XhrApi,
  type IXHRApi,
  type IXHROptions,
} from "ews-javascript-api";
import { runProbe } from "@/lib/exchange/probe";
import { runGraphProbe } from "@/lib/graph/probe";
import { GRAPH_EXPECTED, scenarioTarget } from "@/lib/graph/scenario-expectations";
import { tenantIdForDomain } from "@/tools/exchange-sim/entra";
import { M365_SCENARIO_NAMES, SIM_CLIENT_ID, SIM_CLIENT_SECRET, type M365ScenarioName } from "@/tools/exchange-sim/m365-scenarios";
import { EXPECTED } from "@/lib/exchange/scenario-expectations";
import { mailboxFor, SCENARIO_NAMES, SIM_DOMAIN, type ScenarioName } from "@/tools/exchange-sim/scenarios";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import type { AuthScheme } from "@/lib/validation/credentials";

const { values } = parseArgs({
  options: { "latency-ms": { type: "string" }, runs: { type: "string" }, only: { type: "string" }, "graph-only": { type: "boolean" }, json: { type: "boolean" } },
});
const latencyMs = Number(values["latency-ms"] ?? 50);
const runs = Math.max(1, Number(values.runs ?? 3));
const perRequestTimeoutMs = 2000;
const scenarios = values["graph-only"] ? [] : values.only ? (values.only.split(",").filter((s) => s !== "ntlm") as ScenarioName[]) : SCENARIO_NAMES;

type Measure = { verdict: string; ms: number; requests: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function ours(sim: ExchangeSim, scenario: ScenarioName, authScheme?: AuthScheme): Promise<Measure> {
  const before = sim.requests.length;
  const t0 = performance.now();
  const r = await runProbe(
    { serviceAccount: "svc@contoso.test", password: sim.password, testMailbox: mailboxFor(scenario), ...(authScheme ? { authScheme } : {}) },
    { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 30_000, perRequestTimeoutMs, sendTestMessage: true },
  );
  const ms = performance.now() - t0;
  return { verdict: r.outcome === "passed" ? "passed" : `${r.failedStage}: ${r.failure?.code}`, ms, requests: sim.requests.length - before };
}

/** The library's HTTP layer, with hosts under sim.test sent to the simulator (how its own tests point it at a server). */
function rewritingXhr(sim: ExchangeSim, agent: https.Agent): IXHRApi {
  const inner = new XhrApi({ httpsAgent: agent, timeout: perRequestTimeoutMs } as never);
  const rewrite = (url: string) => {
    const u = new URL(url);
    if (!u.hostname.endsWith(`.${SIM_DOMAIN}`)) return url;
    return `${u.protocol === "http:" ? sim.httpUrl : sim.httpsUrl}${u.pathname}${u.search}`;
  };
  return {
    apiName: "bench-rewrite",
    xhr: (o: IXHROptions, p?: never) => inner.xhr({ ...o, url: rewrite(o.url) }, p),
    xhrStream: (o: IXHROptions, p: never) => inner.xhrStream({ ...o, url: rewrite(o.url) }, p),
    disconnect: () => inner.disconnect(),
  };
}

/** The sync's checks written the plain way with the library: each call waits for the one before. */
async function sequentialChecks(svc: ExchangeService, mailbox: string): Promise<string> {
  const utc = (ms: number) => new DateTime(ms, DateTimeKind.Utc);
  const day = new Date();
  const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const subject = `MoxiEngage connection test ${Date.now()}`;
  const steps: [string, () => Promise<unknown>][] = [
    ["list-contact", () => svc.FindItems(WellKnownFolderName.Contacts, new ItemView(1))],
    ["write-contact", async () => {
      const c = new Contact(svc);
      c.GivenName = "MoxiEngage";
      await c.Save(new FolderId(WellKnownFolderName.Contacts));
      await c.Delete(DeleteMode.HardDelete);
    }],
    ["view-calendar", () => svc.FindAppointments(WellKnownFolderName.Calendar, new CalendarView(utc(start), utc(start + 86_400_000), 50))],
    ["write-event", async () => {
      const a = new Appointment(svc);
      a.Subject = subject;
      a.Start = utc(start + 23 * 3_600_000);
      a.End = utc(start + 23 * 3_600_000 + 900_000);
      await a.Save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
      await a.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
    }],
    ["send-message", async () => {
      const m = new EmailMessage(svc);
      m.Subject = subject;
      m.Body = new MessageBody(BodyType.Text, "bench");
      m.ToRecipients.Add(mailbox);
      await m.SendAndSaveCopy();
    }],
    ["find-sent", async () => {
      const found = await svc.FindItems(WellKnownFolderName.SentItems, new SearchFilter.IsEqualTo(ItemSchema.Subject, subject), new ItemView(1));
      if (found.TotalCount === 0) throw new Error("not in Sent Items");
    }],
  ];
  for (const [name, run] of steps) {
    try {
      await run();
    } catch (e) {
      return `${name}: "${String((e as { message?: string })?.message ?? e).slice(0, 40)}"`;
    }
  }
  return "passed";
}

async function library(sim: ExchangeSim, scenario: ScenarioName, agent: https.Agent): Promise<Measure> {
  const before = sim.requests.length;
  const t0 = performance.now();
  const mailbox = mailboxFor(scenario);
  const attempt = async (): Promise<string> => {
    const svc = new ExchangeService(ExchangeVersion.Exchange2013_SP1, TimeZoneInfo.Utc);
    svc.Credentials = new WebCredentials("svc@contoso.test", sim.password);
    svc.XHRApi = rewritingXhr(sim, agent);
    try {
      await svc.AutodiscoverUrl(mailbox, (url) => url.startsWith("https://"));
    } catch (e) {
      return `autodiscover: "${String((e as { message?: string })?.message ?? e).slice(0, 40)}"`;
    }
    svc.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, mailbox);
    svc.HttpHeaders.Add("X-AnchorMailbox", mailbox);
    for (const f of [WellKnownFolderName.Inbox, WellKnownFolderName.Contacts, WellKnownFolderName.Calendar, WellKnownFolderName.SentItems]) {
      try {
        await Folder.Bind(svc, f);
      } catch (e) {
        const err = e as { message?: string; HttpStatusCode?: number };
        return `bind: ${err.HttpStatusCode ?? ""} "${String(err.message ?? "").slice(0, 40)}"`;
      }
    }
    return sequentialChecks(svc, mailbox);
  };
  // The library has no overall deadline (and can leave promises pending); give it 20 s.
  const verdict = await Promise.race([attempt(), new Promise<string>((r) => setTimeout(() => r("no verdict in 20 s"), 20_000))]);
  return { verdict, ms: performance.now() - t0, requests: sim.requests.length - before };
}

type GraphVariant = { byDomain?: boolean; sendTestMail?: boolean };

async function oursGraph(sim: ExchangeSim, scenario: M365ScenarioName, cert: { certificatePem: string; privateKeyPem: string }, variant: GraphVariant = {}): Promise<Measure> {
  const want = GRAPH_EXPECTED[scenario];
  const target = scenarioTarget(scenario);
  sim.m365.directory.tenant(target.domain); // a `<label>.sim.test` tenant exists once named
  const id = tenantIdForDomain(target.domain);
  const before = sim.requests.length;
  const t0 = performance.now();
  const r = await runGraphProbe(
    {
      tenant: variant.byDomain ? target.domain : id,
      // by domain: what a first run from the CLI does — no consented tenant known, so OpenID configuration comes first
      expectedTenantId: variant.byDomain ? undefined : id,
      clientId: SIM_CLIENT_ID,
      credential: want.credential === "certificate" ? { kind: "certificate", ...cert } : { kind: "secret", clientSecret: SIM_CLIENT_SECRET },
      testMailbox: target.testMailbox,
      outOfScopeMailbox: target.outOfScopeMailbox,
      sendTestMail: variant.sendTestMail,
    },
    { authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl, allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, deadlineMs: 30_000, perRequestTimeoutMs },
  );
  const ms = performance.now() - t0;
  return { verdict: r.outcome === "passed" ? "passed" : `${r.failedStage}: ${r.failure?.code}`, ms, requests: sim.requests.length - before };
}

const sim = await startExchangeSim({ latencyMs });
const agent = new https.Agent({ ca: sim.caPem, keepAlive: true });
const appCert = await sim.m365.directory.addAppCertificate();
// Warm the code paths so the first row does not pay module start-up.
await oursGraph(sim, "healthy", appCert);
if (scenarios.length) {
  await ours(sim, "healthy");
  await library(sim, "healthy", agent);
}

const rows = [];
for (const scenario of scenarios) {
  const mine: Measure[] = [];
  for (let i = 0; i < runs; i++) mine.push(await ours(sim, scenario));
  const lib = await library(sim, scenario, agent);
  const min = EXPECTED[scenario].minRoundTrips;
  const ms = median(mine.map((m) => m.ms));
  rows.push({
    scenario,
    verdict: mine[0]!.verdict,
    ms: Math.round(ms),
    requests: mine[0]!.requests,
    minRoundTrips: min,
    ratio: min ? +(ms / (min * latencyMs)).toFixed(2) : null,
    library: { verdict: lib.verdict, ms: Math.round(lib.ms), requests: lib.requests, ratio: min ? +(lib.ms / (min * latencyMs)).toFixed(2) : null },
  });
}
// The NTLM row: Exchange Server with Basic off and NTLM chosen (no Basic attempt first). NTLM signs in a
// connection: each new connection costs one round trip more (negotiate → challenge, then authenticate), which
// happens twice in the full test: Autodiscover's connection (reused by GetFolder) and the connections the first
// parallel round of the sync's checks opens (reused by the second round). Minimum: 4 + 2 = 6.
const NTLM_MIN = EXPECTED.healthy.minRoundTrips! + 2;
if (!values["graph-only"] && (!values.only || values.only.split(",").includes("ntlm"))) {
  const mine: Measure[] = [];
  for (let i = 0; i < runs; i++) mine.push(await ours(sim, "ntlm-only", "ntlm"));
  const ms = median(mine.map((m) => m.ms));
  const lib = await library(sim, "ntlm-only", agent);
  rows.push({
    scenario: "ntlm-only, NTLM chosen",
    verdict: mine[0]!.verdict,
    ms: Math.round(ms),
    requests: mine[0]!.requests,
    minRoundTrips: NTLM_MIN,
    ratio: +(ms / (NTLM_MIN * latencyMs)).toFixed(2),
    library: { verdict: lib.verdict, ms: Math.round(lib.ms), requests: lib.requests, ratio: +(lib.ms / (NTLM_MIN * latencyMs)).toFixed(2) },
  });
}
const graphCases: { label: string; scenario: M365ScenarioName; variant?: GraphVariant; min: number | null; waitMs: number }[] = [
  ...M365_SCENARIO_NAMES.map((scenario) => ({ label: scenario, scenario, min: GRAPH_EXPECTED[scenario].minRoundTrips, waitMs: GRAPH_EXPECTED[scenario].minWaitMs ?? 0 })),
  { label: "healthy, tenant by domain", scenario: "healthy", variant: { byDomain: true }, min: 4, waitMs: 0 },
  { label: "healthy, --send-test-mail", scenario: "healthy", variant: { sendTestMail: true }, min: 3, waitMs: 0 },
];
const graphRows = [];
for (const c of graphCases) {
  const mine: Measure[] = [];
  for (let i = 0; i < runs; i++) mine.push(await oursGraph(sim, c.scenario, appCert, c.variant));
  const ms = median(mine.map((m) => m.ms));
  const floor = c.min ? c.min * latencyMs + c.waitMs : null;
  graphRows.push({ scenario: c.label, verdict: mine[0]!.verdict, ms: Math.round(ms), requests: mine[0]!.requests, minRoundTrips: c.min, minWaitMs: c.waitMs, ratio: floor ? +(ms / floor).toFixed(2) : null });
}
agent.destroy();
await sim.close();

if (values.json) {
  process.stdout.write(JSON.stringify({ latencyMs, runs, perRequestTimeoutMs, rows, graphRows }, null, 2) + "\n");
} else {
  const lines = [
    `Time to verdict, ${latencyMs} ms added per simulator answer, per-request timeout ${perRequestTimeoutMs} ms, ours = median of ${runs}.`,
    "",
    "| scenario | our verdict | ms | requests | min RT | ×min | library verdict | ms | requests | ×min |",
    "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.verdict} | ${r.ms} | ${r.requests} | ${r.minRoundTrips ?? "—"} | ${r.ratio ?? "—"} | ${r.library.verdict} | ${r.library.ms} | ${r.library.requests} | ${r.library.ratio ?? "—"} |`,
    ),
    "",
    `Microsoft Graph app-access test (lib/graph), same latency; min RT: OpenID configuration ‖ token, reads ‖ creates, deletes; ×min = ms ÷ (min RT × latency + Retry-After wait).`,
    "",
    "| scenario | verdict | ms | requests | min RT | ×min |",
    "|---|---|---:|---:|---:|---:|",
    ...graphRows.map((r) => `| ${r.scenario} | ${r.verdict} | ${r.ms} | ${r.requests} | ${r.minRoundTrips === null ? "—" : `${r.minRoundTrips}${r.minWaitMs ? ` + ${r.minWaitMs} ms` : ""}`} | ${r.ratio ?? "—"} |`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
process.exit(0);
