import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/http/csp";
import { prerenderedPages } from "@/lib/http/prerendered-pages";

/**
 * Runs before every page and route and sets its Content-Security-Policy. A prerendered page gets the hashes
 * of its own inline scripts; anything rendered per request gets a fresh nonce (Next stamps it on its scripts).
 */
export function proxy(request: NextRequest) {
  // A malformed %-escape (e.g. /o/%ff) would reach a dynamic route's params and end as a 500: refuse it here.
  if (hasMalformedEscape(request.nextUrl.pathname)) {
    return new NextResponse("Bad request: the address contains a malformed %-escape.\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const options = { dev: process.env.NODE_ENV === "development", https };
  const hashes = options.dev ? undefined : prerenderedPages().get(request.nextUrl.pathname);
  if (hashes) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", contentSecurityPolicy({ hashes }, options));
    return response;
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy({ nonce }, options);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function hasMalformedEscape(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

export const config = {
  // Static files from public/ (favicon, icons, robots.txt) pass through here too, so they carry the CSP as well.
  matcher: [{ source: "/((?!_next/static|_next/image).*)" }],
};
