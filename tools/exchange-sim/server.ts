/**
 * A standalone Exchange simulator: Autodiscover (SOAP GetUserSettings, the unauthenticated GET probe, the
 * plain-http redirect) and EWS with ExchangeImpersonation (GetFolder, FindItem, GetItem, CreateItem, DeleteItem,
 * ResolveNames on in-memory mailboxes: ews-ops.ts), answering the way real servers do. Scenarios are chosen per
 * request from the addresses it names (see scenarios.ts). The addresses and the Authorization header are pulled
 * out with small regexes before anything else, as a front end routes a request before the mailbox server reads it.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { challengeMessage, checkAuthenticate, ntlmMessageType } from "./ntlm";
import { generateSimCertificates } from "./certs";
import {
  authFailure,
  autodiscoverGetProbe,
  autodiscoverSettings,
  autodiscoverUserError,
  ewsForbidden,
  iisNotFound,
  iisUnauthorized,
  impersonationDenied,
  MALFORMED_XML,
  nonExistentMailbox,
  redirect,
  serverBusy,
  serviceUnavailable,
  type AuthFailure,
  type SimResponse,
} from "./responses";
import { answerEws } from "./ews-ops";
import { MailboxStore } from "./mailbox";
import { DISCOVERY_CERT_NAMES, discoveryResponse, registerDiscoveryTenants } from "./discovery";
import { createM365, type M365Handler, type M365Sim } from "./m365";
import type { M365ScenarioName } from "./m365-scenarios";
import { isScenarioName, SCENARIO_NAMES, SCENARIOS, scenarioForAddress, SIM_DOMAIN, SIM_PASSWORD, type ScenarioName } from "./scenarios";

export type ExchangeSimOptions = {
  /** Plain-http port (0 or unset: a free port). */
  port?: number;
  /** HTTPS port (0 or unset: a free port). */
  httpsPort?: number;
  /** Added before every answer, to model a distant server. */
  latencyMs?: number;
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
};

export type SimRequestRecord = {
  server: "http" | "https" | "tls-wrong-name" | "tls-expired";
  method: string;
  path: string;
  scenario: ScenarioName | M365ScenarioName | null;
  status: number | null;
};

export type ExchangeSim = {
  httpUrl: string;
  httpsUrl: string;
  /** The EWS endpoint on the HTTPS server. */
  ewsUrl: string;
  /** Autodiscover candidates for a probe that cannot use DNS names: the SOAP endpoint and the plain-http redirect GET. */
  autodiscoverUrls: string[];
  /** host:port entries a probe must allow (EXCHANGE_ALLOWED_HOSTS) to reach this simulator. */
  allowedHosts: string[];
  tlsWrongNameUrl: string;
  tlsExpiredUrl: string;
  /** The CA that signed every simulator certificate (trust it as an extra CA). */
  caPem: string;
  password: string;
  scenarios: typeof SCENARIOS;
  /** Entra (under /entra) and Graph (under /graph) on the HTTPS server: see m365.ts. */
  m365: M365Sim;
  /** Force a scenario for one address (test mailbox or service account); null removes the override. */
  setScenarioFor(address: string, scenario: ScenarioName | null): void;
  setLatency(ms: number): void;
  /** Every request received, in order (admin requests excluded). */
  requests: SimRequestRecord[];
  close(): Promise<void>;
};

const TRANSPORT_FAULTS = new Set<ScenarioName>(["hung", "slow-drip", "malformed-xml", "oversized"]);
const AUTH_FAULTS = new Set<ScenarioName>(["basic-auth-blocked", "mfa-required", "conditional-access", "wrong-password", "expired-password", "account-disabled"]);
/** Exchange Server scenarios: IIS decides the sign-in per virtual directory (Windows authentication and/or Basic). */
const WINDOWS_AUTH = new Set<ScenarioName>(["ntlm-only", "ntlm-and-basic", "ntlm-wrong-password", "ntlm-epa-required"]);
const BASIC_OFF = new Set<ScenarioName>(["ntlm-only", "ntlm-wrong-password", "ntlm-epa-required"]);
const IIS_SIGN_IN = new Set<ScenarioName>([...WINDOWS_AUTH, "basic-only"]);
/** The password the directory holds in ntlm-wrong-password (the account's password was changed). */
const CHANGED_PASSWORD = "Changed-Passw0rd!";
const MAX_REQUEST_BODY = 1024 * 1024;
const OVERSIZED_BYTES = 50 * 1024 * 1024;

function urlHost(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function first(body: string, re: RegExp): string | undefined {
  return re.exec(body)?.[1]?.trim() || undefined;
}

function basicCredentials(req: http.IncomingMessage): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** NTLM signs in a connection: the challenge sent on it, then the user it is signed in as (IIS keeps it). */
const ntlmSockets = new WeakMap<Socket, { serverChallenge?: Buffer; user?: string }>();

/** IIS sign-in for the Exchange Server scenarios: the signed-in user, or the 401 to answer with. */
function iisSignIn(req: http.IncomingMessage, scenario: ScenarioName, host: string): { user: string } | SimResponse {
  const offers = { windows: WINDOWS_AUTH.has(scenario), basic: !BASIC_OFF.has(scenario) };
  const state = ntlmSockets.get(req.socket);
  const authorization = req.headers.authorization;
  if (!authorization && offers.windows && state?.user) return { user: state.user };
  const ntlm = offers.windows ? ntlmMessageType(authorization) : undefined;
  if (ntlm?.type === 1) {
    const c = challengeMessage();
    ntlmSockets.set(req.socket, { serverChallenge: c.serverChallenge });
    return iisUnauthorized({ ...offers, challenge: c.header }, host);
  }
  if (ntlm?.type === 3 && state?.serverChallenge) {
    const check = checkAuthenticate(ntlm.message, state.serverChallenge, scenario === "ntlm-wrong-password" ? CHANGED_PASSWORD : SIM_PASSWORD);
    const epaRefused = scenario === "ntlm-epa-required" && !check.channelBinding;
    if (check.ok && !epaRefused) {
      const user = check.domain ? `${check.domain}\\${check.user}` : check.user;
      ntlmSockets.set(req.socket, { user });
      return { user };
    }
    ntlmSockets.delete(req.socket);
    return iisUnauthorized(offers, host);
  }
  const creds = offers.basic ? basicCredentials(req) : undefined;
  if (creds && creds.password === SIM_PASSWORD) return { user: creds.user };
  return iisUnauthorized(offers, host);
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}

function send(res: http.ServerResponse, r: SimResponse): void {
  if (res.destroyed) return;
  const headers = { ...r.headers };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-length")) headers["Content-Length"] = String(Buffer.byteLength(r.body));
  res.writeHead(r.status, r.statusText ?? http.STATUS_CODES[r.status] ?? "", headers);
  res.end(r.body);
}

/** hung / slow-drip / malformed-xml / oversized: the same misbehaviour on every endpoint. */
function misbehave(res: http.ServerResponse, scenario: ScenarioName): number | null {
  if (scenario === "hung") return null; // accept, never answer; close() destroys the socket
  if (scenario === "malformed-xml") {
    send(res, { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8" }, body: MALFORMED_XML });
    return 200;
  }
  res.writeHead(200, { "Content-Type": "text/xml; charset=utf-8" }); // chunked: the client must count bytes itself
  if (scenario === "slow-drip") {
    res.write("<");
    const timer = setInterval(() => res.write(" "), 250);
    res.on("close", () => clearInterval(timer));
    return 200;
  }
  // oversized: 50 MB, written as fast as the client reads, stopping when it goes away
  const chunk = Buffer.from(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>`.padEnd(64 * 1024, " "));
  let sent = 0;
  const pump = () => {
    while (sent < OVERSIZED_BYTES && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
  return 200;
}

export async function startExchangeSim(options: ExchangeSimOptions = {}): Promise<ExchangeSim> {
  const host = options.host ?? "127.0.0.1";
  let latencyMs = options.latencyMs ?? 0;
  const certs = await generateSimCertificates([...(host === "127.0.0.1" || host === "::1" || host === "localhost" ? [] : [host]), ...DISCOVERY_CERT_NAMES]);
  const overrides = new Map<string, ScenarioName>();
  const store = new MailboxStore();
  const requests: SimRequestRecord[] = [];
  const urls = { http: "", https: "", wrongName: "", expired: "" };

  const scenarioOf = (addresses: (string | undefined)[]): ScenarioName => {
    for (const a of addresses) {
      const o = a && overrides.get(a.toLowerCase());
      if (o) return o;
    }
    for (const a of addresses) {
      const s = scenarioForAddress(a);
      if (s) return s;
    }
    return "healthy";
  };

  const ewsUrlFor = (scenario: ScenarioName): string => {
    if (scenario === "tls-wrong-name") return `${urls.wrongName}/EWS/Exchange.asmx`;
    if (scenario === "tls-expired") return `${urls.expired}/EWS/Exchange.asmx`;
    if (scenario === "ews-url-private") return "https://10.255.0.1/EWS/Exchange.asmx";
    return `${urls.https}/EWS/Exchange.asmx`;
  };

  function autodiscoverPost(req: http.IncomingMessage, body: string, url: URL, hostName: string, record: SimRequestRecord): SimResponse | null {
    const mailbox = first(body, /<(?:\w+:)?Mailbox>([^<]*)</);
    const creds = basicCredentials(req);
    const scenario = (record.scenario = scenarioOf([mailbox, creds?.user]));
    if (scenario === "redirect-loop") {
      const next = url.searchParams.get("loop") === "1" ? "2" : "1";
      return redirect(`${urls.https}/autodiscover/autodiscover.svc?loop=${next}`);
    }
    if (scenario === "redirect-to-metadata") return redirect("https://169.254.169.254/autodiscover/autodiscover.svc");
    if (scenario === "autodiscover-not-found") return iisNotFound();
    if (IIS_SIGN_IN.has(scenario)) {
      const signedIn = iisSignIn(req, scenario, hostName);
      if ("status" in signedIn) return signedIn;
    } else {
      if (!creds) return authFailure("missing", "autodiscover", hostName);
      if (AUTH_FAULTS.has(scenario)) return authFailure(scenario as AuthFailure, "autodiscover", hostName);
      if (creds.password !== SIM_PASSWORD) return authFailure("wrong-password", "autodiscover", hostName);
    }
    if (!mailbox) return autodiscoverUserError("InvalidUser", "Invalid user: ''");
    if (scenario === "unknown-user") return autodiscoverUserError("InvalidUser", `Invalid user: '${mailbox}'`);
    if (scenario === "redirect-address" && !mailbox.toLowerCase().endsWith(`@healthy.${SIM_DOMAIN}`)) {
      return autodiscoverUserError("RedirectAddress", "Redirection address.", `${mailbox.split("@")[0]}@healthy.${SIM_DOMAIN}`);
    }
    return autodiscoverSettings(mailbox, ewsUrlFor(scenario));
  }

  function ews(req: http.IncomingMessage, body: string, hostName: string, record: SimRequestRecord): SimResponse | null {
    const impersonated = first(body, /<(?:\w+:)?(?:SmtpAddress|PrimarySmtpAddress|PrincipalName)>([^<]*)</);
    const anchor = req.headers["x-anchormailbox"];
    const creds = basicCredentials(req);
    const mailbox = impersonated ?? (typeof anchor === "string" ? anchor : undefined);
    // Without impersonation, a folder can still name its mailbox (<t:DistinguishedFolderId><t:Mailbox>…): delegate access.
    const folderMailbox = first(body, /<(?:\w+:)?Mailbox>\s*<(?:\w+:)?EmailAddress>([^<]*)</);
    const scenario = (record.scenario = scenarioOf([mailbox ?? folderMailbox, creds?.user]));
    let user: string;
    if (IIS_SIGN_IN.has(scenario)) {
      const signedIn = iisSignIn(req, scenario, hostName);
      if ("status" in signedIn) return signedIn;
      user = signedIn.user;
    } else {
      if (!creds) return authFailure("missing", "ews", hostName);
      if (AUTH_FAULTS.has(scenario)) return authFailure(scenario as AuthFailure, "ews", hostName);
      if (creds.password !== SIM_PASSWORD) return authFailure("wrong-password", "ews", hostName);
      user = creds.user;
    }
    if (scenario === "ews-disabled") return ewsForbidden();
    if (scenario === "throttled") return serverBusy();
    if (scenario === "throttled-503") return serviceUnavailable();
    if (scenario === "impersonation-denied") return impersonationDenied();
    if (scenario === "no-mailbox") return nonExistentMailbox(mailbox ?? "");
    return answerEws({ store, mailbox: mailbox ?? folderMailbox ?? user, scenario }, body);
  }

  function admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const loopback = /^(::1|127\.|::ffff:127\.)/.test(req.socket.remoteAddress ?? "");
    if (!loopback) return send(res, { status: 403, headers: {}, body: "" });
    if (url.pathname === "/__sim/scenarios") {
      return send(res, { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenarios: SCENARIOS, overrides: Object.fromEntries(overrides) }) });
    }
    if (url.pathname === "/__sim/scenario" && (req.method === "PUT" || req.method === "POST")) {
      const address = url.searchParams.get("address")?.toLowerCase();
      const scenario = url.searchParams.get("scenario") ?? "";
      if (!address || (scenario !== "" && !isScenarioName(scenario))) {
        return send(res, { status: 400, headers: { "Content-Type": "text/plain" }, body: `address=<mailbox>&scenario=<one of ${SCENARIO_NAMES.join(", ")}>` });
      }
      if (scenario === "") overrides.delete(address);
      else overrides.set(address, scenario as ScenarioName);
      return send(res, { status: 204, headers: {}, body: "" });
    }
    send(res, { status: 404, headers: {}, body: "" });
  }

  const m365: M365Handler = createM365(() => urls.https);
  registerDiscoveryTenants(m365.sim.directory);
  const delay = () => (latencyMs > 0 ? new Promise<void>((r) => setTimeout(r, latencyMs)) : Promise.resolve());
  const handler = (server: SimRequestRecord["server"]) => async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname.toLowerCase();
    if (path.startsWith("/__sim/m365/")) {
      const loopback = /^(::1|127\.|::ffff:127\.)/.test(req.socket.remoteAddress ?? "");
      const body = loopback ? await readBody(req) : "";
      return send(res, loopback && body !== null ? m365.admin(req, url.pathname, url.searchParams, body) : { status: 403, headers: {}, body: "" });
    }
    if (path.startsWith("/__sim/")) return admin(req, res, url);
    const record: SimRequestRecord = { server, method: req.method ?? "", path: url.pathname, scenario: null, status: null };
    requests.push(record);
    const body = await readBody(req);
    if (body === null) return;
    const ms = server === "https" ? await m365.handle(req, url.pathname, url.searchParams, body, delay) : undefined;
    if (ms) {
      record.scenario = ms.scenario;
      if (ms.response && !res.destroyed) send(res, ms.response);
      record.status = ms.response?.status ?? null;
      return; // null: never answer (close() destroys the socket)
    }
    await delay();
    if (res.destroyed) return;
    const hostName = (req.headers.host ?? "").replace(/:\d+$/, "");
    const discovery = discoveryResponse(req, url, hostName, { ewsUrl: `${urls.https}/EWS/Exchange.asmx` });
    if (discovery === "hang") return; // accept, never answer; close() destroys the socket
    if (discovery) return void ((record.status = discovery.status), send(res, discovery));
    let response: SimResponse | null;
    if (path === "/autodiscover/autodiscover.xml" && req.method === "GET") {
      response = server === "http" ? redirect(`${urls.https}/autodiscover/autodiscover.xml`) : autodiscoverGetProbe(hostName);
    } else if (path === "/autodiscover/autodiscover.svc" && req.method === "POST") {
      response = autodiscoverPost(req, body, url, hostName, record);
    } else if (path === "/ews/exchange.asmx" && req.method === "POST") {
      response = ews(req, body, hostName, record);
    } else {
      response = iisNotFound();
    }
    if (record.scenario && TRANSPORT_FAULTS.has(record.scenario as ScenarioName)) {
      record.status = misbehave(res, record.scenario as ScenarioName);
      return;
    }
    if (response) {
      record.status = response.status;
      send(res, response);
    }
  };

  const servers = [
    http.createServer(handler("http")),
    https.createServer({ key: certs.good.key, cert: certs.good.cert }, handler("https")),
    https.createServer({ key: certs.wrongName.key, cert: certs.wrongName.cert }, handler("tls-wrong-name")),
    https.createServer({ key: certs.expired.key, cert: certs.expired.cert }, handler("tls-expired")),
  ] as const;
  const ports = [options.port ?? 0, options.httpsPort ?? 0, 0, 0];
  const bound = await Promise.all(
    servers.map(
      (s, i) =>
        new Promise<number>((resolve, reject) => {
          s.once("error", reject);
          s.listen(ports[i], host, () => resolve((s.address() as AddressInfo).port));
        }),
    ),
  );
  urls.http = `http://${urlHost(host, bound[0]!)}`;
  urls.https = `https://${urlHost(host, bound[1]!)}`;
  urls.wrongName = `https://${urlHost(host, bound[2]!)}`;
  urls.expired = `https://${urlHost(host, bound[3]!)}`;

  return {
    httpUrl: urls.http,
    httpsUrl: urls.https,
    ewsUrl: `${urls.https}/EWS/Exchange.asmx`,
    autodiscoverUrls: [`${urls.https}/autodiscover/autodiscover.svc`, `${urls.http}/autodiscover/autodiscover.xml`],
    allowedHosts: bound.map((p) => urlHost(host, p)),
    tlsWrongNameUrl: urls.wrongName,
    tlsExpiredUrl: urls.expired,
    caPem: certs.caPem,
    password: SIM_PASSWORD,
    scenarios: SCENARIOS,
    m365: m365.sim,
    setScenarioFor(address, scenario) {
      if (scenario === null) overrides.delete(address.toLowerCase());
      else overrides.set(address.toLowerCase(), scenario);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    requests,
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
