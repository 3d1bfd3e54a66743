import { clientOf, cookieOptions, LINK_COOKIE } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { seeOther } from "@/lib/http/redirect";
import { openWorkspace } from "@/lib/onboarding/open-workspace";

/**
 * Opening an invite or vendor link: the token is exchanged for an httpOnly cookie and the browser is sent to
 * /o, so the token leaves the address bar (and history, and any Referer) at once.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await openWorkspace(await db(), token, clientOf(request.headers));
  if (!opened.ok) return seeOther(`/o/link-problem?reason=${opened.reason}`);
  const res = seeOther("/o");
  const maxAge = Math.max(60, Math.floor((Date.parse(opened.expiresAt) - Date.now()) / 1000));
  res.cookies.set(LINK_COOKIE, opened.sessionToken, cookieOptions(maxAge));
  return res;
}
