// What each cause means in plain words, who has to act, what to do, and which guide step fixes it.
// The words depend on where the mailboxes live (the track): Exchange Online no longer allows what the
// 2021 guide asks for, while Exchange Server and hosted Exchange still do.

import { guideHref, type SectionId, type Track } from "@/lib/guide/ids";
import { APP_ACCESS_GUIDE, type AppAccessSection } from "./app-access-guide";
import type { Cause } from "./causes";
import { EXCHANGE_ONLINE_DATES as D } from "./platform-dates";

export type GuidanceTrack = Track | "unknown";
export type Actor = "brokerage_admin" | "email_vendor" | "moxiworks";

export interface Guidance {
  title: string;
  explanation: string;
  actor: Actor;
  actions: string[];
  guideStep: string;
}

interface Context {
  /** The mailboxes are in Exchange Online (Microsoft 365, directly or through a reseller). */
  online: boolean;
  /** Not known whether the mailboxes are online or on a server. */
  unsure: boolean;
  /** A provider runs the mail system, so server-side changes are theirs to make. */
  hosted: boolean;
  /** The track used for guide links. */
  linkTrack: Track;
}

function contextFor(track: GuidanceTrack, fallbackLinkTrack: Track): Context {
  const online = track === "microsoft-365" || track === "microsoft-365-reseller";
  return {
    online,
    unsure: track === "unknown",
    hosted: track === "hosted-exchange" || track === "microsoft-365-reseller",
    linkTrack: track === "unknown" ? fallbackLinkTrack : track,
  };
}

const SERVER_TRACK_HINT =
  "If your mailboxes are actually on your own Exchange Server or with a hosted-Exchange provider, choose that mail host in the guide: the service-account method still works there.";

const ONLINE_RETIREMENT =
  `Microsoft turned off basic authentication for EWS in Exchange Online on ${D.basicAuthOff}, and an authentication policy can no longer turn it back on. ` +
  `The ApplicationImpersonation role was removed from Exchange Online in ${D.applicationImpersonationRemoved}. ` +
  `Exchange Online starts blocking EWS on ${D.ewsBlockingStarts} and switches it off for good on ${D.ewsOff}.`;

/** A section of the track's own guide, or a section of the Microsoft 365 app-access guide. */
type Section = SectionId | { appAccess: AppAccessSection; step?: number };
/**
 * `rulesOut`: the guide sections the text says cannot help here (allowing basic auth in Exchange Online, granting a
 * role that no longer exists). The finding's link must never point at one of them (guidance.test.ts checks it).
 */
type Writer = (c: Context) => Omit<Guidance, "guideStep"> & { section: Section; rulesOut?: readonly SectionId[] };

const appAccess = (section: AppAccessSection, step?: number): Section => ({ appAccess: section, step });

const APP_TRACK_HINT =
  "This message comes from Microsoft 365 app access (an app registered in Microsoft Entra). If your mailboxes are on your own Exchange Server or with a hosted-Exchange provider, there is no app to fix: choose that mail host in the guide.";

/** Extra words for an app-access cause when the chosen track is not Microsoft 365. */
const notOnline = (c: Context): string[] => (c.online || c.unsure ? [] : [APP_TRACK_HINT]);

const serverSide = (c: Context): Actor => (c.hosted ? "email_vendor" : "brokerage_admin");

const WRITERS: Record<Cause, Writer> = {
  basic_auth_blocked: (c) =>
    c.online
      ? {
          // Not #allow-basic-auth: this finding says that step cannot help any more.
          section: appAccess("grant-consent"),
          rulesOut: ["allow-basic-auth"],
          title: "Exchange Online refuses the service account's password sign-in",
          explanation:
            `The mail system said basic authentication (signing in with a user name and password) is blocked. ${ONLINE_RETIREMENT} ` +
            "So the guide's step to allow basic authentication cannot fix this any more, and a password-based service account cannot connect to Exchange Online.",
          actor: "moxiworks",
          actions: [
            "Do not change authentication policies or security defaults to try to re-enable basic authentication: Exchange Online ignores them for EWS.",
            "Contact MoxiWorks about connecting MoxiEngage with app access (OAuth) instead of a service-account password.",
            SERVER_TRACK_HINT,
          ],
        }
      : {
          section: "allow-basic-auth",
          title: "The mail server does not accept password sign-in for EWS",
          explanation:
            "The server refused a user name and password: basic authentication is turned off for Exchange Web Services (EWS) or Autodiscover. " +
            (c.unsure
              ? `If the mailboxes are in Microsoft 365 (Exchange Online), this cannot be turned back on: ${ONLINE_RETIREMENT} `
              : "") +
            "On Exchange Server it is a setting of the EWS and Autodiscover virtual directories.",
          actor: c.unsure ? "brokerage_admin" : serverSide(c),
          actions: [
            "In the Exchange Management Shell, run: Set-WebServicesVirtualDirectory -Identity \"<server>\\EWS (Default Web Site)\" -BasicAuthentication $true",
            "Do the same for Autodiscover: Set-AutodiscoverVirtualDirectory -Identity \"<server>\\Autodiscover (Default Web Site)\" -BasicAuthentication $true",
            "Run iisreset (or recycle the MSExchange application pools), then run the test again.",
            ...(c.unsure ? ["If your mailboxes are in Microsoft 365, contact MoxiWorks about app access (OAuth) instead."] : []),
          ],
        },

  mfa_required: (c) => ({
    section: "conditional-access",
    title: "The service account is asked for multi-factor authentication",
    explanation:
      "The sign-in needs a second factor (a code or an app approval), and an unattended service account cannot give one. " +
      (c.online || c.unsure
        ? `In Exchange Online this comes from security defaults, per-user MFA or a Conditional Access policy. Even without MFA, password sign-in to EWS has been off in Exchange Online since ${D.basicAuthOff}, so the lasting fix there is app access (OAuth).`
        : "On Exchange Server this usually comes from an MFA or pre-authentication layer in front of EWS (a reverse proxy or ADFS)."),
    actor: "brokerage_admin",
    actions: c.online || c.unsure
      ? [
          "Make sure the service account is a dedicated account used only by MoxiEngage.",
          "Check the sign-in log of the service account in the Microsoft Entra admin center to see which policy asked for MFA.",
          "Contact MoxiWorks about app access (OAuth): a password-based service account cannot connect to Exchange Online any more.",
          SERVER_TRACK_HINT,
        ]
      : [
          "Exclude the EWS and Autodiscover URLs (or the service account) from the MFA or pre-authentication layer in front of Exchange.",
          "Run the test again.",
        ],
  }),

  conditional_access: (c) => ({
    section: "conditional-access",
    title: "A Conditional Access policy blocks the service account",
    explanation:
      "Microsoft Entra (Azure AD) Conditional Access refused to let the service account sign in, for example because of where the request comes from or which app is used. " +
      (c.online || c.unsure
        ? `Note that password sign-in to EWS has been off in Exchange Online since ${D.basicAuthOff}, so excluding the account alone will not make a password-based connection work.`
        : ""),
    actor: "brokerage_admin",
    actions: [
      "In the Microsoft Entra admin center, open Sign-in logs for the service account and look at the Conditional Access tab to find the policy that failed.",
      "Exclude the dedicated MoxiEngage service account from that policy, or allow the MoxiEngage servers' location.",
      ...(c.online || c.unsure ? ["Contact MoxiWorks about app access (OAuth) for Exchange Online."] : ["Run the test again."]),
    ],
  }),

  bad_credentials: (c) => ({
    section: "create-service-account",
    title: "The user name or password was not accepted",
    explanation:
      "The mail system did not accept the service account's user name and password. Usually the password was typed wrong, was changed, or the user name is not in the form the server expects." +
      (c.online ? ` In Exchange Online a correct password is refused too, because password sign-in to EWS is off since ${D.basicAuthOff}.` : ""),
    actor: "brokerage_admin",
    actions: [
      "Sign in to Outlook on the web with the service account to prove the password works.",
      "Enter the user name as the full email address (user@yourdomain.com); on Exchange Server also try DOMAIN\\user.",
      "Re-enter the password in the secure form (watch for extra spaces) and run the test again.",
    ],
  }),

  ntlm_rejected: (c) => ({
    section: "allow-basic-auth",
    title: "The server refused the NTLM sign-in",
    explanation:
      "The server offered NTLM (Windows authentication), sent its challenge, and then refused the answer with HTTP 401. " +
      "From outside, three causes look exactly the same: the password is wrong, the account is locked or disabled in Active Directory, " +
      "or Extended Protection for Authentication is set to Require on the virtual directory. MoxiEngage cannot send the channel binding that Require asks for, so with Require it is refused even with the right password.",
    actor: serverSide(c),
    actions: [
      "Sign in to Outlook on the web with the service account to prove the password works and the account is not locked.",
      "In Active Directory, check that the account is enabled and not locked out (Get-ADUser <account> -Properties LockedOut,Enabled).",
      "Check Extended Protection on the EWS and Autodiscover virtual directories (Get-WebServicesVirtualDirectory | fl *ExtendedProtection*). If it is Require, set it to Allow or None for these directories, or use Basic authentication over TLS instead (see the guide step).",
      "Run the test again.",
    ],
  }),

  auth_scheme_not_offered: (c) => ({
    section: "allow-basic-auth",
    title: "The server does not offer the chosen sign-in method",
    explanation:
      "The sign-in method in the connection settings is not switched on for the virtual directory: NTLM was chosen but the server offers only Basic, or Basic was chosen but it offers only Windows authentication (Negotiate/NTLM).",
    actor: serverSide(c),
    actions: [
      "Choose \"Automatic\" as the sign-in method (it uses what the server offers), or the method the server offers.",
      "Or check which methods are on with Get-WebServicesVirtualDirectory | fl *Authentication* and turn on the one you want (see the guide step).",
      "Run the test again.",
    ],
  }),

  password_expired: () => ({
    section: "password-never-expires",
    title: "The service account's password has expired",
    explanation:
      "The password is past its expiry date, so sign-in is refused until it is changed. A service account should have a password that never expires, or MoxiEngage will stop syncing again.",
    actor: "brokerage_admin",
    actions: [
      "Set a new password for the service account.",
      "Set the service account's password to never expire (see the guide step).",
      "Enter the new password in the secure form and run the test again.",
    ],
  }),

  account_disabled: () => ({
    section: "create-service-account",
    title: "The service account is disabled or locked",
    explanation:
      "The account exists, but it is switched off (blocked from signing in) or locked after too many wrong passwords.",
    actor: "brokerage_admin",
    actions: [
      "Enable the account (allow sign-in) in your admin center or Active Directory.",
      "If it is locked, wait for the lockout to end or unlock it, and check that no old system keeps trying an old password.",
      "Run the test again.",
    ],
  }),

  no_such_user: () => ({
    section: "create-service-account",
    title: "The service account does not exist",
    explanation:
      "The mail system does not know the account name that was entered. It may be misspelled, in another domain, or not created yet.",
    actor: "brokerage_admin",
    actions: [
      "Check the spelling of the service account's email address.",
      "Make sure the account exists in your directory (create it as described in the guide step).",
      "Run the test again.",
    ],
  }),

  impersonation_denied: (c) =>
    c.online
      ? {
          // Not #grant-impersonation: the role cannot be granted in Exchange Online any more; app access replaces it.
          section: appAccess("scope-app-access"),
          rulesOut: ["grant-impersonation"],
          title: "The service account may not act on behalf of other mailboxes",
          explanation:
            `The server refused impersonation: the service account is not allowed to open other users' mailboxes. In Exchange Online the ApplicationImpersonation role was removed in ${D.applicationImpersonationRemoved}, so it cannot be granted any more.`,
          actor: "moxiworks",
          actions: [
            "Contact MoxiWorks about app access (OAuth), which replaces impersonation in Exchange Online.",
            SERVER_TRACK_HINT,
          ],
        }
      : {
          section: "grant-impersonation",
          title: "The service account may not act on behalf of other mailboxes",
          explanation:
            "The server refused impersonation: the service account does not have the ApplicationImpersonation role, or the role's scope does not include the mailbox that was tested." +
            (c.unsure ? ` (In Exchange Online the role no longer exists since ${D.applicationImpersonationRemoved}; there app access is needed.)` : ""),
          actor: serverSide(c),
          actions: [
            "In the Exchange Management Shell, run: New-ManagementRoleAssignment -Name \"MoxiEngage impersonation\" -Role ApplicationImpersonation -User <service account>",
            "If you used a management scope, make sure it includes the agents' mailboxes.",
            "Wait a few minutes for the permission to apply, then run the test again.",
          ],
        },

  no_mailbox: () => ({
    section: "test-impersonation",
    title: "The mailbox that was tested does not exist",
    explanation:
      "The server found no mailbox for the address that was tested. The address may be misspelled, an alias, a mailbox without a license, or one that was just created and is not ready yet.",
    actor: "brokerage_admin",
    actions: [
      "Check the test mailbox's address (use the primary email address, not an alias).",
      "Make sure that user has a mailbox (in Microsoft 365: a license that includes Exchange).",
      "Run the test again.",
    ],
  }),

  autodiscover_failed: (c) => ({
    section: "find-ews-url",
    title: "Autodiscover could not find the mail server",
    explanation:
      "Autodiscover is how the test finds the EWS address from an email address. None of the places it looked gave a usable answer: usually the autodiscover DNS record is missing or points to the wrong place, or the address it led to is an internal one that the internet cannot reach (MoxiEngage only connects to public addresses).",
    actor: c.hosted ? "email_vendor" : "brokerage_admin",
    actions: [
      "Enter the EWS URL directly in the test (see the guide step to find it), then run the test again.",
      "Or fix Autodiscover: create the autodiscover.<yourdomain> DNS record your mail host asks for.",
    ],
  }),

  dns_failure: (c) => ({
    section: "find-ews-url",
    title: "The mail server's name could not be found",
    explanation:
      "A server name in the test did not exist in DNS (the internet's address book). Either the name is misspelled or the DNS record is missing.",
    actor: c.hosted ? "email_vendor" : "brokerage_admin",
    actions: [
      "Check the spelling of the EWS URL or email domain that was entered.",
      "Make sure the DNS record (for example autodiscover.<yourdomain> or the mail server's name) exists publicly.",
      "Run the test again.",
    ],
  }),

  tls_error: (c) => ({
    section: "troubleshoot-impersonation",
    title: "The mail server's security certificate is not trusted",
    explanation:
      "The secure (HTTPS) connection failed: the server's certificate is self-signed, expired, issued for another name, or missing its chain. MoxiEngage only connects to servers with a valid public certificate.",
    actor: serverSide(c),
    actions: [
      "Install a certificate from a public certificate authority on the server, covering the EWS and Autodiscover host names.",
      "Make sure the server sends the full certificate chain and the certificate has not expired.",
      "Run the test again.",
    ],
  }),

  timeout: (c) => ({
    section: "troubleshoot-impersonation",
    title: "The mail server did not answer in time",
    explanation:
      "The server took too long to answer or did not answer at all. A firewall may be blocking the connection, or the server may be overloaded or down.",
    actor: serverSide(c),
    actions: [
      "Make sure the EWS URL is reachable from the internet on port 443 (HTTPS).",
      "Check that no firewall or IP allow-list blocks the MoxiEngage servers.",
      "Run the test again; if it keeps timing out, ask whoever runs the mail server to check its health.",
    ],
  }),

  throttled: (c) => ({
    section: "troubleshoot-impersonation",
    title: "The mail server asked us to slow down",
    explanation:
      "The server is limiting how many requests it accepts (throttling). This is usually temporary.",
    actor: c.online ? "moxiworks" : serverSide(c),
    actions: [
      "Wait a few minutes and run the test again.",
      ...(c.online
        ? ["If it keeps happening, contact MoxiWorks."]
        : ["If it keeps happening, raise the EWS throttling limits for the service account (New-ThrottlingPolicy / Set-ThrottlingPolicyAssociation)."]),
    ],
  }),

  ews_disabled: (c) =>
    c.online
      ? {
          section: "troubleshoot-impersonation",
          title: "Exchange Web Services (EWS) is switched off",
          explanation:
            `The request was refused because EWS is turned off for the organization, the mailbox or this application. Exchange Online starts blocking EWS on ${D.ewsBlockingStarts} (only app IDs on EwsAllowedAppIDs pass) and switches it off for good on ${D.ewsOff}.`,
          actor: "moxiworks",
          actions: [
            "Check EwsEnabled with Get-OrganizationConfig and Get-CASMailbox for the service account and the agents.",
            "Contact MoxiWorks about app access and the app ID to allow.",
            SERVER_TRACK_HINT,
          ],
        }
      : {
          section: "troubleshoot-impersonation",
          title: "Exchange Web Services (EWS) is switched off or blocked",
          explanation:
            "The server refused the request (HTTP 403): EWS is turned off for the organization or mailbox, or an EWS application access policy blocks it.",
          actor: serverSide(c),
          actions: [
            "Run Get-OrganizationConfig | fl Ews* and Get-CASMailbox <service account> | fl Ews* in the Exchange Management Shell.",
            "Turn EWS on (Set-OrganizationConfig -EwsEnabled $true; Set-CASMailbox <account> -EwsEnabled $true) or allow MoxiEngage in the EWS allow list.",
            "Run the test again.",
          ],
        },

  oauth_app_misconfigured: () => ({
    section: appAccess("troubleshoot-app-access"),
    title: "The app access (OAuth) setup is not right",
    explanation:
      "Signing in as an application failed: the app registration, its secret or certificate, the granted permissions or admin consent do not match what Exchange expects.",
    actor: "moxiworks",
    actions: [
      "Check that admin consent was granted for the MoxiEngage app in your Microsoft Entra tenant.",
      "Contact MoxiWorks with the error shown below; the app's configuration is on their side.",
    ],
  }),

  tenant_not_found: () => ({
    section: "create-service-account",
    title: "Microsoft 365 does not know this organization",
    explanation:
      "The sign-in went to a Microsoft 365 organization (tenant) that does not exist or does not contain this account. The domain may be typed wrong, or the account belongs to another organization.",
    actor: "brokerage_admin",
    actions: [
      "Check the domain of the service account's email address.",
      "Make sure the service account was created in the same Microsoft 365 organization as the agents' mailboxes.",
      "Run the test again.",
    ],
  }),

  server_error: (c) => ({
    section: "troubleshoot-impersonation",
    title: "The mail server had an internal problem",
    explanation:
      "The server could not handle the request because of a problem on its side (an internal error, a mailbox database that is not available, or a refused connection).",
    actor: c.online ? "moxiworks" : serverSide(c),
    actions: [
      "Run the test again in a few minutes.",
      c.online
        ? "If it keeps failing, check the Microsoft 365 Service health page, then contact MoxiWorks."
        : "If it keeps failing, ask whoever runs the mail server to check the Exchange event logs and services.",
    ],
  }),

  send_denied: (c) => ({
    section: "grant-impersonation",
    title: "The service account cannot send mail from the agents' mailboxes",
    explanation:
      "Reading and writing worked, but Exchange refused to send the test message as the mailbox. MoxiEngage sends mail from agents' mailboxes, so that part of the sync would fail.",
    actor: c.online ? "brokerage_admin" : serverSide(c),
    actions: [
      c.online
        ? "Give the service account Send As on the mailbox: Add-RecipientPermission <mailbox> -AccessRights SendAs -Trustee <service account>."
        : "Check that the impersonation role assignment covers this mailbox, or give the service account Send As on it: Add-ADPermission <mailbox> -User <service account> -ExtendedRights \"Send As\".",
      "Check for a transport rule or sending restriction on the mailbox that blocks mail sent by other accounts.",
      "Run the test again with “Also send a test message” ticked.",
    ],
  }),

  mailbox_full: (c) => ({
    section: "test-impersonation",
    title: "The test mailbox is full",
    explanation:
      "Exchange refused to save a new item because the mailbox is over its storage quota. Until there is room, nothing new can be saved or sent from it — including what MoxiEngage writes.",
    actor: c.hosted ? "email_vendor" : "brokerage_admin",
    actions: [
      "Free up space in the mailbox (empty Deleted Items, archive or delete old mail), or raise its quota (Set-Mailbox <mailbox> -ProhibitSendQuota … -ProhibitSendReceiveQuota …).",
      "Run the test again.",
    ],
  }),

  consent_required: (c) => ({
    section: appAccess("grant-consent"),
    title: "Your Microsoft 365 administrator has not approved the MoxiEngage app yet",
    explanation:
      "Microsoft 365 refused to give the MoxiEngage app access because no administrator of your organization has granted it consent (approved the permissions it asks for). Until then, no sign-in as the app works.",
    actor: "brokerage_admin",
    actions: [
      "Sign in as a Global Administrator or Privileged Role Administrator and open the consent link from the guide step.",
      "Review the permissions and choose Accept, then run the test again.",
      ...notOnline(c),
    ],
  }),

  app_not_found: (c) => ({
    section: appAccess("grant-consent"),
    title: "The MoxiEngage app is not in your Microsoft 365 organization",
    explanation:
      "Microsoft Entra does not know the MoxiEngage app in your organization (tenant). Usually consent was never granted there, it was granted in another organization, or the app was removed or disabled.",
    actor: "brokerage_admin",
    actions: [
      "Check that the tenant ID or domain entered is your organization's.",
      "Grant admin consent with the link in the guide step (this adds the app to your organization), then run the test again.",
      "If Enterprise applications shows MoxiEngage as disabled, set Enabled for users to sign in to Yes.",
      ...notOnline(c),
    ],
  }),

  client_secret_invalid: () => ({
    section: appAccess("troubleshoot-app-access"),
    title: "Microsoft refused the MoxiEngage app's secret",
    explanation:
      "The app's password (client secret) was not accepted by Microsoft Entra. The secret belongs to MoxiWorks's app registration, so nothing in your organization can fix it.",
    actor: "moxiworks",
    actions: [
      "Contact MoxiWorks support with the error lines shown below; they need to check the app's client secret.",
      "Nothing needs to change in your Microsoft 365 organization.",
    ],
  }),

  client_secret_expired: () => ({
    section: appAccess("troubleshoot-app-access"),
    title: "The MoxiEngage app's secret has expired",
    explanation:
      "The app's password (client secret) is past its expiry date, so Microsoft Entra refuses to sign the app in. The secret belongs to MoxiWorks's app registration.",
    actor: "moxiworks",
    actions: [
      "Contact MoxiWorks support: they need to create a new client secret (or certificate) for the app.",
      "Nothing needs to change in your Microsoft 365 organization; run the test again once MoxiWorks confirms.",
    ],
  }),

  certificate_invalid: () => ({
    section: appAccess("troubleshoot-app-access"),
    title: "Microsoft refused the MoxiEngage app's certificate",
    explanation:
      "The app signs in with a certificate, and Microsoft Entra did not accept it: it is not the one registered for the app, it has expired, or its signature did not verify. The certificate belongs to MoxiWorks's app registration.",
    actor: "moxiworks",
    actions: [
      "Contact MoxiWorks support with the error lines shown below; they need to check the app's certificate.",
      "Nothing needs to change in your Microsoft 365 organization.",
    ],
  }),

  app_access_denied: (c) => ({
    section: appAccess("scope-app-access", 4),
    title: "The MoxiEngage app may not open the agents' mailboxes yet",
    explanation:
      "Microsoft 365 signed the app in but refused it access to the mailbox. The app's access is limited to a group of agents (RBAC for Applications or an application access policy), and the mailbox that was tested is not covered, or the assignment is missing or has not taken effect yet.",
    actor: "brokerage_admin",
    actions: [
      "Make sure the tested mailbox is a member of the MoxiEngage agents group.",
      "Check the management scope and role assignments for the MoxiEngage app (Test-ServicePrincipalAuthorization shows what it may reach).",
      "Changes can take up to an hour to apply; run the test again afterwards.",
      ...notOnline(c),
    ],
  }),

  app_scope_too_broad: (c) => ({
    section: appAccess("troubleshoot-app-access", 3),
    title: "The MoxiEngage app can reach mailboxes it should not",
    explanation:
      "The app could open a mailbox outside the agents group. Usually the app was also granted a tenant-wide permission in Microsoft Entra (for example Mail.Read or Calendars.ReadWrite as an application permission), which opens every mailbox whatever the group scope says.",
    actor: "brokerage_admin",
    actions: [
      "In the Microsoft Entra admin center, open Enterprise applications → MoxiEngage → Permissions and remove any tenant-wide mailbox permissions (Mail.*, Calendars.*, Contacts.*).",
      "Keep the app's access in Exchange Online limited to the agents group (see the guide step), then run the test again.",
      ...notOnline(c),
    ],
  }),

  mailbox_not_enabled: (c) => ({
    section: appAccess("troubleshoot-app-access", 4),
    title: "The mailbox cannot be reached through Microsoft 365",
    explanation:
      "Microsoft Graph answered that the mailbox is not available to it: it is inactive or soft-deleted, has no Exchange Online license, or is still on an on-premises Exchange Server (hybrid).",
    actor: "brokerage_admin",
    actions: [
      "Check that the user has a license that includes Exchange Online and that the mailbox was not deleted.",
      "If the mailbox is still on your own Exchange Server (hybrid), move it to Exchange Online or choose the Exchange Server track in the guide.",
      "Run the test again.",
      ...notOnline(c),
    ],
  }),

  ews_blocked: (c) => ({
    section: appAccess("grant-consent"),
    title: "Exchange Online blocks the old EWS connection",
    explanation:
      `Microsoft is retiring Exchange Web Services (EWS) in Exchange Online: it blocks EWS from ${D.ewsBlockingStarts} and switches it off for good on ${D.ewsOff}. ` +
      "MoxiEngage connects to Microsoft 365 through Microsoft Graph (app access) instead, and that needs admin consent in your organization." +
      (c.online || c.unsure ? "" : " This block is Microsoft 365's; an Exchange Server you run yourself does not have it (there an EWS switch that is off is a different problem)."),
    actor: "brokerage_admin",
    actions: [
      "Do not try to turn EWS back on in Exchange Online: it does not last past the retirement.",
      "Set up app access for MoxiEngage: grant admin consent with the link in the guide step, then limit the app to the agents group.",
      ...(c.online || c.unsure ? [] : [SERVER_TRACK_HINT]),
    ],
  }),

  unknown: (c) => ({
    section: "troubleshoot-impersonation",
    title: "We could not tell what went wrong",
    explanation:
      "The log does not contain an error we recognise. The lines below looked the most relevant.",
    actor: c.hosted ? "email_vendor" : "brokerage_admin",
    actions: [
      "Open the troubleshooting section of the guide and compare the lines below with the examples there.",
      "Run the test again; if it fails the same way, send the full log to MoxiWorks support.",
    ],
  }),
};

/**
 * Guidance for a cause. `fallbackLinkTrack` is used for links when the track is unknown (the engine
 * passes "microsoft-365" when the log itself shows Exchange Online, "exchange-server" otherwise).
 */
/** The guide sections the guidance for this cause says cannot help on this track. */
export function ruledOutSections(cause: Cause, track: GuidanceTrack = "unknown", fallbackLinkTrack: Track = "exchange-server"): readonly SectionId[] {
  return WRITERS[cause](contextFor(track, fallbackLinkTrack)).rulesOut ?? [];
}

export function guidanceFor(cause: Cause, track: GuidanceTrack = "unknown", fallbackLinkTrack: Track = "exchange-server"): Guidance {
  const context = contextFor(track, fallbackLinkTrack);
  const { section, title, explanation, actor, actions } = WRITERS[cause](context);
  const text = { title, explanation, actor, actions };
  const guideStep = typeof section === "string" ? guideHref(context.linkTrack, section) : APP_ACCESS_GUIDE.href(section.appAccess, section.step);
  return { ...text, guideStep };
}
