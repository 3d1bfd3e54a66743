import { config } from "@/lib/config";

/**
 * The one same-origin check for every state-changing request: server actions (lib/actions/safe.ts, sign-out) and
 * route handlers. Fetch Metadata first (browsers send it, and compute same-origin themselves); without it the
 * Origin header must be the whole origin (scheme, host and port) of APP_URL. A plain-http APP_URL (a laptop's
 * `npm start`) also accepts http on the Host the request came to, so 127.0.0.1 works beside localhost. Next's built-in server-action check lets a
 * request without an Origin header through, and compares hosts only; ours does neither.
 */
export function isSameOriginRequest(h: Headers, appUrl: string = config().appUrl): boolean {
  const site = h.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = h.get("origin");
  if (!origin) return false;
  let actual: string;
  try {
    actual = new URL(origin).origin;
  } catch {
    return false;
  }
  if (actual === "null") return false;
  const app = new URL(appUrl);
  if (actual === app.origin) return true;
  const host = h.get("host");
  return app.protocol === "http:" && Boolean(host) && actual === `http://${host}`;
}
