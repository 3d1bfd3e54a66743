import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { JOBS } from "@/lib/jobs/scheduler";
import { STATES } from "@/lib/onboarding/lifecycle";
import { allowLabelValues, metrics } from "./registry";

/**
 * One scrape: the gauges read from the database (shared by every instance: onboardings by state, the outbox,
 * job leases and lag, roster checks running), then the registry in Prometheus's text format.
 * Counters (tests, job runs, refusals) are this instance's own, counted where the work happens.
 */
export async function scrapeMetrics(db: Kysely<Database>, now = new Date()): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  allowLabelValues("job", JOBS.map((j) => j.name));

  const byState = await db.selectFrom("onboardings").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("state").execute();
  const counts = new Map(byState.map((r) => [r.state, Number(r.n)]));
  for (const state of STATES) m.onboardings.set({ state }, counts.get(state) ?? 0);

  const outbox = await db
    .selectFrom("outbox")
    .select([(eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.min("created_at").as("oldest")])
    .where("status", "=", "queued")
    .executeTakeFirstOrThrow();
  m.outboxDepth.set(Number(outbox.n));
  m.outboxOldest.set(outbox.oldest ? Math.max(0, (now.getTime() - Date.parse(String(outbox.oldest))) / 1000) : 0);

  const leases = new Map((await db.selectFrom("job_leases").selectAll().execute()).map((l) => [l.name, l]));
  for (const job of JOBS) {
    const lease = leases.get(job.name);
    const live = !!lease && lease.expires_at > now.toISOString();
    m.leaseHeld.set({ job: job.name }, live ? 1 : 0);
    m.leaseHeldHere.set({ job: job.name }, live && m.schedulerHolder !== undefined && lease.holder === m.schedulerHolder ? 1 : 0);
    const last = lease?.last_run_at ? Date.parse(lease.last_run_at) : undefined;
    m.jobLastRun.set({ job: job.name }, last === undefined ? 0 : last / 1000);
    m.jobLag.set({ job: job.name }, last === undefined ? 0 : Math.max(0, (now.getTime() - last - job.everyMs) / 1000));
  }

  const roster = await db.selectFrom("roster_checks").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "running").executeTakeFirstOrThrow();
  m.rosterInFlight.set(Number(roster.n));

  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
