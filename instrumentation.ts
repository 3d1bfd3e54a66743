/** Runs once when the server starts: validate configuration and migrate before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("@/lib/config");
  config();
  const { database } = await import("@/lib/db");
  const { db } = await database();
  // Background jobs: outbox delivery, scheduled re-verification, resuming interrupted verifications.
  const { startScheduler } = await import("@/lib/jobs/scheduler");
  const { smtpSender } = await import("@/lib/mail/transport");
  startScheduler(db, smtpSender(), config().schedulerIntervalMs);
}
