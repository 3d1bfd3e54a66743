import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { log } from "@/lib/log";
import { allowLabelValues, recordJobRun, setSchedulerHolder } from "@/lib/metrics/registry";
import { deliverDue, sealPlainBodies, type MailSender } from "@/lib/mail/outbox";
import { remindExpiringLinks } from "@/lib/mail/reminders";
import { remindExpiringCertificates, remindExpiringSecrets } from "@/lib/app-access/expiry";
import { resumeRosterChecks } from "@/lib/roster/store";
import { dueForReverification, repeatedlyInterrupted, resumeStaleVerifications, reverifyOnboarding, verifyOnboarding } from "@/lib/verification/workflow";
import { incidentsWithPending, remindDue } from "@/lib/incidents/manage";
import { notifyPending } from "@/lib/incidents/notify";
import { acquireLease, lastRun, releaseLease } from "./lease";

/**
 * Background jobs, run in-process on a timer. Each job runs under a database lease, so with several app
 * instances on one Postgres only one instance runs it at a time; the embedded default simply always wins.
 */
export type JobContext = { db: Kysely<Database>; holder: string; now: Date; send?: MailSender };

/** Databases whose outbox bodies from before sealing were sealed by this process (once is enough). */
const plainBodiesSealed = new WeakSet<Kysely<Database>>();

type Job = { name: string; everyMs: number; leaseMs: number; run(ctx: JobContext): Promise<void> };

export const JOBS: Job[] = [
  {
    name: "outbox",
    everyMs: 0, // every tick: one indexed query when nothing is due
    leaseMs: 5 * 60_000,
    async run({ db, send }) {
      if (!plainBodiesSealed.has(db)) {
        await sealPlainBodies(db);
        plainBodiesSealed.add(db);
      }
      if (!send) return; // no SMTP configured: messages stay in the outbox for staff to read
      const report = await deliverDue(db, send);
      if (report.sent || report.failed) log.info(report, "outbox delivery");
    },
  },
  {
    name: "reverify",
    everyMs: 15 * 60_000,
    leaseMs: 30 * 60_000,
    async run({ db, now }) {
      const hours = config().reverifyIntervalHours;
      if (hours <= 0) return;
      // Each onboarding is claimed under its own renewed verification lease and re-checked as due under the
      // claim: when this job's lease runs out behind a slow tenant and another instance starts the job, the
      // two share the work instead of probing the same onboardings twice.
      const dueBefore = new Date(now.getTime() - hours * 3600_000);
      for (const id of await dueForReverification(db, hours, now)) {
        const run = await reverifyOnboarding(db, id, { dueBefore });
        if (run) log.info({ onboardingId: id, outcome: run.outcome, status: run.status }, "scheduled re-verification");
      }
    },
  },
  {
    name: "roster",
    everyMs: 0, // every tick: one indexed query when no check is waiting
    leaseMs: 60_000,
    // Roster checks that nobody runs — just started elsewhere, or whose process died (stale lease) — are taken
    // over here and run in the background of this process under their own lease (lib/roster/store.ts).
    async run({ db, now }) {
      const taken = await resumeRosterChecks(db, now);
      if (taken.length) log.info({ checks: taken.length }, "roster checks taken over");
    },
  },
  {
    name: "link-expiry-reminders",
    everyMs: 6 * 60 * 60_000,
    leaseMs: 10 * 60_000,
    async run({ db, now }) {
      const queued = await remindExpiringLinks(db, now);
      if (queued) log.info({ queued }, "link expiry reminders queued");
    },
  },
  {
    // Own-app certificates and client secrets about to expire: 60, 30 and 7 days before (lib/app-access/expiry.ts).
    name: "certificate-expiry-reminders",
    everyMs: 6 * 60 * 60_000,
    leaseMs: 10 * 60_000,
    async run({ db, now }) {
      const queued = (await remindExpiringCertificates(db, now)) + (await remindExpiringSecrets(db, now));
      if (queued) log.info({ queued }, "certificate expiry reminders queued");
    },
  },
  {
    name: "resume-verification",
    everyMs: 60_000,
    leaseMs: 10 * 60_000,
    // A verification whose process stopped (restart, crash) is ended as interrupted once its lease is stale,
    // and a submission waiting for its verdict is verified again; so is one whose verification never started.
    async run({ db, now }) {
      const report = await resumeStaleVerifications(db, now);
      if (report.interruptedRuns || report.ended.length) log.warn(report, "interrupted verifications ended");
      const stale = new Date(now.getTime() - 5 * 60_000).toISOString();
      const rows = await db.selectFrom("onboardings").select("id").where("state", "=", "submitted").where("updated_at", "<=", stale).execute();
      for (const { id } of rows) if (!(await repeatedlyInterrupted(db, id))) await verifyOnboarding(db, id, "submission");
    },
  },
  {
    name: "incidents",
    everyMs: 60_000,
    leaseMs: 10 * 60_000,
    // Security incidents (lib/incidents): members an interrupted opening left un-notified are notified (batches
    // resume where the crash left them), and the scheduled reminders go out at each incident's interval.
    async run({ db, now }) {
      for (const id of await incidentsWithPending(db)) {
        const report = await notifyPending(db, id);
        log.warn({ incidentId: id, ...report }, "incident notification resumed");
      }
      const reminded = await remindDue(db, now);
      if (reminded) log.info({ reminded }, "incident reminders queued");
    },
  },
];

allowLabelValues("job", JOBS.map((j) => j.name));

/** Runs every job that is due and whose lease this holder gets. Returns the names of the jobs it ran. */
export async function tick(ctx: JobContext, jobs: Job[] = JOBS): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    if (!(await isDue(ctx, job))) continue;
    if (!(await acquireLease(ctx.db, job.name, ctx.holder, job.leaseMs, ctx.now))) continue;
    // Checked again under the lease: another instance may have just finished it.
    if (!(await isDue(ctx, job))) {
      await releaseLease(ctx.db, job.name, ctx.holder, { ranAt: null, now: ctx.now });
      continue;
    }
    try {
      await job.run(ctx);
      ran.push(job.name);
      recordJobRun(job.name, "ok");
    } catch (error) {
      recordJobRun(job.name, "failed");
      log.error({ err: error, job: job.name }, "background job failed");
    } finally {
      await releaseLease(ctx.db, job.name, ctx.holder, { ranAt: ctx.now, now: ctx.now });
    }
  }
  return ran;
}

async function isDue(ctx: JobContext, job: Job): Promise<boolean> {
  const previous = await lastRun(ctx.db, job.name);
  return !previous || ctx.now.getTime() - previous.getTime() >= job.everyMs;
}

/** Starts the timer once per process (instrumentation.ts). */
export function startScheduler(db: Kysely<Database>, send: MailSender | undefined, intervalMs = 15_000) {
  const holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  setSchedulerHolder(holder);
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await tick({ db, holder, now: new Date(), send });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
