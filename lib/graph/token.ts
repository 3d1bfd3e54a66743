import "server-only";
import { ConfidentialClientApplication, LogLevel, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import { clause, failure, ProbeError, type Failure, type FailureCode } from "@/lib/exchange/failures";
import { HttpFailure, type HttpClient, type RecordedExchange } from "@/lib/exchange/http-client";
import type { CertificateCredential } from "./input";

/**
 * The client-credentials token, from @azure/msal-node, with every byte MSAL sends going through our guarded,
 * timed, size-capped, recording HTTP layer (`system.networkClient`). MSAL is handed the authority's metadata
 * (built from the configured authority host and the tenant, never from what a server said) and the host as a
 * known authority, so it makes no discovery call of its own: the one request is the token POST.
 */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export type TokenCredential = { kind: "secret"; clientSecret: string } | { kind: "certificate"; certificate: CertificateCredential };

export type TokenOutcome = { ok: true; accessToken: string; expiresOn?: Date; roles: string[]; tid?: string; exchanges: RecordedExchange[] } | { ok: false; failure: Failure; exchanges: RecordedExchange[] };

/** The endpoints MSAL would otherwise fetch from `{authority}/v2.0/.well-known/openid-configuration`. */
export function authorityMetadata(authorityHost: string, tenant: string) {
  const t = `${authorityHost}/${tenant}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    issuer: `${t}/v2.0`,
    jwks_uri: `${t}/discovery/v2.0/keys`,
  };
}

/** MSAL's network module over our HTTP layer; refuses any URL outside the authority it was made for. */
export class GuardedNetwork implements INetworkModule {
  readonly exchanges: RecordedExchange[] = [];
  transportFailure?: Failure;
  constructor(
    private readonly client: HttpClient,
    private readonly tokenEndpoint: string,
  ) {}

  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    // The only call MSAL needs is the token POST; discovery or any other URL would be a call we did not plan.
    if (method !== "POST" || url.split("?")[0] !== this.tokenEndpoint) {
      const f = failure("url_not_allowed", `MSAL asked for ${method} ${url.split("?")[0]}, which is not the token endpoint; the probe refused it.`);
      this.transportFailure = f;
      throw new ProbeError(f.code, f.message);
    }
    try {
      const res = await this.client.request({ method, url, purpose: "token", headers: options?.headers, body: options?.body });
      this.exchanges.push(res.exchange);
      let body: unknown;
      try {
        body = res.body ? JSON.parse(res.body) : {};
      } catch {
        const f = failure("invalid_response", `The token endpoint answered HTTP ${res.status} with something that is not JSON.`);
        this.transportFailure = f;
        throw new ProbeError(f.code, f.message);
      }
      return { status: res.status, headers: res.headers, body: body as T };
    } catch (e) {
      if (e instanceof HttpFailure) {
        this.exchanges.push(e.exchange);
        this.transportFailure = e.exchange.failure;
      }
      throw e;
    }
  }
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options);
  }
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }
}

/** Entra's AADSTS codes (shared/reference/m365-app-access.md §5) → our failure codes. */
const AADSTS: Record<number, FailureCode> = {
  90002: "tenant_not_found",
  700016: "app_not_found",
  7000112: "app_not_found",
  65001: "consent_required",
  7000215: "client_secret_invalid",
  7000222: "client_secret_expired",
  700027: "certificate_invalid",
  700024: "certificate_invalid",
  700021: "certificate_invalid",
  700212: "certificate_invalid",
  50027: "certificate_invalid",
  53003: "conditional_access",
};

const EXPLAIN: Partial<Record<FailureCode, string>> = {
  tenant_not_found: "Entra does not know this tenant",
  app_not_found: "The app has no service principal in this tenant: consent was never granted here, was removed, or the app was disabled",
  consent_required: "The tenant's administrator has not granted consent to the app",
  client_secret_invalid: "Entra refused the client secret",
  client_secret_expired: "The app's client secret has expired",
  certificate_invalid: "Entra refused the certificate credential",
  conditional_access: "A Conditional Access policy for workload identities blocks the app",
};

/** Reads an MSAL error (ServerError: errorCode = OAuth error, errorMessage with "AADSTSnnnn: …"). */
export function classifyTokenError(e: unknown, credentialKind: TokenCredential["kind"]): Failure {
  const err = e as { errorCode?: string; errorMessage?: string; message?: string };
  const text = `${err.errorMessage ?? ""} ${err.message ?? ""}`;
  const m = /AADSTS(\d+)/.exec(text);
  const aadsts = m ? Number(m[1]) : undefined;
  let code: FailureCode = (aadsts !== undefined && AADSTS[aadsts]) || "token_failed";
  // AADSTS7000215/7000222 only concern secrets, 700027 only certificates; say what was really sent.
  if (code === "certificate_invalid" && credentialKind === "secret") code = "token_failed";
  if ((code === "client_secret_invalid" || code === "client_secret_expired") && credentialKind === "certificate") code = "token_failed";
  const description = /AADSTS\d+:[^]*?(?=\s+Trace ID:|$)/.exec(text)?.[0];
  const said = description ? clause(description) : clause(err.errorCode ? `${err.errorCode}: ${err.errorMessage ?? err.message ?? ""}` : (err.message ?? String(e)));
  return failure(code, `${EXPLAIN[code] ?? "Entra did not issue a token"}. Entra said: ${said}.`, { code: aadsts !== undefined ? `AADSTS${aadsts}` : err.errorCode });
}

/**
 * The `roles` and `tid` claims of a JWT access token, unverified: Graph checks the signature; we only read what
 * Entra granted (to warn about tenant-wide permissions) and for which tenant. Empty for an opaque token.
 */
export function tokenClaims(accessToken: string): { roles: string[]; tid?: string } {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8")) as { roles?: unknown; tid?: unknown };
    return {
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [],
      tid: typeof payload.tid === "string" ? payload.tid.toLowerCase() : undefined,
    };
  } catch {
    return { roles: [] };
  }
}

export async function acquireGraphToken(
  client: HttpClient,
  input: { authorityHost: string; tenant: string; clientId: string; credential: TokenCredential },
): Promise<TokenOutcome> {
  const authority = `${input.authorityHost}/${input.tenant}`;
  const metadata = authorityMetadata(input.authorityHost, input.tenant);
  const network = new GuardedNetwork(client, metadata.token_endpoint);
  let app: ConfidentialClientApplication;
  try {
    app = new ConfidentialClientApplication({
      auth: {
        clientId: input.clientId,
        authority,
        knownAuthorities: [new URL(input.authorityHost).host],
        authorityMetadata: JSON.stringify(metadata),
        ...(input.credential.kind === "secret"
          ? { clientSecret: input.credential.clientSecret }
          : { clientCertificate: { thumbprintSha256: input.credential.certificate.thumbprintSha256, privateKey: input.credential.certificate.privateKey, x5c: input.credential.certificate.x5c } }),
      },
      system: {
        networkClient: network,
        // Our layer times each request and honours the deadline; MSAL's own retry would hide what happened.
        disableInternalRetries: true,
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
      },
    });
  } catch (e) {
    // MSAL checks its configuration up front (e.g. the authority URL); say so rather than crash the test.
    return { ok: false, failure: failure("invalid_input", `MSAL refused its configuration: ${clause((e as { errorMessage?: string; message?: string }).errorMessage ?? (e as Error).message)}.`), exchanges: [] };
  }
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], skipCache: true });
    if (!result?.accessToken) return { ok: false, failure: failure("token_failed", "Entra answered without an access token."), exchanges: network.exchanges };
    return { ok: true, accessToken: result.accessToken, expiresOn: result.expiresOn ?? undefined, ...tokenClaims(result.accessToken), exchanges: network.exchanges };
  } catch (e) {
    if (network.transportFailure) return { ok: false, failure: network.transportFailure, exchanges: network.exchanges };
    if (e instanceof ProbeError) return { ok: false, failure: e.toFailure(), exchanges: network.exchanges };
    return { ok: false, failure: classifyTokenError(e, input.credential.kind), exchanges: network.exchanges };
  }
}
