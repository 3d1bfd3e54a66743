import "server-only";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import zlib from "node:zlib";
import { performance } from "node:perf_hooks";
import { checkUrl, hostnameOf, vetTarget, type GuardPolicy, type VettedTarget } from "./address-guard";
import { ProbeError, type Failure } from "./failures";
import { authenticateMessage, negotiateMessage, ntlmChallenge, ntlmIdentity, offeredSchemes } from "./ntlm";
import type { Scrubber } from "./secrets";
import type { AuthScheme } from "@/lib/validation/credentials";

/**
 * The probe's only way out to the network: Node's own http/https, so we control what the libraries leave
 * open: the SSRF guard (connect to the vetted address through a fixed `lookup`), a per-request timeout that
 * covers resolve + connect + the whole body, the overall deadline/cancel signal, a response-size cap that stops
 * reading past the limit, verified TLS (plus an optional extra CA), no automatic redirects, and a record of
 * every exchange (never the request body or Authorization; secrets scrubbed from what the server sent back).
 */
export type RecordedExchange = {
  id: number;
  purpose: string;
  method: string;
  url: string;
  startedAt: string;
  remoteAddress?: string;
  status?: number;
  statusText?: string;
  /** Response headers in wire order and case; Set-Cookie/Cookie/Authorization values redacted. */
  responseHeaders?: [string, string][];
  bodyExcerpt?: string;
  bodyBytes: number;
  truncated: boolean;
  tls?: { protocol: string | null; verified: boolean };
  timings: { resolveMs?: number; connectMs?: number; tlsMs?: number; firstByteMs?: number; totalMs: number; reusedConnection?: boolean };
  failure?: Failure;
  /** How this request signed in, and why that scheme (never the header itself). */
  auth?: ExchangeAuth;
};

/**
 * `refused`: what the answer means for the sign-in, as far as the wire can tell. `ntlm_rejected` covers a wrong
 * password, a locked or disabled account and Extended Protection set to Require alike: IIS answers all with the same 401.
 */
export type ExchangeAuth = {
  scheme: "basic" | "ntlm";
  step?: "negotiate" | "authenticate" | "session";
  note: string;
  refused?: "ntlm_rejected" | "ntlm_not_offered" | "basic_not_offered";
};

/** The service account the client signs in as, for requests marked `authenticate`. */
type NtlmLane = { origin: string; agent: http.Agent; busy: boolean; signedIn: boolean };

export type ServiceCredentials = { account: string; password: string; scheme: AuthScheme };

export type HttpRequest = {
  /** DELETE: the Graph test removes the contact and event it created. */
  method: "GET" | "POST" | "DELETE";
  url: string;
  purpose: string;
  headers?: Record<string, string>;
  body?: string;
  /** Only for the unauthenticated Autodiscover redirect GET, which Microsoft documents over plain http. */
  allowPlainHttp?: boolean;
  /** Aborts just this request (e.g. an Autodiscover candidate that lost the race). */
  signal?: AbortSignal;
  /** Sign in as the client's service account (Basic or NTLM per `credentials.scheme`); any Authorization header given is dropped. */
  authenticate?: boolean;
};

export type HttpResponse = {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  url: string;
  exchange: RecordedExchange;
  /** The exchanges this request needed before the final one (the NTLM negotiate, an automatic Basic attempt). */
  handshake: RecordedExchange[];
  /** Every WWW-Authenticate header as sent (not recorded: the NTLM challenge is read from it). */
  wwwAuthenticate: string[];
};

export type HttpClientOptions = {
  policy: GuardPolicy;
  extraCaPem?: string;
  perRequestTimeoutMs: number;
  maxBodyBytes: number;
  /** Aborts every request; its reason should be a ProbeError ("deadline" or "cancelled"). */
  signal: AbortSignal;
  scrubber: Scrubber;
  excerptBytes?: number;
  onExchange?: (exchange: RecordedExchange) => void;
  credentials?: ServiceCredentials;
};

/** A failed request: the failure, plus the exchange as recorded. */
export class HttpFailure extends ProbeError {
  constructor(
    failure: Failure,
    readonly exchange: RecordedExchange,
    /** Exchanges of the same sign-in that came before the failed one. */
    public handshake: RecordedExchange[] = [],
  ) {
    super(failure.code, failure.message);
  }
}

/** A response's exchanges in wire order: the handshake, then the final answer. */
export function exchangesOf(r: HttpResponse): RecordedExchange[] {
  return [...r.handshake, r.exchange];
}

const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie)$/i;

function isTlsError(code: string | undefined, message: string): boolean {
  if (!code) return /certificate|ssl|tls/i.test(message);
  return code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || code.includes("CERT") || code === "EPROTO" || code.includes("SIGNATURE");
}

function classifyNetworkError(e: unknown, where: string, gotResponse: boolean): ProbeError {
  if (e instanceof ProbeError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code;
  const message = (err.message ?? String(e)).slice(0, 300);
  if (isTlsError(code, message)) {
    return new ProbeError("tls_failed", `The TLS connection to ${where} failed: ${message}${code ? ` (${code})` : ""}. The certificate must be valid for this host name and issued by a trusted authority.`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new ProbeError("dns_failed", `The host name in ${where} could not be resolved (${code}).`);
  if (gotResponse || code?.startsWith("HPE_")) return new ProbeError("protocol_error", `The connection to ${where} broke while reading the answer: ${message}${code ? ` (${code})` : ""}.`);
  if (code === "ECONNREFUSED") return new ProbeError("connect_failed", `The connection to ${where} was refused (ECONNREFUSED): nothing is listening there.`);
  return new ProbeError("connect_failed", `The connection to ${where} failed: ${message}${code ? ` (${code})` : ""}.`);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

/**
 * One TLS context per extra CA, built once: handing `ca: [...roots, extra]` to every connection makes Node parse
 * ~150 root certificates per handshake, which blocks the event loop when many probes run at once.
 */
const secureContexts = new Map<string, tls.SecureContext>();
function secureContextFor(extraCaPem: string): tls.SecureContext {
  let context = secureContexts.get(extraCaPem);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, extraCaPem] });
    if (secureContexts.size >= 8) secureContexts.delete(secureContexts.keys().next().value!);
    secureContexts.set(extraCaPem, context);
  }
  return context;
}

export class HttpClient {
  readonly exchanges: RecordedExchange[] = [];
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;
  private nextId = 1;
  /**
   * NTLM signs in a connection, not a request: each lane is one kept-alive socket (an agent with maxSockets 1)
   * that carries one request at a time; a signed-in lane is reused without a header, a new one runs the handshake.
   */
  private readonly lanes: NtlmLane[] = [];
  private laneWaiters: (() => void)[] = [];
  /** Automatic scheme, once decided from the server's first 401 (kept for the rest of the test). */
  private automatic?: { scheme: "ntlm"; why: string };

  constructor(private readonly options: HttpClientOptions) {
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      secureContext: options.extraCaPem ? secureContextFor(options.extraCaPem) : undefined,
    });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** Requests actually put on the wire (not the ones the guard refused before connecting). */
  get roundTrips(): number {
    return this.exchanges.filter((e) => e.failure?.code !== "url_not_allowed" && e.failure?.code !== "address_not_public" && e.failure?.code !== "dns_failed").length;
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
    for (const lane of this.lanes) lane.agent.destroy();
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const creds = this.options.credentials;
    const { authorization: _dropped, Authorization: _Dropped, ...headers } = req.headers ?? {};
    void _dropped;
    void _Dropped;
    if (!req.authenticate || !creds) return this.once(req);
    const plain = { ...req, headers };
    if (creds.scheme === "ntlm") return this.ntlm(plain, creds, "chosen in the connection settings");
    if (creds.scheme === "auto" && this.automatic) return this.ntlm(plain, creds, this.automatic.why);
    const basic = `Basic ${Buffer.from(`${creds.account}:${creds.password}`, "utf8").toString("base64")}`;
    const auth: ExchangeAuth = {
      scheme: "basic",
      note: creds.scheme === "basic" ? "Basic, chosen in the connection settings." : "Basic (automatic: tried first; NTLM is used when the server does not offer Basic).",
    };
    const r = await this.once({ ...plain, headers: { ...headers, authorization: basic } }, undefined, auth);
    if (r.status !== 401) return r;
    const offered = offeredSchemes(r.wwwAuthenticate);
    if (offered.has("basic") || !offered.has("ntlm")) return r;
    const list = r.wwwAuthenticate.map((v) => v.split(/\s/)[0]).join(", ");
    if (creds.scheme === "basic") {
      auth.refused = "basic_not_offered";
      auth.note += ` ${new URL(r.url).host} does not offer Basic (WWW-Authenticate: ${list}): choose NTLM or automatic.`;
      return r;
    }
    this.automatic = { scheme: "ntlm", why: `automatic: ${new URL(r.url).host} offers ${list} but not Basic` };
    auth.note += ` ${new URL(r.url).host} does not offer Basic (WWW-Authenticate: ${list}), so the test signs in with NTLM.`;
    const next = await this.ntlm(plain, creds, this.automatic.why).catch((e: unknown) => {
      if (e instanceof HttpFailure) e.handshake = [r.exchange, ...e.handshake];
      throw e;
    });
    return { ...next, handshake: [r.exchange, ...next.handshake] };
  }

  /** One NTLM-signed request on a lane of its own: a free signed-in one, else a new one (up to 8 per origin). */
  private async ntlm(req: HttpRequest, creds: ServiceCredentials, why: string): Promise<HttpResponse> {
    let origin: string;
    try {
      origin = new URL(req.url).origin;
    } catch {
      return this.once(req); // the guard reports it
    }
    const lane = await this.acquireLane(origin);
    try {
      return await this.ntlmHandshake(req, creds, why, lane);
    } finally {
      lane.busy = false;
      this.laneWaiters.shift()?.();
    }
  }

  private async acquireLane(origin: string): Promise<NtlmLane> {
    for (;;) {
      const mine = this.lanes.filter((l) => l.origin === origin);
      const lane = mine.find((l) => !l.busy && l.signedIn) ?? (mine.length < 8 ? this.newLane(origin) : mine.find((l) => !l.busy));
      if (lane) {
        lane.busy = true;
        return lane;
      }
      await new Promise<void>((resolve) => this.laneWaiters.push(resolve));
    }
  }

  private newLane(origin: string): NtlmLane {
    const agent = origin.startsWith("https:")
      ? new https.Agent({ keepAlive: true, maxSockets: 1, secureContext: this.options.extraCaPem ? secureContextFor(this.options.extraCaPem) : undefined })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
    const lane: NtlmLane = { origin, agent, busy: false, signedIn: false };
    this.lanes.push(lane);
    return lane;
  }

  /**
   * The three messages on one kept-alive connection: negotiate → the server's 401 with its challenge →
   * authenticate. A connection NTLM already signed in on (IIS keeps it signed in) needs no header; if the
   * server dropped it, the next answer is a 401 and the handshake runs again.
   */
  private async ntlmHandshake(req: HttpRequest, creds: ServiceCredentials, why: string, lane: NtlmLane): Promise<HttpResponse> {
    const agent = lane.agent;
    const host = new URL(req.url).host;
    const earlier: RecordedExchange[] = [];
    const step = async (r: HttpRequest, auth: ExchangeAuth): Promise<HttpResponse> => {
      try {
        return await this.once(r, agent, auth);
      } catch (e) {
        if (e instanceof HttpFailure) e.handshake = [...earlier, ...e.handshake];
        throw e;
      }
    };
    const withAuth = (value: string): HttpRequest => ({ ...req, headers: { ...req.headers, authorization: value } });
    if (lane.signedIn) {
      const r = await step(req, { scheme: "ntlm", step: "session", note: `NTLM (${why}): sent on the connection NTLM already signed in, without an Authorization header.` });
      if (r.status !== 401 || !offeredSchemes(r.wwwAuthenticate).has("ntlm")) return r;
      lane.signedIn = false;
      r.exchange.auth!.note += " The server asked again (the connection was replaced), so the handshake runs again.";
      earlier.push(r.exchange);
    }
    const { user, domain } = ntlmIdentity(creds.account);
    const first = await step(withAuth(negotiateMessage()), {
      scheme: "ntlm",
      step: "negotiate",
      note: `NTLM (${why}), message 1 of 3 (negotiate); the server's 401 carries message 2, its challenge.`,
    });
    const firstAuth = first.exchange.auth!;
    const challenge = first.status === 401 ? ntlmChallenge(first.wwwAuthenticate) : undefined;
    if (!challenge) {
      if (first.status === 401) {
        const list = first.wwwAuthenticate.map((v) => v.split(/\s/)[0]).join(", ");
        firstAuth.refused = "ntlm_not_offered";
        firstAuth.note += ` ${host} sent no NTLM challenge (WWW-Authenticate: ${list || "none"}): it does not offer NTLM here.`;
      }
      return { ...first, handshake: earlier };
    }
    let type3: string;
    try {
      type3 = authenticateMessage(challenge, creds.account, creds.password);
    } catch {
      firstAuth.refused = "ntlm_not_offered";
      firstAuth.note += ` ${host} sent a WWW-Authenticate: NTLM value that is not an NTLM challenge.`;
      return { ...first, handshake: earlier };
    }
    earlier.push(first.exchange);
    const third = await step(withAuth(type3), {
      scheme: "ntlm",
      step: "authenticate",
      note: `NTLM message 3 of 3 (authenticate) as ${domain ? `${domain}\\${user}` : user}${domain ? "" : " (user principal name, no domain)"}.`,
    });
    const thirdAuth = third.exchange.auth!;
    if (!third.exchange.timings.reusedConnection) thirdAuth.note += " The server closed the connection after its challenge, so this message went on a new connection, where the challenge does not hold.";
    if (third.status === 401) {
      thirdAuth.refused = "ntlm_rejected";
      thirdAuth.note +=
        " Refused with 401: a wrong password, a locked or disabled account, and Extended Protection for Authentication set to Require (this client sends no channel binding) all get this same answer.";
    } else {
      lane.signedIn = true;
      if (third.status === 200) thirdAuth.note += " Accepted: this connection is now signed in.";
    }
    return { ...third, handshake: earlier };
  }

  private async once(req: HttpRequest, agent?: http.Agent, auth?: ExchangeAuth): Promise<HttpResponse> {
    const { scrubber, perRequestTimeoutMs, signal } = this.options;
    const t0 = performance.now();
    const exchange: RecordedExchange = {
      id: this.nextId++,
      purpose: req.purpose,
      method: req.method,
      url: scrubber.text(req.url),
      startedAt: new Date().toISOString(),
      bodyBytes: 0,
      truncated: false,
      timings: { totalMs: 0 },
      ...(auth ? { auth } : {}),
    };
    this.exchanges.push(exchange);
    const controller = new AbortController();
    let where = req.url;
    try {
      where = new URL(req.url).host;
    } catch {
      /* reported by checkUrl below */
    }
    const timer = setTimeout(
      () => controller.abort(new ProbeError("timeout", `${where} did not send a complete answer within ${perRequestTimeoutMs} ms.`)),
      perRequestTimeoutMs,
    );
    const onOuterAbort = () =>
      controller.abort(signal.reason instanceof ProbeError ? signal.reason : new ProbeError("cancelled", "The test was cancelled."));
    const onOwnAbort = () => controller.abort(req.signal?.reason instanceof ProbeError ? req.signal.reason : new ProbeError("cancelled", "The request was abandoned."));
    if (signal.aborted) onOuterAbort();
    else signal.addEventListener("abort", onOuterAbort, { once: true });
    if (req.signal?.aborted) onOwnAbort();
    else req.signal?.addEventListener("abort", onOwnAbort, { once: true });
    try {
      const url = checkUrl(req.url, this.options.policy, { allowPlainHttp: req.allowPlainHttp });
      const target = await raceAbort(vetTarget(url, this.options.policy), controller.signal);
      exchange.remoteAddress = target.address;
      exchange.timings.resolveMs = Math.round(performance.now() - t0);
      return await this.send(target, req, controller.signal, exchange, t0, agent);
    } catch (e) {
      const failure = classifyNetworkError(e, where, exchange.status !== undefined).toFailure();
      exchange.failure = { code: failure.code, message: scrubber.text(failure.message) };
      throw new HttpFailure(exchange.failure, exchange);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onOuterAbort);
      req.signal?.removeEventListener("abort", onOwnAbort);
      exchange.timings.totalMs = Math.round(performance.now() - t0);
      this.options.onExchange?.(exchange);
    }
  }

  private send(target: VettedTarget, req: HttpRequest, abort: AbortSignal, exchange: RecordedExchange, t0: number, agent?: http.Agent): Promise<HttpResponse> {
    const { url } = target;
    const { maxBodyBytes, scrubber } = this.options;
    const excerptBytes = this.options.excerptBytes ?? 4096;
    const isHttps = url.protocol === "https:";
    const hostname = hostnameOf(url);
    const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    headers["host"] = url.host;
    headers["accept-encoding"] = "gzip, deflate"; // decoded below, under the same size cap
    if (body) headers["content-length"] = String(body.length);
    headers["user-agent"] ??= "MoxiEngage-Onboarding-Probe/1.0";
    const ms = () => Math.round(performance.now() - t0);

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        request.destroy();
        reject(e);
      };
      const request = (isHttps ? https : http).request({
        protocol: url.protocol,
        hostname: net.isIP(hostname) ? hostname : hostname,
        port: target.port,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers,
        agent: agent ?? (isHttps ? this.httpsAgent : this.httpAgent),
        servername: net.isIP(hostname) ? undefined : hostname,
        // connect to the address we vetted, whatever DNS says now
        lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
          opts?.all ? cb(null, [{ address: target.address, family: target.family }]) : cb(null, target.address, target.family)) as never,
      });
      const onAbort = () => fail(abort.reason);
      if (abort.aborted) return onAbort();
      abort.addEventListener("abort", onAbort, { once: true });
      request.on("close", () => abort.removeEventListener("abort", onAbort));

      request.on("socket", (socket) => {
        if (!socket.connecting) {
          exchange.timings.reusedConnection = true;
          return;
        }
        socket.once("connect", () => (exchange.timings.connectMs = ms()));
        socket.once("secureConnect", () => (exchange.timings.tlsMs = ms()));
      });
      request.on("error", (e) => fail(classifyNetworkError(e, url.host, exchange.status !== undefined)));
      request.on("response", (res) => {
        exchange.timings.firstByteMs = ms();
        exchange.status = res.statusCode ?? 0;
        exchange.statusText = res.statusMessage ?? "";
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          pairs.push([name, SECRET_HEADERS.test(name) ? "[redacted]" : scrubber.text(res.rawHeaders[i + 1]!)]);
        }
        exchange.responseHeaders = pairs;
        if (isHttps) {
          const sock = res.socket as tls.TLSSocket;
          exchange.tls = { protocol: sock.getProtocol?.() ?? null, verified: sock.authorized === true };
        }
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBodyBytes) {
          exchange.truncated = true;
          return fail(new ProbeError("response_too_large", `${url.host} announced a ${declared}-byte answer; the limit is ${maxBodyBytes} bytes, so the probe did not read it.`));
        }
        const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
        const decoder = encoding === "gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : null;
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = () => {
          exchange.truncated = true;
          decoder?.destroy();
          fail(new ProbeError("response_too_large", `The answer from ${url.host} passed the ${maxBodyBytes}-byte limit; the probe stopped reading after ${exchange.bodyBytes} bytes.`));
        };
        res.on("data", (c: Buffer) => {
          exchange.bodyBytes += c.length;
          if (exchange.bodyBytes > maxBodyBytes) return tooLarge();
          if (!decoder) {
            size += c.length;
            chunks.push(c);
          }
        });
        const finish = () => {
          if (settled) return;
          settled = true;
          const text = Buffer.concat(chunks).toString("utf8");
          exchange.bodyExcerpt = text ? scrubber.text(text.slice(0, excerptBytes)) : undefined;
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(", ") : String(v ?? "");
          resolve({
            status: exchange.status!,
            statusText: exchange.statusText ?? "",
            headers: flat,
            body: text,
            url: url.href,
            exchange,
            handshake: [],
            wwwAuthenticate: res.headersDistinct["www-authenticate"] ?? [],
          });
        };
        if (decoder) {
          res.pipe(decoder);
          decoder.on("data", (c: Buffer) => {
            size += c.length;
            if (size > maxBodyBytes) return tooLarge();
            chunks.push(c);
          });
          decoder.on("error", (e) => fail(new ProbeError("protocol_error", `The ${encoding}-encoded answer from ${url.host} could not be decoded: ${e.message}.`)));
          decoder.on("end", finish);
        } else {
          res.on("end", finish);
        }
        res.on("aborted", () => fail(new ProbeError("protocol_error", `${url.host} closed the connection before the answer was complete.`)));
        res.on("error", (e) => fail(classifyNetworkError(e, url.host, true)));
      });
      request.end(body);
    });
  }
}
