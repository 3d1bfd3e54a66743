// Our own tests know, in types, why they failed: each failure code has one cause here. The table is a
// Record over every FailureCode, so a new code in lib/exchange/failures.ts does not compile until it says
// what it means. Codes that only say "the server answered with an error" are refined from what the server
// itself said (its status, its own error code, its diagnostic headers), never from our log's wording.

import type { FailureCode } from "@/lib/exchange/failures";
import type { Cause } from "./causes";

export const FAILURE_CAUSES: Record<FailureCode, Cause> = {
  invalid_input: "unknown",
  // The outbound-call guard refused where Autodiscover (or a URL it returned) pointed: not a DNS problem.
  url_not_allowed: "autodiscover_failed",
  address_not_public: "autodiscover_failed",
  dns_failed: "dns_failure",
  connect_failed: "server_error",
  tls_failed: "tls_error",
  timeout: "timeout",
  deadline: "timeout",
  cancelled: "unknown",
  response_too_large: "server_error",
  protocol_error: "server_error",
  redirect_refused: "autodiscover_failed",
  redirect_loop: "autodiscover_failed",
  too_many_redirects: "autodiscover_failed",
  invalid_xml: "server_error",
  invalid_response: "server_error",
  http_unauthorized: "bad_credentials",
  ntlm_rejected: "ntlm_rejected",
  auth_scheme_not_offered: "auth_scheme_not_offered",
  http_forbidden: "ews_disabled",
  http_error: "server_error",
  autodiscover_user_error: "no_such_user",
  autodiscover_no_ews_url: "autodiscover_failed",
  autodiscover_failed: "autodiscover_failed",
  soap_fault: "server_error",
  ews_error: "server_error",
  // The sync's own operations: a refused read or write is the role assignment's scope.
  contacts_read_denied: "impersonation_denied",
  contacts_write_denied: "impersonation_denied",
  calendar_read_denied: "impersonation_denied",
  calendar_write_denied: "impersonation_denied",
  send_denied: "send_denied",
  mailbox_full: "mailbox_full",
  item_vanished: "unknown",
  sent_copy_missing: "unknown",
  // Microsoft Graph app access
  tenant_not_found: "tenant_not_found",
  tenant_mismatch: "tenant_not_found",
  consent_required: "consent_required",
  app_not_found: "app_not_found",
  client_secret_invalid: "client_secret_invalid",
  client_secret_expired: "client_secret_expired",
  certificate_invalid: "certificate_invalid",
  conditional_access: "conditional_access",
  token_failed: "oauth_app_misconfigured",
  app_access_denied: "app_access_denied",
  app_scope_too_broad: "app_scope_too_broad",
  mailbox_not_enabled: "mailbox_not_enabled",
  mailbox_not_found: "no_mailbox",
  throttled: "throttled",
  graph_error: "server_error",
  internal_error: "unknown",
};

const SIGN_IN: readonly Cause[] = [
  "basic_auth_blocked",
  "mfa_required",
  "conditional_access",
  "bad_credentials",
  "password_expired",
  "account_disabled",
  "no_such_user",
  "tenant_not_found",
  "oauth_app_misconfigured",
];
const APP: readonly Cause[] = [
  "consent_required",
  "app_not_found",
  "client_secret_invalid",
  "client_secret_expired",
  "certificate_invalid",
  "conditional_access",
  "tenant_not_found",
  "oauth_app_misconfigured",
];
const EWS_ANSWER: readonly Cause[] = [
  "impersonation_denied",
  "no_mailbox",
  "no_such_user",
  "throttled",
  "server_error",
  "oauth_app_misconfigured",
  "ews_disabled",
  "ews_blocked",
  "account_disabled",
  "mailbox_full",
  "send_denied",
];

/**
 * For codes that only say "the server said no", the causes the server's own words may turn them into.
 * A refinement outside this list is ignored (a 503 page that mentions a password is still a 503).
 */
export const REFINABLE: Readonly<Partial<Record<FailureCode, readonly Cause[]>>> = {
  http_unauthorized: SIGN_IN,
  http_forbidden: ["ews_disabled", "ews_blocked", "conditional_access", "impersonation_denied", "account_disabled", "basic_auth_blocked"],
  http_error: ["autodiscover_failed", "throttled", "timeout", "server_error", "ews_disabled", "ews_blocked", "mfa_required", "basic_auth_blocked", "no_mailbox"],
  soap_fault: EWS_ANSWER,
  ews_error: EWS_ANSWER,
  autodiscover_user_error: ["no_such_user", "no_mailbox", "server_error", "autodiscover_failed"],
  token_failed: APP,
  graph_error: [...APP, "app_access_denied", "mailbox_not_enabled", "no_mailbox", "throttled", "server_error"],
  invalid_response: ["server_error", "throttled"],
};

/** Codes whose own meaning is generic: the cause from the table is a guess, said with less confidence. */
export const GENERIC_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>([
  "http_error",
  "soap_fault",
  "ews_error",
  "invalid_response",
  "invalid_xml",
  "protocol_error",
  "connect_failed",
  "token_failed",
  "graph_error",
]);
