import "server-only";
import { believableHeaders, clientAddress } from "@/lib/http/client-address";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { readLinkSession, type LinkKind, type LinkSession } from "./links";
import { recheckOidcSession } from "./oidc";
import { readSession, type StaffSession } from "./staff";

/** Cookie names and the one place that reads them from a request. */
export const STAFF_COOKIE = "moxi_staff";
export const LINK_COOKIE = "moxi_link";
export const SETUP_COOKIE = "moxi_setup";
/** The OpenID sign-in in progress (state, nonce, PKCE verifier): only the callback reads it. */
export const OIDC_COOKIE = "moxi_oidc";

export function cookieOptions(maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    secure: config().appUrl.startsWith("https://"),
    // Lax: the workspace link arrives from a mail client, a cross-site navigation.
    sameSite: "lax" as const,
    path: "/",
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** The signed-in staff member; an OIDC session past its recheck interval is confirmed with the provider first. */
export async function currentStaff(): Promise<StaffSession | undefined> {
  const token = (await cookies()).get(STAFF_COOKIE)?.value;
  if (!token) return undefined;
  const database = await db();
  const session = await readSession(database, token);
  if (!session || session.authMethod !== "oidc") return session;
  const settings = config().oidc;
  // OIDC turned off since this session began: it cannot be confirmed any more.
  if (!settings) return undefined;
  return (await recheckOidcSession(database, settings, session)) ? session : undefined;
}

/**
 * For staff pages: the signed-in staff member, or a redirect to sign in / finish the second factor.
 * `techops` pages also refuse plain staff.
 */
export async function requireStaffPage(role?: "techops"): Promise<StaffSession> {
  const session = await currentStaff();
  if (!session) redirect("/staff/sign-in");
  if (!session.secondFactorDone) redirect(session.staff.totpEnabled ? "/staff/two-factor" : "/staff/enroll");
  if (role === "techops" && session.staff.role !== "techops") redirect("/staff?denied=techops");
  return session;
}

export async function currentLinkSession(kinds: LinkKind[] = ["brokerage", "vendor"]): Promise<LinkSession | undefined> {
  const token = (await cookies()).get(LINK_COOKIE)?.value;
  if (!token) return undefined;
  const session = await readLinkSession(await db(), token);
  return session && kinds.includes(session.kind) ? session : undefined;
}

/** The client's address for rate limits (socket, or through TRUSTED_PROXIES only): the one way to read it. */
export function clientOf(h: Headers): string {
  return clientAddress(believableHeaders(h), config().trustedProxies);
}

export async function clientKey(): Promise<string> {
  return clientOf(await headers());
}
