import "server-only";
import { clause, failure, ProbeError, type Failure, type FailureCode } from "@/lib/exchange/failures";
import { HttpFailure, type HttpClient, type RecordedExchange } from "@/lib/exchange/http-client";

/**
 * Microsoft Graph calls through our HTTP layer: plain REST (five endpoints do not need an SDK, and no SDK
 * lets us keep the SSRF guard, timeouts, size cap and recording — see README). Per mailbox at most
 * MAILBOX_CONCURRENCY calls are in flight (Graph's MailboxConcurrency limit is 4, across all of an app's
 * callers, so the limiter is shared by every test running in this process), and a 429/503 with Retry-After is
 * retried after the wait when the wait fits in the deadline.
 */
export const MAILBOX_CONCURRENCY = 4;
const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_MS = 30_000;

/** A counting semaphore; one per mailbox, dropped when idle. */
class Gate {
  active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async enter(signal: AbortSignal): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal.removeEventListener("abort", stop);
        this.active++;
        resolve();
      };
      const stop = () => {
        this.waiting = this.waiting.filter((w) => w !== go);
        reject(signal.reason);
      };
      if (signal.aborted) return stop();
      signal.addEventListener("abort", stop, { once: true });
      this.waiting.push(go);
    });
  }
  leave(): void {
    this.active--;
    this.waiting.shift()?.();
  }
  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }
}

const gates = new Map<string, Gate>();

/** Runs `fn` holding one of the mailbox's slots. Exported for tests. */
export async function withMailboxSlot<T>(mailbox: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const key = mailbox.toLowerCase();
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = new Gate(MAILBOX_CONCURRENCY)));
  await gate.enter(signal);
  try {
    return await fn();
  } finally {
    gate.leave();
    if (gate.idle) gates.delete(key);
  }
}

export type GraphAnswer = { ok: true; status: number; json: Record<string, unknown> | undefined; exchanges: RecordedExchange[] } | { ok: false; failure: Failure; status?: number; graphCode?: string; exchanges: RecordedExchange[] };

export type GraphCall = { method: "GET" | "POST" | "DELETE"; mailbox: string; path: string; query?: Record<string, string>; body?: unknown; purpose: string };

export type GraphContext = { client: HttpClient; graphUrl: string; accessToken: string; signal: AbortSignal; deadlineAt: number; onRetry?: (waitMs: number, exchange: RecordedExchange) => void };

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A Graph error answer → our failure, in words that say what it means for MoxiEngage. */
export function classifyGraphError(status: number, graphCode: string | undefined, message: string | undefined, mailbox: string): Failure {
  const said = `Graph answered HTTP ${status}${graphCode ? ` ${graphCode}` : ""}: ${clause(message)}.`;
  let code: FailureCode = "graph_error";
  let why = `Microsoft Graph refused the call for ${mailbox}.`;
  if (status === 403 && (graphCode === "ErrorAccessDenied" || graphCode === "AccessDenied" || graphCode === "Authorization_RequestDenied")) {
    code = "app_access_denied";
    why = `Microsoft Graph refused the app access to ${mailbox}: no RBAC for Applications role assignment covers this mailbox for this call (or the change has not taken effect yet).`;
  } else if (graphCode === "MailboxNotEnabledForRESTAPI" || graphCode === "MailboxNotSupportedForRESTAPI") {
    code = "mailbox_not_enabled";
    why = `The mailbox ${mailbox} cannot be reached through Microsoft Graph: it is inactive, soft-deleted, unlicensed for Exchange Online or hosted on-premises.`;
  } else if (status === 404 && (graphCode === "ErrorInvalidUser" || graphCode === "ResourceNotFound" || graphCode === "Request_ResourceNotFound")) {
    code = "mailbox_not_found";
    why = `The mailbox ${mailbox} does not exist in this tenant.`;
  } else if (status === 429 || graphCode === "ApplicationThrottled") {
    code = "throttled";
    why = `Microsoft Graph kept throttling the calls for ${mailbox}.`;
  } else if (status === 401) {
    code = "graph_error";
    why = "Microsoft Graph did not accept the access token Entra issued.";
  }
  return failure(code, `${why} ${said}`, { status, code: graphCode });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => (signal.removeEventListener("abort", stop), resolve()), ms);
    const stop = () => (clearTimeout(t), reject(signal.reason));
    signal.addEventListener("abort", stop, { once: true });
  });
}

export function graphUrlFor(graphUrl: string, call: Pick<GraphCall, "mailbox" | "path" | "query">): string {
  const q = call.query ? `?${new URLSearchParams(call.query).toString()}` : "";
  return `${graphUrl}/v1.0/users/${encodeURIComponent(call.mailbox)}${call.path}${q}`;
}

/** One Graph call, retried after Retry-After (429/503) while the wait fits before the deadline. */
export async function graphCall(ctx: GraphContext, call: GraphCall): Promise<GraphAnswer> {
  const exchanges: RecordedExchange[] = [];
  const url = graphUrlFor(ctx.graphUrl, call);
  const headers: Record<string, string> = { Authorization: `Bearer ${ctx.accessToken}`, Accept: "application/json" };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers["Content-Type"] = "application/json";
  }
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await withMailboxSlot(call.mailbox, ctx.signal, () => ctx.client.request({ method: call.method, url, purpose: call.purpose, headers, body }));
    } catch (e) {
      if (e instanceof HttpFailure) {
        exchanges.push(e.exchange);
        return { ok: false, failure: e.exchange.failure ?? e.toFailure(), exchanges };
      }
      if (e instanceof ProbeError) return { ok: false, failure: e.toFailure(), exchanges };
      throw e;
    }
    exchanges.push(res.exchange);
    let json: Record<string, unknown> | undefined;
    if (res.body) {
      try {
        const parsed = JSON.parse(res.body) as unknown;
        json = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
    }
    if (res.status >= 200 && res.status < 300) {
      if (res.body && json === undefined) return { ok: false, failure: failure("invalid_response", `Graph answered HTTP ${res.status} with something that is not a JSON object.`), status: res.status, exchanges };
      return { ok: true, status: res.status, json, exchanges };
    }
    const err = (json?.error ?? {}) as { code?: unknown; message?: unknown };
    const graphCode = typeof err.code === "string" ? err.code : undefined;
    const message = typeof err.message === "string" ? err.message : res.body ? undefined : "no body";
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res.headers["retry-after"]) ?? 1000 * attempt;
      const fits = Date.now() + wait + 250 < ctx.deadlineAt;
      if (attempt < MAX_ATTEMPTS && wait <= MAX_RETRY_AFTER_MS && fits) {
        ctx.onRetry?.(wait, res.exchange);
        try {
          await sleep(wait, ctx.signal);
        } catch (e) {
          if (e instanceof ProbeError) return { ok: false, failure: e.toFailure(), exchanges };
          throw e;
        }
        continue;
      }
      const f = classifyGraphError(res.status, graphCode, message, call.mailbox);
      const tail = attempt >= MAX_ATTEMPTS ? ` Still throttled after ${attempt} attempts.` : ` Retry-After asked for ${Math.round(wait / 1000)} s, past the test's deadline.`;
      return { ok: false, failure: { ...f, code: "throttled", message: f.message + tail }, status: res.status, graphCode, exchanges };
    }
    return { ok: false, failure: classifyGraphError(res.status, graphCode, message, call.mailbox), status: res.status, graphCode, exchanges };
  }
}
