// The parts of the seed every track shares: overview, service account, information gathering, next
// steps, security and the related resources. `host` names the mail system in the reader's words.

import { sectionChecklist } from "../build";
import type { Resource, Section } from "../types";

export interface HostWords {
  /** "Microsoft 365", "Exchange Server", "hosted Exchange". */
  host: string;
  /** "Microsoft 365 (formerly Office 365)" etc., for the first mention. */
  hostLong: string;
  /** Id prefix for checklist items ("" for the seed's Microsoft 365 wording, "server-" otherwise). */
  prefix: string;
}

export function overview(w: HostWords): Section {
  return {
    id: "overview",
    title: "Overview",
    seedHeading: "Overview",
    level: 2,
    intro: [
      `MoxiEngage integrates directly with your brokerage's ${w.hostLong} account to provide your agents and support staff with consistent and convenient access to their information, while eliminating any need to enter the same information multiple times.`,
      `MoxiEngage relies upon Exchange application impersonation access to synchronize data and perform actions on behalf of individual users. Each MoxiEngage user account has an email address that corresponds to a mailbox on your ${w.host} account. All integration actions are performed within the context of a single given mailbox. MoxiEngage never requires administrative access to your ${w.host} account.`,
    ],
    subsections: [
      {
        id: "overview-contacts",
        title: "Contacts",
        seedHeading: "Contacts",
        body: [
          `MoxiEngage continually synchronizes a user's contacts and contact details with the ${w.host.includes("Exchange") ? w.host : `${w.host} Exchange`} mailbox. Contacts created in ${w.host} will appear in MoxiEngage. Contacts created in MoxiEngage are synchronized back to the ${w.host} mailbox.`,
        ],
      },
      {
        id: "overview-calendar",
        title: "Calendar",
        seedHeading: "Calendar",
        body: [
          `MoxiEngage displays the user's calendar events and appointments. Calendar events and appointments can also be added through MoxiEngage and are synchronized to the ${w.host} mailbox.`,
        ],
      },
      {
        id: "overview-email",
        title: "Email",
        seedHeading: "Email",
        body: [
          `MoxiEngage sends certain email messages through the user's mailbox. These email messages will appear in the Sent Items folder and will be delivered to the recipient from the mailbox just as if the user had sent the email from ${w.host} directly. MoxiEngage does not synchronize or inspect incoming email messages.`,
        ],
      },
    ],
  };
}

export function serviceAccountSetup(w: HostWords): Section {
  return {
    id: "service-account-setup",
    title: "Service account setup",
    seedHeading: "Service Account Setup",
    level: 2,
    intro: [
      `MoxiEngage is designed to use service account credentials for organizations that use ${w.hostLong} for the company's email.`,
      "An email administrator in your organization (or your email vendor) performs the steps to create a service account and obtain the credentials for MoxiEngage to use.",
      "Follow the [setup instructions for administrators](#admin-instructions) below, step by step, to set up a service account with application impersonation, basic authentication and a password that does not expire.",
      "You will then provide the service account email address and its non-expiring password, along with a regular user email address that we can use for testing.",
    ],
  };
}

export function informationGathering(w: HostWords): Section {
  return {
    id: "information-gathering",
    title: "Information gathering",
    seedHeading: "Information Gathering",
    level: 2,
    intro: [
      "To configure the MoxiEngage integration we need some key information and credentials from you, including the service account credentials created by following the [setup instructions for administrators](#admin-instructions).",
      "Type the two addresses into the boxes at the top of this page: every command below is then filled in with them. Never type the password into this page — you give it to MoxiWorks only through the secure form in your onboarding workspace.",
    ],
    checklist: sectionChecklist("information-gathering", w.prefix, [
      "I have the service account's full email address",
      "I have the service account's password, kept somewhere safe (not in email)",
      "I have a regular (non-administrator) user's email address for testing",
    ]),
  };
}

export function nextSteps(): Section {
  return {
    id: "next-steps",
    title: "Next steps",
    seedHeading: "Next Steps",
    level: 2,
    intro: [],
    subsections: [
      {
        id: "next-steps-verification",
        title: "Verification of credentials",
        seedHeading: "Verification of Credentials",
        body: [
          "MoxiWorks then tests the credentials you provided: that the service account can connect to your email service and synchronize the test mailbox you supplied. In your onboarding workspace you can run the same test yourself first and see its full log.",
        ],
      },
      {
        id: "next-steps-not-verified",
        title: "Outcome: credentials cannot be verified",
        seedHeading: "Outcome: Credentials Cannot be Verified",
        body: [
          "If your credentials cannot be verified, we contact you and your workspace shows what failed and which step of this guide fixes it. Your email administrator resolves the issue and you submit the updated information.",
        ],
      },
      {
        id: "next-steps-verified",
        title: "Outcome: credentials are verified successfully",
        seedHeading: "Outcome: Credentials are Verified Successfully",
        body: [
          "If your credentials are verified successfully, we store them securely (encrypted). Congratulations! This is the milestone that lets us continue enabling MoxiEngage for your brokerage.",
        ],
      },
    ],
  };
}

export function security(w: HostWords): Section {
  return {
    id: "security",
    title: "Security",
    seedHeading: "Security",
    level: 2,
    intro: [
      `MoxiWorks requires a single username/mailbox on your ${w.host} system, configured as a service account with the ApplicationImpersonation role. All interactions between MoxiWorks and your users' mailboxes happen through this designated impersonation account. MoxiEngage never requires administrative access to your ${w.host} system.`,
    ],
    subsections: [
      {
        id: "security-network",
        title: "Network access",
        seedHeading: "Network Access",
        body: [`MoxiWorks systems communicate directly with your ${w.host} servers over encrypted HTTPS (TLS) connections.`],
      },
      {
        id: "security-secrets",
        title: "Managing shared secrets and credentials",
        seedHeading: "Managing Shared Secrets and Credentials",
        body: [
          "For automated access, MoxiWorks uses methods native to its configuration management software. Credentials are stored in encrypted objects accessible only to servers with the relevant service role and environment, and are decrypted during software deployment. Server identity is validated with pre-shared public/private keys.",
          "Credentials are managed through a commercial password manager. Non-automated access is limited to the MoxiWorks Technical Operations team and, with your approval, to limited support staff as needed. See also [Chef: encrypt a data bag item](https://docs.chef.io/secrets.html#encrypt-a-data-bag-item) and [LastPass Enterprise](https://www.lastpass.com/en/enterprise).",
        ],
      },
      {
        id: "security-breach",
        title: "Communications policy for security breaches",
        seedHeading: "Communications Policy for Security Breaches",
        body: [
          "In the unlikely event of a security breach in which client data such as account credentials for registrar management, impersonation credentials and the like may have been compromised, MoxiWorks Technical Operations and/or Account Management staff will notify affected clients.",
          "If you become aware of a potential security breach, notify MoxiWorks immediately so that we can contain and mitigate the risk in a timely manner. In either case, a change to the impersonation account's credentials is coordinated between both parties.",
        ],
      },
    ],
  };
}

export const SEED_RESOURCES: Resource[] = [
  { title: "Compare Active Directory to Azure Active Directory", href: "https://learn.microsoft.com/entra/fundamentals/compare", comment: "Azure Active Directory is now called Microsoft Entra ID." },
  {
    title: "Azure AD PowerShell Module",
    href: "https://learn.microsoft.com/powershell/azure/active-directory/overview",
    comment: "Retired; use [Microsoft Graph PowerShell](https://learn.microsoft.com/powershell/microsoftgraph/overview) instead.",
  },
  { title: "Connect to Microsoft 365 with PowerShell", href: "https://learn.microsoft.com/microsoft-365/enterprise/connect-to-microsoft-365-powershell" },
  {
    title: "Set an individual user's password to never expire",
    href: "https://learn.microsoft.com/microsoft-365/admin/add-users/set-password-to-never-expire",
    comment: "Now uses Microsoft Graph PowerShell (Update-MgUser).",
  },
  {
    title: "End of support for Basic Authentication access to Exchange Online API's for Office 365 customers",
    href: "https://developer.microsoft.com/office/blogs/end-of-support-for-basic-authentication-access-to-exchange-online-apis-for-office-365-customers/",
  },
  {
    title: "Exchange Online deprecating Basic Authentication (Basic Auth)",
    href: "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online",
  },
  { title: "What are security defaults?", href: "https://learn.microsoft.com/entra/fundamentals/security-defaults" },
  {
    title: "Disable Basic authentication in Exchange Online",
    href: "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/disable-basic-authentication-in-exchange-online",
  },
  { title: "Exchange Online Management PowerShell Module", href: "https://www.powershellgallery.com/packages/ExchangeOnlineManagement" },
  {
    title: "About PowerShell Execution Policies",
    href: "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_execution_policies",
  },
  { title: "Connect to Exchange Online PowerShell", href: "https://learn.microsoft.com/powershell/exchange/connect-to-exchange-online-powershell" },
  { title: "What is Conditional Access?", href: "https://learn.microsoft.com/entra/identity/conditional-access/overview" },
];

export const SERVER_RESOURCES: Resource[] = [
  { title: "New-ManagementRoleAssignment", href: "https://learn.microsoft.com/powershell/module/exchange/new-managementroleassignment" },
  { title: "Set-WebServicesVirtualDirectory", href: "https://learn.microsoft.com/powershell/module/exchange/set-webservicesvirtualdirectory" },
  { title: "Get-WebServicesVirtualDirectory", href: "https://learn.microsoft.com/powershell/module/exchange/get-webservicesvirtualdirectory" },
  { title: "Set-ADUser", href: "https://learn.microsoft.com/powershell/module/activedirectory/set-aduser" },
  { title: "Configure impersonation (Exchange Web Services)", href: "https://learn.microsoft.com/exchange/client-developer/exchange-web-services/how-to-configure-impersonation" },
  { title: "Microsoft Remote Connectivity Analyzer", href: "https://testconnectivity.microsoft.com/" },
];

export function relatedResources(resources: Resource[]): Section {
  return {
    id: "related-resources",
    title: "Related resources",
    seedHeading: "Related Resources",
    level: 2,
    intro: ["The following resources may provide additional information you need to perform these tasks:"],
    resources,
  };
}
