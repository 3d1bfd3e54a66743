import { beginOidcSignIn, PENDING_MAX_AGE_SECONDS } from "@/lib/auth/oidc";
import { cookieOptions, OIDC_COOKIE } from "@/lib/auth/request";
import { config } from "@/lib/config";
import { seeOther } from "@/lib/http/redirect";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/** Leaves for the company's identity provider, keeping state, nonce and the PKCE verifier in an httpOnly cookie. */
export async function GET() {
  const settings = config().oidc;
  if (!settings) return seeOther("/staff/sign-in");
  try {
    const { url, pending } = await beginOidcSignIn(settings, `${config().appUrl}/staff/oidc/callback`);
    const response = seeOther(url.href);
    response.cookies.set(OIDC_COOKIE, JSON.stringify(pending), { ...cookieOptions(PENDING_MAX_AGE_SECONDS), path: "/staff/oidc" });
    return response;
  } catch (error) {
    log.error({ err: error }, "oidc: the identity provider could not be reached");
    return seeOther("/staff/oidc/refused?why=unavailable");
  }
}
