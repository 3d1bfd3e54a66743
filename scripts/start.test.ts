import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function start(env: Record<string, string>) {
  const r = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/start.ts"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr.trim(), stdout: r.stdout };
}

describe("npm start refuses a bad setting with one line", () => {
  it.each([
    [{ PORT: "abc" }, /^Configuration error: PORT must be a whole number between 1 and 65535 \(got "abc"\)\.$/],
    [{ PORT: "0" }, /^Configuration error: PORT /],
    [{ DATABASE_URL: "not a url" }, /^Configuration error: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
  ])("%j", (env, expected) => {
    const r = start(env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stdout).not.toContain("Building");
  });
});
