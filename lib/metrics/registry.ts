import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { CAUSES } from "@/lib/diagnosis/causes";
import { STATES } from "@/lib/onboarding/lifecycle";

/**
 * The process's Prometheus registry (prom-client), kept on globalThis: Next.js may load this module more than
 * once (route bundles, instrumentation, dev reloads) and every copy must count into the same metrics.
 *
 * Labels take values from closed sets only (LABEL_VALUES): methods, outcomes, causes from the fixed vocabulary,
 * lifecycle states, job and limiter names. Never a tenant, brokerage, address or id: cardinality stays bounded
 * and no personal data reaches the monitoring system. A value outside its set is counted as "other".
 */
export const TEST_METHODS = ["ews", "graph"] as const;
export const TEST_OUTCOMES = ["passed", "failed", "cancelled"] as const;
export const JOB_OUTCOMES = ["ok", "failed"] as const;

export type LabelName = "method" | "outcome" | "cause" | "state" | "job" | "limiter";

/** Declares the names a closed label may take (the scheduler's jobs, the rate limiter's limits). */
export function allowLabelValues(label: "job" | "limiter", values: readonly string[]) {
  for (const v of values) metrics().labelValues[label].add(v);
}

/** The label values the metrics may carry: every sample's labels come from these sets (tested). */
export function labelValues(): Readonly<Record<LabelName, ReadonlySet<string>>> {
  return metrics().labelValues;
}

function bounded(label: LabelName, value: string): string {
  return metrics().labelValues[label].has(value) ? value : "other";
}

function build() {
  // `job` and `limiter` are filled in by their owners (allowLabelValues), so a new job or limit needs no edit here.
  const labelValues: Record<LabelName, Set<string>> = {
    method: new Set(TEST_METHODS),
    outcome: new Set<string>([...TEST_OUTCOMES, ...JOB_OUTCOMES, "other"]),
    cause: new Set<string>([...CAUSES, "none", "other"]),
    state: new Set<string>(STATES),
    job: new Set<string>(["other"]),
    limiter: new Set<string>(["other"]),
  };
  const registry = new Registry();
  const connectionTests = new Counter({
    name: "moxi_connection_tests_total",
    help: "Connection tests run (EWS impersonation or Microsoft Graph app access), by method, outcome and primary cause.",
    labelNames: ["method", "outcome", "cause"] as const,
    registers: [registry],
  });
  const verificationDuration = new Histogram({
    name: "moxi_verification_duration_seconds",
    help: "How long a connection test took from first call to verdict.",
    labelNames: ["method"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: "moxi_job_runs_total",
    help: "Background job runs on this instance, by job and outcome.",
    labelNames: ["job", "outcome"] as const,
    registers: [registry],
  });
  const rateLimitRefusals = new Counter({
    name: "moxi_rate_limit_refusals_total",
    help: "Requests refused by a rate limit, by limiter.",
    labelNames: ["limiter"] as const,
    registers: [registry],
  });
  const onboardings = new Gauge({ name: "moxi_onboardings", help: "Onboardings by lifecycle state.", labelNames: ["state"] as const, registers: [registry] });
  const outboxDepth = new Gauge({ name: "moxi_outbox_depth", help: "Mail messages queued in the outbox, not yet sent.", registers: [registry] });
  const outboxOldest = new Gauge({ name: "moxi_outbox_oldest_age_seconds", help: "Age of the oldest queued outbox message (0 when the queue is empty).", registers: [registry] });
  const leaseHeld = new Gauge({ name: "moxi_job_lease_held", help: "1 while some instance holds the job's lease.", labelNames: ["job"] as const, registers: [registry] });
  const leaseHeldHere = new Gauge({ name: "moxi_job_lease_held_by_this_instance", help: "1 while this instance holds the job's lease.", labelNames: ["job"] as const, registers: [registry] });
  const jobLag = new Gauge({
    name: "moxi_job_lag_seconds",
    help: "How far past due the job is: seconds since its last run (any instance) minus its interval, at least 0.",
    labelNames: ["job"] as const,
    registers: [registry],
  });
  const jobLastRun = new Gauge({ name: "moxi_job_last_run_timestamp_seconds", help: "When the job last finished on any instance (Unix time; 0: never).", labelNames: ["job"] as const, registers: [registry] });
  const rosterInFlight = new Gauge({ name: "moxi_roster_checks_in_flight", help: "Roster checks running now (all instances).", registers: [registry] });
  return { labelValues, registry, connectionTests, verificationDuration, jobRuns, rateLimitRefusals, onboardings, outboxDepth, outboxOldest, leaseHeld, leaseHeldHere, jobLag, jobLastRun, rosterInFlight, schedulerHolder: undefined as string | undefined };
}

export type Metrics = ReturnType<typeof build>;

const KEY = Symbol.for("moxi.metrics");
type WithMetrics = typeof globalThis & { [KEY]?: Metrics };

export function metrics(): Metrics {
  const g = globalThis as WithMetrics;
  g[KEY] ??= build();
  return g[KEY];
}

export function recordConnectionTest(input: { method: "ews" | "graph"; outcome: string; cause: string | null; elapsedMs: number }) {
  const m = metrics();
  const method = bounded("method", input.method);
  m.connectionTests.inc({ method, outcome: bounded("outcome", input.outcome), cause: input.cause === null ? "none" : bounded("cause", input.cause) });
  m.verificationDuration.observe({ method }, Math.max(0, input.elapsedMs) / 1000);
}

export function recordJobRun(job: string, outcome: "ok" | "failed") {
  metrics().jobRuns.inc({ job: bounded("job", job), outcome });
}

export function recordRateLimitRefusal(limiter: string) {
  metrics().rateLimitRefusals.inc({ limiter: bounded("limiter", limiter) });
}

/** The scheduler's lease holder name in this process, so a scrape can tell which leases are held here. */
export function setSchedulerHolder(holder: string) {
  metrics().schedulerHolder = holder;
}
