/**
 * Same-origin check for state-changing requests (Fetch Metadata, then Origin). Next's built-in server-action
 * check lets a request without an Origin header through; credential routes must not.
 */
export function isSameOriginRequest(h: Headers): boolean {
  const site = h.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = h.get("origin");
  const host = h.get("x-forwarded-host") ?? h.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
