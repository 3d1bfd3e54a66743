import { cookieOptions, SETUP_COOKIE } from "@/lib/auth/request";
import { looksLikeToken } from "@/lib/auth/secrets";
import { seeOther } from "@/lib/http/redirect";

/** Moves a staff set-up token out of the address bar into a short-lived httpOnly cookie. */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const response = seeOther("/staff/setup");
  if (looksLikeToken(token)) response.cookies.set(SETUP_COOKIE, token, cookieOptions(15 * 60));
  return response;
}
