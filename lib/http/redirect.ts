import { NextResponse } from "next/server";

/**
 * A 303 to a path on this site, with a relative Location: behind a proxy (or on 127.0.0.1 vs localhost)
 * the server's idea of its own host can differ from the browser's, and the cookie set with the redirect must
 * come back on the next request.
 */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}
