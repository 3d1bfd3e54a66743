import { cookies, headers } from "next/headers";
import { NextResponse } from "next/server";
import { appAccessSetup } from "@/lib/app-access/app";
import { startConsent } from "@/lib/app-access/consent";
import { LINK_COOKIE, currentLinkSession } from "@/lib/auth/request";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isSameOriginRequest } from "@/lib/http/origin";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

// A link, not a form: the page's CSP (form-action 'self') would stop a form's redirect to Microsoft.
// Only a click on our own page starts consent (Sec-Fetch-Site same-origin); anything else lands on a plain page.
export async function GET() {
  const appUrl = config().appUrl;
  const back = (outcome: string) => NextResponse.redirect(`${appUrl}/o/consent?outcome=${outcome}`, 303);
  try {
    if (!isSameOriginRequest(await headers())) return back("state_other_session");
    const visitor = await currentLinkSession();
    const sessionToken = (await cookies()).get(LINK_COOKIE)?.value;
    if (!visitor || !sessionToken) return back("state_other_session");
    const setup = appAccessSetup();
    if (!setup) return back("not_configured");
    const url = await startConsent(await db(), visitor, sessionToken, setup, appUrl);
    return NextResponse.redirect(url, 303);
  } catch (error) {
    log.error({ err: error }, "admin consent: start failed");
    return back("consent_failed");
  }
}
