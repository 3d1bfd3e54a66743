/**
 * The messages people see when something goes wrong — never raw exception text. Each code has one message;
 * details go to the log.
 */
export const ERRORS = {
  invalid_input: "Some fields need your attention.",
  not_signed_in: "Your session has ended. Please sign in again.",
  forbidden: "You do not have access to this.",
  cross_site: "This request did not come from this site, so it was refused.",
  rate_limited: "Too many attempts. Please wait a few minutes and try again.",
  sign_in_failed: "That email and password do not match an active account.",
  code_invalid: "That code is not valid. Check the time on your authenticator app and try again.",
  not_found: "We could not find that onboarding.",
  illegal_transition: "That change is not possible in the onboarding's current state.",
  reason_required: "Please give a reason.",
  stale: "Someone else changed this onboarding just now. Reload the page and try again.",
  link_unusable: "That link can no longer be changed.",
  internal: "Something went wrong on our side. Nothing was lost; please try again.",
  // credentials (issue 5)
  verification_running: "We are testing the details you saved right now. Wait for the test to finish (usually under a minute), then submit again.",
  no_credential: "There are no saved credentials for this onboarding.",
  credential_unreadable: "The saved credentials could not be opened. TechOps has been alerted; please ask them to run keys:check.",
  reauth_failed: "Your password or authenticator code was not accepted.",
  token_missing: "Send a service token in the Authorization header: Bearer <token>.",
  token_invalid: "The service token is not valid, or has been revoked.",
  mfa_required_for_techops: "This needs a multi-factor sign-in from the last 15 minutes: sign out and sign in again with your company account (with MFA), or enter a code from your authenticator app.",
  metrics_token_invalid: "Send the metrics token in the Authorization header: Bearer <METRICS_TOKEN>.",
  token_scope: "This service token is not allowed to read credentials.",
  not_verified: "This onboarding's credentials have not been verified yet.",
  // Microsoft 365 app access (issue 12)
  consent_required: "Grant MoxiEngage consent in Microsoft 365 first (and wait until the workspace shows it as confirmed).",
  app_access_not_configured: "App access is not set up on this server. Contact MoxiWorks onboarding.",
  certificate_required: "Generate the certificate first, then upload it to your app registration.",
  certificate_not_found: "That certificate is not in this workspace any more: a newer one replaced it. Download the one the page shows.",
  own_app_details_required: "Enter your tenant and your app's Application (client) ID, and generate the certificate, before running the test.",
  not_submittable: "This onboarding cannot be submitted in its current state.",
  no_such_endpoint: "There is no API at this address. The service API is GET /api/v1/credentials/<onboarding id>.",
  // support access with the brokerage's approval (issue 24)
  access_unknown: "We could not find that access request.",
  access_pending: "The brokerage has not answered this request yet, so the credential cannot be shown.",
  access_declined: "The brokerage declined this request, so the credential cannot be shown.",
  access_revoked: "The brokerage withdrew this approval, so the credential cannot be shown.",
  access_expired: "This request or approval has expired. Ask the brokerage again if you still need access.",
  access_used: "This single-use approval has already been used. Ask the brokerage again if you need to see the credential once more.",
  access_answered: "This request has already been answered.",
  access_techops: "TechOps use the break-glass reveal; no request to the brokerage is needed.",
  access_open: "You already have an open request or approval for this brokerage.",
  access_brokerage_only: "Only the brokerage's own workspace link can answer access requests.",
  // route handlers (lib/http/api.ts)
  too_large: "The request is too large.",
  invalid_json: "The request is not valid JSON.",
  invalid_request: "The request is not valid.",
  link_session_ended: "Your session has ended. Open your link again.",
  saved_brokerage_only: "Only the brokerage can test the saved details.",
  no_saved_credential: "There are no saved details to test yet.",
  tests_rate_limited: "Too many tests in a short time. Please wait a few minutes and try again.",
  lookups_rate_limited: "Too many lookups in a short time. Please wait a few minutes and try again.",
  invalid_address: "That does not look like an email address or domain.",
  test_failed_to_run: "The test could not be run. Please try again.",
  // agents' roster (issue 16)
  roster_check_running: "A check of the agents' mailboxes is running. Wait for it to finish or cancel it first; your saved list is unchanged.",
  roster_empty: "There is no address to check: paste the agents' addresses first.",
  no_verified_access: "The agents' mailboxes are checked with your verified access: finish and pass the connection test first.",
  // security incidents (issue 21)
  incident_empty: "No verified brokerage matches that selection, so there is nobody to notify.",
  incident_count_changed: "The affected brokerages changed since you reviewed them. Review the count again before confirming.",
  incident_closed: "This incident is closed; nothing more can be done with it.",
  incident_not_closable: "The incident can close only when every affected brokerage has rotated, been revoked, or been excepted with a reason.",
  incident_not_found: "We could not find that incident.",
} as const;
export type ErrorCode = keyof typeof ERRORS;

export function messageFor(code: ErrorCode): string {
  return ERRORS[code];
}

/** The HTTP status a route handler answers each code with (lib/http/api.ts); codes not listed are 400. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  not_signed_in: 401,
  link_session_ended: 401,
  token_missing: 401,
  token_invalid: 401,
  metrics_token_invalid: 401,
  reauth_failed: 401,
  forbidden: 403,
  mfa_required_for_techops: 403,
  cross_site: 403,
  saved_brokerage_only: 403,
  token_scope: 403,
  not_found: 404,
  incident_not_found: 404,
  incident_closed: 409,
  incident_not_closable: 409,
  incident_count_changed: 409,
  no_such_endpoint: 404,
  no_credential: 404,
  certificate_not_found: 404,
  not_verified: 409,
  stale: 409,
  illegal_transition: 409,
  verification_running: 409,
  no_saved_credential: 409,
  consent_required: 409,
  own_app_details_required: 409,
  roster_check_running: 409,
  no_verified_access: 409,
  too_large: 413,
  rate_limited: 429,
  tests_rate_limited: 429,
  lookups_rate_limited: 429,
  internal: 500,
  credential_unreadable: 500,
  test_failed_to_run: 500,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}
