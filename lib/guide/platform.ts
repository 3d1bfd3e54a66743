// Microsoft platform facts that change what the 2021 guide can still do, with dates and public sources.
// One place: guide notes, troubleshooting guidance and mail quote these, so a new date is one edit here.
// Checked against Microsoft's published material in Nov 2026 (Exchange Team blog, Message Center posts,
// Microsoft Learn); third-party copies of Message Center posts are cited where Microsoft's own page is
// only visible to signed-in tenants.

export type PlatformFactId =
  | "basicAuthOff"
  | "impersonationRemoved"
  | "ewsBlocked"
  | "ewsOff"
  | "azureAdRetired"
  | "securityDefaults"
  | "rbacForApps"
  | "rbacAdditive"
  | "adminConsentRoles"
  | "rbacDelay"
  | "resellerConsent";

export interface Source {
  label: string;
  url: string;
}

export interface PlatformFact {
  id: PlatformFactId;
  /** ISO date the change took or takes effect (first day of the month when Microsoft gave only a month). */
  date: string;
  /** The date as readers see it. */
  dateLabel: string;
  /** One sentence: what Microsoft changed. */
  title: string;
  /** What that means for a MoxiEngage setup today. */
  consequence: string;
  /** Only Exchange Online / Microsoft Entra is affected; Exchange Server on premises is not. */
  onlineOnly: boolean;
  sources: Source[];
}

export const PLATFORM_FACTS: Record<PlatformFactId, PlatformFact> = {
  basicAuthOff: {
    id: "basicAuthOff",
    date: "2022-10-01",
    dateLabel: "1 October 2022",
    title:
      "Microsoft began turning off basic authentication (user name and password) for Exchange Web Services, Autodiscover and the other mail protocols in Exchange Online on 1 October 2022, and finished early in 2023.",
    consequence:
      "An authentication policy with AllowBasicAuthWebServices no longer lets a password sign-in through: Exchange Online answers 401 whatever the policy says. A service account with a password cannot connect to Exchange Online any more.",
    onlineOnly: true,
    sources: [
      {
        label: "Microsoft Learn: Deprecation of Basic authentication in Exchange Online",
        url: "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online",
      },
      {
        label: "Exchange Team blog: Basic Authentication Deprecation in Exchange Online – May 2022 Update (MC375736)",
        url: "https://techcommunity.microsoft.com/t5/exchange-team-blog/basic-authentication-deprecation-in-exchange-online-may-2022/ba-p/3301866",
      },
      {
        label: "Exchange Team blog: Basic Authentication Deprecation in Exchange Online – September 2022 Update (MC424238)",
        url: "https://techcommunity.microsoft.com/t5/exchange-team-blog/basic-authentication-deprecation-in-exchange-online-september/ba-p/3609437",
      },
    ],
  },
  impersonationRemoved: {
    id: "impersonationRemoved",
    date: "2025-02-01",
    dateLabel: "February 2025",
    title:
      "Microsoft removed the ApplicationImpersonation management role from Exchange Online in February 2025; new assignments were blocked from September 2024.",
    consequence:
      "The role is no longer in the Exchange admin center's role list and New-ManagementRoleAssignment refuses it. Mailbox access for apps in Exchange Online now comes from an app registration with application permissions (scoped with RBAC for Applications), which the app's vendor must support.",
    onlineOnly: true,
    sources: [
      {
        label: "Exchange Team blog: Retirement of RBAC Application Impersonation in Exchange Online",
        url: "https://techcommunity.microsoft.com/t5/exchange-team-blog/retirement-of-rbac-application-impersonation-in-exchange-online/ba-p/4062671",
      },
      { label: "Message Center MC718754 (copy by mc.merill.net)", url: "https://mc.merill.net/message/MC718754" },
    ],
  },
  ewsBlocked: {
    id: "ewsBlocked",
    date: "2026-10-01",
    dateLabel: "1 October 2026",
    title:
      "From 1 October 2026 Exchange Online disables Exchange Web Services tenant by tenant: EWS requests are blocked unless the tenant sets EWSEnabled to True and lists the calling app's ID in EWSAllowedAppIDs.",
    consequence:
      "Only registered apps (identified by their Microsoft Entra application ID) can reach EWS in Exchange Online at all; a user-name-and-password service account has no app ID to put on the list.",
    onlineOnly: true,
    sources: [
      {
        label: "Message Center MC1227454: EWS retirement timeline (copy by blog.tophhie.cloud)",
        url: "https://blog.tophhie.cloud/m365-message-center/message/mc1227454/",
      },
      {
        label: "Message Center MC1176266: Update active Exchange Web Services applications (copy by pupuweb.com)",
        url: "https://pupuweb.com/mc1176266-action-required-update-active-exchange-web-services-applications",
      },
      {
        label: "Redmond: Microsoft introduces EWSAllowedAppIDs (June 2026)",
        url: "https://redmondmag.com/blogs/redmond-dispatch/2026/06/microsoft-introduces-ewsallowedappids.aspx",
      },
    ],
  },
  ewsOff: {
    id: "ewsOff",
    date: "2027-04-01",
    dateLabel: "1 April 2027",
    title: "On 1 April 2027 Exchange Web Services is switched off for good in Exchange Online, with no exceptions. Exchange Server on premises is not affected.",
    consequence:
      "Any connection to Exchange Online mailboxes after that date has to use Microsoft Graph. Exchange Server 2016, 2019 and Subscription Edition keep EWS.",
    onlineOnly: true,
    sources: [
      {
        label: "Message Center MC1227454: EWS retirement timeline (copy by blog.tophhie.cloud)",
        url: "https://blog.tophhie.cloud/m365-message-center/message/mc1227454/",
      },
    ],
  },
  azureAdRetired: {
    id: "azureAdRetired",
    date: "2024-03-30",
    dateLabel: "30 March 2024",
    title:
      "The AzureAD and MSOnline PowerShell modules were deprecated on 30 March 2024 and retired during 2025; Microsoft Graph PowerShell replaces them.",
    consequence:
      "Install-Module AzureAD, Connect-AzureAD and Set-AzureADUser may still install but are unsupported and can stop working. The same change is `Update-MgUser -UserId {service account} -PasswordPolicies DisablePasswordExpiration` in the Microsoft.Graph module.",
    onlineOnly: true,
    sources: [
      {
        label: "Microsoft Learn: Azure Active Directory PowerShell for Graph (deprecation notice)",
        url: "https://learn.microsoft.com/powershell/azure/active-directory/overview",
      },
      {
        label: "Microsoft Entra blog: Action required: MSOnline and AzureAD PowerShell retirement – 2025 info and resources",
        url: "https://techcommunity.microsoft.com/blog/microsoft-entra-blog/action-required-msonline-and-azuread-powershell-retirement---2025-info-and-resou/4364991",
      },
      {
        label: "Microsoft Learn: Set an individual user's password to never expire (Microsoft Graph PowerShell)",
        url: "https://learn.microsoft.com/microsoft-365/admin/add-users/set-password-to-never-expire",
      },
    ],
  },
  securityDefaults: {
    id: "securityDefaults",
    date: "2019-10-22",
    dateLabel: "since October 2019",
    title:
      "Security defaults in Microsoft Entra ID require multifactor authentication and block legacy (basic) authentication; they are on by default in tenants created since October 2019.",
    consequence:
      "Turning security defaults off no longer brings basic authentication back for Exchange Online (it is off at the service), so doing it for MoxiEngage only weakens the tenant. Keep them on.",
    onlineOnly: true,
    sources: [
      {
        label: "Microsoft Learn: Security defaults in Microsoft Entra ID",
        url: "https://learn.microsoft.com/entra/fundamentals/security-defaults",
      },
    ],
  },
  rbacForApps: {
    id: "rbacForApps",
    date: "2023-07-31",
    dateLabel: "31 July 2023",
    title:
      "RBAC for Applications in Exchange Online has been generally available since 31 July 2023: an Exchange administrator gives an app a role (such as Application Contacts.ReadWrite) limited to a management scope of mailboxes. Microsoft says it replaces Application Access Policies.",
    consequence:
      "MoxiEngage's app can be limited to your agents' mailboxes with three role assignments. Assigning them needs the Organization Management role group in Exchange Online, or Global Administrator or Exchange Administrator in Microsoft Entra.",
    onlineOnly: true,
    sources: [
      {
        label: "Exchange Team blog: Announcing Public Preview of RBAC for Applications in Exchange Online (updated 31 Jul 2023: fully released)",
        url: "https://techcommunity.microsoft.com/t5/exchange-team-blog/announcing-public-preview-of-role-based-access-control-for/ba-p/3688228",
      },
      { label: "Microsoft Learn: Role Based Access Control for Applications in Exchange Online", url: "https://learn.microsoft.com/exchange/permissions-exo/application-rbac" },
    ],
  },
  rbacAdditive: {
    id: "rbacAdditive",
    date: "2023-07-31",
    dateLabel: "since 31 July 2023",
    title:
      "RBAC for Applications grants are added to the app's Microsoft Entra permissions; they do not narrow them. Microsoft: these grants \"are independent of the unscoped grants in Microsoft Entra ID\".",
    consequence:
      "If MoxiEngage's app also held a tenant-wide Contacts.ReadWrite, Calendars.ReadWrite or Mail.Send application permission in your tenant, it could open every mailbox whatever the scope says. MoxiEngage's app asks for none, and the connection test fails with app_scope_too_broad if a mailbox outside the scope can be read.",
    onlineOnly: true,
    sources: [
      { label: "Microsoft Learn: Limiting application permissions to specific Exchange Online mailboxes", url: "https://learn.microsoft.com/graph/auth-limit-mailbox-access" },
      { label: "Salesforce Help: RBAC can add permissions but cannot remove scopes granted at consent", url: "https://help.salesforce.com/s/articleView?id=005228035" },
    ],
  },
  adminConsentRoles: {
    id: "adminConsentRoles",
    date: "2025-07-01",
    dateLabel: "since July 2025",
    title:
      "Granting tenant-wide admin consent to an app needs a Global Administrator or Privileged Role Administrator (Microsoft Graph permissions); since Microsoft's managed consent policy (MC1097272, July 2025) ordinary users see \"Need admin approval\" instead.",
    consequence:
      "The person who clicks \"Grant access in Microsoft 365\" must hold one of those roles in your tenant. Anyone else gets Microsoft's \"Need admin approval\" page and nothing is granted.",
    onlineOnly: true,
    sources: [
      { label: "Microsoft Learn: Grant tenant-wide admin consent to an application", url: "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent" },
      { label: "Microsoft Entra docs: admin consent endpoint (v2-admin-consent)", url: "https://github.com/MicrosoftDocs/entra-docs/blob/main/docs/identity-platform/v2-admin-consent.md" },
      { label: "AppGovScore: Microsoft disables user consent by default (MC1097272)", url: "https://www.appgovscore.com/blog/microsoft-disables-user-consent-by-default-are-you-ready-for-mc1097272" },
    ],
  },
  rbacDelay: {
    id: "rbacDelay",
    date: "2026-12-02",
    dateLabel: "as of 2 December 2026",
    title:
      "Microsoft gives no wait time for RBAC for Applications role assignments; for the older Application Access Policies it says changes can take more than an hour, and vendors report approvals taking \"an hour or more\" to apply.",
    consequence:
      "Test-ServicePrincipalAuthorization shows the assignment at once, but Microsoft Graph may refuse the mailboxes for a while. If the connection test says access is denied right after you ran the commands, wait an hour and run it again before changing anything.",
    onlineOnly: true,
    sources: [
      { label: "Microsoft Learn: Limiting application permissions to specific Exchange Online mailboxes (changes can take more than an hour)", url: "https://learn.microsoft.com/graph/auth-limit-mailbox-access" },
      { label: "CalendarBridge: approve delegated permissions (the wall may stay an hour or more)", url: "https://help.calendarbridge.com/group-admin-docs/approve-delegated-permissions-for-calendarbridge-for-microsoft-365/" },
      { label: "Microsoft Learn: Test-ServicePrincipalAuthorization", url: "https://learn.microsoft.com/powershell/module/exchange/test-serviceprincipalauthorization" },
    ],
  },
  resellerConsent: {
    id: "resellerConsent",
    date: "2024-02-01",
    dateLabel: "as published by 2024",
    title:
      "A Microsoft 365 tenant federated to GoDaddy gives its customer a reduced administrator: no Microsoft Entra admin center, no admin consent to enterprise applications, limited Exchange Online PowerShell.",
    consequence:
      "In such a tenant someone with Global Administrator rights — the reseller, or you after defederating — has to grant the consent and run the Exchange Online commands.",
    onlineOnly: true,
    sources: [{ label: "BostonMIT: Defederating Microsoft 365 from GoDaddy", url: "https://bostonmit.com/defederate-microsoft-365-from-godaddy" }],
  },
};

export function platformFact(id: PlatformFactId): PlatformFact {
  return PLATFORM_FACTS[id];
}

/** The dates the diagnosis guidance quotes (lib/diagnosis/platform-dates.ts can re-export this). */
export const EXCHANGE_ONLINE_DATES = {
  basicAuthOff: PLATFORM_FACTS.basicAuthOff.dateLabel,
  applicationImpersonationRemoved: PLATFORM_FACTS.impersonationRemoved.dateLabel,
  ewsBlockingStarts: PLATFORM_FACTS.ewsBlocked.dateLabel,
  ewsOff: PLATFORM_FACTS.ewsOff.dateLabel,
} as const;

/** Whether a dated change has taken effect on `now` — lets pages say "since" or "from". */
export function hasTakenEffect(id: PlatformFactId, now: Date = new Date()): boolean {
  return now.getTime() >= Date.parse(`${PLATFORM_FACTS[id].date}T00:00:00Z`);
}
