/**
 * The typed catalogue of reasons a probe step can fail. Steps carry `{ code, message }`; the code is stable
 * (tests and the UI key on it), the message is specific to the case (host, status, ms) and never raw stack text.
 */
export const FAILURE_TITLES = {
  invalid_input: "The input is not valid",
  url_not_allowed: "The URL was refused by the outbound-call guard",
  address_not_public: "The host resolves to a private, loopback or otherwise non-public address",
  dns_failed: "The host name could not be resolved",
  connect_failed: "A connection to the server could not be opened",
  tls_failed: "The server's TLS certificate could not be verified",
  timeout: "The server did not answer in time",
  deadline: "The test ran out of time",
  cancelled: "The test was cancelled",
  response_too_large: "The server's answer exceeded the size limit",
  protocol_error: "The connection broke before the answer was complete",
  redirect_refused: "A redirect was refused",
  redirect_loop: "Autodiscover redirected in a loop",
  too_many_redirects: "Autodiscover redirected too many times",
  invalid_xml: "The server's answer is not well-formed XML",
  invalid_response: "The server's answer is not the expected SOAP response",
  http_unauthorized: "The server rejected the credentials",
  ntlm_rejected: "The server refused the NTLM sign-in",
  auth_scheme_not_offered: "The server does not offer the chosen sign-in method",
  http_forbidden: "The server refused access",
  http_error: "The server answered with an HTTP error",
  autodiscover_user_error: "Autodiscover answered with an error for this mailbox",
  autodiscover_no_ews_url: "Autodiscover answered without an EWS URL",
  autodiscover_failed: "No Autodiscover URL returned an EWS URL",
  soap_fault: "EWS answered with a SOAP fault",
  ews_error: "EWS answered with an error",
  // What the sync does with the mailbox (lib/exchange/items.ts)
  contacts_read_denied: "The service account cannot read the test mailbox's contacts",
  contacts_write_denied: "The service account can read contacts but not create or delete them",
  calendar_read_denied: "The service account cannot read the test mailbox's calendar",
  calendar_write_denied: "The service account can read the calendar but not create or delete events",
  send_denied: "The service account cannot send mail from the test mailbox",
  mailbox_full: "The test mailbox is over its storage quota",
  item_vanished: "An item the test created was removed before the test could delete it",
  sent_copy_missing: "The test message did not appear in Sent Items",
  // Microsoft Graph app access (lib/graph)
  tenant_not_found: "The Microsoft 365 tenant does not exist",
  tenant_mismatch: "The tenant is not the one that granted consent",
  consent_required: "The tenant's administrator has not granted consent to the app",
  app_not_found: "The app is not present in the tenant",
  client_secret_invalid: "Entra refused the client secret",
  client_secret_expired: "The client secret has expired",
  certificate_invalid: "Entra refused the certificate credential",
  conditional_access: "Conditional Access blocked the app's token",
  token_failed: "Entra did not issue a token",
  app_access_denied: "Microsoft Graph refused the app access to the mailbox",
  app_scope_too_broad: "The app can reach a mailbox that must stay out of reach",
  mailbox_not_enabled: "The mailbox cannot be reached through Microsoft Graph",
  mailbox_not_found: "The mailbox does not exist in the tenant",
  throttled: "Microsoft Graph kept throttling the test",
  graph_error: "Microsoft Graph answered with an error",
  internal_error: "The probe hit an internal error",
} as const;

export type FailureCode = keyof typeof FAILURE_TITLES;

/**
 * What the server itself said, in its own codes: the diagnosis reads these (with the step's recorded
 * exchanges), never our message, so rewording a message cannot change a diagnosis.
 */
export type ServerSaid = {
  /** The HTTP status of the answer that failed the step. */
  status?: number;
  /** The server's own error code: an EWS ResponseCode / SOAP fault code, an Autodiscover ErrorCode, a Graph error code, `AADSTSnnnn`. */
  code?: string;
};

export type Failure = { code: FailureCode; message: string; server?: ServerSaid };

/** An error our own code throws; `message` is already safe to show (no secrets, no stack). */
export class ProbeError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = "ProbeError";
  }
  toFailure(): Failure {
    return { code: this.code, message: this.message };
  }
}

export function failure(code: FailureCode, message?: string, server?: ServerSaid): Failure {
  const f: Failure = { code, message: message ?? `${FAILURE_TITLES[code]}.` };
  if (server && (server.status !== undefined || server.code)) f.server = server;
  return f;
}

/** Server-supplied text as the end of one of our sentences: trimmed, one full stop. */
export function clause(text: string | undefined, fallback = "no message"): string {
  const t = (text ?? "").replace(/\s+/g, " ").trim().replace(/[.\s]+$/, "");
  return t ? t.slice(0, 500) : fallback;
}
