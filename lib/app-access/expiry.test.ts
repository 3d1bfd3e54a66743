import { expect, it } from "vitest";
import { JOBS } from "@/lib/jobs/scheduler";
import { createOnboarding, transition } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { reminderWindow, remindExpiringCertificates, remindExpiringSecrets } from "./expiry";
import { saveClientSecret } from "./own-app-secret";
import { generateCertificate, promoteCertificate } from "./own-app";

const staff = { kind: "staff" as const, label: "Staff" };
const DAY = 24 * 3600 * 1000;

it("the reminder window: 60, 30, 7 days", () => {
  expect([75, 60, 45, 30, 29, 8, 7, 1, 0].map(reminderWindow)).toEqual([undefined, 60, 60, 30, 30, 30, 7, 7, 7]);
});

describeEachDatabase("certificate expiry reminders", (handle) => {
  /** An onboarding whose certificate in use expires `days` (+1 h) after `now`. */
  async function expiringIn(days: number, now: Date, status: "active" | "pending" = "active") {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: `Expiry ${days} Realty`, contactName: "Eve", contactEmail: `eve-${days}-${now.getTime()}-${Math.random()}@expiry.example`, track: "microsoft-365" }, staff);
    const cert = await generateCertificate(db, o.id, staff);
    if (status === "active") await promoteCertificate(db, o.id, cert.id, staff);
    await db.updateTable("app_certificates").set({ not_after: new Date(now.getTime() + days * DAY + 3600_000).toISOString() }).where("id", "=", cert.id).execute();
    return { o, cert };
  }
  const mails = async (onboardingId: string) => (await handle().db.selectFrom("outbox").select(["template", "to_address", "subject"]).where("onboarding_id", "=", onboardingId).execute()).filter((m) => m.template.startsWith("certificate_expiring"));

  it("a certificate expiring in 30 days gets exactly one 30-day mail (and one to staff), however often and however many schedulers run", async () => {
    const { db, dialect, openAnother } = handle();
    const now = new Date();
    const { o } = await expiringIn(30, now);
    // Two instances share a Postgres; the embedded SQLite has one process (a second synchronous connection in
    // this same process would only wait on the first's lock).
    const other = dialect === "postgres" ? openAnother() : undefined;
    try {
      await Promise.all([remindExpiringCertificates(db, now), remindExpiringCertificates(other?.db ?? db, now), remindExpiringCertificates(db, now)]);
      await remindExpiringCertificates(db, new Date(now.getTime() + 3600_000));
    } finally {
      await other?.close();
    }
    const sent = await mails(o.id);
    expect(sent.map((m) => m.template).sort()).toEqual(["certificate_expiring", "certificate_expiring_staff"]);
    expect(sent.find((m) => m.template === "certificate_expiring")).toMatchObject({ to_address: o.contactEmail, subject: `${o.brokerageName}: the MoxiEngage app certificate expires in 30 days` });
    const rows = await db.selectFrom("app_certificate_reminders").selectAll().innerJoin("app_certificates", "app_certificates.id", "app_certificate_reminders.certificate_id").where("app_certificates.onboarding_id", "=", o.id).execute();
    expect(rows.map((r) => r.days)).toEqual([30]);
    // 23 days later it is in the 7-day window: one more mail, the 7-day one.
    await remindExpiringCertificates(db, new Date(now.getTime() + 23 * DAY));
    expect((await mails(o.id)).filter((m) => m.template === "certificate_expiring").map((m) => m.subject.match(/in (\d+) days/)![1])).toEqual(["30", "7"]);
  });

  it("only certificates in use, inside 60 days, of onboardings not revoked; the scheduler runs the job", async () => {
    const { db } = handle();
    const now = new Date();
    const far = await expiringIn(75, now);
    const in45 = await expiringIn(45, now);
    const pending = await expiringIn(10, now, "pending");
    const revoked = await expiringIn(10, now);
    await transition(db, revoked.o.id, "revoked", staff, { reason: "test" });
    const job = JOBS.find((j) => j.name === "certificate-expiry-reminders")!;
    await job.run({ db, holder: "test", now });
    expect(await mails(far.o.id)).toEqual([]);
    expect((await mails(in45.o.id)).map((m) => m.subject)).toContain(`${in45.o.brokerageName}: the MoxiEngage app certificate expires in 60 days`);
    expect(await mails(pending.o.id)).toEqual([]);
    expect(await mails(revoked.o.id)).toEqual([]);
  });
});

describeEachDatabase("client secret expiry reminders", (handle) => {
  const mails = async (onboardingId: string) =>
    (await handle().db.selectFrom("outbox").select(["template", "to_address", "subject"]).where("onboarding_id", "=", onboardingId).execute()).filter((m) => m.template.startsWith("client_secret_expiring"));
  async function secretExpiringIn(days: number, now: Date) {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: `Secret ${days} Realty`, contactName: "Eve", contactEmail: `eve-s${days}-${now.getTime()}-${Math.random()}@expiry.example`, track: "microsoft-365" }, staff);
    await saveClientSecret(db, o.id, staff, { clientSecret: "Rem~inder.Secret-0123456789", expiresOn: new Date(now.getTime() + 100 * DAY).toISOString().slice(0, 10) });
    const expiresAt = new Date(now.getTime() + days * DAY + 3600_000).toISOString();
    await db.updateTable("app_client_secrets").set({ expires_at: expiresAt }).where("onboarding_id", "=", o.id).execute();
    return o;
  }

  it("the secret's stored expiry date: one mail per window (and one to staff), never the secret; a far date, a revoked onboarding get none", async () => {
    const { db, dialect, openAnother } = handle();
    const now = new Date();
    const o = await secretExpiringIn(30, now);
    const far = await secretExpiringIn(75, now);
    const revoked = await secretExpiringIn(5, now);
    await transition(db, revoked.id, "revoked", staff, { reason: "test" });
    const other = dialect === "postgres" ? openAnother() : undefined;
    try {
      await Promise.all([remindExpiringSecrets(db, now), remindExpiringSecrets(other?.db ?? db, now)]);
    } finally {
      await other?.close();
    }
    const job = JOBS.find((j) => j.name === "certificate-expiry-reminders")!;
    await job.run({ db, holder: "test", now });
    const sent = await mails(o.id);
    expect(sent.map((m) => m.template).sort()).toEqual(["client_secret_expiring", "client_secret_expiring_staff"]);
    expect(sent.find((m) => m.template === "client_secret_expiring")).toMatchObject({ to_address: o.contactEmail, subject: `${o.brokerageName}: the MoxiEngage app's client secret expires in 30 days` });
    expect(await mails(far.id)).toEqual([]);
    expect(await mails(revoked.id)).toEqual([]);
    await remindExpiringSecrets(db, new Date(now.getTime() + 23 * DAY));
    expect((await mails(o.id)).filter((m) => m.template === "client_secret_expiring").map((m) => m.subject.match(/in (\d+) days/)![1])).toEqual(["30", "7"]);
    const bodies = await db.selectFrom("outbox").select("body").where("onboarding_id", "=", o.id).execute();
    expect(JSON.stringify(bodies)).not.toContain("inder.Secret");
  });
});
