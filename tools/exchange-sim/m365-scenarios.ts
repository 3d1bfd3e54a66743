/**
 * The Microsoft 365 (Entra + Graph) scenarios. Token scenarios belong to a tenant; mailbox scenarios to a
 * mailbox (or, set on a tenant, to every mailbox in it). A request's scenario comes from, first match wins:
 *   1. an override (`setTenantScenario` / `setMailboxScenario`, or the `/__sim/m365/scenario` admin endpoint);
 *   2. the name: a tenant `<scenario>.sim.test` (e.g. `--tenant expired-secret.sim.test`); a mailbox whose
 *      domain is `<scenario>.sim.test` or whose local part is the scenario (`read-only-roles@healthy.sim.test`);
 *   3. otherwise `healthy`.
 * Texts are the real ones of shared/reference/m365-app-access.md §5.
 */
import { SIM_DOMAIN } from "./scenarios";

export const M365_TOKEN_SCENARIOS = {
  healthy: "OpenID configuration and token as Entra gives them; Graph answers every mailbox call.",
  "tenant-not-found": "The tenant does not exist: OpenID configuration and token answer 400 invalid_tenant AADSTS90002.",
  "app-not-in-tenant": "The app has no service principal in the tenant (never consented, or deleted): 400 unauthorized_client AADSTS700016.",
  "consent-missing": "The admin has not consented: 400 invalid_grant AADSTS65001.",
  "bad-secret": "Every client secret is refused: 401 invalid_client AADSTS7000215 (also any secret the app does not have).",
  "expired-secret": "The app's secrets are expired: 401 invalid_client AADSTS7000222 (also the app's expired secret, SIM_EXPIRED_CLIENT_SECRET).",
  "bad-certificate": "Every client assertion fails: 401 invalid_client AADSTS700027 (also one signed by a key the app does not have).",
  "conditional-access": "Conditional Access for workload identities blocks the app: 400 invalid_grant AADSTS53003.",
  "hung-token": "The token endpoint accepts the request and never answers.",
  "tenant-wide-grant": "The app also holds tenant-wide Entra grants: every mailbox is readable, including those outside the RBAC scope.",
} as const;

export const M365_MAILBOX_SCENARIOS = {
  "no-role-assignment": "No RBAC role assignment covers the mailbox: every Graph call answers 403 ErrorAccessDenied.",
  "read-only-roles": "Only the Read roles are assigned: reads succeed, creates and sendMail answer 403 ErrorAccessDenied.",
  "mailbox-not-enabled": "The mailbox is on-premises (hybrid tenant): 404 MailboxNotEnabledForRESTAPI.",
  "no-such-mailbox": "The mailbox does not exist in the tenant: 404 ErrorInvalidUser.",
  throttled: "Every call answers 429 ApplicationThrottled with Retry-After: 2.",
  "throttled-once": "The first call for the mailbox with each token answers 429 with Retry-After: 1; later calls succeed.",
} as const;

export const M365_SCENARIOS = { ...M365_TOKEN_SCENARIOS, ...M365_MAILBOX_SCENARIOS } as const;

export type M365TokenScenario = keyof typeof M365_TOKEN_SCENARIOS;
export type M365MailboxScenario = keyof typeof M365_MAILBOX_SCENARIOS;
export type M365ScenarioName = keyof typeof M365_SCENARIOS;
export const M365_SCENARIO_NAMES = Object.keys(M365_SCENARIOS) as M365ScenarioName[];

export function isM365Scenario(value: string): value is M365ScenarioName {
  return Object.hasOwn(M365_SCENARIOS, value);
}

export function isMailboxScenario(value: string): value is M365MailboxScenario {
  return Object.hasOwn(M365_MAILBOX_SCENARIOS, value);
}

/** The app every simulator tenant knows (a fixed GUID, like MoxiWorks's multi-tenant app). */
export const SIM_CLIENT_ID = "5f6c3e2a-8d1b-4c7e-9a2f-0b3d4e5f6a7b";
/** Its valid client secret, and one that expired (Entra answers AADSTS7000222 for it). */
export const SIM_CLIENT_SECRET = "Sim~Graph.Secret-8Q~w1n7ErVa1ue0123456789";
export const SIM_EXPIRED_CLIENT_SECRET = "Sim~Expired.Secret-2Q~0ldVa1ue0123456789";

/** The tenant domain that names a scenario: `<scenario>.sim.test`. */
export function tenantFor(scenario: M365ScenarioName): string {
  return `${scenario}.${SIM_DOMAIN}`;
}

/** A mailbox in the healthy tenant whose local part names a mailbox scenario. */
export function m365MailboxFor(scenario: M365MailboxScenario | "healthy", domain = tenantFor("healthy")): string {
  return scenario === "healthy" ? `agent@${domain}` : `${scenario}@${domain}`;
}

/** The scenario a tenant domain names (`<scenario>.sim.test`), if any. */
export function scenarioForTenantDomain(domain: string): M365ScenarioName | undefined {
  const d = domain.toLowerCase();
  if (!d.endsWith(`.${SIM_DOMAIN}`)) return undefined;
  const label = d.slice(0, -SIM_DOMAIN.length - 1).split(".").pop()!;
  return isM365Scenario(label) ? label : undefined;
}

/** The mailbox scenario an address names by its domain label or local part, if any. */
export function scenarioForMailbox(address: string): M365MailboxScenario | undefined {
  const a = address.toLowerCase();
  const at = a.lastIndexOf("@");
  const local = (at >= 0 ? a.slice(0, at) : a).split("+")[0]!;
  const fromDomain = at >= 0 ? scenarioForTenantDomain(a.slice(at + 1)) : undefined;
  if (fromDomain && isMailboxScenario(fromDomain)) return fromDomain;
  return isMailboxScenario(local) ? local : undefined;
}

/**
 * The RBAC scope every simulated tenant has: the "MoxiEngage agents" group holds every mailbox except those
 * whose local part starts with `admin` or `outside` (e.g. `admin@…`, `outside.reach@…`), the out-of-reach ones.
 */
export function isOutsideScope(address: string): boolean {
  const local = address.toLowerCase().split("@")[0]!;
  return local.startsWith("admin") || local.startsWith("outside");
}
