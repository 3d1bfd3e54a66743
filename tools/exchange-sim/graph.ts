/**
 * Simulated Microsoft Graph (v1.0), the mailbox calls an app-only client makes: `/users/{id}/contacts`,
 * `/events` (and `/calendar/events`), `/calendarView`, `/sendMail`, `/mailFolders`. The bearer token must be
 * one the simulated Entra issued; its tenant and the mailbox pick the scenario. What RBAC for Applications
 * grants is modelled: the scope group holds every mailbox but `admin*` / `outside*` ones, the roles are
 * Contacts.ReadWrite, Calendars.ReadWrite and Mail.Send (no Mail.Read, so `/mailFolders` is refused), and a
 * tenant-wide Entra grant (`tenant-wide-grant`) opens every mailbox. At most 4 requests per app and mailbox
 * may be in flight (Graph's MailboxConcurrency limit); the 5th gets 429.
 */
import type http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import type { EntraDirectory, SimTenant, TokenIssuer } from "./entra";
import { isOutsideScope, type M365ScenarioName } from "./m365-scenarios";
import type { SimResponse } from "./responses";

export type SimContact = { id: string; createdDateTime: string; [k: string]: unknown };
export type SimEvent = { id: string; subject?: string; start?: { dateTime: string; timeZone?: string }; end?: { dateTime: string; timeZone?: string }; attendees?: unknown[]; [k: string]: unknown };
export type SimSentMessage = { from: string; to: string[]; subject: string; at: string };
export type SimMailbox = { contacts: Map<string, SimContact>; events: Map<string, SimEvent>; sent: SimSentMessage[] };

export const MAILBOX_CONCURRENCY = 4;

export class GraphMailboxes {
  private readonly boxes = new Map<string, SimMailbox>();
  private readonly inFlight = new Map<string, number>();
  /** Highest number of requests seen in flight at once per mailbox (tests read it). */
  readonly peakInFlight = new Map<string, number>();
  readonly throttledOnce = new Set<string>();

  get(mailbox: string): SimMailbox {
    const key = mailbox.toLowerCase();
    let box = this.boxes.get(key);
    if (!box) this.boxes.set(key, (box = { contacts: new Map(), events: new Map(), sent: [] }));
    return box;
  }

  enter(key: string): number {
    const n = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, n);
    const mailbox = key.split("|")[1]!;
    this.peakInFlight.set(mailbox, Math.max(this.peakInFlight.get(mailbox) ?? 0, n));
    return n;
  }

  leave(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }
}

function graphHeaders(): Record<string, string> {
  const id = randomUUID();
  return {
    "Content-Type": "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
    "request-id": id,
    "client-request-id": id,
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Simulated", Slice: "E", Ring: "5", ScaleUnit: "000", RoleInstance: "SIM0000001" } }),
    "Strict-Transport-Security": "max-age=31536000",
  };
}

export function graphError(status: number, code: string, message: string, extra: Record<string, string> = {}): SimResponse {
  const headers = { ...graphHeaders(), ...extra };
  const innerError = { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": headers["request-id"], "client-request-id": headers["client-request-id"] };
  return { status, headers, body: JSON.stringify({ error: { code, message, innerError } }) };
}

function ok(status: number, value: unknown): SimResponse {
  return { status, headers: graphHeaders(), body: value === undefined ? "" : JSON.stringify(value) };
}

const accessDenied = () => graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");

function itemId(): string {
  return `AAMkAD${randomBytes(33).toString("base64url")}=`;
}

type Route = { kind: "contacts" | "events" | "calendarView" | "sendMail" | "mailFolders"; itemId?: string; rest?: string };

function route(sub: string): Route | undefined {
  const p = sub.replace(/\/+$/, "");
  let m: RegExpExecArray | null;
  if ((m = /^\/contacts(?:\/([^/]+))?$/i.exec(p))) return { kind: "contacts", itemId: m[1] };
  if ((m = /^(?:\/calendar)?\/events(?:\/([^/]+))?$/i.exec(p))) return { kind: "events", itemId: m[1] };
  if (/^(?:\/calendar)?\/calendarview$/i.test(p)) return { kind: "calendarView" };
  if (/^\/sendmail$/i.test(p)) return { kind: "sendMail" };
  if ((m = /^\/mailfolders(\/.*)?$/i.exec(p))) return { kind: "mailFolders", rest: m[1] };
  return undefined;
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const invalidBody = () => graphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

function serve(box: SimMailbox, mailbox: string, method: string, r: Route, search: URLSearchParams, body: string, base: string): SimResponse {
  const odata = (what: string) => `${base}/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/${what}`;
  if (r.kind === "contacts" || r.kind === "events") {
    const store: Map<string, Record<string, unknown>> = r.kind === "contacts" ? box.contacts : box.events;
    if (method === "GET" && !r.itemId) {
      const top = Math.min(Number(search.get("$top") ?? 10) || 10, 1000);
      return ok(200, { "@odata.context": odata(r.kind), value: [...store.values()].slice(0, top) });
    }
    if (method === "GET" || method === "DELETE") {
      const item = store.get(r.itemId!);
      if (!item) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
      if (method === "GET") return ok(200, { "@odata.context": `${odata(r.kind)}/$entity`, ...item });
      store.delete(r.itemId!);
      return ok(204, undefined);
    }
    if (method === "POST" && !r.itemId) {
      const input = parseJson(body);
      if (!input) return invalidBody();
      if (r.kind === "events") {
        const start = input.start as SimEvent["start"];
        const end = input.end as SimEvent["end"];
        if (!start?.dateTime || !end?.dateTime) return graphError(400, "ErrorInvalidRequest", "Your request can't be completed. The start and end of the event are required.");
      }
      const item = { ...input, id: itemId(), createdDateTime: new Date().toISOString() };
      store.set(item.id, item);
      return ok(201, { "@odata.context": `${odata(r.kind)}/$entity`, ...item });
    }
    return graphError(405, "ErrorInvalidRequest", "The OData request is not supported.");
  }
  if (r.kind === "calendarView") {
    if (method !== "GET") return graphError(405, "ErrorInvalidRequest", "The OData request is not supported.");
    const from = Date.parse(search.get("startDateTime") ?? "");
    const to = Date.parse(search.get("endDateTime") ?? "");
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      return graphError(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
    }
    const inWindow = [...box.events.values()].filter((e) => Date.parse(`${e.start!.dateTime}Z`) < to && Date.parse(`${e.end!.dateTime}Z`) > from);
    return ok(200, { "@odata.context": odata("calendarView"), value: inWindow });
  }
  if (r.kind === "sendMail") {
    if (method !== "POST") return graphError(405, "ErrorInvalidRequest", "The OData request is not supported.");
    const input = parseJson(body);
    const message = input?.message as { subject?: unknown; toRecipients?: { emailAddress?: { address?: unknown } }[] } | undefined;
    if (!input || !message) return invalidBody();
    const to = (message.toRecipients ?? []).map((t) => t?.emailAddress?.address).filter((a): a is string => typeof a === "string" && a.includes("@"));
    if (to.length === 0) return graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
    box.sent.push({ from: mailbox, to, subject: typeof message.subject === "string" ? message.subject : "", at: new Date().toISOString() });
    return { status: 202, headers: graphHeaders(), body: "" };
  }
  // mailFolders, reachable only with a Mail.Read grant (tenant-wide): the well-known folders, Sent Items' messages.
  if (/^\/(sentitems|'sentitems'|\('sentitems'\))\/messages$/i.test(r.rest ?? "") || /^\('sentitems'\)\/messages$/i.test(r.rest ?? "")) {
    return ok(200, { "@odata.context": odata("mailFolders('sentitems')/messages"), value: box.sent.map((s) => ({ id: itemId(), subject: s.subject, toRecipients: s.to.map((address) => ({ emailAddress: { address } })), sentDateTime: s.at })) });
  }
  const folders = ["Inbox", "Sent Items", "Drafts", "Deleted Items"].map((displayName) => ({ id: itemId(), displayName, totalItemCount: displayName === "Sent Items" ? box.sent.length : 0 }));
  return ok(200, { "@odata.context": odata("mailFolders"), value: folders });
}

export type GraphContext = { directory: EntraDirectory; issuer: TokenIssuer; mailboxes: GraphMailboxes; base: string; delay: () => Promise<void> };

/** Serves `rest` (the path after the Graph prefix). Undefined when it is not a Graph path we know. */
export async function handleGraph(
  ctx: GraphContext,
  req: http.IncomingMessage,
  rest: string,
  search: URLSearchParams,
  body: string,
): Promise<{ response: SimResponse | null; scenario: M365ScenarioName | null } | undefined> {
  const m = /^\/v1\.0\/users\/([^/]+)(\/.*)?$/i.exec(rest);
  if (!m) {
    await ctx.delay();
    return { response: graphError(400, "BadRequest", `Resource not found for the segment '${rest.split("/").filter(Boolean).pop() ?? ""}'.`), scenario: null };
  }
  let mailbox: string;
  try {
    mailbox = decodeURIComponent(m[1]!).toLowerCase();
  } catch {
    await ctx.delay();
    return { response: graphError(400, "BadRequest", "Invalid request."), scenario: null };
  }
  const method = req.method ?? "GET";
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  const claims = auth ? await ctx.issuer.verify(auth[1]!) : undefined;
  const tenant: SimTenant | undefined = claims ? ctx.directory.tenant(claims.tid) : undefined;
  if (!claims || !tenant) {
    await ctx.delay();
    const message = auth ? "Access token validation failure. Invalid audience." : "Access token is empty.";
    return { response: graphError(401, "InvalidAuthenticationToken", message, { "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' }), scenario: null };
  }
  const key = `${claims.appid}|${mailbox}`;
  const inFlight = ctx.mailboxes.enter(key);
  try {
    await ctx.delay();
    const scenario = ctx.directory.mailboxScenario(tenant, mailbox);
    const tenantWide = ctx.directory.tenantScenario(tenant) === "tenant-wide-grant";
    const r = route(m[2] ?? "");
    if (!r) return { response: graphError(400, "BadRequest", `Resource not found for the segment '${(m[2] ?? "").split("/").filter(Boolean)[0] ?? ""}'.`), scenario };
    if (inFlight > MAILBOX_CONCURRENCY) return { response: graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "Retry-After": "1" }), scenario };
    if (scenario === "no-such-mailbox") return { response: graphError(404, "ErrorInvalidUser", `The requested user '${mailbox}' is invalid.`), scenario };
    if (scenario === "mailbox-not-enabled") return { response: graphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise."), scenario };
    if (scenario === "throttled") return { response: graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "Retry-After": "2" }), scenario };
    if (scenario === "throttled-once" && !ctx.mailboxes.throttledOnce.has(`${claims.jti}|${mailbox}`)) {
      ctx.mailboxes.throttledOnce.add(`${claims.jti}|${mailbox}`);
      return { response: graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "Retry-After": "1" }), scenario };
    }
    if (!tenantWide) {
      const write = method !== "GET";
      if (isOutsideScope(mailbox) || scenario === "no-role-assignment" || r.kind === "mailFolders") return { response: accessDenied(), scenario };
      if (scenario === "read-only-roles" && write) return { response: accessDenied(), scenario };
    }
    return { response: serve(ctx.mailboxes.get(mailbox), mailbox, method, r, search, body, ctx.base), scenario: tenantWide ? "tenant-wide-grant" : scenario };
  } finally {
    ctx.mailboxes.leave(key);
  }
}
