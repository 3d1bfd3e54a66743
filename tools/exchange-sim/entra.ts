/**
 * Simulated Microsoft Entra ID: a tenant directory (tenants, their domains, which apps they consented to),
 * app registrations (client secrets with expiry, certificates), and the two endpoints a client-credentials
 * client uses — `GET /{tenant}/v2.0/.well-known/openid-configuration` and `POST /{tenant}/oauth2/v2.0/token`
 * (client_secret, or a client_assertion JWT verified with jose against the app's registered certificate).
 * Error bodies follow Entra's shape (`error`, `error_description` "AADSTSnnnn: …", `error_codes`, trace ids)
 * with the texts of shared/reference/m365-app-access.md §5. Access tokens are JWTs signed with a per-start key
 * that the simulated Graph (graph.ts) verifies.
 */
import { createHash, randomBytes, randomUUID, X509Certificate, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import selfsigned from "selfsigned";
import type { SimResponse } from "./responses";
import {
  isMailboxScenario,
  scenarioForMailbox,
  scenarioForTenantDomain,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_EXPIRED_CLIENT_SECRET,
  type M365MailboxScenario,
  type M365ScenarioName,
} from "./m365-scenarios";
import { SIM_DOMAIN } from "./scenarios";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SimAppCertificate = { pem: string; x5tS256: string; x5t: string; notBefore: Date; notAfter: Date; publicKey: KeyObject };
export type SimApp = {
  clientId: string;
  displayName: string;
  secrets: { value: string; expiresAt: Date }[];
  certificates: SimAppCertificate[];
  /** Consented in every auto-created `*.sim.test` tenant (the default app). */
  autoConsent: boolean;
};
export type SimConsent = { grantedAt: string; grantedBy?: string };
export type SimTenant = { id: string; domains: string[]; displayName: string; consents: Map<string, SimConsent> };

export type RegisterAppInput = { clientId: string; displayName?: string; secret?: string; secretExpiresAt?: Date; certificatePem?: string; autoConsent?: boolean };
export type RegisterTenantInput = { domain: string; id?: string; displayName?: string; consentedApps?: string[] };

/** A stable GUID for a tenant domain, so a domain always maps to the same tenant id across restarts. */
export function tenantIdForDomain(domain: string): string {
  const h = createHash("sha256").update(`sim-tenant:${domain.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function base64url(buf: Buffer): string {
  return buf.toString("base64url");
}

export function describeCertificate(pem: string): SimAppCertificate {
  const x = new X509Certificate(pem);
  return {
    pem,
    x5tS256: base64url(createHash("sha256").update(x.raw).digest()),
    x5t: base64url(createHash("sha1").update(x.raw).digest()),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    publicKey: x.publicKey,
  };
}

/** An RSA key and a self-signed certificate for an app credential (PS256 needs RSA). */
export async function generateAppCertificate(commonName = "MoxiEngage simulator app"): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const pems = await selfsigned.generate([{ name: "commonName", value: commonName }], { keyType: "rsa", keySize: 2048, algorithm: "sha256" });
  return { certificatePem: pems.cert, privateKeyPem: pems.private };
}

export class EntraDirectory {
  readonly apps = new Map<string, SimApp>();
  private readonly tenants = new Map<string, SimTenant>();
  private readonly byDomain = new Map<string, SimTenant>();
  private readonly tenantOverrides = new Map<string, M365ScenarioName>();
  private readonly mailboxOverrides = new Map<string, M365MailboxScenario | "healthy">();

  constructor() {
    this.registerApp({ clientId: SIM_CLIENT_ID, displayName: "MoxiEngage (simulator)", secret: SIM_CLIENT_SECRET, autoConsent: true });
    this.app(SIM_CLIENT_ID)!.secrets.push({ value: SIM_EXPIRED_CLIENT_SECRET, expiresAt: new Date(Date.now() - 30 * 24 * 3600 * 1000) });
  }

  app(clientId: string): SimApp | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  registerApp(input: RegisterAppInput): SimApp {
    const clientId = input.clientId.toLowerCase();
    if (!GUID.test(clientId)) throw new Error(`clientId must be a GUID, got "${input.clientId}"`);
    const app = this.apps.get(clientId) ?? { clientId, displayName: input.displayName ?? "Simulated app", secrets: [], certificates: [], autoConsent: input.autoConsent ?? false };
    if (input.displayName) app.displayName = input.displayName;
    if (input.autoConsent !== undefined) app.autoConsent = input.autoConsent;
    if (input.secret) app.secrets.push({ value: input.secret, expiresAt: input.secretExpiresAt ?? new Date(Date.now() + 365 * 24 * 3600 * 1000) });
    if (input.certificatePem) app.certificates.push(describeCertificate(input.certificatePem));
    this.apps.set(clientId, app);
    return app;
  }

  /** Generates a certificate credential for an app (default: the simulator's app) and registers it. */
  async addAppCertificate(clientId = SIM_CLIENT_ID): Promise<{ certificatePem: string; privateKeyPem: string }> {
    const pems = await generateAppCertificate();
    this.registerApp({ clientId, certificatePem: pems.certificatePem });
    return pems;
  }

  registerTenant(input: RegisterTenantInput): SimTenant {
    const domain = input.domain.toLowerCase();
    const existing = this.byDomain.get(domain);
    if (existing) return existing;
    const id = (input.id ?? tenantIdForDomain(domain)).toLowerCase();
    if (!GUID.test(id)) throw new Error(`tenant id must be a GUID, got "${input.id}"`);
    const tenant: SimTenant = this.tenants.get(id) ?? { id, domains: [], displayName: input.displayName ?? domain.split(".")[0]!, consents: new Map() };
    tenant.domains.push(domain);
    for (const clientId of input.consentedApps ?? []) tenant.consents.set(clientId.toLowerCase(), { grantedAt: new Date().toISOString() });
    this.tenants.set(id, tenant);
    this.byDomain.set(domain, tenant);
    return tenant;
  }

  /**
   * The tenant a `{tenant}` path segment names: a registered id or domain, or any `<label>.sim.test` domain
   * (created on first use, with the auto-consent apps consented) — except `tenant-not-found.sim.test` and the
   * mail-host detection zone, whose tenants are exactly those discovery.ts registers (an unlisted domain there
   * has no tenant, as an unknown domain has none at Microsoft).
   */
  tenant(idOrDomain: string): SimTenant | undefined {
    const key = idOrDomain.toLowerCase();
    const found = GUID.test(key) ? this.tenants.get(key) : this.byDomain.get(key);
    if (found) return this.tenantOverrides.get(found.id) === "tenant-not-found" ? undefined : found;
    if (GUID.test(key) || !key.endsWith(`.${SIM_DOMAIN}`) || key.endsWith(`.detect.${SIM_DOMAIN}`) || scenarioForTenantDomain(key) === "tenant-not-found") return undefined;
    const autoApps = [...this.apps.values()].filter((a) => a.autoConsent).map((a) => a.clientId);
    return this.registerTenant({ domain: key, consentedApps: autoApps });
  }

  grantConsent(idOrDomain: string, clientId: string, grantedBy?: string): SimTenant | undefined {
    const tenant = this.tenant(idOrDomain);
    tenant?.consents.set(clientId.toLowerCase(), { grantedAt: new Date().toISOString(), grantedBy });
    return tenant;
  }

  revokeConsent(idOrDomain: string, clientId: string): void {
    this.tenant(idOrDomain)?.consents.delete(clientId.toLowerCase());
  }

  /** Force a scenario for a tenant (id or domain); null removes the override. */
  setTenantScenario(idOrDomain: string, scenario: M365ScenarioName | null): void {
    const key = idOrDomain.toLowerCase();
    const tenant = GUID.test(key) ? this.tenants.get(key) : (this.byDomain.get(key) ?? this.tenant(key));
    const id = tenant?.id ?? (GUID.test(key) ? key : tenantIdForDomain(key));
    if (scenario === null) this.tenantOverrides.delete(id);
    else this.tenantOverrides.set(id, scenario);
  }

  /** Force a scenario for one mailbox ("healthy" beats its name); null removes the override. */
  setMailboxScenario(mailbox: string, scenario: M365MailboxScenario | "healthy" | null): void {
    if (scenario === null) this.mailboxOverrides.delete(mailbox.toLowerCase());
    else this.mailboxOverrides.set(mailbox.toLowerCase(), scenario);
  }

  tenantScenario(tenant: SimTenant): M365ScenarioName {
    const forced = this.tenantOverrides.get(tenant.id);
    if (forced) return forced;
    for (const d of tenant.domains) {
      const named = scenarioForTenantDomain(d);
      if (named) return named;
    }
    return "healthy";
  }

  mailboxScenario(tenant: SimTenant, mailbox: string): M365MailboxScenario | "healthy" {
    const forced = this.mailboxOverrides.get(mailbox.toLowerCase());
    if (forced) return forced;
    const named = scenarioForMailbox(mailbox);
    if (named) return named;
    const ofTenant = this.tenantScenario(tenant);
    return isMailboxScenario(ofTenant) ? ofTenant : "healthy";
  }

  snapshot() {
    return {
      apps: [...this.apps.values()].map((a) => ({
        clientId: a.clientId,
        displayName: a.displayName,
        secrets: a.secrets.map((s) => ({ hint: s.value.slice(0, 3), expiresAt: s.expiresAt.toISOString() })),
        certificates: a.certificates.map((c) => ({ x5tS256: c.x5tS256, notAfter: c.notAfter.toISOString() })),
      })),
      tenants: [...this.tenants.values()].map((t) => ({ id: t.id, domains: t.domains, consents: Object.fromEntries(t.consents), scenario: this.tenantScenario(t) })),
      tenantOverrides: Object.fromEntries(this.tenantOverrides),
      mailboxOverrides: Object.fromEntries(this.mailboxOverrides),
    };
  }
}

/** The simulator's token signing key and the claims Graph reads back. */
export type SimAccessClaims = { tid: string; appid: string; jti: string };

export class TokenIssuer {
  private readonly key = new Uint8Array(randomBytes(32));
  /** Every access token this simulator issued (newest last, at most 10,000), so leak tests can search for each one. */
  readonly issued: string[] = [];

  async issue(tenant: SimTenant, app: SimApp, issuerBase: string): Promise<string> {
    const token = await new SignJWT({ tid: tenant.id, appid: app.clientId, app_displayname: app.displayName, idtyp: "app", roles: [], oid: randomUUID() })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(`${issuerBase}/${tenant.id}/v2.0`)
      .setAudience(GRAPH_RESOURCE)
      .setSubject(app.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime("3599s")
      .sign(this.key);
    this.issued.push(token);
    if (this.issued.length > 10_000) this.issued.shift();
    return token;
  }

  /** The claims of a token this simulator issued, or undefined for anything else (or an expired one). */
  async verify(token: string): Promise<SimAccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: GRAPH_RESOURCE, algorithms: ["HS256"] });
      if (typeof payload.tid !== "string" || typeof payload.appid !== "string" || typeof payload.jti !== "string") return undefined;
      return { tid: payload.tid, appid: payload.appid, jti: payload.jti };
    } catch {
      return undefined;
    }
  }
}

function entraTimestamp(): string {
  return new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function entraHeaders(): Record<string, string> {
  return {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store, no-cache",
    Pragma: "no-cache",
    "x-ms-request-id": randomUUID(),
    "x-ms-ests-server": "2.1.19999.8 - SIMR1 ProdSlices",
    "X-Content-Type-Options": "nosniff",
  };
}

export function entraError(status: number, error: string, code: number, description: string): SimResponse {
  const trace = randomUUID();
  const correlation = randomUUID();
  const ts = entraTimestamp();
  return {
    status,
    headers: entraHeaders(),
    body: JSON.stringify({
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    }),
  };
}

function tenantNotFound(segment: string): SimResponse {
  return entraError(
    400,
    "invalid_tenant",
    90002,
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

/** `GET {base}/{tenant}/v2.0/.well-known/openid-configuration`, base being e.g. `https://127.0.0.1:8443/entra`. */
export function openIdConfiguration(directory: EntraDirectory, segment: string, base: string, graphHost: string): SimResponse {
  const tenant = directory.tenant(segment);
  if (!tenant) return tenantNotFound(segment);
  const t = `${base}/${tenant.id}`;
  const config = {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `https://${graphHost}/oidc/userinfo`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${t}/kerberos`,
    tenant_region_scope: "NA",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: graphHost,
    rbac_url: "https://pas.windows.net",
  };
  return { status: 200, headers: { ...entraHeaders(), "Cache-Control": "max-age=86400, private", "Access-Control-Allow-Origin": "*" }, body: JSON.stringify(config) };
}

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function keysHint(clientId: string): string {
  return `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${clientId}'`;
}

function thumbprintHex(b64url: string): string {
  return Buffer.from(b64url, "base64url").toString("hex").toUpperCase();
}

/** Checks a client_assertion JWT the way Entra does; returns an error response, or null when it is good. */
async function checkAssertion(app: SimApp, assertion: string, audiences: string[], forceBad: boolean): Promise<SimResponse | null> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return entraError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
  }
  const s256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const s1 = typeof header.x5t === "string" ? header.x5t : undefined;
  if (!s256 && !s1) return entraError(401, "invalid_client", 50027, "Invalid JWT token. No certificate thumbprint specified in token header.");
  const used = thumbprintHex((s256 ?? s1)!);
  const cert = app.certificates.find((c) => (s256 ? c.x5tS256 === s256 : c.x5t === s1));
  if (!cert) {
    return entraError(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${used}', ${keysHint(app.clientId)}]`,
    );
  }
  const found = `Found key 'Start=${cert.notBefore.toISOString()}, End=${cert.notAfter.toISOString()}'`;
  try {
    await jwtVerify(assertion, cert.publicKey, { algorithms: ["PS256", "RS256"], issuer: app.clientId, subject: app.clientId, audience: audiences, clockTolerance: 300 });
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired || (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "nbf")) {
      return entraError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "aud") {
      return entraError(401, "invalid_client", 700212, `No matching federated identity record found for presented assertion audience. The audience must be one of: '${audiences[0]}'.`);
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed && (e.claim === "iss" || e.claim === "sub")) {
      return entraError(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
    }
    return entraError(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${used}', ${found}, ${keysHint(app.clientId)}]`,
    );
  }
  if (forceBad) return entraError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
  if (cert.notAfter.getTime() < Date.now()) return entraError(401, "invalid_client", 700027, `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${used}', ${found}]`);
  return null;
}

export type TokenRequestContext = { directory: EntraDirectory; issuer: TokenIssuer; segment: string; base: string; body: string };

/** `POST {base}/{tenant}/oauth2/v2.0/token`. Null means "never answer" (the hung-token scenario). */
export async function tokenEndpoint(ctx: TokenRequestContext): Promise<SimResponse | null> {
  const { directory, segment, base } = ctx;
  const form = new URLSearchParams(ctx.body);
  const tenant = directory.tenant(segment);
  if (!tenant) return tenantNotFound(segment);
  const scenario = directory.tenantScenario(tenant);
  if (scenario === "hung-token") return null;
  const grant = form.get("grant_type");
  if (grant !== "client_credentials") {
    return entraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant ?? ""}'.`);
  }
  const clientId = (form.get("client_id") ?? "").toLowerCase();
  if (!clientId) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  const scope = form.get("scope") ?? "";
  if (!scope.endsWith("/.default")) {
    return entraError(400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  if (scope !== `${GRAPH_RESOURCE}/.default`) {
    return entraError(400, "invalid_resource", 500011, `The resource principal named ${scope.slice(0, -"/.default".length)} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
  const app = directory.app(clientId);
  if (!app || !tenant.consents.has(app.clientId) || scenario === "app-not-in-tenant") {
    return entraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secret) {
    const match = app.secrets.find((s) => s.value === secret);
    if (!match || scenario === "bad-secret") {
      return entraError(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    if (match.expiresAt.getTime() < Date.now() || scenario === "expired-secret") {
      return entraError(
        401,
        "invalid_client",
        7000222,
        `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    }
  } else if (assertion && form.get("client_assertion_type") === ASSERTION_TYPE) {
    const audiences = [...new Set([tenant.id, segment.toLowerCase(), ...tenant.domains])].map((t) => `${base}/${t}/oauth2/v2.0/token`);
    const bad = await checkAssertion(app, assertion, audiences, scenario === "bad-certificate");
    if (bad) return bad;
  } else {
    return entraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (scenario === "consent-missing") {
    return entraError(400, "invalid_grant", 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
  }
  if (scenario === "conditional-access") {
    return entraError(400, "invalid_grant", 53003, "BlockedByConditionalAccess - Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
  }
  const accessToken = await ctx.issuer.issue(tenant, app, base);
  return { status: 200, headers: entraHeaders(), body: JSON.stringify({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken }) };
}

/**
 * Routes a request under the Entra prefix. `rest` is the path after the prefix (e.g.
 * `/contoso.sim.test/oauth2/v2.0/token`). Returns undefined for paths Entra does not serve here.
 */
export async function handleEntra(
  ctx: { directory: EntraDirectory; issuer: TokenIssuer; base: string; graphHost: string },
  method: string,
  rest: string,
  body: string,
): Promise<{ response: SimResponse | null; tenant: string } | undefined> {
  const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/i.exec(rest);
  if (!m) return undefined;
  const segment = decodeURIComponent(m[1]!);
  if (m[2]!.toLowerCase().startsWith("v2.0") && method === "GET") return { response: openIdConfiguration(ctx.directory, segment, ctx.base, ctx.graphHost), tenant: segment };
  if (m[2]!.toLowerCase().startsWith("oauth2") && method === "POST") return { response: await tokenEndpoint({ ...ctx, segment, body }), tenant: segment };
  return undefined;
}
