import "server-only";
import { DOMParser, type IXHRApi, type IXHROptions } from "ews-javascript-api";
import { exchangesOf, HttpFailure, type HttpClient, type HttpResponse, type RecordedExchange } from "./http-client";
import { ProbeError } from "./failures";

/**
 * Our HTTP layer under ews-javascript-api (`svc.XHRApi`), following the implicit contract of its
 * default XHR layer (@ewsjs/xhr): resolve only for status 200; otherwise reject with an XHR-like object
 * `{ status, statusText, headers, responseText, getResponseHeader, getAllResponseHeaders }`, or with
 * `{ message }` when no answer came back. Every exchange is recorded by the HttpClient; `exchanges` keeps the
 * ones this adapter made, so each probe step can show its own evidence.
 */
export type XhrLike = {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  responseText: string;
  getResponseHeader(name: string): string | null;
  getAllResponseHeaders(): string;
};

export type RecordingXhrApi = IXHRApi & { exchanges: RecordedExchange[]; failures: ProbeError[] };

function toXhrLike(r: HttpResponse): XhrLike {
  return {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
    responseText: r.body,
    getResponseHeader: (name) => r.headers[name.toLowerCase()] ?? null,
    getAllResponseHeaders: () => Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join("\r\n"),
  };
}

/** True when the text parses as XML with a root element (xmldom only warns on most breakage, so we ask it to tell us). */
export function isWellFormedXml(text: string): boolean {
  if (!text.trim()) return false;
  let broken = false;
  const parser = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: () => void (broken = true),
      fatalError: () => void (broken = true),
    },
  });
  try {
    const doc = parser.parseFromString(text, "text/xml");
    return !broken && !!doc?.documentElement;
  } catch {
    return false;
  }
}

/**
 * `answered`: the answer to the library's first request when the caller already sent that very request (the
 * roster's GetFolder, lib/roster/ews-getfolder.ts): the library reads it (or its failure) instead of sending it again.
 */
export function createRecordingXhrApi(client: HttpClient, purpose: string, answered?: () => Promise<HttpResponse>): RecordingXhrApi {
  const exchanges: RecordedExchange[] = [];
  const failures: ProbeError[] = [];
  let replay = answered;
  return {
    apiName: "moxiengage-recording",
    exchanges,
    failures,
    async xhr(options: IXHROptions): Promise<XMLHttpRequest> {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((options.headers ?? {}) as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k] = String(v);
      // The library puts Basic credentials on every request; our client signs in instead, with the scheme the
      // connection settings and the server call for (Basic or NTLM), and drops the library's header.
      const authenticate = Object.keys(headers).some((k) => k.toLowerCase() === "authorization");
      let response: HttpResponse;
      try {
        const known = replay;
        replay = undefined;
        response = await (known ? known() : client.request({ method: options.type === "GET" ? "GET" : "POST", url: options.url, headers, body: options.data, purpose, authenticate }));
      } catch (e) {
        const error = e instanceof ProbeError ? e : new ProbeError("internal_error", "The HTTP layer failed unexpectedly.");
        if (e instanceof HttpFailure) exchanges.push(...e.handshake, e.exchange);
        failures.push(error);
        throw { message: error.message, probeFailure: error.toFailure() };
      }
      exchanges.push(...exchangesOf(response));
      const xhr = toXhrLike(response);
      // ews-javascript-api 0.15.3 crashes on 456 (its "account locked" branch parses a missing header, throws inside a
      // promise handler: an unhandled rejection, and Folder.Bind never settles). Hand it a plain network-style error
      // instead; the recorded exchange keeps the real status for classification.
      if (response.status === 456) throw { message: `HTTP 456 from ${new URL(response.url).host}` };
      if (response.status !== 200) throw xhr;
      if (!isWellFormedXml(response.body)) {
        const error = new ProbeError("invalid_xml", `The answer from ${new URL(response.url).host} (HTTP 200, ${response.exchange.bodyBytes} bytes) is not well-formed XML.`);
        response.exchange.failure = error.toFailure();
        failures.push(error);
        throw { message: error.message, probeFailure: error.toFailure() };
      }
      return xhr as unknown as XMLHttpRequest;
    },
    xhrStream(): Promise<XMLHttpRequest> {
      return Promise.reject({ message: "Streaming requests are not used by the probe." });
    },
    disconnect() {},
  };
}
