import "server-only";
import {
  ConnectingIdType,
  ExchangeService,
  ExchangeVersion,
  FolderId,
  GetFolderRequest,
  ImpersonatedUserId,
  type IXHRApi,
  type IXHROptions,
  PropertySet,
  ServiceError,
  ServiceErrorHandling,
  ServiceRequestException,
  ServiceResponseException,
  ServiceResult,
  SoapFaultDetails,
  TimeZoneInfo,
  Uri,
  WebCredentials,
  WellKnownFolderName,
} from "ews-javascript-api";
import { clause, failure, type Failure } from "./failures";
import type { HttpClient, HttpResponse, RecordedExchange } from "./http-client";
import { authRefusal } from "./auth-refusal";
import { createRecordingXhrApi, type RecordingXhrApi } from "./recording-xhr";

/**
 * GetFolder as the impersonated test mailbox, through ews-javascript-api over our recording layer. The four
 * folders MoxiEngage uses go in ONE GetFolder request (EWS allows several FolderIds; errors come back per folder
 * with ServiceErrorHandling.ReturnErrors), so the verdict costs one round trip and one connection. Failures are
 * classified with `instanceof` against the library's exports (its exceptions don't extend Error, and bundlers
 * minify constructor names), together with the exchange our layer recorded.
 */
export const FOLDERS = [
  { key: "inbox", name: "Inbox", wellKnown: WellKnownFolderName.Inbox },
  { key: "contacts", name: "Contacts", wellKnown: WellKnownFolderName.Contacts },
  { key: "calendar", name: "Calendar", wellKnown: WellKnownFolderName.Calendar },
  { key: "sentitems", name: "Sent Items", wellKnown: WellKnownFolderName.SentItems },
] as const;
export type FolderKey = (typeof FOLDERS)[number]["key"];

export type FolderResult = { folder: FolderKey; ok: boolean; displayName?: string; failure?: Failure };

export type FoldersCheck = {
  /** Set when the request as a whole failed (transport, HTTP status, SOAP fault): every folder failed with it. */
  failure?: Failure;
  folders: FolderResult[];
  exchanges: RecordedExchange[];
};

export type EwsTarget = { ewsUrl: string; serviceAccount: string; password: string; testMailbox: string };

/** The slice of the library's internal GetFolderRequest we use (its typings are empty; shape checked in 0.15.3). */
type GetFolderResponseLike = { Result: ServiceResult; ErrorCode: ServiceError; ErrorMessage: string; Folder?: { DisplayName?: string } };
type GetFolderRequestLike = {
  FolderIds: { Add(id: FolderId): void };
  PropertySet: PropertySet;
  Execute(): Promise<{ Count: number; __thisIndexer(i: number): GetFolderResponseLike }>;
};

/** `timeZone`: the zone dates are written in (the item checks use UTC; the library's local-zone default rejects UTC times). */
export function serviceFor(target: EwsTarget, xhr: IXHRApi, timeZone?: TimeZoneInfo): ExchangeService {
  const svc = timeZone ? new ExchangeService(ExchangeVersion.Exchange2013_SP1, timeZone) : new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  svc.Url = new Uri(target.ewsUrl);
  svc.Credentials = new WebCredentials(target.serviceAccount, target.password);
  svc.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, target.testMailbox);
  // Routes the request to the mailbox's server; Microsoft requires it with impersonation.
  svc.HttpHeaders.Add("X-AnchorMailbox", target.testMailbox);
  svc.XHRApi = xhr;
  return svc;
}

function header(x: RecordedExchange | undefined, name: string): string | undefined {
  return x?.responseHeaders?.find(([k]) => k.toLowerCase() === name)?.[1];
}

function errorName(code: ServiceError): string {
  return (ServiceError as unknown as Record<number, string>)[code] ?? String(code);
}

function faultCodeName(fault: SoapFaultDetails): string {
  const fromFault = typeof fault.FaultCode === "string" ? fault.FaultCode.replace(/^\w+:/, "") : "";
  return fromFault || errorName(fault.ResponseCode);
}

/** Turns whatever the library rejected with into one of our failures. */
export function classifyEwsError(error: unknown, xhr: RecordingXhrApi, host: string): Failure {
  const transport = xhr.failures.at(-1);
  if (transport) return transport.toFailure();
  const last = xhr.exchanges.at(-1);
  const status = last?.status;
  const refused = authRefusal(last);
  if (refused) return refused;
  if (status === 401 || status === 456) {
    const diag = header(last, "x-ms-diagnostics");
    return failure("http_unauthorized", `${host} answered HTTP ${status}: EWS rejected the service account's credentials${diag ? ` (x-ms-diagnostics: ${diag})` : ""}.`, { status });
  }
  if (status === 403) return failure("http_forbidden", `${host} answered HTTP 403 Forbidden: EWS refused access for this account (EWS may be disabled by policy).`, { status });
  if (error instanceof SoapFaultDetails) {
    const code = faultCodeName(error);
    if (status === 500 && code !== "ErrorInternalServerError") {
      const backOff = /BackOffMilliseconds">\s*(\d+)/.exec(last?.bodyExcerpt ?? "")?.[1];
      return failure("soap_fault", `EWS answered ${code}: ${clause(error.message)}${backOff ? ` (BackOffMilliseconds: ${backOff})` : ""}.`, { status, code });
    }
    if (status !== undefined && status !== 200) return failure("http_error", `${host} answered HTTP ${status}${last?.statusText ? ` ${last.statusText}` : ""}.`, { status });
    return failure("invalid_response", `EWS answered with something the client could not read: ${clause(error.message)}.`);
  }
  if (error instanceof ServiceResponseException) return failure("ews_error", `EWS answered ${errorName(error.ErrorCode)}: ${clause(error.Message)}.`, { status, code: errorName(error.ErrorCode) });
  if (error instanceof ServiceRequestException) return failure("invalid_response", `EWS answered with something the client could not read: ${clause(error.Message)}.`);
  if (status !== undefined && status !== 200) return failure("http_error", `${host} answered HTTP ${status}${last?.statusText ? ` ${last.statusText}` : ""}.`, { status });
  return failure("internal_error", "The EWS client failed without a recognisable error.");
}

function getFolderRequest(target: EwsTarget, xhr: IXHRApi): GetFolderRequestLike {
  const request = new (GetFolderRequest as unknown as new (svc: ExchangeService, mode: ServiceErrorHandling) => GetFolderRequestLike)(
    serviceFor(target, xhr),
    ServiceErrorHandling.ReturnErrors,
  );
  for (const f of FOLDERS) request.FolderIds.Add(new FolderId(f.wellKnown));
  request.PropertySet = PropertySet.FirstClassProperties;
  return request;
}

/** The request `checkFolders` sends for this target, as the library builds it: nothing is sent. */
export type WireRequest = { method: "GET" | "POST"; url: string; headers: Record<string, string>; body: string };
export async function buildGetFolderRequest(target: EwsTarget): Promise<WireRequest> {
  let captured: WireRequest | undefined;
  const capture: IXHRApi = {
    apiName: "moxiengage-capture",
    xhr(options: IXHROptions): Promise<XMLHttpRequest> {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((options.headers ?? {}) as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k] = String(v);
      captured = { method: options.type === "GET" ? "GET" : "POST", url: options.url, headers, body: options.data ?? "" };
      return Promise.reject({ message: "captured, not sent" });
    },
    xhrStream: () => Promise.reject({ message: "not used" }),
    disconnect() {},
  };
  await getFolderRequest(target, capture)
    .Execute()
    .catch(() => undefined);
  if (!captured) throw new Error("ews-javascript-api built no GetFolder request.");
  return captured;
}

/** `answered`: the answer to this very request when the caller already sent it (see createRecordingXhrApi). */
export async function checkFolders(client: HttpClient, target: EwsTarget, answered?: () => Promise<HttpResponse>): Promise<FoldersCheck> {
  const xhr = createRecordingXhrApi(client, "ews-getfolder", answered);
  let host = target.ewsUrl;
  try {
    host = new URL(target.ewsUrl).host;
  } catch {
    /* the guard reports it */
  }
  try {
    const responses = await getFolderRequest(target, xhr).Execute();
    const folders = FOLDERS.map((f, i): FolderResult => {
      const r = i < responses.Count ? responses.__thisIndexer(i) : undefined;
      if (!r) return { folder: f.key, ok: false, failure: failure("invalid_response", `EWS sent no answer for ${f.name}.`) };
      if (r.Result === ServiceResult.Error) {
        return { folder: f.key, ok: false, failure: failure("ews_error", `EWS answered ${errorName(r.ErrorCode)} for ${f.name}: ${clause(r.ErrorMessage)}.`, { code: errorName(r.ErrorCode) }) };
      }
      return { folder: f.key, ok: true, displayName: r.Folder?.DisplayName ?? f.name };
    });
    return { folders, exchanges: xhr.exchanges };
  } catch (e) {
    const f = classifyEwsError(e, xhr, host);
    return { failure: f, folders: FOLDERS.map((x) => ({ folder: x.key, ok: false, failure: f })), exchanges: xhr.exchanges };
  }
}
