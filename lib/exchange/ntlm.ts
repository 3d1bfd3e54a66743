import "server-only";
import ntlm from "@ewsjs/ntlm-client";

/**
 * The NTLM messages for the service account, from @ewsjs/ntlm-client (the NTLM library of ews-javascript-api's
 * own XHR layer; NTLMv2 when the server's challenge negotiates it, MD4 from js-md4 because Node's OpenSSL 3 has
 * none). No crypto is written here: this module only splits the account name and reads WWW-Authenticate.
 *
 * What it cannot do: add a channel binding token (MsvAvChannelBindings) to the authenticate message, so a server
 * whose Extended Protection for Authentication is set to Require refuses it, with the same 401 as a wrong password.
 */

/** The workstation name NTLM carries in its messages (servers log it; it proves nothing). */
export const NTLM_WORKSTATION = "MOXIENGAGE";

/** `DOMAIN\user` → user and NetBIOS domain; a UPN (`user@domain`) is sent whole with an empty domain (MS-NLMP 3.1.5.1.2). */
export function ntlmIdentity(account: string): { user: string; domain: string } {
  const slash = account.indexOf("\\");
  if (slash > 0 && !account.includes("@")) return { user: account.slice(slash + 1), domain: account.slice(0, slash).toUpperCase() };
  return { user: account, domain: "" };
}

export function negotiateMessage(): string {
  return ntlm.createType1Message(NTLM_WORKSTATION, "");
}

/** The authenticate (type 3) message answering `challenge` (the base64 after "NTLM "); throws when it is not a challenge. */
export function authenticateMessage(challenge: string, account: string, password: string): string {
  const type2 = ntlm.decodeType2Message(challenge);
  const { user, domain } = ntlmIdentity(account);
  return ntlm.createType3Message(type2, user, password, NTLM_WORKSTATION, domain);
}

export type OfferedScheme = "basic" | "ntlm" | "negotiate" | "bearer";

/** The schemes a 401 offers, from its WWW-Authenticate headers (one per header, or comma-joined). */
export function offeredSchemes(wwwAuthenticate: readonly string[]): Set<OfferedScheme> {
  const found = new Set<OfferedScheme>();
  for (const value of wwwAuthenticate) {
    for (const m of value.matchAll(/(?:^|,)\s*(Basic|NTLM|Negotiate|Bearer)(?=\s|,|$)/gi)) found.add(m[1]!.toLowerCase() as OfferedScheme);
  }
  return found;
}

/** The NTLM challenge a 401 carries (`WWW-Authenticate: NTLM <base64>`), if any. */
export function ntlmChallenge(wwwAuthenticate: readonly string[]): string | undefined {
  for (const value of wwwAuthenticate) {
    const m = /(?:^|,)\s*NTLM\s+([A-Za-z0-9+/]+={0,2})\s*(?:,|$)/i.exec(value);
    if (m) return m[1];
  }
  return undefined;
}
