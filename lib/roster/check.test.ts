import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from "@/tools/exchange-sim/m365-scenarios";
import { SIM_PASSWORD } from "@/tools/exchange-sim/scenarios";
import { causeOfMailbox, shownCause } from "./causes";
import { checkRoster, type MailboxResult, type RosterAccess } from "./check";

/** Integration: the roster check over real HTTPS against the simulator (real ews-javascript-api, real msal-node). */
let sim: ExchangeSim;
beforeAll(async () => {
  sim = await startExchangeSim();
});
afterAll(async () => {
  await sim.close();
});

const ACCOUNT = "svc-moxi@contoso.test";
const ews = (): Extract<RosterAccess, { kind: "ews" }> => ({ kind: "ews", serviceAccount: ACCOUNT, password: SIM_PASSWORD, ewsUrl: sim.ewsUrl });
const opts = (extra: Partial<Parameters<typeof checkRoster>[2]> = {}) => ({ concurrency: 8, mailboxDeadlineMs: 1500, allowedHosts: sim.allowedHosts, extraCaPem: sim.caPem, ...extra });

async function run(access: RosterAccess, addresses: string[], extra: Partial<Parameters<typeof checkRoster>[2]> = {}) {
  const results = new Map<string, MailboxResult>();
  const summary = await checkRoster(access, addresses, opts({ ...extra, onResult: (r) => void results.set(r.address, r) }));
  const anyReachable = summary.reachable > 0;
  const cause = (a: string) => {
    const r = results.get(a)!;
    return r.reachable ? "reachable" : shownCause(causeOfMailbox(r.failure!, r.exchanges ?? [], access.kind), anyReachable);
  };
  return { summary, results, cause };
}

describe("roster check, EWS impersonation", () => {
  it("checks every mailbox once, one GetFolder each, and names each failing mailbox's cause", async () => {
    const healthy = Array.from({ length: 30 }, (_, i) => `agent${i}@contoso.test`);
    const failing = ["no-mailbox+1@contoso.test", "impersonation-denied+2@contoso.test", "throttled+3@contoso.test", "throttled-503+4@contoso.test", "hung+5@contoso.test"];
    const before = sim.requests.length;
    const { summary, results, cause } = await run(ews(), [...healthy, ...failing]);
    expect(summary.accessFailure).toBeUndefined();
    expect(summary.checked).toBe(35);
    expect(results.size).toBe(35);
    expect(summary.reachable).toBe(30);
    for (const a of healthy) expect(cause(a)).toBe("reachable");
    expect(cause("no-mailbox+1@contoso.test")).toBe("no_mailbox");
    // Refused for this one while the others open: the scope, not a missing role.
    expect(cause("impersonation-denied+2@contoso.test")).toBe("not_in_scope");
    // ErrorServerBusy asks for ~5 minutes and the 503 for 30 s: past the mailbox's deadline, so throttled at once.
    expect(cause("throttled+3@contoso.test")).toBe("throttled");
    expect(cause("throttled-503+4@contoso.test")).toBe("throttled");
    expect(cause("hung+5@contoso.test")).toBe("timeout");
    expect(results.get("hung+5@contoso.test")!.elapsedMs).toBeLessThan(2500);
    // One request per mailbox: the four folders go in one GetFolder.
    const ewsRequests = sim.requests.slice(before).filter((r) => r.path.toLowerCase().includes("/ews/"));
    expect(ewsRequests).toHaveLength(35);
    expect(summary.roundTrips).toBe(35);
    expect(JSON.stringify([...results.values()])).not.toContain(SIM_PASSWORD);
  });

  it("with no reachable mailbox, refused impersonation is the missing role, not the scope", async () => {
    const { cause } = await run(ews(), ["impersonation-denied+a@contoso.test", "impersonation-denied+b@contoso.test"]);
    expect(cause("impersonation-denied+a@contoso.test")).toBe("impersonation_denied");
  });

  it("a wrong password fails every mailbox as bad credentials", async () => {
    const { summary, cause } = await run({ ...ews(), password: "not-it" }, ["a@contoso.test", "b@contoso.test"]);
    expect(summary.reachable).toBe(0);
    expect(cause("a@contoso.test")).toBe("bad_credentials");
  });

  it("finds the EWS URL through Autodiscover once when none is saved", async () => {
    const before = sim.requests.length;
    const { summary } = await run({ kind: "ews", serviceAccount: ACCOUNT, password: SIM_PASSWORD, autodiscoverUrls: sim.autodiscoverUrls }, ["a@contoso.test", "b@contoso.test", "c@contoso.test"]);
    expect(summary.reachable).toBe(3);
    const auto = sim.requests.slice(before).filter((r) => r.path.toLowerCase().includes("autodiscover"));
    expect(auto.length).toBeGreaterThan(0);
    expect(auto.length).toBeLessThanOrEqual(2);
  });

  it("never has more requests in flight than its concurrency, and stops when cancelled", async () => {
    sim.setLatency(40);
    try {
      const addresses = Array.from({ length: 60 }, (_, i) => `c${i}@contoso.test`);
      const controller = new AbortController();
      let seen = 0;
      const summary = await checkRoster(ews(), addresses, {
        ...opts({ concurrency: 4 }),
        signal: controller.signal,
        onResult: () => {
          if (++seen === 10) controller.abort();
        },
      });
      expect(summary.cancelled).toBe(true);
      expect(summary.checked).toBeGreaterThanOrEqual(10);
      expect(summary.checked).toBeLessThan(20);
      // 10 mailboxes at 4 at a time and 40 ms each: at least 3 rounds.
      expect(summary.elapsedMs).toBeGreaterThanOrEqual(100);
    } finally {
      sim.setLatency(0);
    }
  });
});

describe("roster check, Microsoft Graph app access", () => {
  const graph = (): Extract<RosterAccess, { kind: "graph" }> => ({ kind: "graph", tenant: "healthy.sim.test", clientId: SIM_CLIENT_ID, credential: { kind: "secret", clientSecret: SIM_CLIENT_SECRET }, authorityHost: sim.m365.authorityHost, graphUrl: sim.m365.graphUrl });

  it("reads each mailbox with one token, ≤ 4 calls in flight per mailbox, and names each cause", async () => {
    const d = "healthy.sim.test";
    const healthy = Array.from({ length: 12 }, (_, i) => `agent${i}@${d}`);
    const failing = [`no-such-mailbox@${d}`, `outside.reach@${d}`, `mailbox-not-enabled@${d}`, `no-role-assignment@${d}`];
    const before = sim.requests.length;
    const { summary, cause, results } = await run(graph(), [...healthy, `throttled-once@${d}`, ...failing], { mailboxDeadlineMs: 4000 });
    expect(summary.accessFailure).toBeUndefined();
    expect(summary.checked).toBe(17);
    expect(cause(`throttled-once@${d}`)).toBe("reachable");
    expect(summary.reachable).toBe(13);
    expect(cause(`no-such-mailbox@${d}`)).toBe("no_mailbox");
    expect(cause(`outside.reach@${d}`)).toBe("not_in_scope");
    expect(cause(`no-role-assignment@${d}`)).toBe("not_in_scope");
    expect(cause(`mailbox-not-enabled@${d}`)).toBe("mailbox_not_enabled");
    const tokens = sim.requests.slice(before).filter((r) => r.path.startsWith("/entra/") && r.method === "POST");
    expect(tokens).toHaveLength(1);
    for (const a of healthy) expect(sim.m365.mailboxes.peakInFlight.get(a) ?? 0).toBeLessThanOrEqual(4);
    expect(JSON.stringify([...results.values()])).not.toContain(SIM_CLIENT_SECRET);
  });

  it("a refused token is the access's failure, and no mailbox is called", async () => {
    const before = sim.requests.length;
    const summary = await checkRoster({ ...graph(), tenant: "consent-missing.sim.test" }, ["a@consent-missing.sim.test"], opts());
    expect(summary.accessFailure?.code).toBe("consent_required");
    expect(summary.checked).toBe(0);
    expect(sim.requests.slice(before).filter((r) => r.path.startsWith("/graph/"))).toHaveLength(0);
  });
});
