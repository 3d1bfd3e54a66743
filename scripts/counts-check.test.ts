import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, migrateToLatest } from "@/lib/db/connect";
import { createOnboarding, transition } from "@/lib/onboarding/store";

/** counts:check, run as the CLI it is against a temp SQLite database. */
const ROOT = path.resolve(import.meta.dirname, "..");
let dataDir: string;

function run(args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, APP_URL: "https://onboarding.example", LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/counts-check.ts", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 30_000 });
}

async function withDb(work: (db: ReturnType<typeof connect>["db"]) => Promise<void>) {
  const handle = connect({ dataDir });
  try {
    await migrateToLatest(handle.db);
    await work(handle.db);
  } finally {
    await handle.close();
  }
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-counts-cli-"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("counts:check", () => {
  it("passes when the kept counts match, fails with the differences when they drift, repairs with --rebuild", async () => {
    await withDb(async (db) => {
      const o = await createOnboarding(db, { brokerageName: "Cli Realty", contactName: "Ada", contactEmail: "ada@cli.test" }, { kind: "staff", label: "Sam" });
      await transition(db, o.id, "in_progress", { kind: "brokerage", label: "Admin" });
    });
    let r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("OK:");
    await withDb(async (db) => {
      await db.updateTable("state_tallies").set({ n: 5 }).where("kind", "=", "reached").where("state", "=", "invited").execute();
    });
    r = run();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("DIFFERS reached invited: kept 5, recomputed 1");
    r = run(["--rebuild"]);
    expect(r.status, r.stderr).toBe(0);
    expect(run().status).toBe(0);
    r = run(["--bogus"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown argument");
  });
});
