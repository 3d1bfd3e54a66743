import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { appAccessSetup, checkTenantToken } from "@/lib/app-access/app";
import { completeConsent, readCallbackParams } from "@/lib/app-access/consent";
import { LINK_COOKIE } from "@/lib/auth/request";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

// Where Microsoft's admin-consent page sends the admin back. Every answer is a redirect to the plain result page
// (never a 500, never Microsoft's raw text); only our outcome code and the AADSTS number travel in the URL.
export async function GET(request: NextRequest) {
  const appUrl = config().appUrl;
  let target: string;
  try {
    const result = await completeConsent(await db(), readCallbackParams(request.nextUrl.searchParams), (await cookies()).get(LINK_COOKIE)?.value, appAccessSetup(), (t) => checkTenantToken(t));
    target = `/o/consent?outcome=${result.outcome}${result.aadsts ? `&code=${result.aadsts}` : ""}`;
  } catch (error) {
    log.error({ err: error }, "admin consent: callback failed");
    target = "/o/consent?outcome=consent_failed";
  }
  return NextResponse.redirect(`${appUrl}${target}`, 303);
}
