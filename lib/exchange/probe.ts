import "server-only";
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { config } from "@/lib/config";
import type { ConnectionDetails } from "@/lib/validation/credentials";
import { checkUrl, type Resolver } from "./address-guard";
import { discoverEwsUrl, SIGN_IN_REFUSED } from "./autodiscover";
import { checkFolders, FOLDERS, type FolderResult } from "./ews";
import { runItemChecks, TEST_MESSAGE_SUBJECT, type ItemCheckId, type ItemCheckResult } from "./items";
import { failure, ProbeError, type Failure } from "./failures";
import { HttpClient, type RecordedExchange } from "./http-client";
import { renderLog } from "./render-log";
import { createScrubber } from "./secrets";
import { StepBook } from "./step-book";
import { finishSummary, ProbeRun } from "./probe-run";
import { STAGE_IDS, type EwsStageId, type ProbeStep, type StageId } from "./steps";

/**
 * The impersonation test: input checks → Autodiscover (or the given EWS URL) → connect/TLS →
 * authenticate → GetFolder on Inbox as the test mailbox, and on Contacts, Calendar and Sent Items → what the sync
 * does (list a contact, create/delete a contact, today's calendar view, create/delete an event, and when asked
 * send a message and find it in Sent Items) → summary.
 * It never throws for anything a server does, never runs past its deadline, and can be cancelled.
 */
/**
 * What to test: connection details already parsed by `connectionDetailsSchema` (lib/validation/credentials.ts),
 * the one schema the forms, the test endpoint and the CLI share. The probe's input stage checks only what the
 * schema cannot know: the server's network policy for the EWS URL.
 */
export type ProbeInput = ConnectionDetails;

export type ProbeOptions = {
  /** host or host:port entries that may be private/loopback and use plain http; default EXCHANGE_ALLOWED_HOSTS. */
  allowedHosts?: string[];
  /** PEM of an extra CA to trust (the simulator's); default the file in EXCHANGE_EXTRA_CA_FILE. */
  extraCaPem?: string;
  deadlineMs?: number;
  perRequestTimeoutMs?: number;
  maxBodyBytes?: number;
  signal?: AbortSignal;
  onStep?: (step: ProbeStep) => void;
  /** Replaces the documented Autodiscover candidates (…/autodiscover.svc for POST, …/autodiscover.xml for the redirect GET). */
  autodiscoverUrls?: string[];
  /** Replaces DNS resolution (tests). */
  resolve?: Resolver;
  /**
   * Send one message from the test mailbox to itself and find it in Sent Items. Only when the person running the
   * test asked for it; scheduled re-verification never sends. Default false.
   */
  sendTestMessage?: boolean;
};

export type ProbeResult = {
  outcome: "passed" | "failed";
  failedStage?: StageId;
  failure?: Failure;
  steps: ProbeStep[];
  log: string;
  startedAt: string;
  elapsedMs: number;
  roundTrips: number;
};

export const PROBE_DEFAULTS = { deadlineMs: 30_000, perRequestTimeoutMs: 10_000, maxBodyBytes: 1024 * 1024 } as const;

const FOLDER_STAGE = { contacts: "folder-contacts", calendar: "folder-calendar", sentitems: "folder-sentitems" } as const;
const CONNECT_FAILURES = new Set(["url_not_allowed", "address_not_public", "dns_failed", "connect_failed", "tls_failed"]);

function titles(input: { serviceAccount: string; testMailbox: string }, host: string) {
  return {
    input: "Attempting to check the test input.",
    autodiscover: `Attempting to retrieve the EWS URL for ${input.testMailbox} through Autodiscover.`,
    connect: `Attempting to connect to ${host} and verify its TLS certificate.`,
    authenticate: `Attempting to authenticate to Exchange Web Services as ${input.serviceAccount}.`,
    impersonate: `Attempting to open the Inbox of ${input.testMailbox} using Exchange Impersonation.`,
    "folder-contacts": `Attempting to open the Contacts folder of ${input.testMailbox} using Exchange Impersonation.`,
    "folder-calendar": `Attempting to open the Calendar folder of ${input.testMailbox} using Exchange Impersonation.`,
    "folder-sentitems": `Attempting to open the Sent Items folder of ${input.testMailbox} using Exchange Impersonation.`,
    "list-contact": `Attempting to list one contact in the Contacts folder of ${input.testMailbox}.`,
    "write-contact": `Attempting to create and delete a test contact in ${input.testMailbox}.`,
    "view-calendar": `Attempting to read today's calendar view of ${input.testMailbox}.`,
    "write-event": `Attempting to create and delete a test event in ${input.testMailbox} without sending invitations.`,
    "send-message": `Attempting to send a message titled "${TEST_MESSAGE_SUBJECT}" from ${input.testMailbox} to itself.`,
    "find-sent": `Attempting to find the test message in the Sent Items folder of ${input.testMailbox}.`,
    summary: "Attempting to summarise the test.",
  } satisfies Record<EwsStageId, string>;
}

function describeExchangeConnection(x: RecordedExchange | undefined): string[] {
  if (!x) return [];
  const out = [`Connected to ${new URL(x.url).host}${x.remoteAddress ? ` at ${x.remoteAddress}` : ""}${x.timings.reusedConnection ? " (reused connection)" : ""}.`];
  if (x.tls) out.push(`TLS ${x.tls.protocol ?? ""}: the certificate was verified for the host name.`.replace("TLS :", "TLS:"));
  else if (x.url.startsWith("http:")) out.push("Plain http: allowed only because this server allows that host for testing.");
  return out;
}

/** Which scheme signed in, and why: the notes our client put on the exchanges (one line per distinct note). */
function signInDetails(exchanges: RecordedExchange[]): string[] {
  const notes = exchanges.map((x) => x.auth && `Authentication: ${x.auth.note}`).filter((n): n is string => !!n);
  return [...new Set(notes)];
}

export async function runProbe(input: ProbeInput, options: ProbeOptions = {}): Promise<ProbeResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const deadlineMs = options.deadlineMs ?? PROBE_DEFAULTS.deadlineMs;
  const perRequestTimeoutMs = Math.min(options.perRequestTimeoutMs ?? PROBE_DEFAULTS.perRequestTimeoutMs, deadlineMs);
  const scrubber = createScrubber(input.serviceAccount, input.password);
  const book = new StepBook(options.onStep, scrubber.deep);
  const probeRun = new ProbeRun(deadlineMs, options.signal);

  let client: HttpClient | undefined;
  let failedStage: StageId | undefined;
  let finalFailure: Failure | undefined;
  const fail = (stage: StageId, f: Failure) => {
    failedStage ??= stage;
    finalFailure ??= f;
  };

  const work = async (): Promise<void> => {
    // 1. Input
    const inputStep = book.start("input", "Attempting to check the test input.");
    let allowedHosts = options.allowedHosts;
    let extraCaPem = options.extraCaPem;
    try {
      allowedHosts ??= config().exchangeAllowedHosts;
      const caFile = extraCaPem === undefined ? config().exchangeExtraCaFile : undefined;
      if (caFile) extraCaPem = await readFile(caFile, "utf8");
    } catch {
      const f = failure("internal_error", "The test could not start: this server's connection-test settings could not be read. This is a problem on MoxiWorks's side, not yours: contact MoxiWorks onboarding.");
      book.finish(inputStep, "failed", f.message, { failure: f });
      return fail("input", f);
    }
    const policy = { allowedHosts, resolve: options.resolve };
    if (input.ewsUrl) {
      try {
        checkUrl(input.ewsUrl, policy);
      } catch (e) {
        const f = failure("invalid_input", e instanceof ProbeError ? e.message : "The EWS URL is not valid.");
        book.finish(inputStep, "failed", f.message, { failure: f });
        return fail("input", f);
      }
    }
    book.finish(inputStep, "passed", "The service account, password and test mailbox are present and well-formed; the EWS address is allowed.", {
      details: [`Service account: ${input.serviceAccount}`, `Test mailbox: ${input.testMailbox}`, input.ewsUrl ? `EWS URL given: ${input.ewsUrl}` : "EWS URL: found through Autodiscover."],
    });

    client = new HttpClient({
      policy,
      extraCaPem,
      perRequestTimeoutMs,
      maxBodyBytes: options.maxBodyBytes ?? PROBE_DEFAULTS.maxBodyBytes,
      signal: probeRun.signal,
      scrubber,
      credentials: { account: input.serviceAccount, password: input.password, scheme: input.authScheme ?? "auto" },
    });

    // 2. Autodiscover
    let ewsUrl = input.ewsUrl;
    const t0 = titles(input, "the EWS server");
    if (!ewsUrl) {
      const step = book.start("autodiscover", t0.autodiscover);
      const found = await discoverEwsUrl(client, { mailbox: input.testMailbox, candidates: options.autodiscoverUrls }, probeRun.signal);
      const details = found.attempts.map((a) => `${a.url}: ${a.note}`);
      if (found.ok) {
        ewsUrl = found.ewsUrl;
        book.finish(step, "passed", `Autodiscover returned the EWS URL ${found.ewsUrl}.`, { details, http: found.exchanges });
      } else {
        book.finish(step, "failed", found.failure.message, { details, http: found.exchanges, failure: found.failure });
        if (found.credentialsRejected) {
          // The Autodiscover server answered over verified TLS and refused the credentials: that is the finding.
          const tt = titles(input, new URL(found.credentialsRejected.url).host);
          const c = book.start("connect", tt.connect);
          book.finish(c, "passed", `Reached ${new URL(found.credentialsRejected.url).host} during Autodiscover.`, { details: describeExchangeConnection(found.credentialsRejected) });
          const a = book.start("authenticate", tt.authenticate);
          book.finish(a, "failed", found.failure.message, { failure: found.failure, http: [found.credentialsRejected] });
          return fail("authenticate", found.failure);
        }
        return fail("autodiscover", found.failure);
      }
    } else {
      book.skip("autodiscover", t0.autodiscover, `Not needed: the EWS URL was given (${ewsUrl}).`);
    }

    // 3–6. One GetFolder for all four folders (one round trip); connect and authenticate are read from that exchange.
    const host = new URL(ewsUrl).host;
    const t = titles(input, host);
    // Only what is under way shows as running: connecting, and the signed-in request waiting for its answer.
    // The folder stages start once connect and authenticate are settled (a hung server leaves them unstarted).
    const connectStep = book.start("connect", t.connect);
    const authStep = book.start("authenticate", t.authenticate);
    const check = await checkFolders(client, { ewsUrl, serviceAccount: input.serviceAccount, password: input.password, testMailbox: input.testMailbox });
    const skipFolders = (why: string) => {
      for (const id of ["impersonate", ...Object.values(FOLDER_STAGE)] as const) book.skip(id, t[id], why);
    };
    const first = check.exchanges[0];
    const whole = check.failure;
    // The connect stage took as long as the TCP (and TLS) handshake, not as long as the server then took to answer.
    const connectMs = first?.timings.tlsMs ?? first?.timings.connectMs;

    const connected = first !== undefined && (first.status !== undefined || first.timings.connectMs !== undefined || first.timings.reusedConnection === true);
    if (whole && (CONNECT_FAILURES.has(whole.code) || !connected)) {
      book.finish(connectStep, "failed", whole.message, { failure: whole, http: check.exchanges });
      book.finish(authStep, "skipped", "Not tested: no connection to the EWS server.");
      skipFolders("Not tested: no connection to the EWS server.");
      return fail("connect", whole);
    }
    book.finish(connectStep, "passed", `Connected to ${host}.`, { details: describeExchangeConnection(first) }, connectMs);

    if (whole && (SIGN_IN_REFUSED.has(whole.code) || whole.code === "http_forbidden")) {
      book.finish(authStep, "failed", whole.message, { failure: whole, http: check.exchanges });
      skipFolders("Not tested: the service account was not accepted.");
      return fail("authenticate", whole);
    }
    if (first?.status !== undefined) {
      book.finish(authStep, "passed", `EWS accepted the credentials of ${input.serviceAccount}.`, { details: signInDetails(check.exchanges) });
    }
    else book.finish(authStep, "skipped", "Not determined: the server sent no complete answer to judge the credentials by.");

    const shared = "Checked in the same GetFolder request as the Inbox (see the Inbox step for the HTTP exchange).";
    const finishFolder = (step: ProbeStep, r: FolderResult, withHttp: boolean) => {
      const name = FOLDERS.find((f) => f.key === r.folder)!.name;
      const extra = withHttp ? { http: check.exchanges } : { details: [shared] };
      if (r.ok) book.finish(step, "passed", `Opened ${r.displayName ?? name} of ${input.testMailbox} as ${input.serviceAccount}.`, extra);
      else book.finish(step, "failed", r.failure!.message, { ...extra, failure: r.failure });
    };
    const inboxStep = book.start("impersonate", t.impersonate);
    const folderSteps = Object.fromEntries(Object.entries(FOLDER_STAGE).map(([k, id]) => [k, book.start(id, t[id])])) as Record<keyof typeof FOLDER_STAGE, ProbeStep>;
    const [inbox, ...others] = check.folders;
    finishFolder(inboxStep, inbox!, true);
    for (const r of others) finishFolder(folderSteps[r.folder as keyof typeof FOLDER_STAGE], r, false);
    if (!inbox!.ok) return fail("impersonate", inbox!.failure!);
    const broken = others.find((r) => !r.ok);
    if (broken) return fail(FOLDER_STAGE[broken.folder as keyof typeof FOLDER_STAGE], broken.failure!);

    // 7–12. What the sync does there. Independent checks run at once; each step starts when its request goes out.
    const itemSteps = new Map<ItemCheckId, ProbeStep>();
    const parallel: ItemCheckId[] = ["list-contact", "write-contact", "view-calendar", "write-event", ...(options.sendTestMessage ? (["send-message"] as const) : [])];
    for (const id of parallel) itemSteps.set(id, book.start(id, t[id]));
    if (!options.sendTestMessage) {
      const why = "Not run: sending a test message was not asked for (tick it to check that the sync can send mail).";
      book.skip("send-message", t["send-message"], why);
      book.skip("find-sent", t["find-sent"], why);
    }
    const finish = (id: ItemCheckId, r: ItemCheckResult) => {
      const step = itemSteps.get(id) ?? book.start(id, t[id]);
      itemSteps.set(id, step);
      book.finish(step, r.ok ? "passed" : "failed", r.result, { details: r.details, http: r.exchanges, ...(r.failure ? { failure: r.failure } : {}) });
    };
    const results = await runItemChecks(client, { ewsUrl, serviceAccount: input.serviceAccount, password: input.password, testMailbox: input.testMailbox }, {
      sendTestMessage: options.sendTestMessage === true,
      onDone: finish,
    });
    if (results["send-message"] && !results["send-message"].ok) book.skip("find-sent", t["find-sent"], "Not run: the test message could not be sent.");
    // The first failing check in log order is the verdict, whatever order the answers came in.
    for (const id of ["list-contact", "write-contact", "view-calendar", "write-event", "send-message", "find-sent"] as const) {
      const r = results[id];
      if (r && !r.ok) return fail(id, r.failure!);
    }
  };

  await probeRun.stages<StageId>(book, work, fail, () => client?.close());
  const tt = titles(input, "the EWS server");
  for (const id of STAGE_IDS) {
    if (id === "input" || id === "summary") continue;
    book.skip(id, tt[id], failedStage ? `Not run: the test stopped at the ${failedStage} stage.` : "Not run.");
  }
  finishSummary(
    book,
    tt.summary,
    failedStage ? { stage: failedStage, failure: finalFailure! } : undefined,
    `The service account can impersonate ${input.testMailbox}, open Inbox, Contacts, Calendar and Sent Items, read and write contacts and events${options.sendTestMessage ? ", and send mail that is saved in Sent Items" : ""}.`,
  );

  const steps = scrubber.deep(book.steps);
  const heading = { serviceAccount: input.serviceAccount, testMailbox: input.testMailbox, startedAt };
  return {
    outcome: failedStage ? "failed" : "passed",
    failedStage,
    failure: finalFailure && scrubber.deep(finalFailure),
    steps,
    log: scrubber.text(renderLog(steps, scrubber.deep(heading))),
    startedAt,
    elapsedMs: Math.round(performance.now() - started),
    roundTrips: client?.roundTrips ?? 0,
  };
}
