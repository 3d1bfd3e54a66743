import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consume } from "@/lib/auth/rate-limit";
import { onboardingIn } from "@/lib/credentials/testing/fixtures";
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, tenantFor } from "@/tools/exchange-sim/m365-scenarios";
import { JOBS, tick } from "@/lib/jobs/scheduler";
import { enqueueMail } from "@/lib/mail/outbox";
import { createOnboarding } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { runTest } from "@/lib/test-runs/run";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor } from "@/tools/exchange-sim/scenarios";
import { bearerMatches, metricsResponse } from "./endpoint";
import { labelValues, type LabelName } from "./registry";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-metrics-"));

const TOKEN = "metrics-token-0123456789abcdefghijklmnopqrstuvwxyz";
let sim: ExchangeSim;
beforeAll(async () => { sim = await startExchangeSim(); });
afterAll(async () => { await sim.close(); });

type Family = { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; count?: string; sum?: string; buckets?: Record<string, string> }[] };

type Scrape = Family[] & { text: string };

async function scrape(db: Parameters<typeof metricsResponse>[0]): Promise<Scrape> {
  const response = await metricsResponse(db, `Bearer ${TOKEN}`, TOKEN);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const text = await response.text();
  return Object.assign(parsePrometheusTextFormat(text) as Family[], { text });
}

function sample(families: Family[], name: string, labels: Record<string, string> = {}): number {
  // A name can come back as several families when its series are interleaved with others' (untyped lines).
  const found = families.filter((f) => f.name === name).flatMap((f) => f.metrics).find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v) && Object.keys(m.labels ?? {}).length === Object.keys(labels).length);
  if (!found) return 0;
  return Number(found.value ?? found.count);
}

/**
 * One histogram series, parsed. The parser keeps a histogram's buckets but drops its `_sum` and `_count` and
 * folds all its series into one (it keys buckets by `le` alone), so the family's sample lines are parsed without
 * their TYPE line: `_bucket`, `_sum` and `_count` then come back as plain families with their labels intact.
 */
function histogram(s: Scrape, name: string, labels: Record<string, string>): { count: number; sum: number; inf: number } {
  const lines = s.text.split("\n").filter((l) => l.startsWith(`${name}_`));
  const families = parsePrometheusTextFormat(`${lines.join("\n")}\n`) as Family[];
  return { count: sample(families, `${name}_count`, labels), sum: sample(families, `${name}_sum`, labels), inf: sample(families, `${name}_bucket`, { ...labels, le: "+Inf" }) };
}

const staff = { kind: "staff" as const, label: "Sam" };

describe("the metrics token", () => {
  it.each([
    [null, TOKEN],
    ["", TOKEN],
    ["Bearer", TOKEN],
    ["Bearer ", TOKEN],
    [`Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`, TOKEN],
    [`Bearer ${TOKEN.slice(0, -1)}`, TOKEN],
    [`Bearer ${TOKEN}x`, TOKEN],
    [`Bearer ${TOKEN.toUpperCase()}`, TOKEN],
    [`Bearer ${TOKEN} extra`, TOKEN],
    [`Bearer ${TOKEN}`, undefined],
    ["Bearer ", undefined],
  ])("%j is refused (configured: %j)", (header, expected) => {
    expect(bearerMatches(header, expected)).toBe(false);
  });

  it("the right token passes, the scheme in any case", () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });
});

describeEachDatabase("GET /api/metrics", (handle) => {
  it("answers 401 with the catalogue's message without the token, with a wrong one, and when metrics are off", async () => {
    const { db } = handle();
    for (const [header, token] of [[null, TOKEN], ["Bearer nope", TOKEN], [`Bearer ${TOKEN}`, undefined]] as const) {
      const response = await metricsResponse(db, header, token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({ error: { code: "metrics_token_invalid", message: expect.stringContaining("Bearer") } });
      expect(body).not.toContain("moxi_");
    }
  });

  it("counters move by exactly what ran: tests by method, outcome and cause; durations; job runs; rate-limit refusals", async () => {
    const { db } = handle();
    const before = await scrape(db);
    const o = await createOnboarding(db, { brokerageName: "Secret Brokerage Name", contactName: "Ann Person", contactEmail: "ann.person@acme.test", track: "exchange-server" }, staff);
    const options = { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: 5000 };
    const ews = (mailbox: string) => runTest(db, { onboardingId: o.id, trigger: "manual", actor: staff, probe: { serviceAccount: "svc@acme.test", password: sim.password, testMailbox: mailbox }, probeOptions: options });
    const runs = [await ews(mailboxFor("healthy")), await ews(mailboxFor("healthy")), await ews(mailboxFor("impersonation-denied"))];
    const tenant = tenantFor("healthy");
    const graph = await runTest(db, {
      onboardingId: o.id, trigger: "manual", actor: staff,
      graph: {
        input: { tenant, clientId: SIM_CLIENT_ID, credential: { kind: "secret", clientSecret: SIM_CLIENT_SECRET }, testMailbox: `agent@${tenant}` },
        options: { authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl, allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, deadlineMs: 6000 },
      },
    });
    expect(runs.map((r) => [r.outcome, r.primaryCause])).toEqual([["passed", null], ["passed", null], ["failed", "impersonation_denied"]]);
    expect(graph.outcome).toBe("passed");
    // Five wrong-code attempts are allowed, the sixth and seventh refused.
    for (let i = 0; i < 7; i++) await consume(db, "secondFactorPerAccount", `metrics-${o.id}`);
    const ran = await tick({ db, holder: "metrics-test", now: new Date() }, JOBS.filter((j) => j.name === "outbox"));
    expect(ran).toEqual(["outbox"]);

    const after = await scrape(db);
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("moxi_connection_tests_total", { method: "ews", outcome: "passed", cause: "none" })).toBe(2);
    expect(delta("moxi_connection_tests_total", { method: "ews", outcome: "failed", cause: "impersonation_denied" })).toBe(1);
    expect(delta("moxi_connection_tests_total", { method: "graph", outcome: "passed", cause: "none" })).toBe(1);
    const [ewsBefore, ewsAfter] = [before, after].map((s) => histogram(s, "moxi_verification_duration_seconds", { method: "ews" }));
    const [graphBefore, graphAfter] = [before, after].map((s) => histogram(s, "moxi_verification_duration_seconds", { method: "graph" }));
    expect(ewsAfter!.count - ewsBefore!.count).toBe(3);
    expect(graphAfter!.count - graphBefore!.count).toBe(1);
    expect(ewsAfter!.sum - ewsBefore!.sum).toBeCloseTo(runs.reduce((s, r) => s + (r.elapsedMs ?? 0), 0) / 1000, 2);
    expect(graphAfter!.sum - graphBefore!.sum).toBeCloseTo((graph.elapsedMs ?? 0) / 1000, 2);
    expect(ewsAfter!.inf - ewsBefore!.inf).toBe(3);
    expect(delta("moxi_rate_limit_refusals_total", { limiter: "secondFactorPerAccount" })).toBe(2);
    expect(delta("moxi_job_runs_total", { job: "outbox", outcome: "ok" })).toBe(1);
    expect(delta("moxi_job_runs_total", { job: "outbox", outcome: "failed" })).toBe(0);

    const text = await (await metricsResponse(db, `Bearer ${TOKEN}`, TOKEN)).text();
    for (const secret of ["Secret Brokerage Name", "Ann Person", "ann.person@acme.test", "acme.test", o.id, sim.password, tenant]) expect(text).not.toContain(secret);
  });

  it("gauges read the database: onboardings by state, outbox depth and oldest age, job lease and lag, roster checks in flight", async () => {
    const { db } = handle();
    const before = await scrape(db);
    await onboardingIn(db, "verified");
    await onboardingIn(db, "needs_attention");
    await onboardingIn(db, "needs_attention");
    const states = await db.selectFrom("onboardings").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("state").execute();
    const now = new Date();
    await enqueueMail(db, { to: "x@acme.test", template: "reminder", message: { subject: "s", text: "t" } });
    await db.updateTable("outbox").set({ created_at: new Date(now.getTime() - 90_000).toISOString() }).where("to_address", "=", "x@acme.test").execute();
    await db.insertInto("job_leases").values({ name: "reverify", holder: "elsewhere", expires_at: new Date(now.getTime() + 60_000).toISOString(), last_run_at: new Date(now.getTime() - 20 * 60_000).toISOString() })
      .onConflict((oc) => oc.column("name").doUpdateSet({ holder: "elsewhere", expires_at: new Date(now.getTime() + 60_000).toISOString(), last_run_at: new Date(now.getTime() - 20 * 60_000).toISOString() })).execute();

    const after = await scrape(db);
    expect(sample(after, "moxi_onboardings", { state: "needs_attention" }) - sample(before, "moxi_onboardings", { state: "needs_attention" })).toBe(2);
    for (const row of states) expect(sample(after, "moxi_onboardings", { state: row.state })).toBe(Number(row.n));
    expect(sample(after, "moxi_onboardings", { state: "rotation_requested" })).toBe(states.find((s) => s.state === "rotation_requested") ? Number(states.find((s) => s.state === "rotation_requested")!.n) : 0);
    const queued = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "queued").executeTakeFirstOrThrow();
    expect(sample(after, "moxi_outbox_depth")).toBe(Number(queued.n));
    expect(sample(after, "moxi_outbox_oldest_age_seconds")).toBeGreaterThanOrEqual(89);
    expect(sample(after, "moxi_job_lease_held", { job: "reverify" })).toBe(1);
    expect(sample(after, "moxi_job_lease_held_by_this_instance", { job: "reverify" })).toBe(0);
    // Last ran 20 minutes ago, due every 15: five minutes late.
    expect(sample(after, "moxi_job_lag_seconds", { job: "reverify" })).toBeGreaterThanOrEqual(299);
    expect(sample(after, "moxi_job_lag_seconds", { job: "reverify" })).toBeLessThan(330);
    const running = await db.selectFrom("roster_checks").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "running").executeTakeFirstOrThrow();
    expect(sample(after, "moxi_roster_checks_in_flight")).toBe(Number(running.n));
  });

  it("every label of every sample comes from a closed set (no names, addresses or ids: bounded cardinality)", async () => {
    const { db } = handle();
    const scraped = await scrape(db);
    expect(scraped.length).toBeGreaterThanOrEqual(12);
    expect(scraped.every((f) => f.name.startsWith("moxi_"))).toBe(true);
    // Without TYPE lines every sample line is its own family with all its labels (histogram buckets included).
    const families = parsePrometheusTextFormat(`${scraped.text.split("\n").filter((l) => !l.startsWith("#")).join("\n")}\n`) as Family[];
    const closed = labelValues();
    let checked = 0;
    for (const family of families) {
      expect(family.name).toMatch(/^moxi_/);
      for (const m of family.metrics) {
        for (const [label, value] of Object.entries(m.labels ?? {})) {
          if (label === "le") {
            expect(family.name).toMatch(/_bucket$/);
            expect(value).toMatch(/^(\d+(\.\d+)?|\+Inf)$/);
            continue;
          }
          expect(Object.keys(closed)).toContain(label);
          expect([...closed[label as LabelName]], `${family.name}{${label}="${value}"}`).toContain(value);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The sets themselves are small and fixed.
    for (const [label, values] of Object.entries(closed)) expect(values.size, label).toBeLessThan(60);
  });
});
