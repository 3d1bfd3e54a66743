import { cookies } from "next/headers";
import { finishOidcSignIn, parsePending } from "@/lib/auth/oidc";
import { cookieOptions, OIDC_COOKIE, STAFF_COOKIE } from "@/lib/auth/request";
import { SESSION_ABSOLUTE_MS } from "@/lib/auth/staff";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { seeOther } from "@/lib/http/redirect";

export const dynamic = "force-dynamic";

/** The identity provider sends the browser back here with a code (or an error); lib/auth/oidc.ts decides. */
export async function GET(request: Request) {
  const settings = config().oidc;
  if (!settings) return seeOther("/staff/sign-in");
  const jar = await cookies();
  const pending = parsePending(jar.get(OIDC_COOKIE)?.value);
  // The pending sign-in is used once, whatever happens next.
  jar.delete({ name: OIDC_COOKIE, path: "/staff/oidc" });
  if (!pending) return seeOther("/staff/oidc/refused?why=expired");
  // The address the provider redirected to, as this site's public URL (behind a proxy request.url may differ).
  const callback = new URL(`${config().appUrl}/staff/oidc/callback${new URL(request.url).search}`);
  const outcome = await finishOidcSignIn(await db(), settings, callback, pending);
  if (!outcome.ok) return seeOther(`/staff/oidc/refused?why=${outcome.code === "oidc_no_role" ? "no-role" : outcome.code === "oidc_disabled" ? "disabled" : "failed"}`);
  jar.set(STAFF_COOKIE, outcome.sessionToken, cookieOptions(SESSION_ABSOLUTE_MS / 1000));
  return seeOther("/staff");
}
