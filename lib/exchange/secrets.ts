import "server-only";

/**
 * Removes a probe's secrets from any text we keep: the password itself, its URL-encoded form and the
 * base64 of `user:password` (what a Basic Authorization header carries). A hostile server could echo any
 * of them back in a header or body, so every recorded string passes through here.
 */
export type Scrubber = { text(s: string): string; deep<T>(value: T): T };
/** A scrubber that learns secrets as they appear (an access token once Entra has issued it). */
export type LearningScrubber = Scrubber & { add(secret: string): void };

export const REDACTED = "[redacted]";

export function createScrubber(account: string, password: string): Scrubber {
  const scrubber = createSecretScrubber([]);
  if (password.length >= 3) {
    scrubber.add(password);
    const basic = Buffer.from(`${account}:${password}`, "utf8").toString("base64");
    scrubber.add(basic);
    scrubber.add(basic.replace(/=+$/, ""));
  }
  return scrubber;
}

/**
 * Removes the given secrets, their URL-encoded and form-encoded forms, anything after an auth scheme, and
 * anything shaped like a JWT (access tokens, client assertions) from text.
 */
export function createSecretScrubber(secrets: string[]): LearningScrubber {
  const needles = new Set<string>();
  let ordered: string[] = [];
  const add = (secret: string) => {
    if (secret.length < 3) return;
    for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) needles.add(form);
    ordered = [...needles].sort((a, b) => b.length - a.length);
  };
  for (const s of secrets) add(s);
  const text = (s: string): string => {
    // credentials-looking tokens after an auth scheme (not words like "Basic authentication", not challenge params)
    let out = s.replace(/\b(Basic|Bearer|NTLM|Negotiate)\s+([A-Za-z0-9+/=._~-]{8,})(?![A-Za-z0-9+/=._~"-])/g, (m, scheme: string, token: string) =>
      /[A-Z0-9+/=]/.test(token) ? `${scheme} ${REDACTED}` : m,
    );
    out = out.replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED);
    for (const n of ordered) if (out.includes(n)) out = out.split(n).join(REDACTED);
    return out;
  };
  const deep = <T,>(value: T): T => {
    if (typeof value === "string") return text(value) as T;
    if (Array.isArray(value)) return value.map(deep) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v)])) as T;
    }
    return value;
  };
  return { text, deep, add };
}
