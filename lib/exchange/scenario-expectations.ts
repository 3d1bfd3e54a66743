import type { Cause } from "@/lib/diagnosis/causes";
import type { ScenarioName } from "@/tools/exchange-sim/scenarios";
import type { FailureCode } from "./failures";
import type { StageId } from "./steps";

/**
 * What a correct probe concludes for each simulator scenario (Autodiscover path), with the evidence the
 * failed step must show and the fewest sequential HTTP round trips that verdict needs. Used by the
 * integration tests and by bench/verdict.ts.
 */
export type Expectation = {
  outcome: "passed" | "failed";
  failedStage?: StageId;
  failure?: FailureCode;
  /** Must match the failed step's rendered text (or the whole log for passes). */
  evidence: RegExp;
  /** Sequential round trips a verdict needs; null where the verdict is a timeout. */
  minRoundTrips: number | null;
  /** What lib/diagnosis/diagnose-probe.ts concludes from the typed result (null: a pass). An SSRF-guard refusal is never dns_failure. */
  cause?: Cause | null;
};

/** What a full pass shows, in log order (the test run with sending ticked). */
const FULL_PASS =
  /Opened Inbox[\s\S]*Opened Contacts[\s\S]*Opened Calendar[\s\S]*Opened Sent Items[\s\S]*Listed the contacts[\s\S]*Created and deleted a contact[\s\S]*Read today's calendar view[\s\S]*Created and deleted an event[\s\S]*Sent "MoxiEngage connection test[\s\S]*Found "MoxiEngage connection test/;

/**
 * Expectations for the full test (sendTestMessage: true). Round trips: Autodiscover, the batched GetFolder, then
 * the sync's checks in two rounds (reads, creates and the send at once; the deletes and the Sent Items search).
 */
export const EXPECTED: Record<ScenarioName, Expectation> = {
  healthy: { outcome: "passed", evidence: FULL_PASS, cause: null, minRoundTrips: 4 },
  "basic-auth-blocked": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /HTTP 401[\s\S]*X-AutoDiscovery-Error: LiveIdBasicAuth:BasicAuthBlocked/, cause: "basic_auth_blocked", minRoundTrips: 1 },
  "mfa-required": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /HTTP 456[\s\S]*X-AutoDiscovery-Error: LiveIdBasicAuth:AppPasswordRequired/, cause: "mfa_required", minRoundTrips: 1 },
  "conditional-access": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /AADSTS53003: Access has been blocked by Conditional Access policies/, cause: "conditional_access", minRoundTrips: 1 },
  "wrong-password": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /HTTP 401[\s\S]*AADSTS50126/, cause: "bad_credentials", minRoundTrips: 1 },
  "expired-password": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /AADSTS50055: The password is expired/, cause: "password_expired", minRoundTrips: 1 },
  "account-disabled": { outcome: "failed", failedStage: "authenticate", failure: "http_unauthorized", evidence: /AADSTS50057: The user account is disabled/, cause: "account_disabled", minRoundTrips: 1 },
  "impersonation-denied": { outcome: "failed", failedStage: "impersonate", failure: "soap_fault", evidence: /ErrorImpersonateUserDenied: The account does not have permission to impersonate/, cause: "impersonation_denied", minRoundTrips: 2 },
  "no-mailbox": { outcome: "failed", failedStage: "impersonate", failure: "soap_fault", evidence: /ErrorNonExistentMailbox/, cause: "no_mailbox", minRoundTrips: 2 },
  "unknown-user": { outcome: "failed", failedStage: "autodiscover", failure: "autodiscover_user_error", evidence: /answered InvalidUser: Invalid user/, cause: "no_such_user", minRoundTrips: 1 },
  "autodiscover-not-found": { outcome: "failed", failedStage: "autodiscover", failure: "http_error", evidence: /HTTP 404 Not Found/, cause: "autodiscover_failed", minRoundTrips: 1 },
  "calendar-denied": { outcome: "failed", failedStage: "folder-calendar", failure: "ews_error", evidence: /ErrorAccessDenied for Calendar/, cause: "impersonation_denied", minRoundTrips: 2 },
  "ews-disabled": { outcome: "failed", failedStage: "authenticate", failure: "http_forbidden", evidence: /HTTP 403 Forbidden[\s\S]*EwsEnabled=False/, cause: "ews_disabled", minRoundTrips: 2 },
  throttled: { outcome: "failed", failedStage: "impersonate", failure: "soap_fault", evidence: /ErrorServerBusy[\s\S]*BackOffMilliseconds: 297749/, cause: "throttled", minRoundTrips: 2 },
  "throttled-503": { outcome: "failed", failedStage: "impersonate", failure: "http_error", evidence: /HTTP 503 Service Unavailable[\s\S]*Retry-After: 30/, cause: "throttled", minRoundTrips: 2 },
  hung: { outcome: "failed", failedStage: "autodiscover", failure: "timeout", evidence: /did not send a complete answer within \d+ ms/, cause: "timeout", minRoundTrips: null },
  "slow-drip": { outcome: "failed", failedStage: "autodiscover", failure: "timeout", evidence: /did not send a complete answer within \d+ ms/, cause: "timeout", minRoundTrips: null },
  "malformed-xml": { outcome: "failed", failedStage: "autodiscover", failure: "invalid_xml", evidence: /not well-formed XML/, cause: "server_error", minRoundTrips: 1 },
  oversized: { outcome: "failed", failedStage: "autodiscover", failure: "response_too_large", evidence: /passed the \d+-byte limit; the probe stopped reading/, cause: "server_error", minRoundTrips: 1 },
  "tls-wrong-name": { outcome: "failed", failedStage: "connect", failure: "tls_failed", evidence: /ERR_TLS_CERT_ALTNAME_INVALID/, cause: "tls_error", minRoundTrips: 2 },
  "tls-expired": { outcome: "failed", failedStage: "connect", failure: "tls_failed", evidence: /CERT_HAS_EXPIRED/, cause: "tls_error", minRoundTrips: 2 },
  "redirect-loop": { outcome: "failed", failedStage: "autodiscover", failure: "redirect_loop", evidence: /redirect loop/, cause: "autodiscover_failed", minRoundTrips: 3 },
  "redirect-to-metadata": { outcome: "failed", failedStage: "autodiscover", failure: "address_not_public", evidence: /Refused to connect to 169\.254\.169\.254: it is a link-local address/, cause: "autodiscover_failed", minRoundTrips: 1 },
  "ews-url-private": { outcome: "failed", failedStage: "connect", failure: "address_not_public", evidence: /Refused to connect to 10\.255\.0\.1: it is a private \(RFC 1918\) address/, cause: "autodiscover_failed", minRoundTrips: 1 },
  // The sync's own operations (lib/exchange/items.ts): a create's failure needs its one request after GetFolder,
  // a failing delete the create before it. A refused read or write reads as the role assignment's scope
  // (impersonation_denied); items that vanish have no cause of their own: the failed step carries the guidance.
  "contacts-read-only": { outcome: "failed", failedStage: "write-contact", failure: "contacts_write_denied", evidence: /ErrorAccessDenied when the test tried to create a contact[\s\S]*can read contacts but not create or delete them/, cause: "impersonation_denied", minRoundTrips: 3 },
  "calendar-read-only": { outcome: "failed", failedStage: "write-event", failure: "calendar_write_denied", evidence: /ErrorAccessDenied when the test tried to create an event[\s\S]*can read the calendar but not create or delete events/, cause: "impersonation_denied", minRoundTrips: 3 },
  "send-denied": { outcome: "failed", failedStage: "send-message", failure: "send_denied", evidence: /ErrorSendAsDenied when the test tried to send a message/, cause: "send_denied", minRoundTrips: 3 },
  "mailbox-full": { outcome: "failed", failedStage: "write-contact", failure: "mailbox_full", evidence: /ErrorQuotaExceeded[\s\S]*Mailbox has exceeded maximum mailbox size[\s\S]*over its storage quota/, cause: "mailbox_full", minRoundTrips: 3 },
  "sent-copy-missing": { outcome: "failed", failedStage: "find-sent", failure: "sent_copy_missing", evidence: /no message with its subject was in Sent Items/, cause: "unknown", minRoundTrips: 4 },
  "item-not-found": { outcome: "failed", failedStage: "write-contact", failure: "item_vanished", evidence: /ErrorItemNotFound when the test tried to delete the contact it had just created/, cause: "unknown", minRoundTrips: 4 },
  "redirect-address": { outcome: "passed", evidence: /RedirectAddress[\s\S]*Opened Inbox/, cause: null, minRoundTrips: 5 },
  // Exchange Server's IIS sign-in, with the probe's default (automatic) scheme: Basic first, NTLM when Basic is
  // not offered. NTLM signs in a connection: Autodiscover costs the Basic 401 plus negotiate and authenticate
  // (3), the GetFolder reuses that connection (1), the first round of the sync's checks opens new connections,
  // each with its handshake (2), the second round reuses them (1).
  "ntlm-only": { outcome: "passed", evidence: /does not offer Basic[\s\S]*signs in with NTLM[\s\S]*Accepted: this connection is now signed in[\s\S]*Opened Inbox/, cause: null, minRoundTrips: 7 },
  "basic-only": { outcome: "passed", evidence: FULL_PASS, cause: null, minRoundTrips: 4 },
  "ntlm-and-basic": { outcome: "passed", evidence: FULL_PASS, cause: null, minRoundTrips: 4 },
  "ntlm-wrong-password": { outcome: "failed", failedStage: "authenticate", failure: "ntlm_rejected", evidence: /NTLM message 3 of 3[\s\S]*a wrong password, a locked or disabled account, and Extended Protection[\s\S]*HTTP 401 Unauthorized/, cause: "ntlm_rejected", minRoundTrips: 3 },
  "ntlm-epa-required": { outcome: "failed", failedStage: "authenticate", failure: "ntlm_rejected", evidence: /NTLM message 3 of 3[\s\S]*Extended Protection for Authentication set to Require \(this client sends no channel binding\)[\s\S]*HTTP 401 Unauthorized/, cause: "ntlm_rejected", minRoundTrips: 3 },
};
