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
  | "securityDefaults";

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
