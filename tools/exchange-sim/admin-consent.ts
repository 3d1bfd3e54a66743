/**
 * The simulated admin-consent page of Microsoft's identity platform:
 * GET `/entra/{tenant|organizations|common}/v2.0/adminconsent?client_id&scope&redirect_uri&state` (and the older
 * `/entra/{tenant}/adminconsent`) shows a consent screen; its form posts the admin's choice back here, and the
 * page redirects to `redirect_uri` the way Entra does (shared/reference/m365-app-access.md §4–§5):
 *   Accept  → `admin_consent=True&tenant=<GUID>&scope=…&state=…` (and the tenant records the consent)
 *   Cancel  → `error=access_denied&error_description=AADSTS65004: The resource owner or authorization server denied the request.`
 * plus buttons a test uses to get the other answers: signed in as a non-admin (AADSTS90094), an account from
 * another tenant (AADSTS50020), the older flow's cancel (`permission_denied`), and a redirect missing `tenant`.
 */
import type { EntraDirectory } from "./entra";
import { xmlEscape, type SimResponse } from "./responses";

const PATH = /^\/([^/]+)\/(?:v2\.0\/)?adminconsent$/i;

export function isAdminConsentPath(rest: string): boolean {
  return PATH.test(rest);
}

function page(status: number, title: string, inner: string): SimResponse {
  return {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${xmlEscape(title)}</title></head><body><main><h1>${xmlEscape(title)}</h1>${inner}</main></body></html>`,
  };
}

function redirect(to: URL): SimResponse {
  return { status: 302, headers: { Location: to.toString(), "Cache-Control": "no-store" }, body: "" };
}

const DECISIONS = ["accept", "cancel", "not-admin", "other-tenant", "legacy-cancel", "no-tenant"] as const;

export function handleAdminConsent(directory: EntraDirectory, method: string, rest: string, search: URLSearchParams, body: string): SimResponse {
  const segment = decodeURIComponent(PATH.exec(rest)![1]!).toLowerCase();
  const form = method === "POST" ? new URLSearchParams(body) : search;
  const clientId = (form.get("client_id") ?? "").toLowerCase();
  const redirectUri = form.get("redirect_uri") ?? "";
  const state = form.get("state") ?? "";
  const scope = form.get("scope") ?? "https://graph.microsoft.com/.default";
  const app = directory.app(clientId);
  if (!app) return page(400, "Sign in", `<p>AADSTS700016: Application with identifier '${xmlEscape(clientId)}' was not found in the directory.</p>`);
  let back: URL;
  try {
    back = new URL(redirectUri);
    if (back.protocol !== "https:" && back.protocol !== "http:") throw new Error("scheme");
  } catch {
    return page(400, "Sign in", "<p>AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.</p>");
  }
  if (segment === "common") {
    return page(400, "Sign in", `<p>AADSTS50194: Application '${xmlEscape(app.clientId)}'(${xmlEscape(app.displayName)}) isn't configured as a multitenant application. Usage of the /common endpoint isn't supported for such applications.</p>`);
  }

  if (method !== "POST") {
    const hidden = (k: string, v: string) => `<input type="hidden" name="${k}" value="${xmlEscape(v)}">`;
    const defaultAccount = segment === "organizations" ? "admin@healthy.sim.test" : `admin@${segment}`;
    return page(
      200,
      "Permissions requested",
      `<p><strong>${xmlEscape(app.displayName)}</strong> (publisher: MoxiWorks, simulated)</p>
<p>This app would like to:</p><ul><li>Sign in and read user profile</li></ul>
<p>Accepting grants these permissions for all users in your organization.</p>
<form method="post">${hidden("client_id", clientId)}${hidden("redirect_uri", redirectUri)}${hidden("state", state)}${hidden("scope", scope)}
<label for="account">Signed in as</label> <input id="account" name="account" type="email" value="${xmlEscape(defaultAccount)}">
<p><button name="decision" value="accept">Accept</button> <button name="decision" value="cancel">Cancel</button></p>
<fieldset><legend>Simulator: other answers</legend>
<button name="decision" value="not-admin">Signed in as a user who is not an administrator</button>
<button name="decision" value="other-tenant">Signed in with an account from another tenant</button>
<button name="decision" value="legacy-cancel">Cancel (older flow)</button>
<button name="decision" value="no-tenant">Redirect without the tenant</button></fieldset></form>`,
    );
  }

  const decision = form.get("decision") ?? "";
  if (!(DECISIONS as readonly string[]).includes(decision)) return page(400, "Sign in", "<p>Unknown choice.</p>");
  const set = (params: Record<string, string>) => {
    for (const [k, v] of Object.entries(params)) back.searchParams.set(k, v);
    if (state) back.searchParams.set("state", state);
    return redirect(back);
  };
  const account = (form.get("account") ?? "").trim().toLowerCase();
  switch (decision) {
    case "cancel":
      return set({ error: "access_denied", error_description: "AADSTS65004: The resource owner or authorization server denied the request." });
    case "not-admin":
      return set({ error: "access_denied", error_description: "AADSTS90094: AdminConsentRequired - Administrator consent is required." });
    case "other-tenant":
      return set({
        error: "access_denied",
        error_description: `AADSTS50020: UserUnauthorized - Users are unauthorized to call this endpoint. User account '${account || "someone@example.com"}' from identity provider 'live.com' does not exist in tenant '${segment}' and cannot access the application '${app.clientId}'.`,
      });
    case "legacy-cancel":
      return set({ error: "permission_denied", error_description: "The admin canceled the request" });
    case "no-tenant":
      return set({ admin_consent: "True" });
  }
  const domain = segment === "organizations" ? account.split("@")[1] ?? "" : segment;
  const tenant = directory.grantConsent(domain, app.clientId, account || undefined);
  if (!tenant) {
    return set({ error: "invalid_request", error_description: `AADSTS90002: Tenant '${domain}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.` });
  }
  return set({ admin_consent: "True", tenant: tenant.id, scope });
}
