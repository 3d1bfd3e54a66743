/**
 * Pure (no Node modules): the server's Graph test (lib/graph/input.ts) and the browser's app-access form check
 * tenants and mailboxes by the same rules.
 */

/** An IPv4 dotted quad or an IPv6 literal: what node:net's isIP accepts, without Node. */
function isIpLiteral(value: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) || (value.includes(":") && /^[0-9a-f:.]+$/i.test(value));
}

/**
 * The Graph test's input checks, all before any URL is built: a tenant value goes into the authority URL's
 * path, so anything but a GUID or a plain DNS name (no "/", "@", "..", "%", port, IP literal) is refused here.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Entra's multi-tenant aliases: a client-credentials token needs one real tenant. */
const NOT_A_TENANT = new Set(["common", "organizations", "consumers"]);

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export type TenantRef = { kind: "id" | "domain"; value: string };

/** The tenant as a URL path segment, or the one sentence that says why it is refused. */
export function parseTenant(raw: unknown): { ok: true; tenant: TenantRef } | { ok: false; message: string } {
  if (typeof raw !== "string") return { ok: false, message: "The tenant must be a tenant ID (a GUID) or the tenant's domain name." };
  const value = raw.trim().toLowerCase();
  if (!value) return { ok: false, message: "Enter the tenant: its tenant ID (a GUID) or a domain of the tenant, like contoso.onmicrosoft.com." };
  if (value.length > 253) return { ok: false, message: "The tenant is too long: a domain name has at most 253 characters." };
  if (GUID.test(value)) return { ok: true, tenant: { kind: "id", value } };
  const bare = value.replace(/^\[|\]$/g, "");
  if (isIpLiteral(bare)) return { ok: false, message: "The tenant must be a tenant ID or a domain name, not an IP address." };
  if (/[/\\@?#%:\s]/.test(value)) return { ok: false, message: 'The tenant must be a tenant ID or a domain name only: no "/", "\\", "@", "?", "#", "%", ":" or spaces.' };
  if (value.includes("..") || value.startsWith(".") || value.endsWith(".")) return { ok: false, message: "The tenant's domain name has an empty part (a dot at the start or end, or two dots in a row)." };
  if (NOT_A_TENANT.has(value)) return { ok: false, message: `"${value}" is not a tenant: name the brokerage's tenant ID or domain.` };
  const labels = value.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, message: "The tenant must be a tenant ID (a GUID) or a domain name made of letters, digits, hyphens and dots, like contoso.onmicrosoft.com." };
  }
  if (!/^[a-z][a-z0-9-]*$/.test(labels.at(-1)!) || /^\d+$/.test(labels.at(-1)!)) {
    return { ok: false, message: "The tenant's domain name must end in a top-level domain made of letters, like .com." };
  }
  return { ok: true, tenant: { kind: "domain", value } };
}

const LOCAL_PART = /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*$/;

/** A mailbox address that is safe in a Graph URL path (`/users/{address}`); the reason when it is not. */
export function mailboxProblem(raw: unknown, what: string): string | undefined {
  if (typeof raw !== "string" || !raw.trim()) return `Enter the ${what} address, like jane.agent@yourdomain.com.`;
  const value = raw.trim();
  if (value.length > 254) return `The ${what} address is too long: use at most 254 characters.`;
  const at = value.lastIndexOf("@");
  if (at <= 0 || value.indexOf("@") !== at) return `Enter the full ${what} address with one @, like jane.agent@yourdomain.com.`;
  const local = value.slice(0, at);
  if (local.length > 64 || !LOCAL_PART.test(local)) return `The part before the @ of the ${what} address can use unaccented letters, digits and . _ - + ' only.`;
  const domain = parseTenant(value.slice(at + 1));
  if (!domain.ok || domain.tenant.kind !== "domain") return `The domain of the ${what} address is not a valid domain name.`;
  return undefined;
}

