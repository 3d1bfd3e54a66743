import "server-only";
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { discoverEwsUrl } from "@/lib/exchange/autodiscover";
import { failure, ProbeError, type Failure } from "@/lib/exchange/failures";
import { HttpClient, type RecordedExchange } from "@/lib/exchange/http-client";
import { PROBE_DEFAULTS } from "@/lib/exchange/probe";
import { createScrubber, createSecretScrubber, type Scrubber } from "@/lib/exchange/secrets";
import { graphCall, retryAfterMs, type GraphContext } from "@/lib/graph/graph-api";
import { parseCertificate } from "@/lib/graph/input";
import { acquireGraphToken, type TokenCredential } from "@/lib/graph/token";
import type { AuthScheme } from "@/lib/validation/credentials";
import type { GraphProbeInput } from "@/lib/graph/probe";
import { checkMailboxFolders, getFolderTemplate, type GetFolderTemplate } from "./ews-getfolder";

/**
 * The roster check: every agent's mailbox through the onboarding's verified access, with bounded concurrency.
 * - EWS: one GetFolder per mailbox as that mailbox (impersonation), the four folders the sync uses batched in
 *   that one request (lib/exchange/ews.ts, over the probe's recording layer). EWS impersonation names one
 *   mailbox per request, so one round trip per mailbox is the floor.
 * - Graph: the app-only token once (renewed before it expires), then per mailbox two reads at once (contacts,
 *   today's calendar view) through lib/graph, which keeps at most 4 calls in flight per mailbox and retries a
 *   429 after Retry-After within the deadline.
 * Throttling: EWS ErrorServerBusy (BackOffMilliseconds) and HTTP 503 (Retry-After) pause every worker of the
 * check for the asked time and the mailbox is tried again, when the wait fits in its deadline; a longer ask
 * ends that mailbox as throttled (the "re-check the failed ones" button is for those).
 * Each mailbox has its own deadline; a hung mailbox costs one worker that long, never the whole check.
 * Workers keep their connection (keep-alive) from one mailbox to the next.
 */
export type RosterAccess =
  | { kind: "ews"; serviceAccount: string; password: string; authScheme?: AuthScheme; ewsUrl?: string; autodiscoverMailbox?: string; autodiscoverUrls?: string[] }
  | { kind: "graph"; tenant: string; clientId: string; credential: GraphProbeInput["credential"]; authorityHost: string; graphUrl: string };

export type MailboxResult = {
  address: string;
  reachable: boolean;
  /** Why not, typed; with what the server said (status, its own code) — never secrets. */
  failure?: Failure;
  /** The exchanges of the failed attempt (for the diagnosis, capped, scrubbed). Not stored. */
  exchanges?: RecordedExchange[];
  attempts: number;
  elapsedMs: number;
  roundTrips: number;
};

export type RosterCheckOptions = {
  concurrency: number;
  mailboxDeadlineMs: number;
  allowedHosts: string[];
  extraCaPem?: string;
  signal?: AbortSignal;
  /** Called once per mailbox, as soon as its result is known (store it, count it). */
  onResult?: (result: MailboxResult) => void | Promise<void>;
};

export type RosterCheckSummary = {
  /** Set when the access itself failed before any mailbox could be checked (token refused, no EWS URL). */
  accessFailure?: Failure;
  checked: number;
  reachable: number;
  elapsedMs: number;
  roundTrips: number;
  cancelled: boolean;
};

const MAX_ATTEMPTS = 3;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** How long the server asked us to wait, when it said "busy": EWS BackOffMilliseconds or a 503's Retry-After. */
export function backOffMs(f: Failure | undefined, exchanges: RecordedExchange[]): number | undefined {
  if (!f) return undefined;
  const last = exchanges.at(-1);
  if (f.server?.code === "ErrorServerBusy") {
    const ms = /BackOffMilliseconds"?\s*>\s*(\d+)/.exec(last?.bodyExcerpt ?? "")?.[1];
    return ms ? Number(ms) : 1000;
  }
  if (f.server?.status === 503 || last?.status === 503) {
    const header = last?.responseHeaders?.find(([k]) => k.toLowerCase() === "retry-after")?.[1];
    return retryAfterMs(header) ?? 1000;
  }
  return undefined;
}

type Worker = { client: HttpClient };

export async function checkRoster(access: RosterAccess, addresses: readonly string[], options: RosterCheckOptions): Promise<RosterCheckSummary> {
  const started = performance.now();
  const controller = new AbortController();
  const outer = options.signal;
  const onCancel = () => controller.abort(new ProbeError("cancelled", "The roster check was cancelled."));
  if (outer?.aborted) onCancel();
  else outer?.addEventListener("abort", onCancel, { once: true });
  const signal = controller.signal;
  // Every request in flight listens for a cancel: one per worker (and up to 4 per Graph mailbox).
  setMaxListeners(16 * Math.max(1, options.concurrency) + 16, signal);
  const scrubber: Scrubber =
    access.kind === "ews" ? createScrubber(access.serviceAccount, access.password) : createSecretScrubber(access.credential.kind === "secret" ? [access.credential.clientSecret] : [access.credential.privateKeyPem]);
  const perRequestTimeoutMs = Math.min(PROBE_DEFAULTS.perRequestTimeoutMs, options.mailboxDeadlineMs);
  // EWS requests sign in as the service account with the scheme it was saved with (Basic, NTLM or automatic).
  const credentials = access.kind === "ews" ? { account: access.serviceAccount, password: access.password, scheme: access.authScheme ?? "auto" } : undefined;
  const newClient = () => new HttpClient({ policy: { allowedHosts: options.allowedHosts }, extraCaPem: options.extraCaPem, perRequestTimeoutMs, maxBodyBytes: PROBE_DEFAULTS.maxBodyBytes, signal, scrubber, credentials });
  const summary: RosterCheckSummary = { checked: 0, reachable: 0, elapsedMs: 0, roundTrips: 0, cancelled: false };
  /** Every worker waits until then before its next request (the server asked us to back off). */
  let pausedUntil = 0;

  // The access, once: the EWS URL (given, or Autodiscover for one mailbox), or the Graph token.
  const setup = newClient();
  let ewsUrl: string | undefined;
  let template: GetFolderTemplate | undefined;
  let graph: { token: string; expiresAt: number } | undefined;
  const getToken = async (client: HttpClient): Promise<{ token: string } | { failure: Failure }> => {
    if (access.kind !== "graph") return { failure: failure("internal_error") };
    if (graph && graph.expiresAt - Date.now() > 5 * 60_000) return { token: graph.token };
    let credential: TokenCredential;
    if (access.credential.kind === "secret") credential = { kind: "secret", clientSecret: access.credential.clientSecret };
    else {
      const cert = parseCertificate(access.credential.certificatePem, access.credential.privateKeyPem);
      if (!cert.ok) return { failure: failure("certificate_invalid", cert.message) };
      credential = { kind: "certificate", certificate: cert.credential };
    }
    const t = await acquireGraphToken(client, { authorityHost: access.authorityHost, tenant: access.tenant, clientId: access.clientId, credential });
    if (!t.ok) return { failure: t.failure };
    graph = { token: t.accessToken, expiresAt: t.expiresOn?.getTime() ?? Date.now() + 3600_000 };
    return { token: t.accessToken };
  };
  try {
    if (access.kind === "ews") {
      ewsUrl = access.ewsUrl;
      if (!ewsUrl) {
        const mailbox = access.autodiscoverMailbox ?? addresses[0];
        const found = mailbox ? await discoverEwsUrl(setup, { mailbox, candidates: access.autodiscoverUrls }, signal) : undefined;
        if (!found?.ok) summary.accessFailure = found ? scrubber.deep(found.failure) : failure("invalid_input", "No mailbox to look up.");
        else ewsUrl = found.ewsUrl;
      }
    } else {
      const t = await getToken(setup);
      if ("failure" in t) summary.accessFailure = scrubber.deep(t.failure);
    }
  } finally {
    summary.roundTrips += setup.roundTrips;
    setup.close();
  }
  if (access.kind === "ews" && ewsUrl) template = await getFolderTemplate({ ewsUrl, serviceAccount: access.serviceAccount, password: access.password });
  if (summary.accessFailure) {
    outer?.removeEventListener("abort", onCancel);
    summary.elapsedMs = Math.round(performance.now() - started);
    summary.cancelled = signal.aborted;
    return summary;
  }

  const attemptOnce = async (worker: Worker, address: string, deadlineAt: number): Promise<{ failure?: Failure; exchanges: RecordedExchange[] }> => {
    if (access.kind === "ews") {
      const r = await checkMailboxFolders(worker.client, { ewsUrl: ewsUrl!, serviceAccount: access.serviceAccount, password: access.password, testMailbox: address }, template);
      const broken = r.failure ?? r.folders.find((f) => !f.ok)?.failure;
      return { failure: broken, exchanges: r.exchanges };
    }
    const t = await getToken(worker.client);
    if ("failure" in t) return { failure: t.failure, exchanges: [] };
    const ctx: GraphContext = { client: worker.client, graphUrl: access.graphUrl, accessToken: t.token, signal, deadlineAt };
    const day = new Date();
    const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate())).toISOString();
    const end = new Date(Date.parse(start) + 86_400_000).toISOString();
    const [contacts, calendar] = await Promise.all([
      graphCall(ctx, { method: "GET", mailbox: address, path: "/contacts", query: { $top: "1", $select: "id" }, purpose: "roster-contacts" }),
      graphCall(ctx, { method: "GET", mailbox: address, path: "/calendarView", query: { startDateTime: start, endDateTime: end, $top: "1", $select: "id" }, purpose: "roster-calendar" }),
    ]);
    const bad = !contacts.ok ? contacts : !calendar.ok ? calendar : undefined;
    return { failure: bad && !bad.ok ? bad.failure : undefined, exchanges: [...contacts.exchanges, ...calendar.exchanges] };
  };

  const checkOne = async (worker: Worker, address: string): Promise<MailboxResult> => {
    const t0 = performance.now();
    const deadlineAt = Date.now() + options.mailboxDeadlineMs;
    let attempts = 0;
    let roundTrips = 0;
    let last: { failure?: Failure; exchanges: RecordedExchange[] } = { exchanges: [] };
    while (attempts < MAX_ATTEMPTS && !signal.aborted) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) {
        if (Date.now() + wait >= deadlineAt) break;
        await sleep(wait, signal);
      }
      attempts++;
      const left = deadlineAt - Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, left))));
      const outcome = await Promise.race([attemptOnce(worker, address, deadlineAt), timedOut]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        // The mailbox's answer is late: drop this worker's connections (the late request dies with them).
        roundTrips += worker.client.roundTrips;
        worker.client.close();
        worker.client = newClient();
        last = { failure: failure("timeout", `No answer for ${address} within ${options.mailboxDeadlineMs} ms.`), exchanges: [] };
        break;
      }
      last = outcome;
      if (!outcome.failure) break;
      const backOff = backOffMs(outcome.failure, outcome.exchanges);
      if (backOff === undefined) break;
      // Busy, for a while that fits before this mailbox's deadline: every worker waits, then this mailbox is
      // tried again. A longer ask (Exchange's multi-minute budgets) ends this mailbox as throttled without
      // stalling the rest; it is re-checked later with "re-check the failed ones".
      if (Date.now() + backOff >= deadlineAt) break;
      pausedUntil = Math.max(pausedUntil, Date.now() + backOff);
    }
    roundTrips += worker.client.roundTrips;
    worker.client.exchanges.length = 0;
    if (signal.aborted && !last.failure && attempts === 0) last = { failure: failure("cancelled", "The roster check was cancelled."), exchanges: [] };
    const f = last.failure;
    return {
      address,
      reachable: !f,
      ...(f ? { failure: scrubber.deep(f), exchanges: scrubber.deep(last.exchanges.slice(-2)) } : {}),
      attempts,
      elapsedMs: Math.round(performance.now() - t0),
      roundTrips,
    };
  };

  let next = 0;
  const runWorker = async () => {
    const worker: Worker = { client: newClient() };
    try {
      while (!signal.aborted) {
        const i = next++;
        if (i >= addresses.length) return;
        const result = await checkOne(worker, addresses[i]!);
        if (signal.aborted && result.failure?.code === "cancelled") return;
        summary.checked++;
        if (result.reachable) summary.reachable++;
        summary.roundTrips += result.roundTrips;
        await options.onResult?.(result);
      }
    } finally {
      worker.client.close();
    }
  };
  // One worker starts per turn of the event loop: each opens its own TLS connection, and 50 handshakes begun in
  // the same tick held the event loop ~150 ms (measured), stalling every other request of the app meanwhile.
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.max(1, Math.min(options.concurrency, addresses.length)); w++) {
    if (w > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal.aborted) break;
    const p = runWorker();
    p.catch(() => undefined); // awaited below with the others; not an unhandled rejection meanwhile
    workers.push(p);
  }
  await Promise.all(workers);
  outer?.removeEventListener("abort", onCancel);
  summary.cancelled = signal.aborted;
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}
