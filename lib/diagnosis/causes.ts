// The fixed vocabulary of causes. Findings, stored test runs and the UI all speak it;
// add to it only together with guidance for the new cause.

/** App access (Microsoft Graph + RBAC for Applications, DESIGN.md §9): causes that exist only where an app signs in. */
export const APP_ACCESS_CAUSE_NAMES = [
  "consent_required",
  "app_not_found",
  "client_secret_invalid",
  "client_secret_expired",
  "certificate_invalid",
  "app_access_denied",
  "app_scope_too_broad",
  "mailbox_not_enabled",
  /** Exchange Online's EWS block / retirement (not a server's EWS switch: that is ews_disabled). */
  "ews_blocked",
] as const;

/**
 * Causes only our own test can name, from what its client did (which scheme it offered, whether NTLM's third
 * message was refused). In someone else's pasted log the same failure reads as any refused sign-in: a wrong
 * password, a locked account and Extended Protection set to Require all get the same 401, so no text rule
 * names these and the real-world corpus cannot hold texts for them.
 */
export const PROBE_ONLY_CAUSES = ["ntlm_rejected", "auth_scheme_not_offered"] as const;

export const CAUSES = [
  "basic_auth_blocked",
  "mfa_required",
  "conditional_access",
  "bad_credentials",
  "password_expired",
  "account_disabled",
  /** Exchange Server with Windows authentication: the NTLM authenticate message got a 401 (password, lock-out or EPA). */
  "ntlm_rejected",
  /** The server does not offer the sign-in method chosen (NTLM chosen, Basic only; or Basic chosen, Windows only). */
  "auth_scheme_not_offered",
  "no_such_user",
  "impersonation_denied",
  "no_mailbox",
  "autodiscover_failed",
  "dns_failure",
  "tls_error",
  "timeout",
  "throttled",
  "ews_disabled",
  "oauth_app_misconfigured",
  "tenant_not_found",
  "server_error",
  // what the sync does once the mailbox is open (lib/exchange/items.ts)
  "send_denied",
  "mailbox_full",
  ...APP_ACCESS_CAUSE_NAMES,
  "unknown",
] as const;

export type Cause = (typeof CAUSES)[number];

export function isCause(value: unknown): value is Cause {
  return typeof value === "string" && (CAUSES as readonly string[]).includes(value);
}
