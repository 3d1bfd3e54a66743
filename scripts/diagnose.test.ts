import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const run = (args: string[], input?: string) =>
  spawnSync(tsx, ["scripts/diagnose.ts", ...args], { cwd: root, input, encoding: "utf8" });

describe("npm run -s diagnose", () => {
  it("reads a FILE and prints the JSON contract", () => {
    const dir = mkdtempSync(join(tmpdir(), "diagnose-"));
    const file = join(dir, "rca.txt");
    writeFileSync(file, "HTTP/1.1 401 Unauthorized\r\nX-AutoDiscovery-Error: LiveIdBasicAuth:BasicAuthBlocked:<UNH:\r\n<PIL.Email:x>>\r\n");
    const out = execFileSync(tsx, ["scripts/diagnose.ts", file], { cwd: root, encoding: "utf8" });
    const result = JSON.parse(out);
    expect(result.primaryCause).toBe("basic_auth_blocked");
    const f = result.findings[0];
    expect(Object.keys(f)).toEqual(expect.arrayContaining(["cause", "title", "guideStep", "evidence"]));
    expect(f.guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
  });

  it("reads stdin and honours --track", () => {
    const r = run(["--track", "exchange-server"], "<faultcode>a:ErrorImpersonateUserDenied</faultcode>");
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.primaryCause).toBe("impersonation_denied");
    expect(result.findings[0].guideStep).toBe("/guide/exchange-server#grant-impersonation");
  });

  it("--corpus prints per-cause precision and recall for both parts, and lists misses only for the part rules come from", () => {
    const r = run(["--corpus"]);
    expect(r.status).toBe(0);
    const [head, held, written] = r.stdout.split("\n\n");
    expect(head).toMatch(/^Corpus: \d+ real texts from \d+ clients\/tools \(held back: \d+, rules written from: \d+\)$/);
    for (const part of [held!, written!]) {
      expect(part).toMatch(/primary cause right \(\d+\.\d%\); confidently wrong: \d+ \(unrelated texts: \d+\)/);
      expect(part).toContain("cause                      support  precision  recall");
      expect(part).toMatch(/\n  tls_error +\d+ +\d+\.\d% +\d+\.\d%/);
      expect(part).toMatch(/\n  unknown +\d+ +\d+\.\d% +\d+\.\d%/);
    }
    expect(held).toMatch(/^Held back \(never tuned on\)/);
    expect(held).not.toContain("miss:");
    expect(written).toMatch(/^Rules written from/);
  });

  it("prints null for a passing log and unknown for empty input", () => {
    expect(JSON.parse(run([], "Connectivity Test Successful").stdout)).toEqual({ primaryCause: null, findings: [] });
    expect(JSON.parse(run([], "").stdout).primaryCause).toBe("unknown");
  });

  it("exits 2 with one line for an unreadable file or a bad track", () => {
    const missing = run(["/nonexistent/log.txt"]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/log\.txt \(ENOENT\)/);
    const badTrack = run(["--track", "mars"], "x");
    expect(badTrack.status).toBe(2);
    expect(badTrack.stderr.trim().split("\n")).toHaveLength(1);
  });
});
