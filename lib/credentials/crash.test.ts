import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, migrateToLatest, type DatabaseHandle } from "@/lib/db/connect";
import { generateKey } from "@/lib/crypto/keyring";
import { getOnboarding, listEvents } from "@/lib/onboarding/store";
import { onboardingIn } from "./testing/fixtures";

/**
 * "Killing the server in the middle of a submission leaves either the whole credential with its event or
 * nothing." For real: a child process runs submitCredential against a SQLite file and is SIGKILLed — at a
 * chosen point inside the transaction, or at a random moment while it submits in a loop. Then the database
 * must hold, for every credential row, its event, and for every event, its row.
 */
const CHILD = path.join(import.meta.dirname, "testing", "submit-child.ts");
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const KEY_ENV = { CREDENTIAL_KEYS: `crash-1:${generateKey().toString("base64")}`, LOG_LEVEL: "silent" };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-crash-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function startChild(dataDir: string, onboardingId: string, mode: string) {
  // One process (no tsx CLI wrapper), so SIGKILL really kills the process that holds the transaction.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", CHILD, dataDir, onboardingId, mode], {
    cwd: ROOT,
    env: { ...process.env, ...KEY_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => w.re.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const waitFor = (re: RegExp, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      if (lines.some((l) => re.test(l))) return resolve();
      const timer = setTimeout(() => reject(new Error(`child never printed ${re} (stderr: ${stderr.slice(0, 500)})`)), ms);
      waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
      void exited.then(() => setTimeout(() => reject(new Error(`child exited before ${re} (stderr: ${stderr.slice(0, 500)})`)), 50));
    });
  return { child, lines, waitFor, exited };
}

async function kill(child: ChildProcess, exited: Promise<unknown>) {
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

/** A fresh database file with one onboarding in `in_progress`; closed again so only the child writes. */
async function freshDatabase(name: string): Promise<{ dataDir: string; onboardingId: string }> {
  const dataDir = path.join(dir, name);
  const handle = connect({ dataDir });
  await migrateToLatest(handle.db);
  const onboardingId = await onboardingIn(handle.db, "in_progress");
  await handle.close();
  return { dataDir, onboardingId };
}

/** Reopens the database after the crash and checks it is whole: every credential with its event and vice versa. */
async function inspect(dataDir: string, onboardingId: string) {
  const handle: DatabaseHandle = connect({ dataDir });
  try {
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db);
    expect(integrity.rows[0]?.integrity_check).toBe("ok");
    const credentialIds = (await handle.db.selectFrom("credentials").select("id").where("onboarding_id", "=", onboardingId).execute()).map((r) => r.id).sort();
    const events = await listEvents(handle.db, onboardingId);
    const eventIds = events.filter((e) => e.type === "credential_submitted").map((e) => String(e.details.credentialId)).sort();
    const state = (await getOnboarding(handle.db, onboardingId))?.state;
    return { credentialIds, eventIds, state };
  } finally {
    await handle.close();
  }
}

describe("a submission killed part-way leaves the whole credential with its event, or nothing", () => {
  it.each(["credential_inserted", "event_written"])("SIGKILL at %s (inside the transaction) → nothing", async (step) => {
    const { dataDir, onboardingId } = await freshDatabase(`hold-${step}`);
    const { child, waitFor, exited } = startChild(dataDir, onboardingId, `hold:${step}`);
    await waitFor(new RegExp(`^AT ${step}$`));
    await kill(child, exited);
    expect(await inspect(dataDir, onboardingId)).toEqual({ credentialIds: [], eventIds: [], state: "in_progress" });
  });

  it("SIGKILL just after the commit → the whole credential and its event", async () => {
    const { dataDir, onboardingId } = await freshDatabase("hold-committed");
    const { child, waitFor, exited } = startChild(dataDir, onboardingId, "hold:committed");
    await waitFor(/^AT committed$/);
    await kill(child, exited);
    const after = await inspect(dataDir, onboardingId);
    expect(after.credentialIds).toHaveLength(1);
    expect(after.eventIds).toEqual(after.credentialIds);
    expect(after.state).toBe("submitted");
  });

  it.each([1, 2, 3, 4])("SIGKILL at a random moment while submitting in a loop (run %i)", async (run) => {
    const { dataDir, onboardingId } = await freshDatabase(`loop-${run}`);
    const { child, lines, waitFor, exited } = startChild(dataDir, onboardingId, "loop");
    await waitFor(/^READY$/);
    await waitFor(/^COMMITTED /);
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 250)));
    await kill(child, exited);
    const committed = lines.filter((l) => l.startsWith("COMMITTED ")).map((l) => l.slice(10));
    const after = await inspect(dataDir, onboardingId);
    expect(after.eventIds).toEqual(after.credentialIds);
    // Every submission the child saw committed is there (at most one more committed after its last line).
    for (const id of committed) expect(after.credentialIds).toContain(id);
    expect(after.credentialIds.length - committed.length).toBeGreaterThanOrEqual(0);
    expect(after.credentialIds.length - committed.length).toBeLessThanOrEqual(1);
    expect(after.state).toBe("submitted");
  });
});
