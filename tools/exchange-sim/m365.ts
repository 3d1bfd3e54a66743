/**
 * The Microsoft 365 half of the simulator, mounted on its HTTPS server under two path prefixes so that
 * clients must handle prefixed authority and Graph URLs: Entra at `/entra` (authority host
 * `https://127.0.0.1:PORT/entra`) and Graph at `/graph` (Graph URL `https://127.0.0.1:PORT/graph`).
 * Loopback-only admin endpoints under `/__sim/m365/` register apps and tenants and force scenarios.
 */
import type http from "node:http";
import { handleAdminConsent, isAdminConsentPath } from "./admin-consent";
import { EntraDirectory, handleEntra, TokenIssuer } from "./entra";
import { GraphMailboxes, handleGraph } from "./graph";
import { isM365Scenario, isMailboxScenario, M365_SCENARIO_NAMES, M365_SCENARIOS, type M365ScenarioName } from "./m365-scenarios";
import type { SimResponse } from "./responses";

export const ENTRA_PREFIX = "/entra";
export const GRAPH_PREFIX = "/graph";

export type M365Sim = {
  /** Authority host for MSAL / MICROSOFT_AUTHORITY_HOST: `https://127.0.0.1:PORT/entra`. */
  authorityHost: string;
  /** Graph base URL for MICROSOFT_GRAPH_URL: `https://127.0.0.1:PORT/graph`. */
  graphUrl: string;
  directory: EntraDirectory;
  /** What the simulated mailboxes hold (contacts, events, messages sent), per mailbox. */
  mailboxes: GraphMailboxes;
  scenarios: typeof M365_SCENARIOS;
  /** Every access token the simulated Entra issued (also `GET /__sim/m365/tokens`, loopback only). */
  issuedTokens: readonly string[];
};

export type M365Handler = {
  sim: M365Sim;
  /** Serves a request under /entra or /graph; undefined when the path is not one of ours; null = never answer. */
  handle(req: http.IncomingMessage, pathname: string, search: URLSearchParams, body: string, delay: () => Promise<void>): Promise<{ response: SimResponse | null; scenario: M365ScenarioName | null } | undefined>;
  /** Admin requests under /__sim/m365/ (the caller has checked they come from loopback). */
  admin(req: http.IncomingMessage, pathname: string, search: URLSearchParams, body: string): SimResponse;
};

function json(status: number, value: unknown): SimResponse {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) };
}

function badRequest(message: string): SimResponse {
  return { status: 400, headers: { "Content-Type": "text/plain" }, body: message };
}

/** `httpsUrl` is read when a request arrives: the server's port is known only once it listens. */
export function createM365(httpsUrl: () => string): M365Handler {
  const directory = new EntraDirectory();
  const issuer = new TokenIssuer();
  const mailboxes = new GraphMailboxes();
  const sim: M365Sim = {
    get authorityHost() {
      return `${httpsUrl()}${ENTRA_PREFIX}`;
    },
    get graphUrl() {
      return `${httpsUrl()}${GRAPH_PREFIX}`;
    },
    directory,
    mailboxes,
    scenarios: M365_SCENARIOS,
    issuedTokens: issuer.issued,
  };

  return {
    sim,
    async handle(req, pathname, search, body, delay) {
      const lower = pathname.toLowerCase();
      if (lower.startsWith(`${ENTRA_PREFIX}/`)) {
        await delay();
        const rest = pathname.slice(ENTRA_PREFIX.length);
        if (isAdminConsentPath(rest) && (req.method === "GET" || req.method === "POST")) {
          return { response: handleAdminConsent(directory, req.method, rest, search, body), scenario: null };
        }
        const r = await handleEntra({ directory, issuer, base: sim.authorityHost, graphHost: new URL(httpsUrl()).host }, req.method ?? "", pathname.slice(ENTRA_PREFIX.length), body);
        if (!r) return undefined;
        const tenant = directory.tenant(r.tenant);
        return { response: r.response, scenario: tenant ? directory.tenantScenario(tenant) : "tenant-not-found" };
      }
      if (lower.startsWith(`${GRAPH_PREFIX}/`)) {
        return handleGraph({ directory, issuer, mailboxes, base: sim.graphUrl, delay }, req, pathname.slice(GRAPH_PREFIX.length), search, body);
      }
      return undefined;
    },
    admin(req, pathname, search, body) {
      const method = req.method ?? "GET";
      const what = pathname.slice("/__sim/m365/".length).toLowerCase();
      if (what === "tokens" && method === "GET") return json(200, { tokens: issuer.issued });
      if (what === "state" && method === "GET") return json(200, { scenarios: M365_SCENARIOS, authorityHost: sim.authorityHost, graphUrl: sim.graphUrl, ...directory.snapshot() });
      if (what === "scenario" && (method === "PUT" || method === "POST")) {
        const tenant = search.get("tenant");
        const mailbox = search.get("mailbox");
        const scenario = search.get("scenario") ?? "";
        const usage = `tenant=<id or domain>|mailbox=<address>&scenario=<one of ${M365_SCENARIO_NAMES.join(", ")}> (empty removes the override)`;
        if (!!tenant === !!mailbox || (scenario !== "" && !isM365Scenario(scenario))) return badRequest(usage);
        if (tenant) directory.setTenantScenario(tenant, scenario === "" ? null : (scenario as M365ScenarioName));
        else if (scenario !== "" && scenario !== "healthy" && !isMailboxScenario(scenario)) return badRequest(`"${scenario}" is a tenant scenario; set it with tenant=…`);
        else directory.setMailboxScenario(mailbox!, scenario === "" ? null : (scenario as "healthy"));
        return { status: 204, headers: {}, body: "" };
      }
      let input: Record<string, unknown>;
      try {
        input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        return badRequest("the body must be JSON");
      }
      const str = (k: string) => (typeof input[k] === "string" ? (input[k] as string) : undefined);
      try {
        if (what === "apps" && method === "POST") {
          const clientId = str("clientId");
          if (!clientId) return badRequest('{"clientId": GUID, "secret"?, "secretExpiresAt"? (ISO), "certificatePem"?, "autoConsent"?, "displayName"?}');
          const expires = str("secretExpiresAt");
          const app = directory.registerApp({
            clientId,
            displayName: str("displayName"),
            secret: str("secret"),
            secretExpiresAt: expires ? new Date(expires) : undefined,
            certificatePem: str("certificatePem"),
            autoConsent: typeof input.autoConsent === "boolean" ? input.autoConsent : undefined,
          });
          return json(201, { clientId: app.clientId, certificates: app.certificates.map((c) => c.x5tS256), secrets: app.secrets.length });
        }
        if (what === "tenants" && method === "POST") {
          const domain = str("domain");
          if (!domain) return badRequest('{"domain": "contoso.com", "id"?: GUID, "displayName"?, "consentedApps"?: [clientId]}');
          const consented = Array.isArray(input.consentedApps) ? input.consentedApps.filter((x): x is string => typeof x === "string") : undefined;
          const t = directory.registerTenant({ domain, id: str("id"), displayName: str("displayName"), consentedApps: consented });
          return json(201, { id: t.id, domains: t.domains, consents: Object.fromEntries(t.consents) });
        }
        if (what === "consent" && (method === "PUT" || method === "POST" || method === "DELETE")) {
          const tenant = search.get("tenant");
          const clientId = search.get("client_id");
          if (!tenant || !clientId) return badRequest("tenant=<id or domain>&client_id=<app id>");
          if (method === "DELETE") directory.revokeConsent(tenant, clientId);
          else if (!directory.grantConsent(tenant, clientId, search.get("granted_by") ?? undefined)) return json(404, { error: "no such tenant" });
          return { status: 204, headers: {}, body: "" };
        }
      } catch (e) {
        return badRequest((e as Error).message);
      }
      return { status: 404, headers: {}, body: "" };
    },
  };
}
