import { NextResponse } from "next/server";
import { cookieOptions, SETUP_COOKIE } from "@/lib/auth/request";
import { looksLikeToken } from "@/lib/auth/secrets";

/** Moves a staff set-up token out of the address bar into a short-lived httpOnly cookie. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const response = NextResponse.redirect(new URL("/staff/setup", request.url), 303);
  if (looksLikeToken(token)) response.cookies.set(SETUP_COOKIE, token, cookieOptions(15 * 60));
  response.headers.set("Cache-Control", "no-store");
  return response;
}
