import { openLink } from "@/lib/auth/links";
import { consume } from "@/lib/auth/rate-limit";
import { clientOf, cookieOptions, LINK_COOKIE } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { seeOther } from "@/lib/http/redirect";
import { startWork } from "@/lib/onboarding/checklist";

/**
 * Opening an invite or vendor link: the token is exchanged for an httpOnly cookie and the browser is sent to
 * /o, so the token leaves the address bar (and history, and any Referer) at once.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const client = clientOf(request.headers);
  const redirect = seeOther;
  const database = await db();
  if (!(await consume(database, "linkOpenPerClient", client)).ok) return redirect("/o/link-problem?reason=busy");
  const opened = await openLink(database, token);
  if (!opened.ok) return redirect(`/o/link-problem?reason=${opened.reason}`);
  await startWork(database, opened.onboardingId, { kind: opened.kind, label: opened.kind === "brokerage" ? "Brokerage admin" : "Email vendor" });
  const res = redirect("/o");
  const maxAge = Math.max(60, Math.floor((Date.parse(opened.expiresAt) - Date.now()) / 1000));
  res.cookies.set(LINK_COOKIE, opened.sessionToken, cookieOptions(maxAge));
  return res;
}
