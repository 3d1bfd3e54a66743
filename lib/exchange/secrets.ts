import "server-only";

/**
 * Removes a probe's secrets from any text we keep: the password itself, its URL-encoded form and the
 * base64 of `user:password` (what a Basic Authorization header carries). A hostile server could echo any
 * of them back in a header or body, so every recorded string passes through here.
 */
export type Scrubber = { text(s: string): string; deep<T>(value: T): T };

export const REDACTED = "[redacted]";

export function createScrubber(account: string, password: string): Scrubber {
  const needles = new Set<string>();
  if (password.length >= 3) {
    needles.add(password);
    needles.add(encodeURIComponent(password));
    const basic = Buffer.from(`${account}:${password}`, "utf8").toString("base64");
    needles.add(basic);
    needles.add(basic.replace(/=+$/, ""));
  }
  const ordered = [...needles].filter(Boolean).sort((a, b) => b.length - a.length);
  const text = (s: string): string => {
    // credentials-looking tokens after an auth scheme (not words like "Basic authentication", not challenge params)
    let out = s.replace(/\b(Basic|Bearer|NTLM|Negotiate)\s+([A-Za-z0-9+/=._~-]{8,})(?![A-Za-z0-9+/=._~"-])/g, (m, scheme: string, token: string) =>
      /[A-Z0-9+/=]/.test(token) ? `${scheme} ${REDACTED}` : m,
    );
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
  return { text, deep };
}
