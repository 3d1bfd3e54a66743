import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { once } from "node:events";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { mailboxFor, SCENARIO_NAMES, type ScenarioName } from "@/tools/exchange-sim/scenarios";
import { renderStep } from "./render-log";
import { EXPECTED } from "./scenario-expectations";
import { runProbe, type ProbeOptions, type ProbeResult } from "./probe";
import { STAGE_IDS, type ProbeStep } from "./steps";

/**
 * Integration: the real probe (real ews-javascript-api, our recording HTTP layer, real TLS) against the
 * simulator on 127.0.0.1. Short deadlines keep the file fast.
 */
const ACCOUNT = "svc-moxi@contoso.test";
const DEADLINE = 4000;
const PER_REQUEST = 800;
let sim: ExchangeSim;

beforeAll(async () => {
  sim = await startExchangeSim();
});
afterAll(async () => {
  await sim.close();
});

function options(extra: ProbeOptions = {}): ProbeOptions {
  return { allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, autodiscoverUrls: sim.autodiscoverUrls, deadlineMs: DEADLINE, perRequestTimeoutMs: PER_REQUEST, ...extra };
}
/** The full test, as a person runs it with "send a test message" ticked. */
const full = (extra: ProbeOptions = {}) => options({ sendTestMessage: true, ...extra });

function expectNoSecret(result: ProbeResult | ProbeStep[], password: string) {
  const text = JSON.stringify(result);
  expect(text).not.toContain(password);
  expect(text).not.toContain(Buffer.from(`${ACCOUNT}:${password}`).toString("base64"));
  expect(text).not.toContain(encodeURIComponent(password));
}

/**
 * Samples every 5 ms; for each gap, the time the loop was busy is at most the wall gap and at most the CPU
 * the process used in it (so being descheduled by a busy machine is not counted as blocking).
 */
function cpuAttributedBlocking(): { stop(): number } {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    worst = Math.max(worst, Math.min(now - last, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

/**
 * The same result with every sentence the probe wrote replaced (step titles, results, details, failure
 * messages, the rendered log): only the codes and what the server sent stay.
 */
function reworded(r: ProbeResult): ProbeResult {
  const copy = structuredClone(r);
  let n = 0;
  const say = () => `Zorblat message ${++n} from a later release.`;
  for (const s of copy.steps) {
    s.title = say();
    if (s.result !== undefined) s.result = say();
    s.details = s.details.map(say);
    if (s.failure) s.failure.message = say();
  }
  if (copy.failure) copy.failure.message = say();
  copy.log = copy.steps.map((s) => s.title).join("\n");
  return copy;
}

function failedStepText(r: ProbeResult): string {
  const step = r.steps.find((s) => s.id === r.failedStage);
  return step ? renderStep(step) : r.log;
}

describe("every simulator scenario, through Autodiscover", () => {
  it.each(SCENARIO_NAMES)("%s", async (scenario) => {
    const expected = EXPECTED[scenario];
    const started = Date.now();
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor(scenario) }, full());
    expect(Date.now() - started).toBeLessThan(DEADLINE + 200);
    expect({ outcome: r.outcome, failedStage: r.failedStage, failure: r.failure?.code }).toEqual({
      outcome: expected.outcome,
      failedStage: expected.failedStage,
      failure: expected.failure,
    });
    expect(expected.outcome === "passed" ? r.log : failedStepText(r)).toMatch(expected.evidence);
    expect(r.steps.map((s) => s.id)).toEqual([...STAGE_IDS]);
    expect(r.steps.every((s) => s.status !== "running")).toBe(true);
    expect(r.log).toContain(expected.outcome === "passed" ? "The test passed." : "The test failed.");
    // typed: the failure code and the server's own words decide, and the same with every message of ours reworded
    if (expected.cause !== undefined) {
      expect(diagnoseProbe(r).primaryCause).toBe(expected.cause);
      expect(diagnoseProbe(reworded(r)).primaryCause, "reworded").toBe(expected.cause);
      expect(diagnoseProbe(reworded(r)).findings.map((f) => f.cause)).toEqual(diagnoseProbe(r).findings.map((f) => f.cause));
    }
    expectNoSecret(r, sim.password);
  });
});

describe("given an EWS URL (no Autodiscover)", () => {
  const direct: [ScenarioName, string, string, RegExp][] = [
    ["healthy", "passed", "", /Opened Sent Items/],
    ["basic-auth-blocked", "failed", "authenticate", /HTTP 401[\s\S]*x-ms-diagnostics: 2000008;reason="Basic authentication is blocked/],
    ["mfa-required", "failed", "authenticate", /HTTP 456/],
    ["expired-password", "failed", "authenticate", /AADSTS50055/],
    ["ews-disabled", "failed", "authenticate", /HTTP 403/],
    ["impersonation-denied", "failed", "impersonate", /ErrorImpersonateUserDenied/],
    ["hung", "failed", "impersonate", /did not send a complete answer within 800 ms/],
    ["slow-drip", "failed", "impersonate", /did not send a complete answer within 800 ms/],
    ["malformed-xml", "failed", "impersonate", /HTTP 200[\s\S]*not well-formed XML/],
    ["oversized", "failed", "impersonate", /stopped reading after \d+ bytes/],
  ];
  it.each(direct)("%s", async (scenario, outcome, stage, evidence) => {
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor(scenario), ewsUrl: sim.ewsUrl }, options());
    expect(r.outcome).toBe(outcome);
    expect(r.failedStage ?? "").toBe(stage);
    expect(r.steps.find((s) => s.id === "autodiscover")?.status).toBe("skipped");
    expect(outcome === "passed" ? r.log : failedStepText(r)).toMatch(evidence);
    expectNoSecret(r, sim.password);
  });

  it("checks all four folders in one recorded, TLS-verified GetFolder", async () => {
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("healthy"), ewsUrl: sim.ewsUrl }, options());
    const inbox = r.steps.find((s) => s.id === "impersonate")!;
    expect(inbox.http).toHaveLength(1); // one GetFolder carries all four folders
    expect(inbox.http?.[0]).toMatchObject({ method: "POST", url: sim.ewsUrl, status: 200, tls: { verified: true } });
    // then list, create contact, view, create event (at once), and the two deletes; no send unless asked
    expect(r.roundTrips).toBe(7);
  });
});

describe("what the sync does, after the folders", () => {
  const direct = (scenario: ScenarioName, extra: ProbeOptions = {}) =>
    runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor(scenario, `items-${Math.random().toString(36).slice(2, 8)}`), ewsUrl: sim.ewsUrl }, options(extra));

  it("sends only when asked: unticked, the send steps are skipped with the reason and a send restriction goes unnoticed", async () => {
    const r = await direct("send-denied");
    expect(r.outcome).toBe("passed");
    for (const id of ["send-message", "find-sent"] as const) {
      expect(r.steps.find((s) => s.id === id)).toMatchObject({ status: "skipped", result: expect.stringMatching(/not asked for/) });
    }
    expect(r.steps.filter((s) => s.status === "passed").map((s) => s.id)).toEqual(expect.arrayContaining(["list-contact", "write-contact", "view-calendar", "write-event"]));
  });

  it("ticked: the message goes out, is found in Sent Items, and costs two more requests in the same two rounds", async () => {
    const r = await direct("healthy", { sendTestMessage: true });
    expect(r.outcome).toBe("passed");
    expect(r.steps.find((s) => s.id === "send-message")?.result).toMatch(/^Sent "MoxiEngage connection test \S+" from items-\w+@healthy\.sim\.test to itself\.$/);
    expect(r.steps.find((s) => s.id === "find-sent")?.result).toMatch(/^Found "MoxiEngage connection test/);
    expect(r.roundTrips).toBe(9); // GetFolder; 4 reads/creates + send; 2 deletes + the Sent Items search
    expect(r.log).toMatch(/read and write contacts and events, and send mail that is saved in Sent Items/);
  });

  it("each check shows its own request and answer", async () => {
    const r = await direct("contacts-read-only");
    const list = r.steps.find((s) => s.id === "list-contact")!;
    const write = r.steps.find((s) => s.id === "write-contact")!;
    expect(list).toMatchObject({ status: "passed", result: expect.stringMatching(/2 contacts in the folder/) });
    expect(write.status).toBe("failed");
    expect(write.http).toHaveLength(1); // the create was refused; there was nothing to delete
    expect(write.http![0]!.bodyExcerpt).toMatch(/CreateItemResponseMessage ResponseClass="Error"[\s\S]*ErrorAccessDenied/);
    expect(r.steps.find((s) => s.id === "write-event")?.status).toBe("passed"); // the calendar is not affected
  });

  it("a calendar the account cannot open stops the test before anything is written", async () => {
    const r = await direct("calendar-denied", { sendTestMessage: true });
    expect(r.failedStage).toBe("folder-calendar");
    for (const id of ["list-contact", "write-contact", "view-calendar", "write-event", "send-message", "find-sent"] as const) {
      expect(r.steps.find((s) => s.id === id)?.status).toBe("skipped");
    }
    expect(r.roundTrips).toBe(1);
  });
});

describe("credentials", () => {
  it("a wrong password on a healthy mailbox fails at authenticate, and the password never shows", async () => {
    const password = "Wr0ng-Pa$$word-123";
    const r = await runProbe({ serviceAccount: ACCOUNT, password, testMailbox: mailboxFor("healthy") }, options());
    expect(r.failedStage).toBe("authenticate");
    expect(failedStepText(r)).toMatch(/AADSTS50126/);
    expectNoSecret(r, password);
  });

  it("a brokerage that passed turns to expired password when the simulator is switched at runtime", async () => {
    const mailbox = "broker-1@contoso.test";
    expect((await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailbox }, options())).outcome).toBe("passed");
    sim.setScenarioFor(mailbox, "expired-password");
    try {
      const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailbox }, options());
      expect(r.failedStage).toBe("authenticate");
      expect(failedStepText(r)).toMatch(/AADSTS50055/);
    } finally {
      sim.setScenarioFor(mailbox, null);
    }
  });

  it("the admin endpoint switches a scenario too", async () => {
    const mailbox = "broker-2@contoso.test";
    const res = await fetch(`${sim.httpUrl}/__sim/scenario?address=${encodeURIComponent(mailbox)}&scenario=impersonation-denied`, { method: "PUT" });
    expect(res.status).toBe(204);
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailbox }, options());
    expect(r.failedStage).toBe("impersonate");
    await fetch(`${sim.httpUrl}/__sim/scenario?address=${encodeURIComponent(mailbox)}&scenario=`, { method: "PUT" });
  });
});

describe("bad input", () => {
  // The values are checked by connectionDetailsSchema before the probe runs (lib/validation/credentials.test.ts);
  // the probe's input stage checks what only the server knows: its network policy for the EWS URL.
  const cases: [string, string, RegExp][] = [
    ["plain http EWS URL", "http://mail.contoso.com/EWS/Exchange.asmx", /does not use https/],
    ["EWS URL with user info", "https://u:p@mail.contoso.com/EWS/Exchange.asmx", /user name or password/],
    ["EWS URL not a URL", "mail contoso", /is not a valid URL/],
  ];
  it.each(cases)("%s", async (_name, ewsUrl, message) => {
    const r = await runProbe({ serviceAccount: ACCOUNT, password: "x", testMailbox: "a@contoso.test", ewsUrl }, options());
    expect(r.outcome).toBe("failed");
    expect(r.failedStage).toBe("input");
    expect(r.failure?.code).toBe("invalid_input");
    expect(r.failure?.message).toMatch(message);
    expect(r.roundTrips).toBe(0);
  });
});

describe("deadline, cancel and live steps", () => {
  it("stops at the overall deadline even when each request may wait longer", async () => {
    const started = Date.now();
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("hung") }, options({ deadlineMs: 600, perRequestTimeoutMs: 5000 }));
    expect(Date.now() - started).toBeLessThan(900);
    expect(r.failure?.code).toBe("deadline");
    expect(r.failedStage).toBe("autodiscover");
  });

  it("can be cancelled with an AbortSignal", async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 150);
    const started = Date.now();
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("hung"), ewsUrl: sim.ewsUrl }, options({ signal: cancel.signal, perRequestTimeoutMs: 3000 }));
    expect(Date.now() - started).toBeLessThan(500);
    expect(r.failure?.code).toBe("cancelled");
  });

  it("a hung server: only connect and authenticate run while it waits, and connect reports its handshake time, not the wait", async () => {
    const seen: ProbeStep[] = [];
    const r = await runProbe(
      { serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("hung"), ewsUrl: sim.ewsUrl },
      options({ onStep: (s) => seen.push(s), perRequestTimeoutMs: 700 }),
    );
    expect(r.outcome).toBe("failed");
    // What the page shows while the server keeps the request waiting: connect and authenticate, nothing more.
    const authStarted = seen.findIndex((s) => s.id === "authenticate" && s.status === "running");
    const next = seen[authStarted + 1]!;
    expect(next).toMatchObject({ id: "connect", status: "passed" });
    const connect = r.steps.find((s) => s.id === "connect")!;
    expect(connect.status).toBe("passed");
    expect(connect.elapsedMs).toBeLessThan(500);
  });

  it("reports each step as it starts and finishes, without the password", async () => {
    const seen: ProbeStep[] = [];
    const r = await runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("healthy") }, options({ onStep: (s) => seen.push(s) }));
    expect(seen[0]).toMatchObject({ id: "input", status: "running" });
    expect(seen.filter((s) => s.status === "running").map((s) => s.id)).toContain("autodiscover");
    expect(seen.at(-1)).toMatchObject({ id: "summary", status: "passed" });
    // every step finishes once; the sync's checks run at once, so they may finish in any order
    expect(seen.filter((s) => s.status !== "running").map((s) => s.id).sort()).toEqual(r.steps.map((s) => s.id).sort());
    expectNoSecret(seen, sim.password);
  });
});

describe("hostile servers", () => {
  it("a 50 MB answer is cut off at the cap and memory stays bounded", async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const r = await runProbe(
      { serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor("oversized"), ewsUrl: sim.ewsUrl },
      options({ maxBodyBytes: 256 * 1024 }),
    );
    const read = r.steps.flatMap((s) => s.http ?? []).map((x) => x.bodyBytes);
    expect(r.failure?.code).toBe("response_too_large");
    expect(Math.max(...read)).toBeLessThan(256 * 1024 + 128 * 1024);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(30 * 1024 * 1024);
  });

  it("garbage, drips, loops and hangs all end in a verdict within the deadline", async () => {
    const started = Date.now();
    const results = await Promise.all(
      (["hung", "slow-drip", "malformed-xml", "oversized", "redirect-loop"] as const).map((s) =>
        runProbe({ serviceAccount: ACCOUNT, password: sim.password, testMailbox: mailboxFor(s) }, options()),
      ),
    );
    expect(Date.now() - started).toBeLessThan(DEADLINE);
    expect(results.map((r) => r.outcome)).toEqual(["failed", "failed", "failed", "failed", "failed"]);
  });

  it("a server echoing the credentials, setting cookies or sending a gzip bomb leaks nothing and balloons nothing", async () => {
    const password = "Echo-Me-123!";
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)); // 20 MB of spaces in ~20 KB
    const hostile = http.createServer((req, res) => {
      const auth = req.headers.authorization ?? "";
      if (req.headers["x-anchormailbox"]?.toString().startsWith("bomb")) {
        res.writeHead(200, { "Content-Type": "text/xml", "Content-Encoding": "gzip" });
        return res.end(bomb);
      }
      const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString();
      res.writeHead(401, { "X-Echo": auth, "Set-Cookie": "session=abc123; HttpOnly", "X-Decoded": decoded, "Content-Type": "text/plain" });
      res.end(`you sent ${decoded} / ${auth}`);
    });
    await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", r));
    const host = `127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      const echo = await runProbe({ serviceAccount: ACCOUNT, password, testMailbox: "echo@contoso.test", ewsUrl: `http://${host}/EWS/Exchange.asmx` }, { allowedHosts: [host], deadlineMs: 2000 });
      expect(echo.failedStage).toBe("authenticate");
      expectNoSecret(echo, password);
      expect(echo.log).toContain("Set-Cookie: [redacted]");
      expect(echo.log).toContain("X-Echo: Basic [redacted]");
      expect(echo.log).toContain(`X-Decoded: ${ACCOUNT}:[redacted]`);
      const boom = await runProbe({ serviceAccount: ACCOUNT, password, testMailbox: "bomb@contoso.test", ewsUrl: `http://${host}/EWS/Exchange.asmx` }, { allowedHosts: [host], deadlineMs: 2000, maxBodyBytes: 512 * 1024 });
      expect(boom.failure?.code).toBe("response_too_large");
    } finally {
      hostile.closeAllConnections();
      hostile.close();
    }
  });

  it("20 probes at once never block the event loop (100 ms target measured idle; 400 ms bound under load)", async () => {
    // The simulator runs in its own process here, as a real Exchange server would: only the probes share our loop.
    const child = spawn(process.execPath, ["--import", "tsx", "tools/exchange-sim/cli.ts", "--port", "0", "--https-port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const remote = JSON.parse(line) as { allowedHosts: string[]; caPem: string; autodiscoverUrls: string[]; password: string };
      const remoteOptions = options({ allowedHosts: remote.allowedHosts, extraCaPem: remote.caPem, autodiscoverUrls: remote.autodiscoverUrls, perRequestTimeoutMs: 3000 });
      const mix: ScenarioName[] = ["healthy", "impersonation-denied", "basic-auth-blocked", "oversized", "malformed-xml"];
      const probe = (i: number) => runProbe({ serviceAccount: ACCOUNT, password: remote.password, testMailbox: mailboxFor(mix[i % mix.length]!, `agent${i}`) }, remoteOptions);
      await Promise.all(mix.map((_, i) => probe(i))); // warm up every code path once
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      const blocked = cpuAttributedBlocking();
      histogram.enable();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => probe(i)));
      histogram.disable();
      const worst = blocked.stop();
      expect(results.map((r) => r.outcome).filter((o) => o === "passed")).toHaveLength(4);
      expect(results.every((r) => r.elapsedMs < DEADLINE)).toBe(true);
      if (process.env.PROBE_TEST_VERBOSE) console.log(`event loop: max delay ${(histogram.max / 1e6).toFixed(1)} ms, CPU-attributed ${worst.toFixed(1)} ms`);
      // On an idle machine monitorEventLoopDelay's max is the blocking time (27–51 ms measured). When other
      // processes share the cores (the full suite on 2 CPUs), it also counts time we were not scheduled, so
      // the assertion uses the CPU this process actually spent inside each late tick. The 100 ms target is a
      // measured figure (README, PROBE_TEST_VERBOSE=1); the test's bound only catches real blocking (a 50 MB
      // body parsed in one go takes seconds) without failing on a loaded CI machine.
      expect(worst).toBeLessThan(400);
    } finally {
      if (child.pid) process.kill(child.pid);
    }
  }, 20_000);
});
