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
  token_scope: "This service token is not allowed to read credentials.",
  not_verified: "This onboarding's credentials have not been verified yet.",
  // Microsoft 365 app access (issue 12)
  consent_required: "Grant MoxiEngage consent in Microsoft 365 first (and wait until the workspace shows it as confirmed).",
  app_access_not_configured: "App access is not set up on this server. Contact MoxiWorks onboarding.",
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
} as const;
export type ErrorCode = keyof typeof ERRORS;

export function messageFor(code: ErrorCode): string {
  return ERRORS[code];
}
