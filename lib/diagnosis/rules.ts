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
    "basic auth has been disabled",
    "basic authentication has been turned off",
    "decommission the basic authentication",
    "stop supporting basic authentication",
  ]),
  // The same retirement as other clients, Microsoft's notices and Exchange Online's SMTP AUTH word it.
  phrase("basic-auth-retired", "basic_auth_blocked", 0.85, [
    "basic authentication is deprecated",
    "basic auth is deprecated",
    "basic authentication has been deprecated",
    "basic auth has been deprecated",
    "deprecation of basic authentication",
    "basic authentication deprecation",
    "basic auth deprecation",
    "basic authentication has been retired",
    "basic authentication is retired",
    "retirement of basic authentication",
    "basic authentication was turned off",
    "basic auth has been turned off",
    "turned off basic authentication",
    "basic authentication no longer works",
    "smtpclientauthentication is disabled",
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
  // Exchange Online's SMTP AUTH "535 5.7.139 … the user credentials were incorrect": a wrong password, said by the server.
  phrase("server-says-credentials-incorrect", "bad_credentials", 0.85, ["the user credentials were incorrect"]),
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
  // EWS's own code, and how Windows, Kerberos and Entra's "Block sign-in" word a disabled or locked-out account.
  ews("ews-account-disabled", "account_disabled", 0.9, ["ErrorAccountDisabled"]),
  phrase("account-locked-out", "account_disabled", 0.85, [
    "account is currently locked out",
    "account has been locked out",
    "account is locked out",
    "error_account_disabled",
    "error_account_locked_out",
    "kdc_err_client_revoked",
    "sign-in is blocked",
  ]),

  // --- no such user ------------------------------------------------------------------------------------
  aadsts("aadsts-unknown-user", "no_such_user", 0.9, [50034]),
  phrase("user-does-not-exist", "no_such_user", 0.8, [
    "user account does not exist",
    "the user account {emailhidden} does not exist",
    "user does not exist",
    "the account must be added to the directory",
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
  // ErrorAccessDenied's own message, as clients print it without the code.
  phrase("access-denied-message", "impersonation_denied", 0.5, ["access is denied. check credentials and try again"]),

  // --- sending as the mailbox refused ----------------------------------------------------------------
  // ErrorSendAsDenied (EWS CreateItem reference); SendAsDeniedException.MapiExceptionSendAsDenied (SMTP 554 5.2.0)
  ews("ews-send-as-denied", "send_denied", 0.95, ["ErrorSendAsDenied"]),
  phrase("send-as-denied", "send_denied", 0.9, [
    "you do not have the permission to send the message on behalf of",
    "does not have the right to send mail on behalf of",
    "sendasdeniedexception",
    "mapiexceptionsendasdenied",
    "cannot send mail from the test mailbox",
  ]),

  // --- mailbox over its quota ----------------------------------------------------------------------------
  ews("ews-quota-exceeded", "mailbox_full", 0.95, ["ErrorQuotaExceeded"]),
  phrase("mailbox-size-exceeded", "mailbox_full", 0.85, ["mailbox has exceeded maximum mailbox size", "mailbox is over its storage quota", "mailbox is full", "verdict is refusequota"]),

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
  // The EWS Managed API's and its ports' (Java, JavaScript) own Autodiscover failures, exchangelib's redirect loop.
  phrase("autodiscover-client-words", "autodiscover_failed", 0.75, [
    "the autodiscover service returned an error",
    "autodiscover blocked a potentially insecure redirection",
    "autodiscoverremoteexception",
    "autodiscovercircularredirect",
    "no appropriate autodiscover soap or ws-security endpoint",
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
    // Node's ENOTFOUND, bounded: inside a word it is part of a class name ("DatabaseNotFoundException")
    " enotfound",
    "'enotfound'",
    '"enotfound"',
    "(enotfound",
    "[enotfound",
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
    "error resolving hostname",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "unknownhostexception",
    // Go, nslookup/dig, urllib3
    ": no such host",
    "nxdomain",
    "server can't find",
    "nameresolutionerror",
  ]),
  // The name resolves, but to an address the internet cannot reach: our outbound-call guard refused it. That is
  // not a DNS failure: Autodiscover (or the URL given) points somewhere only an internal network can reach.
  phrase("guard-private-address", "autodiscover_failed", 0.6, [
    "resolves to a private, loopback or otherwise non-public address",
    "refused by the outbound-call guard",
    "only public addresses are allowed",
  ]),

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
    "certificate verify failed",
    "sslcertverificationerror",
    "certificate did not match expected hostname",
    "ssl certificate name mismatch",
    "name of the security certificate is invalid",
    "the certificate authority is invalid or incorrect",
    "sun.security.validator.validatorexception",
    // other TLS stacks: Go, .NET (SslStream / SChannel), Java (JSSE), curl and PHP, Node, browsers (NSS, Chromium)
    "x509: certificate signed by unknown authority",
    "x509: certificate has expired",
    "x509: certificate is valid for",
    "the ssl connection could not be established",
    "remotecertificatenamemismatch",
    "remotecertificatechainerrors",
    "authentication failed because the remote party has closed the transport stream",
    "the handshake failed due to an unexpected packet format",
    "sslhandshakeexception",
    "unable to find valid certification path to requested target",
    "no subject alternative names matching",
    "no subject alternative dns name matching",
    "received fatal alert: handshake_failure",
    "ssl certificate problem",
    "no alternative certificate subject name matches",
    "schannel: next initializesecuritycontext failed",
    "sec_e_untrusted_root",
    "cert_e_cn_no_match",
    "unable_to_get_issuer_cert_locally",
    "depth_zero_self_signed_cert",
    "self_signed_cert_in_chain",
    "sec_error_unknown_issuer",
    "err_cert_date_invalid",
    "err_cert_common_name_invalid",
    "sslv3 alert handshake failure",
    // TLS version or cipher mismatch: .NET SChannel, Java, Go, Python, curl
    "do not possess a common algorithm",
    "received fatal alert: protocol_version",
    "remote error: tls:",
    "eof occurred in violation of protocol",
    "ssl connect error",
  ]),

  // .NET's "The underlying connection was closed: An unexpected error occurred on a send" (or "on a receive"): the
  // TLS handshake failed, nearly always a TLS version the client (.NET Framework before 4.7 defaults) or server refuses.
  phrase("dotnet-tls-handshake-closed", "tls_error", 0.7, ["the underlying connection was closed: an unexpected error occurred"]),

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
    "timed out while waiting for a reply",
    "network is unreachable",
    "no route to host",
    "ehostunreach",
    "enetunreach",
    "timeoutexception",
    "sockettimeoutexception",
    // Java, Go, Python requests/urllib3, .NET HttpClient, libcurl
    "connect timed out",
    "i/o timeout",
    "readtimeouterror",
    "connecttimeouterror",
    "httpclient.timeout",
    "timeout was reached",
  ]),
  status("http-504", "timeout", 0.4, [504, 408]),

  // --- throttling ------------------------------------------------------------------------------------------------
  ews("ews-server-busy", "throttled", 0.9, ["ErrorServerBusy", "ErrorExceededConnectionCount", "ErrorTooManyObjectsOpened"]),
  phrase("throttling-budget", "throttled", 0.85, [
    "backoffmilliseconds",
    "throttling budget",
    "exceeded the available concurrent connections",
    "suggested backoff time",
    "exceeds the throttling budget",
    "you have exceeded the available concurrent connections",
    // ErrorServerBusy's own message, as clients print it without the code
    "the server cannot service this request right now",
    // ErrorTooManyObjectsOpened's own message (EWS ResponseCode reference), with its full stop
    "too many concurrent connections opened.",
  ]),
  // A Retry-After header printed inside JSON or a Python dict (Graph SDK logs, exchangelib's "Response headers: {…}"):
  // the same weight as the header on its own line.
  phrase("retry-after-in-dict", "throttled", 0.5, ['"retry-after":', '\\"retry-after\\":', "'retry-after':"]),
  // Prose says "too many requests" about anything; alone it is only a hint.
  phrase("too-many-requests-words", "throttled", 0.4, ["too many requests"], false),
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
    "ewsapplicationaccesspolicy",
    "ewsblocklist",
    "disabling ews connectivity",
    "ews protocol is disabled",
  ]),
  // Exchange Online's EWS retirement: blocked from 1 October 2026 unless the app is on EWSAllowedAppIDs, off on 1 April 2027.
  phrase("exchange-online-ews-block", "ews_blocked", 0.9, [
    "ewsallowedappids",
    "scream test",
    "blocking all ews calls",
    "blocking ews requests",
    "block all ews traffic",
    "ews requests to exchange online will fail",
    "enabling ews without an allow list",
    "ews retirement",
    "ews deprecation",
    "ews fully disabled in exchange online",
  ]),
  status("http-403", "ews_disabled", 0.4, [403]),

  // --- app access (app-only OAuth to Entra and Microsoft Graph) -------------------------------------------------------
  aadsts("aadsts-consent", "consent_required", 0.92, [65001, 90094, 65004, 90008]),
  phrase("consent-words", "consent_required", 0.85, [
    "has not consented to use the application",
    "adminconsentrequired",
    "administrator consent is required",
    "need admin approval",
    "needs permission to access resources in your organization that only an admin can grant",
  ]),
  aadsts("aadsts-app-not-found", "app_not_found", 0.92, [700016, 70001, 7000112, 50194]),
  phrase("app-not-found-words", "app_not_found", 0.85, [
    "was not found in the directory",
    "isn't configured as a multitenant application",
  ]),
  aadsts("aadsts-secret-invalid", "client_secret_invalid", 0.93, [7000215, 7000218]),
  phrase("secret-invalid-words", "client_secret_invalid", 0.88, [
    "invalid client secret",
    "client secret is provided",
    "must contain the following parameter: 'client_assertion' or 'client_secret'",
  ]),
  aadsts("aadsts-secret-expired", "client_secret_expired", 0.95, [7000222]),
  phrase("secret-expired-words", "client_secret_expired", 0.9, ["client secret keys are expired", "client secret keys for app"]),
  aadsts("aadsts-certificate", "certificate_invalid", 0.92, [700027, 700024, 700021, 700212, 50027, 50013]),
  phrase("certificate-words", "certificate_invalid", 0.88, [
    "client assertion contains an invalid signature",
    "client assertion is not within its valid time range",
    "client assertion failed signature validation",
    "assertion failed signature validation",
    "client assertion audience claim does not match",
    "certificate with identifier used to sign the client assertion",
  ]),
  // Graph's own refusal of an app's access to a mailbox (RBAC for Applications / application access policy). EWS says
  // ErrorAccessDenied too; the Graph markers below (and rank()'s Graph context) tell them apart.
  phrase("graph-access-denied", "app_access_denied", 0.8, [
    "access to odata is disabled",
    "access is denied to the requested resource",
    "graphserviceexception: error code: erroraccessdenied",
    "serviceexception: code: erroraccessdenied",
    "\"code\": \"erroraccessdenied\"",
    "\"code\":\"erroraccessdenied\"",
    "notallowedbyapplicationaccesspolicy",
    "refused the app access to",
  ]),
  phrase("app-scope-words", "app_scope_too_broad", 0.8, [
    "access all mailboxes in a organization",
    "access all the mailboxes in the organization",
    "read mail in all mailboxes",
    "read email from every mailbox",
    "default mailbox access behavior",
    "can reach a mailbox that must stay out of reach",
    "tenant-wide mailbox permission",
  ]),
  phrase("graph-mailbox-not-enabled", "mailbox_not_enabled", 0.9, [
    "mailboxnotenabledforrestapi",
    "mailboxnotsupportedforrestapi",
    "the mailbox is either inactive, soft-deleted, or is hosted on-premise",
    "rest api is not yet supported for this mailbox",
  ]),
  // What is left of app configuration: the resource, the scope, EWS's OAuth headers, Exchange's token diagnostics.
  aadsts("aadsts-app-config", "oauth_app_misconfigured", 0.9, [500011, 70011]),
  ews("ews-impersonation-header-oauth", "oauth_app_misconfigured", 0.85, ["ErrorInvalidExchangeImpersonationHeaderData"]),
  phrase("oauth-token", "oauth_app_misconfigured", 0.7, [
    "soap header must not exist for this type of oauth token",
    "soap header must be present for this type of oauth token",
    "the given token is invalid",
  ]),
  // `invalid_client` alone names no cause: Entra says it for a wrong redirect URI as much as for a bad secret.
  phrase("oauth-invalid-client", "oauth_app_misconfigured", 0.3, ["invalid_client"], false),
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
    "econnrefused",
    "econnreset",
    "socket hang up",
    // the same refusal or cut as other stacks word it: Java, Python, curl, Go
    "connection refused",
    "connection reset by peer",
    "connection reset",
    "remote end closed connection",
    "recv failure",
    // Windows sockets (.NET, PowerShell): WSAECONNREFUSED, WSAECONNRESET
    "target machine actively refused it",
    "an existing connection was forcibly closed by the remote host",
    "unable to connect to the remote server",
    "the underlying connection was closed",
    "invalid soap message",
    "a connection to the server could not be opened",
    "the connection broke before the answer was complete",
    "answer is not well-formed xml",
    "answer is not the expected soap response",
    "byte limit; the probe stopped reading",
    // Exchange's store answering with its own internal error (an EWS ServiceResponseException carrying a MAPI exception)
    "microsoft.mapi.mapiexception",
    // Exchange Online's own mailbox-location errors while a mailbox moves (Microsoft365DSC log)
    "mailboxinfostaleexception",
    "serverinmmexception",
  ]),
  // X-AutoDiscovery-Error: LiveIdBasicAuth:FederatedStsUnreachable: Exchange Online could not reach the organisation's
  // federation server (AD FS). It names the failing server, so it outranks the reason quoted after it (often .NET's TLS
  // "underlying connection was closed", which is AD FS's TLS, not the client's).
  phrase("federated-sts-unreachable", "server_error", 0.8, ["federatedstsunreachable"]),
  status("http-5xx", "server_error", 0.4, [500, 502, 503]),
];

/**
 * Causes whose strong presence explains another finding: the explained one is kept but demoted
 * (Autodiscover fails *because* the account is blocked; that is not a second problem to fix).
 */
export const EXPLAINS: Readonly<Partial<Record<Cause, readonly Cause[]>>> = {
  basic_auth_blocked: ["autodiscover_failed", "bad_credentials", "ews_disabled"],
  mfa_required: ["autodiscover_failed", "bad_credentials"],
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
  ews_blocked: ["ews_disabled", "server_error"],
  mailbox_full: ["server_error"],
  send_denied: ["server_error"],
  consent_required: ["oauth_app_misconfigured", "bad_credentials"],
  app_not_found: ["oauth_app_misconfigured", "bad_credentials", "tenant_not_found"],
  client_secret_invalid: ["oauth_app_misconfigured", "bad_credentials"],
  client_secret_expired: ["oauth_app_misconfigured", "bad_credentials", "client_secret_invalid"],
  certificate_invalid: ["oauth_app_misconfigured", "bad_credentials"],
  app_access_denied: ["impersonation_denied", "ews_disabled"],
  mailbox_not_enabled: ["no_mailbox", "server_error"],
};

/**
 * Entra sign-in errors that have nothing to do with a mailbox (redirect URIs, browser sessions, response types):
 * when a text carries one and no cause of ours is named strongly, the answer is "unknown", not a guess.
 */
export const UNRELATED_AADSTS: readonly number[] = [50011, 700054, 700051, 50058, 16000, 50173, 500014, 5000224, 900144];

/** Markers of Microsoft Graph (or its SDKs) in a text: ErrorAccessDenied there is the app's access, not EWS impersonation. */
export const GRAPH_MARKERS: readonly string[] = [
  "graph.microsoft.com",
  "microsoft.graph",
  "msgraph",
  "graphserviceexception",
  "odataerror",
  "x-ms-ags-diagnostic",
  "get-mguser",
  "new-mguser",
];

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
