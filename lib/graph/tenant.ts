import "server-only";
import { clause, failure, type Failure } from "@/lib/exchange/failures";
import { HttpFailure, type HttpClient, type RecordedExchange } from "@/lib/exchange/http-client";
import { isGuid, type TenantRef } from "./input";

/**
 * The tenant stage: `GET {authorityHost}/{tenant}/v2.0/.well-known/openid-configuration` (no credentials).
 * It says whether Entra knows the tenant and gives its GUID (in `token_endpoint` / `issuer`), which must equal
 * the consented tenant when one is given. Nothing from the answer is used as a URL.
 */
export type TenantCheck =
  | { ok: true; tenantId: string; summary: string; details: string[]; exchanges: RecordedExchange[] }
  | { ok: false; failure: Failure; details: string[]; exchanges: RecordedExchange[] };

/** The first GUID among a URL's path segments after the authority host's own path. */
function guidIn(urlText: unknown, authorityHost: string): string | undefined {
  if (typeof urlText !== "string") return undefined;
  try {
    const prefix = new URL(authorityHost).pathname.replace(/\/+$/, "");
    const path = new URL(urlText).pathname;
    const rest = path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
    const segment = rest.split("/").filter(Boolean)[0];
    return segment && isGuid(segment) ? segment.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export async function checkTenant(client: HttpClient, authorityHost: string, tenant: TenantRef, expectedTenantId?: string): Promise<TenantCheck> {
  const url = `${authorityHost}/${encodeURIComponent(tenant.value)}/v2.0/.well-known/openid-configuration`;
  let res;
  try {
    res = await client.request({ method: "GET", url, purpose: "openid-configuration" });
  } catch (e) {
    if (e instanceof HttpFailure) return { ok: false, failure: e.exchange.failure ?? e.toFailure(), details: [], exchanges: [e.exchange] };
    throw e;
  }
  const exchanges = [res.exchange];
  let json: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(res.body) as unknown;
    json = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status !== 200) {
    const description = typeof json?.error_description === "string" ? json.error_description.replace(/\s+Trace ID:[^]*$/, "") : undefined;
    if (json?.error === "invalid_tenant" || /AADSTS90002/.test(description ?? "")) {
      return {
        ok: false,
        failure: failure("tenant_not_found", `Microsoft Entra ID has no tenant "${tenant.value}". Check the tenant ID or domain (a domain must be verified in the tenant). Entra said: ${clause(description)}.`),
        details: [],
        exchanges,
      };
    }
    return { ok: false, failure: failure("http_error", `The OpenID configuration of ${tenant.value} answered HTTP ${res.status}${description ? `: ${clause(description)}` : ""}.`), details: [], exchanges };
  }
  const id = guidIn(json?.token_endpoint, authorityHost) ?? guidIn(json?.issuer, authorityHost);
  if (!json || !id) {
    return { ok: false, failure: failure("invalid_response", `The OpenID configuration of ${tenant.value} did not name the tenant's ID (no GUID in token_endpoint or issuer).`), details: [], exchanges };
  }
  const details = [`Tenant ID: ${id}`];
  if (typeof json.tenant_region_scope === "string") details.push(`Region: ${json.tenant_region_scope}`);
  if (typeof json.cloud_instance_name === "string") details.push(`Cloud: ${json.cloud_instance_name}`);
  if (tenant.kind === "id" && id !== tenant.value) {
    return { ok: false, failure: failure("invalid_response", `Entra answered for tenant ${id} when asked for ${tenant.value}.`), details, exchanges };
  }
  if (expectedTenantId && id !== expectedTenantId) {
    return {
      ok: false,
      failure: failure(
        "tenant_mismatch",
        `${tenant.value} belongs to tenant ${id}, but consent was granted in tenant ${expectedTenantId}. Run the test with the tenant that granted consent, or grant consent again from the right tenant.`,
      ),
      details,
      exchanges,
    };
  }
  const consented = expectedTenantId ? " It is the tenant that granted consent." : "";
  return { ok: true, tenantId: id, summary: `Entra knows ${tenant.value === id ? "the tenant" : tenant.value} as tenant ${id}.${consented}`, details, exchanges };
}
