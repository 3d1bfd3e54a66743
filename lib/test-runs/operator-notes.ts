import type { FailureCode } from "@/lib/exchange/failures";
import type { ProbeStep } from "@/lib/exchange/steps";

/**
 * What a failure means for whoever runs this server, in the words of its configuration. Staff pages only: the
 * brokerage's view of the same run speaks of "this server" and never names a setting (issue 18, item 9).
 */
const OPERATOR_NOTES: Partial<Record<FailureCode, string>> = {
  url_not_allowed:
    "The outbound-call guard refused the URL. A lab or simulator host on a private address, another port or plain http must be listed in EXCHANGE_ALLOWED_HOSTS (host or host:port).",
  address_not_public:
    "The host resolves to a non-public address. If that is intended (a lab server, the simulator), list it in EXCHANGE_ALLOWED_HOSTS; otherwise the brokerage's DNS points somewhere it should not.",
  tls_failed:
    "The certificate did not verify against the system's CAs. A private CA (the simulator's, a lab's) can be trusted with EXCHANGE_EXTRA_CA_FILE; a brokerage's real server needs a publicly trusted certificate.",
  internal_error:
    "The probe could not read its settings: check EXCHANGE_ALLOWED_HOSTS, EXCHANGE_EXTRA_CA_FILE (the file must exist and be readable), MICROSOFT_AUTHORITY_HOST and MICROSOFT_GRAPH_URL, and the server log.",
  client_secret_invalid: "Entra refused MoxiWorks's app credential: check MICROSOFT_CLIENT_SECRET (or MICROSOFT_CERT_FILE / MICROSOFT_KEY_FILE) against the app registration.",
  client_secret_expired: "MoxiWorks's app secret has expired: create a new one in the app registration and set MICROSOFT_CLIENT_SECRET (Microsoft sends no alert).",
  certificate_invalid: "Entra refused the app certificate: the certificate in MICROSOFT_CERT_FILE must be the one uploaded to the app registration.",
};

export function operatorNote(code: FailureCode): string | undefined {
  return OPERATOR_NOTES[code];
}

/** The operator notes for a run's failed steps, once each, in step order. */
export function operatorNotesFor(steps: ProbeStep[]): { code: FailureCode; note: string }[] {
  const seen = new Set<FailureCode>();
  const out: { code: FailureCode; note: string }[] = [];
  for (const step of steps) {
    const code = step.failure?.code;
    const note = code ? operatorNote(code) : undefined;
    if (code && note && !seen.has(code)) {
      seen.add(code);
      out.push({ code, note });
    }
  }
  return out;
}
