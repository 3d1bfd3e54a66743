import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { acquireLease, lastRun, releaseLease } from "@/lib/jobs/lease";
import { BACKOFF_MS, deliverDue, enqueueMail, listOutbox } from "./outbox";
import { mailTemplates } from "./templates";

// Mail bodies are sealed with the key ring, which lives in DATA_DIR: give this file its own.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-mail-keys-"));

describeEachDatabase("mail outbox", (handle) => {
  it("queues, retries with back-off on failure, never loses a message, then sends", async () => {
    const { db } = handle();
    const id = await enqueueMail(db, { to: "ada@acme.test", template: "invite", message: mailTemplates.invite({ brokerage: "Acme", contactName: "Ada", url: "http://x/o/tttttttttttttttttttttttttttttttttttttttttt", expiresAt: "2026-12-31T00:00:00Z" }) });
    const t0 = new Date();
    const down = async () => { throw new Error("connect ECONNREFUSED 127.0.0.1:2525 password=hunter2"); };
    expect(await deliverDue(db, down, t0)).toMatchObject({ sent: 0, failed: 1 });
    let [msg] = (await listOutbox(db)).filter((m) => m.id === id);
    expect(msg).toMatchObject({ status: "queued", attempts: 1 });
    expect(msg!.last_error).toContain("ECONNREFUSED");
    expect(msg!.last_error).not.toContain("hunter2");
    // not due again until the back-off has passed
    expect(await deliverDue(db, down, new Date(t0.getTime() + BACKOFF_MS[0]! - 1000))).toMatchObject({ sent: 0, failed: 0 });
    const sent: string[] = [];
    const up = async (m: { to: string; subject: string }) => { sent.push(`${m.to}: ${m.subject}`); };
    expect(await deliverDue(db, up, new Date(t0.getTime() + BACKOFF_MS[0]! + 1000))).toMatchObject({ sent: 1, failed: 0 });
    [msg] = (await listOutbox(db)).filter((m) => m.id === id);
    expect(msg).toMatchObject({ status: "sent", attempts: 2 });
    expect(sent).toEqual(["ada@acme.test: Connect Acme's mailboxes to MoxiEngage"]);
    expect(msg!.body).not.toContain("tttttttttttttttttttttt");
  });

  it("gives a job lease to one holder at a time until it expires or is released", async () => {
    const { db } = handle();
    const now = new Date();
    const results = await Promise.all([acquireLease(db, "reverify", "a", 60_000, now), acquireLease(db, "reverify", "b", 60_000, now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? "a" : "b";
    const loser = winner === "a" ? "b" : "a";
    expect(await acquireLease(db, "reverify", loser, 60_000, now)).toBe(false);
    expect(await acquireLease(db, "reverify", loser, 60_000, new Date(now.getTime() + 61_000))).toBe(true);
    await releaseLease(db, "reverify", loser, { ranAt: new Date(now.getTime() + 62_000), now: new Date(now.getTime() + 62_000) });
    expect((await lastRun(db, "reverify"))?.getTime()).toBe(now.getTime() + 62_000);
    expect(await acquireLease(db, "reverify", winner, 60_000, new Date(now.getTime() + 63_000))).toBe(true);
  });
});
