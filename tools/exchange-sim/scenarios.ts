/**
 * The simulator's scenarios. A request is matched to one by the address it names (see `scenarioForAddress`):
 * the test mailbox's domain `<scenario>.sim.test` (e.g. `alice@expired-password.sim.test`), or a local part that
 * is a scenario name (`expired-password@contoso.test`), checked for the test mailbox first and then the service
 * account. Anything else is `healthy`. A per-address override (`setScenarioFor`) wins over all of that.
 */
export const SIM_DOMAIN = "sim.test";

/** The one password the simulator accepts; any other gets the wrong-password answer. */
export const SIM_PASSWORD = "Sim-Passw0rd!";

export const SCENARIOS = {
  healthy: "Autodiscover returns the EWS URL; as the impersonated mailbox every folder opens and contacts, events and mail can be read, created, deleted and sent.",
  "basic-auth-blocked": "401 with X-AutoDiscovery-Error …BasicAuthBlocked (Exchange Online, basic auth off).",
  "mfa-required": "456 with X-AutoDiscovery-Error …AppPasswordRequired (MFA enforced on the service account).",
  "conditional-access": "401 with AADSTS53003: access blocked by Conditional Access policies.",
  "wrong-password": "401: the user name or password is wrong (also any request whose password is not SIM_PASSWORD).",
  "expired-password": "401 with AADSTS50055: the service account's password is expired.",
  "account-disabled": "401 with AADSTS50057: the service account is disabled.",
  "impersonation-denied": "EWS 500 SOAP fault ErrorImpersonateUserDenied.",
  "no-mailbox": "EWS 500 SOAP fault ErrorNonExistentMailbox.",
  "unknown-user": "Autodiscover answers UserResponse ErrorCode InvalidUser.",
  "autodiscover-not-found": "Every Autodiscover URL answers 404 (IIS page).",
  "calendar-denied": "Every operation on the Calendar (GetFolder, FindItem, CreateItem, DeleteItem) answers ErrorAccessDenied; other folders are fine.",
  "contacts-read-only": "Contacts can be opened and listed; CreateItem and DeleteItem there answer ErrorAccessDenied.",
  "calendar-read-only": "The Calendar can be opened and viewed; CreateItem and DeleteItem there answer ErrorAccessDenied.",
  "send-denied": "CreateItem of a message with MessageDisposition SendOnly or SendAndSaveCopy answers ErrorSendAsDenied.",
  "mailbox-full": "Every CreateItem answers ErrorQuotaExceeded (Mailbox has exceeded maximum mailbox size).",
  "sent-copy-missing": "Messages are sent, but no copy is kept in Sent Items (as when a rule moves or deletes sent mail).",
  "item-not-found": "Items are removed as soon as they are created: GetItem and DeleteItem of them answer ErrorItemNotFound.",
  "ews-disabled": "EWS answers 403 Forbidden (EWS disabled by policy).",
  throttled: "EWS 500 SOAP fault ErrorServerBusy with BackOffMilliseconds.",
  "throttled-503": "EWS 503 Service Unavailable with Retry-After.",
  hung: "Every endpoint accepts the request and never answers.",
  "slow-drip": "Every endpoint sends headers, then one byte every 250 ms, forever.",
  "malformed-xml": "Every endpoint answers 200 with truncated, unparseable XML.",
  oversized: "Every endpoint answers 200 and streams 50 MB of XML.",
  "tls-wrong-name": "Autodiscover points EWS at a server whose certificate names another host.",
  "tls-expired": "Autodiscover points EWS at a server whose certificate has expired.",
  "redirect-loop": "Autodiscover POST answers 302 between two URLs forever.",
  "redirect-to-metadata": "Autodiscover POST answers 302 to https://169.254.169.254/ (cloud metadata).",
  "ews-url-private": "Autodiscover returns an EWS URL on a private address (https://10.255.0.1/EWS/Exchange.asmx).",
  "redirect-address": "Autodiscover answers RedirectAddress to the same user at healthy.sim.test, which then succeeds.",
  // Exchange Server's IIS virtual directories (EWS and Autodiscover): which schemes are on (tools/exchange-sim/ntlm.ts)
  "ntlm-only": "Windows authentication only (WWW-Authenticate: Negotiate, NTLM), as Exchange Server ships: the NTLMv2 response is checked against SIM_PASSWORD; Basic is refused.",
  "basic-only": "Basic authentication only (WWW-Authenticate: Basic realm=…): an NTLM negotiate gets the same 401 without a challenge.",
  "ntlm-and-basic": "Both Basic and Windows authentication are on (WWW-Authenticate: Negotiate, NTLM, Basic).",
  "ntlm-wrong-password": "Windows authentication only, and the account's password in the directory is not SIM_PASSWORD: every NTLM authenticate message gets IIS's 401.",
  "ntlm-epa-required": "Windows authentication only with Extended Protection set to Require: an authenticate message without a channel binding (MsvAvChannelBindings) gets the same 401, whatever the password.",
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(value: string): value is ScenarioName {
  return Object.hasOwn(SCENARIOS, value);
}

/** The test address for a scenario, in the domain scheme: `user@<scenario>.sim.test`. */
export function mailboxFor(scenario: ScenarioName, localPart = "agent"): string {
  return `${localPart}@${scenario}.${SIM_DOMAIN}`;
}

/** The scenario an address names, or undefined when it names none. */
export function scenarioForAddress(address: string | undefined): ScenarioName | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf("@");
  const local = (at >= 0 ? address.slice(0, at) : address).toLowerCase().split("+")[0]!;
  const domain = at >= 0 ? address.slice(at + 1).toLowerCase() : "";
  if (domain.endsWith(`.${SIM_DOMAIN}`)) {
    const label = domain.slice(0, -SIM_DOMAIN.length - 1).split(".").pop()!;
    if (isScenarioName(label)) return label;
  }
  if (isScenarioName(local)) return local;
  return undefined;
}
