import type { Finding } from "@/lib/diagnosis/diagnose";
import type { ProbeStep } from "@/lib/exchange/steps";
import type { TestRun } from "./store";

/**
 * What a stored test run shows to whom — the one place that decides it (issue 17 item 7).
 *
 * - staff and the brokerage: everything (the account names, the EWS URL in the steps' HTTP exchanges, the log).
 * - a vendor (an email vendor on a vendor link): the steps and the findings — enough to fix the setup — with
 *   account names masked, addresses and hosts left out, and no log, no step details and no HTTP exchanges.
 *   The workspace promises vendors never see the service account details; a vendor may run a test with
 *   details they type in, but the stored runs of the brokerage are not theirs to read.
 *
 * Pure: the page passes each run through here before rendering, so nothing left out reaches the HTML or the
 * React payload.
 */
export type RunViewer = "staff" | "brokerage" | "vendor";

export type TestRunView = TestRun & { visibility: "full" | "masked" };

export function runsForViewer(runs: readonly TestRun[], viewer: RunViewer): TestRunView[] {
  return runs.map((run) => runForViewer(run, viewer));
}

export function runForViewer(run: TestRun, viewer: RunViewer): TestRunView {
  if (viewer !== "vendor") return { ...run, visibility: "full" };
  const mask = masker(run);
  return {
    ...run,
    visibility: "masked",
    actor: { kind: run.actor.kind, label: run.actor.kind === "vendor" ? "your email vendor" : mask(run.actor.label) },
    serviceAccount: maskAddress(run.serviceAccount),
    testMailbox: maskAddress(run.testMailbox),
    log: "",
    steps: run.steps.map((step) => maskStep(step, mask)),
    findings: run.findings.map((finding) => maskFinding(finding, mask)),
  };
}

/** The findings of a run for a viewer (the status panel shows the latest failure's findings on their own). */
export function findingsForViewer(run: TestRun, viewer: RunViewer): Finding[] {
  return runForViewer(run, viewer).findings;
}

function maskStep(step: ProbeStep, mask: (text: string) => string): ProbeStep {
  return {
    id: step.id,
    title: mask(step.title),
    status: step.status,
    startedAt: step.startedAt,
    elapsedMs: step.elapsedMs,
    ...(step.result !== undefined ? { result: mask(step.result) } : {}),
    details: [],
    ...(step.failure ? { failure: { code: step.failure.code, message: mask(step.failure.message) } } : {}),
  };
}

function maskFinding(finding: Finding, mask: (text: string) => string): Finding {
  return { ...finding, title: mask(finding.title), explanation: mask(finding.explanation), actions: finding.actions.map(mask), evidence: [] };
}

/** `svc-moxi@acme.test` → `s•••@acme.test`: the vendor can tell which domain, not which account. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address.length > 0 ? `${address[0]}•••` : "";
  return `${address[0]}•••${address.slice(at)}`;
}

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;
const URL_LIKE = /\b(?:https?|wss?):\/\/[^\s"'<>)\]]+/gi;

/**
 * A text masker for one run: the run's own names (service account, test mailbox, their local parts and
 * DOMAIN\user forms), the hosts its HTTP exchanges reached, any other address or URL.
 */
function masker(run: TestRun): (text: string) => string {
  const literal: [string, string][] = [];
  const locals: string[] = [];
  for (const address of [run.serviceAccount, run.testMailbox]) {
    if (!address) continue;
    literal.push([address, maskAddress(address)]);
    const local = address.split("@")[0]!.split("\\").pop()!; // user@domain and DOMAIN\user alike
    if (local.length >= 3 && local !== address) locals.push(local);
  }
  const hosts = new Set<string>();
  for (const step of run.steps) {
    for (const exchange of step.http ?? []) {
      try {
        const url = new URL(exchange.url);
        hosts.add(url.host);
        hosts.add(url.hostname);
      } catch {
        /* not a URL: nothing to learn from it */
      }
    }
  }
  for (const host of hosts) if (host) literal.push([host, "[server]"]);
  // Longest first, so a name is replaced before a part of it.
  literal.sort((a, b) => b[0].length - a[0].length);
  return (text: string) => {
    let out = text.replace(URL_LIKE, "[address]").replace(EMAIL, (m) => maskAddress(m));
    for (const [from, to] of literal) out = out.split(from).join(to);
    // A bare account name (`svc-moxi`, `ACME\svc-moxi`), as a whole name only: "agent" inside a word stays.
    for (const local of locals) out = out.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(local)}(?![\\w-])`, "gi"), `${local[0]}•••`);
    return out;
  };
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
