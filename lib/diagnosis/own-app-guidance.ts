import { guideHref, OWN_APP_TRACK } from "@/lib/guide/ids";
import type { Finding } from "./diagnose";

/**
 * With the brokerage's own app registration (issue 13) the app, its certificate and its permissions are the
 * brokerage's, not MoxiWorks's: the causes whose default guidance says "contact MoxiWorks, nothing to change in your
 * organization" (or "grant consent to MoxiWorks's app") are the brokerage admin's to fix, in the own-app guide.
 * Pure: the same findings with those texts replaced; every other finding is kept as it is, with its guide link
 * moved to the own-app track where that track has the same section.
 */
type Text = Pick<Finding, "title" | "explanation" | "actor" | "actions" | "guideStep">;
const href = (anchor: string) => guideHref(OWN_APP_TRACK, anchor);
const SHARED_ANCHOR = /^\/guide\/microsoft-365-app-access#((?:create-agent-group|scope-app-access|check-app-access)(?:-\d+)?)$/;

const OWN: Partial<Record<Finding["cause"], Text>> = {
  app_not_found: {
    title: "Microsoft Entra does not know your app in this tenant",
    explanation:
      "Entra found no app with the Application (client) ID you entered in the tenant you entered (AADSTS700016). Usually the two GUIDs were swapped, one was mistyped, or the app was registered in another tenant or deleted.",
    actor: "brokerage_admin",
    actions: [
      "Open your app registration's Overview page in the Microsoft Entra admin center and copy the Application (client) ID and the Directory (tenant) ID again.",
      "Enter them in the workspace (client ID in its own field, not the tenant ID) and run the test again.",
    ],
    guideStep: href("register-own-app-2"),
  },
  certificate_invalid: {
    title: "Your app does not accept the workspace's certificate",
    explanation:
      "Entra refused the certificate MoxiEngage signed in with (for example AADSTS700027, an invalid client assertion signature): your app registration does not hold that certificate — it was not uploaded, another file was uploaded, it was deleted, or it has expired.",
    actor: "brokerage_admin",
    actions: [
      "In the app registration open Certificates & secrets → Certificates and compare the thumbprint with the SHA-1 thumbprint the workspace shows.",
      "Download the certificate from the workspace and upload it to the app (Upload certificate), then run the test again.",
      "If it has expired, generate a new certificate in the workspace, upload it, and run the test.",
    ],
    guideStep: href("upload-certificate-2"),
  },
  consent_required: {
    title: "Your app may not sign in to this tenant yet",
    explanation: "Entra answered that the app has not been approved in this tenant. A single-tenant app registered in this tenant needs no consent for itself; this usually means the tenant entered is not the one the app was registered in.",
    actor: "brokerage_admin",
    actions: ["Check that the tenant entered is the Directory (tenant) ID on the app's Overview page, then run the test again."],
    guideStep: href("register-own-app-3"),
  },
  client_secret_invalid: {
    title: "Entra refused the app's credential",
    explanation: "MoxiEngage signs in to your app with the workspace's certificate, and Entra answered about a client secret instead.",
    actor: "brokerage_admin",
    actions: ["Check that the app registration holds the workspace's certificate (Certificates & secrets → Certificates) and run the test again."],
    guideStep: href("upload-certificate-2"),
  },
  client_secret_expired: {
    title: "Your app's credential has expired",
    explanation: "Entra answered that the app's client secret is past its expiry date (AADSTS7000222).",
    actor: "brokerage_admin",
    actions: [
      "In the Microsoft Entra admin center open the app registration → Certificates & secrets → Client secrets and add a new client secret; copy its Value at once (it is shown only once).",
      "In the workspace, under \"Your policy requires a client secret instead?\", enter the new Value and its expiry date, save, and run the test again.",
      "Better: use the workspace's certificate instead (generate it, upload it, delete the secret here) — it does not need copying and renews without interruption.",
    ],
    guideStep: href("renew-certificate-1"),
  },
  app_scope_too_broad: {
    title: "Your app can open a mailbox that must stay out of reach",
    explanation:
      "The app holds a tenant-wide Microsoft Graph application permission (Mail, Contacts or Calendars). RBAC for Applications adds to Entra permissions and cannot narrow them, so every mailbox is open whatever the management scope.",
    actor: "brokerage_admin",
    actions: [
      "In the app registration open API permissions and remove every Microsoft Graph application permission; revoke its admin consent.",
      "Check that the out-of-reach mailbox is not a member of the agents' group, then run the test again.",
    ],
    guideStep: href("no-graph-permissions-1"),
  },
};

export function forOwnApp(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const own = OWN[f.cause];
    if (own) return { ...f, ...own };
    const shared = SHARED_ANCHOR.exec(f.guideStep);
    return shared ? { ...f, guideStep: href(shared[1]!) } : f;
  });
}
