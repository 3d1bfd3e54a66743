import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/lib/db/connect";
import { loadKeyRing } from "@/lib/crypto/load-key-ring";
import { listOutbox } from "@/lib/mail/outbox";

/** onboarding:create, run as the CLI it is against a temp SQLite database. */
const ROOT = path.resolve(import.meta.dirname, "..");
let dataDir: string;

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, APP_URL: "https://onboarding.example", LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/onboarding-create.ts", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 30_000 });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-onboarding-cli-"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("onboarding:create", () => {
  it("creates the onboarding and queues the invite mail with the link it prints; refuses bad input by flag", async () => {
    const r = run(["--brokerage", "Cli Realty", "--contact", "Ada", "--email", "ada@cli.test", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const { id, url } = JSON.parse(r.stdout.trim()) as { id: string; url: string };
    expect(url).toMatch(/^https:\/\/onboarding\.example\/o\//);
    const handle = connect({ dataDir });
    try {
      // Bodies are sealed with the CLI's key ring (its DATA_DIR's key file): open them with that one.
      const mail = await listOutbox(handle.db, { onboardingId: id, ring: loadKeyRing({ env: {}, dataDir }).ring });
      expect(mail.map((m) => [m.template, m.to_address])).toEqual([["invite", "ada@cli.test"]]);
      expect(mail[0]!.body).toContain(url);
    } finally {
      await handle.close();
    }

    const bad = run(["--brokerage", "Cli Realty", "--contact", "Ada", "--email", "not-an-address"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--email: Enter an email address");
    const missing = run(["--contact", "Ada", "--email", "ada@cli.test"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("--brokerage: Enter the brokerage name.");
  }, 90_000);
});
