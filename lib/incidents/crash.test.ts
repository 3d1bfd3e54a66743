import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { describeEachDatabase } from "@/lib/testing/databases";
import { childDatabaseEnv, TSX_ARGS } from "@/lib/testing/child-database";
import { newId, nowIso } from "@/lib/db/ids";
import { listOutbox } from "@/lib/mail/outbox";
import type { Actor } from "@/lib/onboarding/store";

const TECHOPS: Actor = { kind: "techops", id: "ops-1", label: "Olu (TechOps)" };
import { openIncident } from "./open";
import { notifyPending, NOTIFY_BATCH } from "./notify";

/**
 * Issue 21: the bulk move of 1,000 verified onboardings into rotation requested, one transaction per batch of
 * 200, survives a real process being SIGKILLed mid-way — between batches, and inside a batch with its writes
 * uncommitted — and a second run finishes it with no onboarding skipped and none mailed twice.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-incident-crash-"));
process.env.DATA_DIR = dataDir; // the key ring (mail bodies are sealed) is shared with the children through it

const N = 1000;

/** 1,000 verified onboardings written directly (walking each through its transitions would take minutes). */
async function seedVerified(db: Kysely<Database>, tag: string): Promise<string[]> {
  const at = nowIso();
  const ids: string[] = [];
  const rows = Array.from({ length: N }, (_, i) => {
    const id = newId();
    ids.push(id);
    const email = `admin-${tag}-${i}@broker-${i}.test`;
    return { id, brokerage_name: `Broker ${tag} ${i}`, contact_name: "Admin", contact_email: email, notes: "", track: "exchange-server", state: "verified", search_text: `broker ${tag} ${i} admin ${email}`, created_at: at, updated_at: at, last_activity_at: at };
  });
  for (let i = 0; i < rows.length; i += 200) await db.insertInto("onboardings").values(rows.slice(i, i + 200)).execute();
  return ids;
}

function startChild(env: NodeJS.ProcessEnv, killAt: RegExp) {
  const child = spawn("npx", [...TSX_ARGS, "lib/incidents/testing/notify-child.ts"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  // Resolves once every process of the group (npx → tsx → node) is gone: only then are its locks released.
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve())).then(async () => {
    for (;;) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  const reached = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(killAt);
      if (m) resolve(m[0]);
    });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before ${killAt}: ${out} ${err}`)));
  });
  return { child, reached, exited, output: () => out };
}

async function memberCounts(db: Kysely<Database>, incidentId: string) {
  const rows = await db.selectFrom("incident_members").select(["status"]).where("incident_id", "=", incidentId).execute();
  return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
}

async function assertEveryoneOnce(db: Kysely<Database>, incidentId: string, ids: string[]) {
  expect(await memberCounts(db, incidentId)).toEqual({ notified: N });
  const states = await db.selectFrom("onboardings").select(["state"]).where("id", "in", ids).execute();
  expect(states.filter((s) => s.state === "rotation_requested")).toHaveLength(N);
  // Exactly one state change and one queued mail per onboarding: none skipped, none twice.
  const moves = await db.selectFrom("events").select(["onboarding_id"]).where("to_state", "=", "rotation_requested").where("onboarding_id", "in", ids).execute();
  expect(moves).toHaveLength(N);
  expect(new Set(moves.map((m) => m.onboarding_id)).size).toBe(N);
  const mails = await db.selectFrom("outbox").select(["onboarding_id", "to_address"]).where("template", "=", "incident_rotation").where("onboarding_id", "in", ids).execute();
  expect(mails).toHaveLength(N);
  expect(new Set(mails.map((m) => m.onboarding_id)).size).toBe(N);
  // The bodies the child sealed open here (same key ring) and name the incident.
  const [one] = await listOutbox(db, { onboardingId: ids[0] });
  expect(one?.body).toContain("security incident");
}

describeEachDatabase("an incident's bulk notification whose process is killed", (handle) => {
  it("between batches: the committed batches stay, the rest are notified on the next run, nobody twice", async () => {
    const { db } = handle();
    const ids = await seedVerified(db, "between");
    const { id: incidentId, members } = await openIncident(db, { name: "Vendor portal phishing", reason: "A phishing mail reached the vendor portal's admins.", selection: { kind: "list", list: ids.join("\n") }, dueDays: 7, reminderEveryHours: 0 }, TECHOPS);
    expect(members).toBe(N);

    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...childDatabaseEnv(handle()), INCIDENT_ID: incidentId, NOTIFY_PAUSE_MS: "5000" };
    const run = startChild(env, /committed 2\n/);
    await run.reached;
    process.kill(-run.child.pid!, "SIGKILL");
    await run.exited;

    expect(await memberCounts(db, incidentId)).toEqual({ notified: 2 * NOTIFY_BATCH, pending: N - 2 * NOTIFY_BATCH });
    expect(await db.selectFrom("outbox").select("id").where("template", "=", "incident_rotation").where("onboarding_id", "in", ids).execute()).toHaveLength(2 * NOTIFY_BATCH);

    const report = await notifyPending(db, incidentId);
    expect(report).toMatchObject({ notified: N - 2 * NOTIFY_BATCH, batches: 3 });
    await assertEveryoneOnce(db, incidentId, ids);
    // A third run finds nobody pending and mails nobody.
    expect(await notifyPending(db, incidentId)).toMatchObject({ notified: 0, batches: 0 });
    await assertEveryoneOnce(db, incidentId, ids);
  }, 180_000);

  it("inside a batch: its uncommitted moves and mails are rolled back whole and done once on the next run", async () => {
    const { db } = handle();
    const ids = await seedVerified(db, "inside");
    const { id: incidentId } = await openIncident(db, { name: "Leaked backup", reason: "A backup of the old credential store was exposed.", selection: { kind: "list", list: ids.join("\n") }, dueDays: 7, reminderEveryHours: 0 }, TECHOPS);

    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...childDatabaseEnv(handle()), INCIDENT_ID: incidentId, KILL_INSIDE_BATCH: "3" };
    const run = startChild(env, /inside 3\n/);
    await run.reached;
    process.kill(-run.child.pid!, "SIGKILL");
    await run.exited;

    // Batches 1 and 2 committed; batch 3 had made all its writes but not committed: none of them remain.
    expect(await memberCounts(db, incidentId)).toEqual({ notified: 2 * NOTIFY_BATCH, pending: N - 2 * NOTIFY_BATCH });
    const moved = await db.selectFrom("onboardings").select("id").where("state", "=", "rotation_requested").where("id", "in", ids).execute();
    expect(moved).toHaveLength(2 * NOTIFY_BATCH);
    expect(await db.selectFrom("outbox").select("id").where("template", "=", "incident_rotation").where("onboarding_id", "in", ids).execute()).toHaveLength(2 * NOTIFY_BATCH);

    await notifyPending(db, incidentId);
    await assertEveryoneOnce(db, incidentId, ids);
  }, 180_000);
});
