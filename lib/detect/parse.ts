// Readers for the public endpoints' answers (pure). Shapes from the real services: the OpenID configuration's
// issuer names the tenant GUID and an unknown domain gets AADSTS90002; getuserrealm.srf answers NameSpaceType
// Managed / Federated / Unknown (with AuthURL for federated domains); Autodiscover v2 answers {Protocol, Url}
// for a mailbox it knows and redirects to the domain's own Autodiscover for one it does not.
import { isExchangeOnlineUrl } from "./decide";
import type { CloudAutodiscoverFact, LookupFailure, RealmFact, TenantFact, TxtFact } from "./facts";

type Answer = { status: number; headers: Record<string, string>; body: string };

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function json(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown, max = 300): string | null => (typeof v === "string" && v.length > 0 ? v.slice(0, max) : null);

function badAnswer(what: string, a: Answer): LookupFailure {
  return { kind: "failed", reason: "bad_answer", detail: `${what} answered HTTP ${a.status}` };
}

export function parseOpenIdConfiguration(a: Answer): TenantFact {
  const body = json(a.body);
  if (a.status === 200 && body) {
    const issuer = str(body.issuer) ?? str(body.token_endpoint) ?? "";
    const id = GUID.exec(issuer)?.[0];
    if (id) return { kind: "tenant", tenantId: id.toLowerCase() };
    return { kind: "failed", reason: "bad_answer", detail: "the OpenID configuration names no tenant id" };
  }
  const description = str(body?.error_description) ?? "";
  if ((a.status === 400 || a.status === 404) && (/AADSTS90002|AADSTS50059|AADSTS900023/.test(description) || body?.error === "invalid_tenant")) return { kind: "no_tenant" };
  return badAnswer("the OpenID configuration", a);
}

export function parseUserRealm(a: Answer): RealmFact {
  const body = json(a.body);
  if (a.status !== 200 || !body) return badAnswer("the user-realm lookup", a);
  const type = str(body.NameSpaceType);
  const brand = str(body.FederationBrandName, 120);
  if (type === "Managed") return { kind: "managed", brand };
  if (type === "Federated") {
    let authHost: string | null = null;
    try {
      authHost = str(body.AuthURL) ? new URL(String(body.AuthURL)).hostname.toLowerCase() : null;
    } catch {
      authHost = null;
    }
    return { kind: "federated", brand, authHost };
  }
  if (type === "Unknown") return { kind: "unknown" };
  return { kind: "failed", reason: "bad_answer", detail: "the user-realm answer has no NameSpaceType" };
}

/** Both Microsoft's Autodiscover v2 and an Exchange server's own `autodiscover.json` answer this shape. */
export function parseAutodiscoverV2(a: Answer): CloudAutodiscoverFact {
  if ([301, 302, 307, 308].includes(a.status) || a.status === 404) return { kind: "not_found" };
  const body = json(a.body);
  if (a.status === 200 && body) {
    const url = str(body.Url, 2000);
    if (url && /^https:\/\//i.test(url) && URL.canParse(url)) return isExchangeOnlineUrl(url) ? { kind: "exchange_online", ewsUrl: url } : { kind: "on_premises", ewsUrl: url };
    if (str(body.ErrorCode)) return { kind: "not_found" };
    return { kind: "failed", reason: "bad_answer", detail: "the Autodiscover answer has no https EWS URL" };
  }
  if (body && str(body.ErrorCode)) return { kind: "not_found" };
  return badAnswer("Autodiscover", a);
}

/** Only what matters is kept from TXT records; a hostile domain may publish thousands. */
export function readTxtRecords(records: string[][], maxRecords = 50): TxtFact {
  if (records.length === 0) return { kind: "none" };
  const texts = records.slice(0, maxRecords).map((parts) => parts.join("").slice(0, 4096));
  const spf = texts.filter((t) => /^v=spf1\b/i.test(t));
  return {
    kind: "records",
    microsoftVerification: texts.some((t) => /^MS=ms\d+$/i.test(t.trim())),
    spfMicrosoft: spf.some((t) => /include:spf\.protection\.outlook\.com\b/i.test(t)),
    spfGoogle: spf.some((t) => /include:_spf\.google\.com\b/i.test(t)),
  };
}
