import "server-only";
import { failure, type Failure } from "./failures";
import type { RecordedExchange } from "./http-client";

/**
 * The failure for an answer our client marked as a refused sign-in (http-client.ts `auth.refused`), in words that
 * say what the wire can and cannot tell apart; undefined when the exchange carries no such mark.
 */
export function authRefusal(x: RecordedExchange | undefined): Failure | undefined {
  const refused = x?.auth?.refused;
  if (!x || !refused) return undefined;
  const host = new URL(x.url).host;
  const status = x.status;
  if (refused === "ntlm_rejected") {
    return failure(
      "ntlm_rejected",
      `${host} answered HTTP ${status} to the NTLM authenticate message: it refused the sign-in. From outside, a wrong password, a locked or disabled account, and Extended Protection for Authentication set to Require (this test sends no channel binding) look the same.`,
      { status },
    );
  }
  if (refused === "ntlm_not_offered") {
    return failure("auth_scheme_not_offered", `${host} answered HTTP ${status} without an NTLM challenge: Windows authentication (NTLM) is not on for this virtual directory. Choose Basic or automatic, or turn Windows authentication on.`, { status });
  }
  return failure("auth_scheme_not_offered", `${host} answered HTTP ${status} and does not offer Basic authentication, only Windows authentication. Choose NTLM or automatic for the sign-in method.`, { status });
}
