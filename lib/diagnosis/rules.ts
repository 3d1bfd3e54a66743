// The one rule catalogue. It reads our probe's log and pasted Remote Connectivity Analyzer (RCA) logs
// alike: both are text with the same real signals in them (HTTP statuses, response headers, AADSTS
// codes, EWS response codes, network error messages). Rules are data; `diagnose.ts` compiles them
// into lookup tables once and scans the log line by line.
//
// weight: how sure a single match makes us of the cause (0..1).
// strong: a specific signal. Weak rules (a bare HTTP status, a vague phrase) only count when no strong
//         rule matched anywhere, so "401" never outranks "BasicAuthBlocked" in the same log.

import type { Cause } from "./causes";

export type Signal =
  /** Case-insensitive substrings anywhere in a line. */
  | { kind: "phrase"; phrases: readonly string[] }
  /** Microsoft Entra (Azure AD) sign-in error codes, written `AADSTS50126`. */
  | { kind: "aadsts"; codes: readonly number[] }
  /** EWS response codes / SOAP fault codes, e.g. `ErrorImpersonateUserDenied`. */
  | { kind: "ews-code"; codes: readonly string[] }
  /** A response header line `Name: value` whose value contains one of the tokens (case-insensitive). */
  | { kind: "header"; header: string; values: readonly string[] }
  /** An HTTP status found in a status-bearing context ("HTTP/1.1 401", "(403) Forbidden", "X-BackEndHttpStatus: 456"). */
  | { kind: "status"; statuses: readonly number[] };

export interface Rule {
  id: string;
  cause: Cause;
  weight: number;
  strong: boolean;
  signal: Signal;
}

const phrase = (id: string, cause: Cause, weight: number, phrases: string[], strong = true): Rule => ({
  id,
  cause,
  weight,
  strong,
  signal: { kind: "phrase", phrases },
});
const aadsts = (id: string, cause: Cause, weight: number, codes: number[]): Rule => ({
  id,
  cause,
  weight,
  strong: true,
  signal: { kind: "aadsts", codes },
});
const ews = (id: string, cause: Cause, weight: number, codes: string[]): Rule => ({
  id,
  cause,
  weight,
  strong: true,
  signal: { kind: "ews-code", codes },
});
const header = (id: string, cause: Cause, weight: number, name: string, values: string[]): Rule => ({
  id,
  cause,
  weight,
  strong: true,
  signal: { kind: "header", header: name.toLowerCase(), values },
});
const status = (id: string, cause: Cause, weight: number, statuses: number[], strong = false): Rule => ({
  id,
  cause,
  weight,
  strong,
  signal: { kind: "status", statuses },
});

export const RULES: readonly Rule[] = [
  // --- basic authentication blocked -------------------------------------------------------------
  // X-AutoDiscovery-Error: LiveIdBasicAuth:BasicAuthBlocked:… (seed RCA log; MS-220 lab 5)
  phrase("autodiscovery-basic-auth-blocked", "basic_auth_blocked", 0.95, ["basicauthblocked"]),
  phrase("rca-basic-auth-blocked", "basic_auth_blocked", 0.95, [
    "basic authentication is blocked",
    "basic auth is blocked",
  ]),
  phrase("basic-auth-disabled", "basic_auth_blocked", 0.85, [
    "basic authentication is disabled",
    "basic authentication has been disabled",
    "basic auth is disabled",
    "basic authentication is no longer supported",
    "basic authentication is not supported",
    "basic authentication is not enabled",
    "basic authentication isn't enabled",
    "no longer supports basic authentication",
  ]),

  // --- MFA ---------------------------------------------------------------------------------------
  // X-AutoDiscovery-Error: LiveIdBasicAuth:AppPasswordRequired (seed RCA log, HTTP 456)
  phrase("autodiscovery-app-password-required", "mfa_required", 0.95, ["apppasswordrequired"]),
  phrase("rca-mfa-required", "mfa_required", 0.9, [
    "mfa is required",
    "does not currently support multi-factor authentication",
    "must use multi-factor authentication",
    "required to use multi-factor authentication",
  ]),
  aadsts("aadsts-mfa", "mfa_required", 0.9, [50076, 50079, 50074, 50072, 50158]),
  status("http-456", "mfa_required", 0.85, [456], true),
  phrase("mfa-mentioned", "mfa_required", 0.4, ["multi-factor authentication", "multifactor authentication"], false),

  // --- Conditional Access --------------------------------------------------------------------------
  aadsts("aadsts-conditional-access", "conditional_access", 0.95, [53003, 53000, 53001, 53002, 53004, 530032, 530034]),
  phrase("conditional-access-blocked", "conditional_access", 0.9, [
    "blocked by conditional access",
    "access policy does not allow token issuance",
    "blockedbyconditionalaccess",
  ]),

  // --- bad credentials ---------------------------------------------------------------------------
  aadsts("aadsts-invalid-credentials", "bad_credentials", 0.9, [50126, 50056]),
  phrase("invalid-username-or-password", "bad_credentials", 0.85, [
    "invalid username or password",
    "invalid user name or password",
    "the user name or password is incorrect",
    "wrong username or password",
    "incorrect user id or password",
    "invalidusernameorpassword",
  ]),
  phrase("invalid-credentials", "bad_credentials", 0.6, ["invalid credentials for", "error_logon_failure"]),
  status("http-401", "bad_credentials", 0.4, [401]),
  phrase("unauthorized", "bad_credentials", 0.35, ["unauthorizedexception", "unauthorizederror", "401 unauthorized"], false),

  // --- expired password ----------------------------------------------------------------------------
  aadsts("aadsts-password-expired", "password_expired", 0.95, [50055, 50144]),
  phrase("password-expired", "password_expired", 0.85, [
    "password is expired",
    "password has expired",
    "password expired",
    "invalidpasswordexpiredpassword",
    "must change password at next logon",
    "must change their password",
  ]),

  // --- disabled or locked account -------------------------------------------------------------------
  aadsts("aadsts-account-disabled", "account_disabled", 0.95, [50057, 500571]),
  aadsts("aadsts-account-locked", "account_disabled", 0.9, [50053]),
  phrase("account-disabled", "account_disabled", 0.85, [
    "account is disabled",
    "account has been disabled",
    "account is locked",
    "account has been locked",
    "tried to sign in too many times",
  ]),

  // --- no such user ------------------------------------------------------------------------------------
  aadsts("aadsts-unknown-user", "no_such_user", 0.9, [50034]),
  phrase("user-does-not-exist", "no_such_user", 0.8, [
    "user account does not exist",
    "the user account {emailhidden} does not exist",
    "user does not exist",
  ]),
  // Autodiscover SOAP <ErrorCode>InvalidUser</ErrorCode> / POX "The e-mail address cannot be found."
  phrase("autodiscover-invalid-user", "no_such_user", 0.75, [
    "<errorcode>invaliduser</errorcode>",
    "answered invaliduser",
    "errorcode: invaliduser",
    "the email address can't be found",
    "the e-mail address cannot be found",
  ]),

  // --- impersonation denied ----------------------------------------------------------------------------
  ews("ews-impersonate-user-denied", "impersonation_denied", 0.95, ["ErrorImpersonateUserDenied", "ErrorImpersonationDenied"]),
  ews("ews-impersonation-failed", "impersonation_denied", 0.75, ["ErrorImpersonationFailed"]),
  phrase("impersonation-permission", "impersonation_denied", 0.9, [
    "does not have permission to impersonate",
    "doesn't have permission to impersonate",
    "not allowed to impersonate",
  ]),
  ews("ews-access-denied", "impersonation_denied", 0.5, ["ErrorAccessDenied"]),

  // --- sending as the mailbox refused ----------------------------------------------------------------
  // ErrorSendAsDenied (EWS CreateItem reference); SendAsDeniedException.MapiExceptionSendAsDenied (SMTP 554 5.2.0)
  ews("ews-send-as-denied", "send_denied", 0.95, ["ErrorSendAsDenied"]),
  phrase("send-as-denied", "send_denied", 0.9, [
    "does not have the right to send mail on behalf of",
    "sendasdeniedexception",
    "mapiexceptionsendasdenied",
    "cannot send mail from the test mailbox",
  ]),

  // --- mailbox over its quota ----------------------------------------------------------------------------
  ews("ews-quota-exceeded", "mailbox_full", 0.95, ["ErrorQuotaExceeded"]),
  phrase("mailbox-size-exceeded", "mailbox_full", 0.85, ["mailbox has exceeded maximum mailbox size", "mailbox is over its storage quota", "mailbox is full"]),

  // --- no mailbox ----------------------------------------------------------------------------------------
  ews("ews-non-existent-mailbox", "no_mailbox", 0.9, ["ErrorNonExistentMailbox", "ErrorMailboxNotFound"]),
  ews("ews-invalid-smtp-address", "no_mailbox", 0.6, ["ErrorInvalidSmtpAddress"]),
  phrase("no-mailbox", "no_mailbox", 0.85, [
    "has no mailbox associated",
    "no mailbox with such guid",
    "does not have smtp address associated",
    "the mailbox doesn't exist",
    "mailbox does not exist",
  ]),

  // --- Autodiscover found nothing --------------------------------------------------------------------------
  phrase("autodiscover-not-located", "autodiscover_failed", 0.8, [
    "autodiscover service couldn't be located",
    "autodiscover service could not be located",
    "all steps in the autodiscover protocol failed",
    "autodiscoverfailed",
    "autodiscover settings weren't obtained",
    "autodiscover settings couldn't be obtained",
    "no autodiscover endpoint answered",
    // our probe's wording (lib/exchange/failures.ts)
    "no autodiscover url returned an ews url",
    "autodiscover answered without an ews url",
    "autodiscover redirected in a loop",
    "autodiscover redirected too many times",
  ]),
  phrase("autodiscover-step-failed", "autodiscover_failed", 0.55, [
    "failed to obtain an autodiscover xml response",
    "testing of this potential autodiscover url failed",
    "autodiscover request failed",
  ]),
  ews("autodiscover-user-setting-errors", "autodiscover_failed", 0.5, ["ErrorAutoDiscoverFailed"]),
  status("http-404", "autodiscover_failed", 0.35, [404]),

  // --- DNS -----------------------------------------------------------------------------------------------
  phrase("dns-not-resolved", "dns_failure", 0.85, [
    "enotfound",
    "getaddrinfo",
    "eai_again",
    "remote name could not be resolved",
    "couldn't be resolved in dns",
    "host name couldn't be resolved",
    "name or service not known",
    "could not resolve host",
    "name_not_resolved",
    "nodename nor servname provided",
    "no such host is known",
    "dns lookup failed",
    "infodomainnonexistent",
    "host name could not be resolved",
  ]),
  // The name resolves, but to an address the internet cannot reach (a DNS record pointing inside).
  phrase("dns-private-address", "dns_failure", 0.6, ["resolves to a private, loopback or otherwise non-public address"]),

  // --- TLS / certificates ------------------------------------------------------------------------------------
  phrase("tls-certificate", "tls_error", 0.85, [
    "self-signed certificate",
    "self signed certificate",
    "unable to verify the first certificate",
    "unable_to_verify_leaf_signature",
    "unable to get local issuer certificate",
    "certificate has expired",
    "cert_has_expired",
    "err_tls_cert_altname_invalid",
    "does not match certificate's altnames",
    "trust relationship for the ssl/tls secure channel",
    "could not create ssl/tls secure channel",
    "pkix path building failed",
    "certificate_verify_failed",
    "err_cert_authority_invalid",
    "the remote certificate is invalid",
    "certificate chain processed, but terminated in a root certificate",
    "ssl routines",
    "tls handshake failed",
    "wrong version number",
    "tls certificate could not be verified",
  ]),

  // --- timeouts ------------------------------------------------------------------------------------------------
  phrase("timeout", "timeout", 0.8, [
    "ms exceeded", // ews-javascript-api/axios: "timeout of 1000ms exceeded"
    "etimedout",
    "esockettimedout",
    "operation has timed out",
    "operation timed out",
    "read timed out",
    "connection timed out",
    "request timed out",
    "failed to respond",
    "did not properly respond after a period of time",
    "deadline exceeded",
    "timed out after",
    "did not answer in time",
    "the test ran out of time",
  ]),
  status("http-504", "timeout", 0.4, [504, 408]),

  // --- throttling ------------------------------------------------------------------------------------------------
  ews("ews-server-busy", "throttled", 0.9, ["ErrorServerBusy", "ErrorExceededConnectionCount", "ErrorTooManyObjectsOpened"]),
  phrase("throttling-budget", "throttled", 0.85, [
    "backoffmilliseconds",
    "throttling budget",
    "exceeded the available concurrent connections",
    "suggested backoff time",
    "too many requests",
  ]),
  header("retry-after", "throttled", 0.5, "retry-after", [""]),
  status("http-429", "throttled", 0.8, [429], true),
  status("http-503-throttled", "throttled", 0.3, [503]),

  // --- EWS switched off ----------------------------------------------------------------------------------------------
  phrase("ews-disabled", "ews_disabled", 0.8, [
    "ews is disabled",
    "ews has been disabled",
    "ews access is disabled",
    "ews access is blocked",
    "ewsenabled",
    "ewsallowedappids",
    "ewsapplicationaccesspolicy",
    "ewsblocklist",
    "scream test",
  ]),
  status("http-403", "ews_disabled", 0.4, [403]),

  // --- app / OAuth configuration --------------------------------------------------------------------------------------
  aadsts("aadsts-app-secret", "oauth_app_misconfigured", 0.9, [7000215, 7000222, 7000218, 700016, 700027, 700024, 65001, 500011, 70011, 7000112]),
  ews("ews-impersonation-header-oauth", "oauth_app_misconfigured", 0.85, ["ErrorInvalidExchangeImpersonationHeaderData"]),
  phrase("oauth-token", "oauth_app_misconfigured", 0.7, [
    "soap header must not exist for this type of oauth token",
    "soap header must be present for this type of oauth token",
    "the given token is invalid",
    "invalid client secret",
    "invalid_client",
  ]),
  // x-ms-diagnostics: 2000003;reason="The audience claim value is invalid 'aud'.";error_category="invalid_resource"
  header("x-ms-diagnostics-token", "oauth_app_misconfigured", 0.75, "x-ms-diagnostics", [
    "invalid_signature",
    "invalid_resource",
    "invalid_token",
    "expired_token",
    "insufficient_claims",
    "invalid_user",
    "2000000",
    "2000001",
    "2000002",
    "2000003",
    "2000008",
  ]),

  // --- tenant ---------------------------------------------------------------------------------------------------------------
  aadsts("aadsts-tenant", "tenant_not_found", 0.9, [90002, 90072, 900023, 50020, 50059, 90019]),
  header("x-ms-diagnostics-tenant", "tenant_not_found", 0.85, "x-ms-diagnostics", ["invalid_tenant", "2000004"]),
  phrase("tenant-not-found", "tenant_not_found", 0.8, ["invalid_tenant", "does not exist in tenant"]),

  // --- server-side errors ------------------------------------------------------------------------------------------------------
  ews("ews-server-error", "server_error", 0.65, [
    "ErrorInternalServerError",
    "ErrorMailboxStoreUnavailable",
    "ErrorMailboxMoveInProgress",
    "ErrorNoRespondingCASInDestinationSite",
    "ErrorProxyRequestProcessingFailed",
    "ErrorInternalServerTransientError",
  ]),
  phrase("server-error", "server_error", 0.6, [
    "an internal server error occurred",
    "none of the client access servers in the destination site could process the request",
    "federatedstsunreachable",
    "econnrefused",
    "econnreset",
    "socket hang up",
    "unable to connect to the remote server",
    "the underlying connection was closed",
    "invalid soap message",
    "a connection to the server could not be opened",
    "the connection broke before the answer was complete",
    "answer is not well-formed xml",
    "answer is not the expected soap response",
    "byte limit; the probe stopped reading",
  ]),
  status("http-5xx", "server_error", 0.4, [500, 502, 503]),
];

/**
 * Causes whose strong presence explains another finding: the explained one is kept but demoted
 * (Autodiscover fails *because* the account is blocked; that is not a second problem to fix).
 */
export const EXPLAINS: Readonly<Partial<Record<Cause, readonly Cause[]>>> = {
  basic_auth_blocked: ["autodiscover_failed", "bad_credentials", "ews_disabled"],
  mfa_required: ["autodiscover_failed", "bad_credentials", "basic_auth_blocked"],
  conditional_access: ["autodiscover_failed", "bad_credentials"],
  password_expired: ["autodiscover_failed", "bad_credentials"],
  account_disabled: ["autodiscover_failed", "bad_credentials"],
  no_such_user: ["autodiscover_failed", "bad_credentials"],
  bad_credentials: ["autodiscover_failed"],
  tenant_not_found: ["autodiscover_failed", "bad_credentials"],
  dns_failure: ["autodiscover_failed"],
  tls_error: ["autodiscover_failed", "server_error"],
  timeout: ["autodiscover_failed", "server_error"],
  throttled: ["server_error"],
};

/** Hosts that mean the mailbox is in Exchange Online (used when the caller does not know the track). */
export const EXCHANGE_ONLINE_HOST_MARKERS: readonly string[] = [
  "outlook.office365.com",
  "outlook.office.com",
  "autodiscover-s.outlook.com",
  "autodiscover.s.outlook.com",
  "login.microsoftonline.com",
  ".prod.outlook.com",
  "aadsts",
  "liveidbasicauth",
];

/** A test that passed overall: nothing to diagnose. */
export const PASS_VERDICTS: readonly string[] = [
  "connectivity test successful",
  "was tested successfully",
  "the test passed",
  "impersonation test passed",
  "outcome: passed",
  "result: passed",
  "test result: passed",
  "all checks passed",
];

/** A test that failed overall; outweighs a pass verdict elsewhere in the same text. */
export const FAIL_VERDICTS: readonly string[] = [
  "connectivity test failed",
  "the test failed",
  "impersonation test failed",
  "outcome: failed",
  "result: failed",
  "test result: failed",
];

/** Words that make a line look relevant when nothing else could be placed (evidence for `unknown`). */
export const RELEVANT_WORDS: readonly string[] = [
  "error",
  "fail",
  "denied",
  "unauthori",
  "forbidden",
  "exception",
  "invalid",
  "refused",
  "not found",
  "couldn't",
  "could not",
  "unable",
  "blocked",
  "http ",
];
