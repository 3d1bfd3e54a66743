import "server-only";
import { DOMParser } from "ews-javascript-api";
import { exchangesOf, HttpFailure, type HttpClient, type HttpResponse, type RecordedExchange } from "./http-client";
import { clause, failure, ProbeError, type Failure, type FailureCode } from "./failures";
import { isWellFormedXml } from "./recording-xhr";
import { authRefusal } from "./auth-refusal";

/**
 * SOAP Autodiscover (GetUserSettings) driven by us, not by ews-javascript-api's AutodiscoverUrl, which turns
 * every failure into "Not implemented." (the library column of README's time-to-verdict table). The documented candidates are tried at the same
 * time; the first one that returns an EWS URL wins and the others are abandoned. HTTP redirects and SOAP
 * RedirectUrl/RedirectAddress answers are followed only through the same guard, with a hop limit.
 */
export type AutodiscoverAttempt = {
  url: string;
  result: "ews_url" | "failed" | "abandoned" | "skipped";
  note: string;
  failure?: Failure;
};

export type AutodiscoverResult =
  | { ok: true; ewsUrl: string; mailbox: string; attempts: AutodiscoverAttempt[]; exchanges: RecordedExchange[] }
  | { ok: false; failure: Failure; credentialsRejected?: RecordedExchange; attempts: AutodiscoverAttempt[]; exchanges: RecordedExchange[] };

export type AutodiscoverInput = {
  mailbox: string;
  /** Full candidate URLs; .svc ones get the SOAP POST, .xml ones the unauthenticated redirect GET. */
  candidates?: string[];
  hopLimit?: number;
};

export function defaultCandidates(domain: string): string[] {
  return [
    `https://${domain}/autodiscover/autodiscover.svc`,
    `https://autodiscover.${domain}/autodiscover/autodiscover.svc`,
    `http://autodiscover.${domain}/autodiscover/autodiscover.xml`,
  ];
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export function getUserSettingsRequest(url: string, mailbox: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://schemas.microsoft.com/exchange/2010/Autodiscover" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Header><a:RequestedServerVersion>Exchange2013_SP1</a:RequestedServerVersion><wsa:Action>http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings</wsa:Action><wsa:To>${xmlEscape(url)}</wsa:To></soap:Header><soap:Body><a:GetUserSettingsRequestMessage xmlns:a="http://schemas.microsoft.com/exchange/2010/Autodiscover"><a:Request><a:Users><a:User><a:Mailbox>${xmlEscape(mailbox)}</a:Mailbox></a:User></a:Users><a:RequestedSettings><a:Setting>ExternalEwsUrl</a:Setting><a:Setting>InternalEwsUrl</a:Setting></a:RequestedSettings></a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>`;
}

type ParsedSettings =
  | { kind: "settings"; ewsUrl?: string }
  | { kind: "redirectAddress"; target: string }
  | { kind: "redirectUrl"; target: string }
  | { kind: "error"; code: string; message: string };

function localChildren(el: Element, name: string): Element[] {
  const out: Element[] = [];
  const all = el.getElementsByTagName("*");
  for (let i = 0; i < all.length; i++) if ((all[i] as Element).localName === name) out.push(all[i] as Element);
  return out;
}

function childText(el: Element | undefined, name: string): string | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n; n = n.nextSibling) if ((n as Element).localName === name) return (n.textContent ?? "").trim();
  return undefined;
}

/** Reads a GetUserSettingsResponse by local names (servers differ in prefixes and even namespaces). */
export function parseGetUserSettingsResponse(body: string): ParsedSettings | undefined {
  if (!isWellFormedXml(body)) return undefined;
  const doc = new DOMParser({ errorHandler: { warning() {}, error() {}, fatalError() {} } }).parseFromString(body, "text/xml");
  const root = doc.documentElement as Element;
  const response = localChildren(root, "Response")[0];
  if (!response) return undefined;
  const topCode = childText(response, "ErrorCode") ?? "";
  if (topCode && topCode !== "NoError") return { kind: "error", code: topCode, message: childText(response, "ErrorMessage") ?? "" };
  const user = localChildren(response, "UserResponse")[0];
  if (!user) return undefined;
  const code = childText(user, "ErrorCode") ?? "NoError";
  if (code === "RedirectAddress" || code === "RedirectUrl") {
    const target = childText(user, "RedirectTarget") ?? "";
    return code === "RedirectAddress" ? { kind: "redirectAddress", target } : { kind: "redirectUrl", target };
  }
  if (code !== "NoError") return { kind: "error", code, message: childText(user, "ErrorMessage") ?? "" };
  const settings = new Map<string, string>();
  for (const s of localChildren(user, "UserSetting")) settings.set(childText(s, "Name") ?? "", childText(s, "Value") ?? "");
  return { kind: "settings", ewsUrl: settings.get("ExternalEwsUrl") || settings.get("InternalEwsUrl") || undefined };
}

/** Failures that mean the server answered and refused the sign-in (the finding is at the authenticate stage). */
export const SIGN_IN_REFUSED: ReadonlySet<FailureCode> = new Set<FailureCode>(["http_unauthorized", "ntlm_rejected", "auth_scheme_not_offered"]);

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** Lower ranks explain a failed Autodiscover better; the best-ranked failure is the one reported. */
const RANK: Partial<Record<FailureCode, number>> = {
  http_unauthorized: 0,
  ntlm_rejected: 0,
  auth_scheme_not_offered: 0,
  autodiscover_user_error: 1,
  http_forbidden: 2,
  address_not_public: 3,
  redirect_loop: 3,
  too_many_redirects: 3,
  redirect_refused: 3,
  url_not_allowed: 3,
  tls_failed: 4,
  invalid_xml: 5,
  invalid_response: 5,
  response_too_large: 5,
  protocol_error: 5,
  timeout: 6,
  autodiscover_no_ews_url: 6,
  http_error: 7,
  connect_failed: 8,
  dns_failed: 9,
};

function statusFailure(r: HttpResponse): Failure {
  const host = new URL(r.url).host;
  const line = `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ""}`;
  const refused = authRefusal(r.exchange);
  if (refused) return refused;
  if (r.status === 401 || r.status === 456) {
    const why = r.headers["x-autodiscovery-error"] ? " (see X-AutoDiscovery-Error)" : "";
    return failure("http_unauthorized", `${host} answered ${line}: the server rejected the service account's credentials${why}.`, { status: r.status });
  }
  if (r.status === 403) return failure("http_forbidden", `${host} answered ${line}.`, { status: r.status });
  return failure("http_error", `${host} answered ${line}.`, { status: r.status });
}

export async function discoverEwsUrl(client: HttpClient, input: AutodiscoverInput, signal: AbortSignal): Promise<AutodiscoverResult> {
  const domain = input.mailbox.split("@")[1] ?? "";
  const candidates = input.candidates ?? defaultCandidates(domain);
  const hopLimit = input.hopLimit ?? 3;
  const attempts: AutodiscoverAttempt[] = [];
  const exchanges: RecordedExchange[] = [];
  const postedUrls = new Set<string>();
  const failures: { failure: Failure; exchange?: RecordedExchange }[] = [];
  const race = new AbortController();
  const stop = () => race.abort(new ProbeError("cancelled", "Another Autodiscover URL answered first."));
  signal.addEventListener("abort", () => race.abort(signal.reason), { once: true });
  let winner: { ewsUrl: string; mailbox: string } | undefined;

  const request = async (req: Parameters<HttpClient["request"]>[0]): Promise<HttpResponse> => {
    try {
      const r = await client.request(req);
      exchanges.push(...exchangesOf(r));
      return r;
    } catch (e) {
      if (e instanceof HttpFailure) exchanges.push(...e.handshake, e.exchange);
      throw e;
    }
  };

  const abandoned = () => race.signal.aborted && winner !== undefined;

  const record = (url: string, f: Failure, exchange?: RecordedExchange) => {
    if (abandoned()) {
      attempts.push({ url, result: "abandoned", note: "Abandoned: another Autodiscover URL answered first." });
      return;
    }
    attempts.push({ url, result: "failed", note: f.message, failure: f });
    failures.push({ failure: f, exchange });
  };

  /** POST GetUserSettings at `url`, following redirects; resolves when this chain ends. */
  const post = async (url: string, mailbox: string, visited: string[]): Promise<void> => {
    if (race.signal.aborted) return;
    postedUrls.add(url);
    let r: HttpResponse;
    try {
      r = await request({
        signal: race.signal,
        method: "POST",
        url,
        purpose: "autodiscover",
        headers: { "Content-Type": "text/xml; charset=utf-8", Accept: "text/xml", "X-AnchorMailbox": mailbox },
        authenticate: true,
        body: getUserSettingsRequest(url, mailbox),
      });
    } catch (e) {
      const f = e instanceof ProbeError ? e.toFailure() : failure("internal_error");
      return record(url, f, e instanceof HttpFailure ? e.exchange : undefined);
    }
    if (race.signal.aborted && winner) return record(url, failure("cancelled"));
    const follow = async (next: string, nextMailbox: string, how: string) => {
      const key = `${next}|${nextMailbox}`.toLowerCase();
      if (visited.includes(key)) return record(url, failure("redirect_loop", `${how}, which was already tried: a redirect loop.`), r.exchange);
      if (visited.length > hopLimit) return record(url, failure("too_many_redirects", `${how}; the probe follows at most ${hopLimit} Autodiscover redirects.`), r.exchange);
      attempts.push({ url, result: "failed", note: `${how}.` });
      await post(next, nextMailbox, [...visited, key]);
    };
    if (REDIRECT.has(r.status)) {
      const location = r.headers["location"];
      if (!location) return record(url, failure("http_error", `${new URL(url).host} answered HTTP ${r.status} without a Location header.`, { status: r.status }), r.exchange);
      const next = new URL(location, url).href;
      return follow(next, mailbox, `${new URL(url).host} redirected (HTTP ${r.status}) to ${next}`);
    }
    if (r.status !== 200) return record(url, statusFailure(r), r.exchange);
    const parsed = parseGetUserSettingsResponse(r.body);
    if (!parsed) {
      const code = isWellFormedXml(r.body) ? "invalid_response" : "invalid_xml";
      return record(url, failure(code, `${new URL(url).host} answered HTTP 200 but ${code === "invalid_xml" ? "the body is not well-formed XML" : "not with a GetUserSettings response"}.`), r.exchange);
    }
    if (parsed.kind === "redirectUrl") return follow(new URL(parsed.target, url).href, mailbox, `Autodiscover answered RedirectUrl to ${parsed.target}`);
    if (parsed.kind === "redirectAddress") return follow(url, parsed.target, `Autodiscover answered RedirectAddress: the mailbox is ${parsed.target}`);
    if (parsed.kind === "error") {
      return record(url, failure("autodiscover_user_error", `Autodiscover at ${new URL(url).host} answered ${parsed.code}${parsed.message ? `: ${clause(parsed.message)}` : ""}.`, { status: r.status, code: parsed.code }), r.exchange);
    }
    if (!parsed.ewsUrl) return record(url, failure("autodiscover_no_ews_url", `Autodiscover at ${new URL(url).host} answered without ExternalEwsUrl or InternalEwsUrl.`), r.exchange);
    if (winner) return;
    winner = { ewsUrl: parsed.ewsUrl, mailbox };
    attempts.push({ url, result: "ews_url", note: `Autodiscover returned the EWS URL ${parsed.ewsUrl}.` });
    stop();
  };

  /** The unauthenticated GET whose redirect names the real Autodiscover host. */
  const redirectProbe = async (url: string): Promise<void> => {
    let r: HttpResponse;
    try {
      r = await request({ method: "GET", url, purpose: "autodiscover-redirect", allowPlainHttp: true, signal: race.signal });
    } catch (e) {
      return record(url, e instanceof ProbeError ? e.toFailure() : failure("internal_error"), e instanceof HttpFailure ? e.exchange : undefined);
    }
    const location = r.headers["location"];
    if (!REDIRECT.has(r.status) || !location) {
      attempts.push({ url, result: "skipped", note: `No redirect offered (HTTP ${r.status}).` });
      return;
    }
    const next = new URL(location, url);
    if (next.protocol !== "https:") return record(url, failure("redirect_refused", `The redirect to ${next.href} is not https; the probe refuses it.`), r.exchange);
    next.pathname = "/autodiscover/autodiscover.svc";
    next.search = "";
    if (postedUrls.has(next.href)) {
      attempts.push({ url, result: "skipped", note: `Redirects to ${next.href}, which is already being tried.` });
      return;
    }
    attempts.push({ url, result: "failed", note: `Redirected (HTTP ${r.status}) to ${location}; trying ${next.href}.` });
    await post(next.href, input.mailbox, [`${next.href}|${input.mailbox}`.toLowerCase()]);
  };

  // Start every .svc POST first, so the redirect probe can see which URLs are already covered.
  const svc = candidates.filter((c) => !/\.xml$/i.test(new URL(c).pathname));
  const xml = candidates.filter((c) => /\.xml$/i.test(new URL(c).pathname));
  const tasks = [...svc.map((c) => post(c, input.mailbox, [`${c}|${input.mailbox}`.toLowerCase()])), ...xml.map((c) => redirectProbe(c))];
  await new Promise<void>((resolve) => {
    let pending = tasks.length;
    const done = () => (--pending === 0 || winner ? resolve() : undefined);
    for (const t of tasks) t.catch(() => {}).finally(done);
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });

  // Copies: abandoned candidates may still record into the live arrays after we return.
  if (winner) return { ok: true, ewsUrl: winner.ewsUrl, mailbox: winner.mailbox, attempts: [...attempts], exchanges: [...exchanges] };
  if (signal.aborted) {
    const reason = signal.reason instanceof ProbeError ? signal.reason.toFailure() : failure("cancelled");
    return { ok: false, failure: reason, attempts: [...attempts], exchanges: [...exchanges] };
  }
  failures.sort((a, b) => (RANK[a.failure.code] ?? 10) - (RANK[b.failure.code] ?? 10));
  const best = failures[0];
  if (!best) return { ok: false, failure: failure("autodiscover_failed", "No Autodiscover URL could be tried."), attempts, exchanges };
  return {
    ok: false,
    failure: best.failure,
    credentialsRejected: SIGN_IN_REFUSED.has(best.failure.code) ? best.exchange : undefined,
    attempts,
    exchanges,
  };
}
