import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { openLink } from "@/lib/auth/links";
import { inviteBrokerage } from "@/lib/onboarding/invite";
import { deliverDue, listOutbox, sealPlainBodies } from "./outbox";
import { smtpSender } from "./transport";

/**
 * Issue 17 item 8: a queued invite kept its live link in the outbox table, so a copy of the database (or a
 * backup) yielded working workspace links. Bodies are sealed with the key ring: the link exists only in the
 * message handed to SMTP (and to signed-in staff reading the outbox, through the app, which holds the key).
 */
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-sealed-mail-"));

const received: string[] = [];
let smtp: SMTPServer;
let smtpPort = 0;
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (raw += chunk));
      stream.on("end", () => { received.push(raw); callback(); });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => { await new Promise<void>((r) => smtp.close(() => r())); });

/** A message's text as a mail client shows it: quoted-printable soft breaks and escapes undone. */
function decoded(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Everything the database holds: every row of every table, and for SQLite the file's bytes (WAL too). */
async function everythingStored(handle: ReturnType<Parameters<Parameters<typeof describeEachDatabase>[1]>[0]>): Promise<string> {
  const parts: string[] = [];
  for (const table of await handle.db.introspection.getTables()) {
    parts.push(JSON.stringify(await handle.db.selectFrom(table.name as never).selectAll().execute()));
  }
  if (handle.dialect === "sqlite") {
    const file = handle.description.replace(/^SQLite at /, "");
    for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) parts.push(fs.readFileSync(f).toString("latin1"));
  }
  return parts.join("\n");
}

describeEachDatabase("outbox bodies", (handle) => {
  it("a queued invite keeps no working link in the database; the message handed to SMTP has one that opens", async () => {
    const { db } = handle();
    const { onboarding, inviteUrl } = await inviteBrokerage(db, { brokerageName: "Sealed Realty", contactName: "Ada", contactEmail: "ada@sealed.test", track: null }, { kind: "staff", id: "s1", label: "Sam" }, "https://onboarding.example");
    const token = inviteUrl.split("/o/")[1]!;
    expect(token.length).toBeGreaterThan(30);

    // Queued, no SMTP: nothing stored carries the token (nor a long enough piece of it to matter).
    const stored = await everythingStored(handle());
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(0, 20));
    const [row] = await db.selectFrom("outbox").selectAll().where("onboarding_id", "=", onboarding.id).execute();
    expect(row!.body).not.toContain("onboarding.example");
    // Staff reading the outbox through the app (which holds the key) still see the link to forward.
    expect((await listOutbox(db, { onboardingId: onboarding.id }))[0]!.body).toContain(inviteUrl);

    // Delivered over real SMTP: the message carries the link, and the link opens the workspace.
    received.length = 0;
    const report = await deliverDue(db, smtpSender(`smtp://127.0.0.1:${smtpPort}`, "onboarding@moxiworks.test")!);
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const message = decoded(received.join("\n"));
    expect(message).toContain(inviteUrl);
    const fromMail = /\/o\/([A-Za-z0-9_-]{22,})/.exec(message)![1]!;
    expect(await openLink(db, fromMail)).toMatchObject({ ok: true, onboardingId: onboarding.id, kind: "brokerage" });
    // And once sent, the copy kept has no link at all (sealed or not).
    expect((await listOutbox(db, { onboardingId: onboarding.id }))[0]!.body).not.toContain(token);
    expect(await everythingStored(handle())).not.toContain(token);
  });

  it("bodies stored in the clear by an older version are sealed by the outbox job's first run", async () => {
    const { db } = handle();
    const at = new Date().toISOString();
    const link = "https://onboarding.example/o/LegacyTokenLegacyTokenLegacyToken0123";
    const row = { onboarding_id: null, template: "invite", to_address: "old@acme.test", subject: "Old", status: "queued", attempts: 0, next_attempt_at: at, last_error: null, created_at: at, sent_at: null };
    await db.insertInto("outbox").values([{ ...row, id: "legacy-queued", body: `Open ${link}` }, { ...row, id: "legacy-sent", status: "sent", sent_at: at, body: `Was ${link}` }]).execute();
    expect(await sealPlainBodies(db)).toBe(2);
    expect(await sealPlainBodies(db)).toBe(0);
    expect(await everythingStored(handle())).not.toContain("LegacyToken");
    const listed = await listOutbox(db);
    expect(listed.find((m) => m.id === "legacy-queued")!.body).toBe(`Open ${link}`);
    expect(listed.find((m) => m.id === "legacy-sent")!.body).toBe("Was https://onboarding.example/o/[link removed after sending]");
  });
});
