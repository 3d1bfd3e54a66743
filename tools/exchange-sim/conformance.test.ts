import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxFor, SIM_PASSWORD, type ScenarioName } from "./scenarios";
import { startExchangeSim, type ExchangeSim } from "./server";

/**
 * Conformance: a real EWS client that no one on the team wrote — exchangelib, built against real Exchange
 * (Debian's python3-exchangelib, installed by .ci/run) — runs everyday operations against the simulator over
 * HTTPS, trusting the simulator's CA. The simulator is right when that client gets what Exchange would give it:
 * the same answers on the healthy mailbox, the same exception class in each failure scenario.
 * Without the package this file is skipped with a message on a laptop; in CI (CI=true) it must run.
 */
const PYTHON = ["/usr/bin/python3", "python3"].find((p) => p === "python3" || existsSync(p))!;
const SCRIPT = path.join(__dirname, "conformance", "exchangelib_client.py");

function hasExchangelib(): Promise<boolean> {
  return new Promise((resolve) => execFile(PYTHON, ["-c", "import exchangelib"], (err) => resolve(!err)));
}

const available = await hasExchangelib();
if (!available) {
  const message = "python3-exchangelib is not installed (apt-get install -y python3-exchangelib): the EWS conformance test is skipped.";
  if (process.env.CI) throw new Error(`${message} In CI it must run.`);
  console.warn(message);
}

type OpResult = { op: string; ok: boolean; value?: unknown; error?: string; message?: string };

let sim: ExchangeSim;
let dir: string;
let caFile: string;

beforeAll(async () => {
  if (!available) return;
  sim = await startExchangeSim();
  dir = mkdtempSync(path.join(tmpdir(), "ews-conformance-"));
  caFile = path.join(dir, "sim-ca.pem");
  writeFileSync(caFile, sim.caPem);
});
afterAll(async () => {
  if (!available) return;
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(mailbox: string, ops: string[] = [], password = SIM_PASSWORD): Promise<OpResult[]> {
  const args = [SCRIPT, "--endpoint", sim.ewsUrl, "--ca", caFile, "--user", "svc-moxi@contoso.test", "--mailbox", mailbox];
  if (ops.length) args.push("--ops", ops.join(","));
  return new Promise((resolve, reject) => {
    // exchangelib logs failed exchanges (with the Authorization header) to stderr: kept out of the test output.
    execFile(PYTHON, args, { env: { ...process.env, EWS_PASSWORD: password, PYTHONDONTWRITEBYTECODE: "1" }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`exchangelib client exited: ${err.message}\n${stderr.slice(-2000)}`));
      resolve(
        stdout
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as OpResult),
      );
    });
  });
}

const run = available ? describe : describe.skip;

run("exchangelib against the simulator", () => {
  it("the healthy mailbox: folders, contacts, calendar view, create/delete, send and find in Sent Items", async () => {
    const results = await client(mailboxFor("healthy", "conformance"));
    const byOp = Object.fromEntries(results.map((r) => [r.op, r]));
    expect(results.filter((r) => !r.ok).map((r) => r.op)).toEqual(["get-deleted"]); // the last one asks for a deleted item
    expect(byOp.msgfolderroot!.value).toBe("Top of Information Store");
    expect(byOp.inbox!.value).toEqual({ name: "Inbox", total: 1 });
    expect(byOp.folders!.value).toEqual(["Contacts", "Calendar", "Sent Items", "Drafts", "Deleted Items"]);
    expect(byOp.resolve!.value).toEqual(["conformance@healthy.sim.test"]);
    expect(byOp["list-contacts"]!.value).toHaveLength(1);
    expect(byOp["page-contacts"]!.value).toEqual(["Pat Buyer", "Sam Seller"]); // one per page, two pages
    expect(byOp["calendar-view"]!.value).toEqual(["Showing: 12 Elm Street"]); // today's, not tomorrow's
    expect(byOp["create-delete-contact"]!.value).toBe("MoxiEngage Test");
    expect(byOp["create-delete-event"]!.value).toBe(true);
    expect(byOp["send-and-find"]!.value).toEqual([expect.stringMatching(/^MoxiEngage test message [0-9a-f]{8}$/)]);
    // GetItem of an item that was deleted: Exchange answers ErrorItemNotFound
    expect(byOp["get-deleted"]).toMatchObject({ error: "ErrorItemNotFound", message: "The specified object was not found in the store." });
  }, 60_000);

  // scenario, the exchangelib exception class Exchange's answer raises, operations up to the failing one
  const failures: [ScenarioName, string, string[]][] = [
    ["impersonation-denied", "ErrorImpersonateUserDenied", ["root"]],
    ["no-mailbox", "ErrorNonExistentMailbox", ["root"]],
    ["throttled", "ErrorServerBusy", ["root"]],
    ["calendar-denied", "ErrorAccessDenied", ["calendar-view"]],
    ["contacts-read-only", "ErrorAccessDenied", ["list-contacts", "create-delete-contact"]],
    ["calendar-read-only", "ErrorAccessDenied", ["calendar-view", "create-delete-event"]],
    ["send-denied", "ErrorSendAsDenied", ["send-and-find"]],
    ["mailbox-full", "ErrorQuotaExceeded", ["create-delete-contact"]],
    ["item-not-found", "ErrorItemNotFound", ["create-delete-contact"]],
    // An HTML 403/503 is not SOAP: exchangelib (fail-fast) reports it as a malformed response, as it does from Exchange.
    ["ews-disabled", "MalformedResponseError", ["root"]],
    ["throttled-503", "MalformedResponseError", ["root"]],
  ];
  it.each(failures)("%s raises %s", async (scenario, exception, ops) => {
    const results = await client(mailboxFor(scenario), ops);
    expect(results.slice(0, -1).every((r) => r.ok)).toBe(true); // what the scenario allows still works
    expect(results.at(-1)).toMatchObject({ op: ops.at(-1), ok: false, error: exception });
  }, 60_000);

  it("a wrong password raises UnauthorizedError", async () => {
    const results = await client(mailboxFor("healthy"), ["root"], "not-the-password");
    expect(results).toEqual([expect.objectContaining({ op: "root", ok: false, error: "UnauthorizedError" })]);
  }, 60_000);
});
