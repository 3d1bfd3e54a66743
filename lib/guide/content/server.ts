// Exchange Server on premises and hosted Exchange: the same outcome as the seed (a service account
// with ApplicationImpersonation, a password that never expires, basic authentication on EWS and
// Autodiscover) with Exchange Management Shell and Active Directory commands. Exchange Server
// 2016/2019/Subscription Edition still has the role and basic authentication, so this path works.

import { numberSteps, powershell } from "../build";
import type { Note, Section } from "../types";

const P = "server-";

const EMS =
  "Open **Exchange Management Shell** as an administrator (an Organization Management member), on an Exchange server or a workstation with the Exchange management tools.";

const providerNote = (hosted: boolean, what: string): Note[] =>
  hosted
    ? [
        {
          kind: "info",
          text: `Your hosting provider ${what}. Send them the link to this page (it is public and has no secrets); they can tick the checklist with you on a call or run the commands themselves.`,
        },
      ]
    : [];

export function createServiceAccountServer(hosted: boolean): Section {
  return {
    id: "create-service-account",
    title: "Create a service account user",
    level: 3,
    intro: [
      "Create a dedicated user with a mailbox for MoxiEngage. A mailbox lets Autodiscover answer for the account and lets you see that it works in Outlook on the web. Use a long random password and do not require a change at first sign-in.",
    ],
    notes: providerNote(hosted, "usually creates users from its own control panel; ask for a dedicated user mailbox named Moxi Engage with a password that does not have to be changed at first sign-in"),
    steps: numberSteps("create-service-account", P, [
      { text: EMS, tick: "Exchange Management Shell open" },
      {
        text: "Create the mailbox-enabled user. PowerShell asks for the password without showing it; make a note of it so you can provide it to MoxiWorks through the secure form.",
        commands: [
          powershell('New-Mailbox -Name "Moxi Engage" -DisplayName "Moxi Engage" -UserPrincipalName {service account} -Password (Read-Host "Service account password" -AsSecureString) -ResetPasswordOnNextLogon $false', "create the service account mailbox"),
        ],
        expect: "A line with Name Moxi Engage, Alias, ServerName and ProhibitSendQuota.",
        tick: "Created the service account and noted its password",
      },
      {
        text: "Check the account exists with the address you typed at the top of this page.",
        commands: [powershell("Get-User -Identity {service account} | Format-List Name,UserPrincipalName,RecipientType", "check the service account")],
        expect: "RecipientType UserMailbox and the service account's UserPrincipalName.",
        tick: "Account shows as UserMailbox",
      },
    ]),
  };
}

export function grantImpersonationServer(hosted: boolean): Section {
  const assignment = hosted
    ? [
        powershell('New-ManagementScope -Name "MoxiEngage {domain}" -RecipientRestrictionFilter "EmailAddresses -like \'*@{domain}\'"', "limit impersonation to this customer's mailboxes"),
        powershell('New-ManagementRoleAssignment -Name MoxiEngageImpersonation -Role ApplicationImpersonation -User {service account} -CustomRecipientWriteScope "MoxiEngage {domain}"', "grant ApplicationImpersonation within that scope"),
      ]
    : [
        powershell("New-ManagementRoleAssignment -Name MoxiEngageImpersonation -Role ApplicationImpersonation -User {service account}", "grant ApplicationImpersonation"),
      ];
  return {
    id: "grant-impersonation",
    title: "Grant ApplicationImpersonation to the service account user",
    level: 3,
    intro: [
      "ApplicationImpersonation lets the service account act as each agent's mailbox for MoxiEngage's contacts, calendar and sent mail. On Exchange Server the role is granted with one management role assignment.",
    ],
    notes: hosted
      ? [
          ...providerNote(hosted, "has to grant this role, because it needs Organization Management rights on the shared Exchange organization"),
          {
            kind: "info",
            text: "On a shared (multi-customer) Exchange organization, impersonation must be limited to your own mailboxes with a management scope, as in the commands below; a provider may use its own scope name or filter.",
          },
        ]
      : [],
    steps: numberSteps("grant-impersonation", P, [
      { text: EMS, tick: "Exchange Management Shell open" },
      {
        text: hosted
          ? "Create a scope for this customer's addresses ({domain} is taken from the service account you typed at the top), then assign the role within it."
          : "Assign the ApplicationImpersonation role to the service account.",
        commands: assignment,
        tick: "Assigned the ApplicationImpersonation role",
      },
      {
        text: "Check the assignment.",
        commands: [
          powershell("Get-ManagementRoleAssignment -Role ApplicationImpersonation -RoleAssignee {service account} | Format-List Name,Role,RoleAssigneeName,CustomRecipientWriteScope", "check the role assignment"),
        ],
        expect: "Name MoxiEngageImpersonation, Role ApplicationImpersonation and the service account as RoleAssigneeName.",
        tick: "The assignment is listed",
      },
      {
        text: "Allow time for the change to reach every server: Active Directory replication and Exchange's permission cache can take from a few minutes to about two hours. A test that fails with ErrorImpersonateUserDenied straight after this step is not final — run it again later.",
        tick: "Waited before testing",
      },
    ]),
  };
}

export function passwordNeverExpiresServer(hosted: boolean): Section {
  const find = "Get-ADUser -Filter \"UserPrincipalName -eq '{service account}'\"";
  return {
    id: "password-never-expires",
    title: "Make sure the service account's password never expires",
    level: 3,
    intro: [
      "The connection depends on MoxiWorks having the service account's current password. When it expires, synchronization stops until the password is reset, given to MoxiWorks and stored again. In Active Directory the setting is one flag on the user.",
    ],
    notes: providerNote(hosted, "controls password policy on its directory; ask it to set \"Password never expires\" on the service account"),
    steps: numberSteps("password-never-expires", P, [
      {
        text: "Open Windows PowerShell as an administrator on a domain-joined computer with the Active Directory module (RSAT), and load the module.",
        commands: [powershell("Import-Module ActiveDirectory", "load the Active Directory module")],
        tick: "Active Directory module loaded",
      },
      {
        text: "Set the service account's password never to expire. (In Active Directory Users and Computers this is the **Password never expires** box on the account's Account tab.)",
        commands: [powershell(`${find} | Set-ADUser -PasswordNeverExpires $true`, "set the password to never expire")],
        tick: "Set Password never expires",
      },
      {
        text: "Check the setting.",
        commands: [
          powershell(`${find} -Properties PasswordNeverExpires | Select-Object UserPrincipalName,PasswordNeverExpires`, "check the password setting"),
        ],
        expect: "The service account's UserPrincipalName with PasswordNeverExpires True.",
        tick: "PasswordNeverExpires shows True",
      },
    ]),
  };
}

export function allowBasicAuthServer(hosted: boolean): Section {
  return {
    id: "allow-basic-auth",
    title: "Choose how the service account signs in: Windows authentication (NTLM) or basic authentication",
    level: 3,
    intro: [
      "MoxiEngage signs in to Exchange Web Services (EWS) and Autodiscover as the service account, always over HTTPS, with one of two methods. Exchange Server turns each on or off per virtual directory.",
      "**NTLM (Windows authentication)** is on by default on Exchange Server, so usually nothing has to change: choose \"NTLM\" (or \"Automatic\") as the sign-in method in the connection form. The password itself never crosses the network; the server checks a challenge answer. Two limits: MoxiEngage cannot send the channel binding that Extended Protection for Authentication asks for, so a virtual directory with Extended Protection set to **Require** refuses it; and a wrong password, a locked account and Require all get the same HTTP 401, so the test cannot tell them apart.",
      "**Basic authentication** is optional: turn it on only if your security team accepts it, or if Extended Protection must stay at Require. The password is sent inside the HTTPS connection on each request, so its protection rests on TLS alone.",
    ],
    notes: providerNote(hosted, "manages the EWS and Autodiscover virtual directories; ask which sign-in methods (Windows authentication, basic authentication) are on for both, and how Extended Protection is set"),
    steps: numberSteps("allow-basic-auth", P, [
      { text: EMS, tick: "Exchange Management Shell open" },
      {
        text: "See which sign-in methods EWS takes on each server.",
        commands: [powershell("Get-WebServicesVirtualDirectory | fl *Authentication*", "show EWS authentication settings")],
        expect: "One block per server. WindowsAuthentication True means NTLM works: choose NTLM in the connection form and skip to step 5. BasicAuthentication True means basic authentication works.",
        tick: "Checked the EWS sign-in methods",
      },
      {
        text: "Check Extended Protection on EWS and Autodiscover. None or Allow lets NTLM through; Require refuses MoxiEngage's NTLM sign-in (it sends no channel binding).",
        commands: [
          powershell("Get-WebServicesVirtualDirectory | Format-List Server,ExtendedProtectionTokenChecking", "show Extended Protection on EWS"),
          powershell("Get-AutodiscoverVirtualDirectory | Format-List Server,WindowsAuthentication,BasicAuthentication,ExtendedProtectionTokenChecking", "show Autodiscover sign-in settings"),
        ],
        expect: "ExtendedProtectionTokenChecking None or Allow for NTLM. If it must stay at Require, use basic authentication (step 4).",
        tick: "Checked Extended Protection",
      },
      {
        text: "Only if you chose basic authentication: turn it on for EWS and Autodiscover on every server (it stays on alongside Windows and OAuth authentication).",
        commands: [
          powershell("Get-WebServicesVirtualDirectory | Set-WebServicesVirtualDirectory -BasicAuthentication $true", "enable basic authentication on EWS"),
          powershell("Get-AutodiscoverVirtualDirectory | Set-AutodiscoverVirtualDirectory -BasicAuthentication $true", "enable basic authentication on Autodiscover"),
        ],
        tick: "Enabled basic authentication (or chose NTLM)",
      },
      {
        text: "If you changed a setting, recycle the EWS and Autodiscover application pools on each server so IIS picks up the change (or run `iisreset` in a quiet hour).",
        commands: [
          powershell("Restart-WebAppPool MSExchangeServicesAppPool; Restart-WebAppPool MSExchangeAutodiscoverAppPool", "recycle the EWS and Autodiscover app pools"),
        ],
        tick: "Recycled the application pools",
      },
      {
        text: "If a reverse proxy, load balancer or firewall sits in front of Exchange (for example with pre-authentication), make sure it passes the chosen method through to /EWS and /Autodiscover for the service account. NTLM needs the connection kept open between its messages.",
        tick: "Nothing in front of Exchange blocks the chosen sign-in method",
      },
    ]),
  };
}

export function findEwsUrlServer(hosted: boolean): Section {
  return {
    id: "find-ews-url",
    title: "Find the EWS URL",
    level: 3,
    intro: [
      "MoxiEngage finds the EWS address with Autodiscover. If Autodiscover is not published on the internet for your domain, give the EWS URL to the test and to MoxiWorks yourself. It must be an https address reachable from the internet.",
    ],
    notes: providerNote(hosted, "knows the EWS address of its servers (often shown in its control panel or welcome mail as the Exchange or Outlook Anywhere server)"),
    steps: numberSteps("find-ews-url", P, [
      {
        text: `${EMS} Then list the EWS addresses.`,
        commands: [powershell("Get-WebServicesVirtualDirectory | fl InternalUrl,ExternalUrl", "show the EWS URLs")],
        expect: "ExternalUrl like https://mail.yourdomain.com/EWS/Exchange.asmx. The ExternalUrl is the one MoxiEngage uses; an empty ExternalUrl means EWS is not published to the internet.",
        tick: "Found the external EWS URL",
      },
      {
        text: "Check Autodiscover: the domain should have an autodiscover record (autodiscover.{domain} or an SRV record _autodiscover._tcp.{domain}) that reaches the same servers.",
        commands: [powershell("Resolve-DnsName autodiscover.{domain}", "look up the Autodiscover record")],
        tick: "Checked the Autodiscover record",
      },
      {
        text: "From a computer outside your network, open the EWS URL in a browser: it should ask for a user name and password. That shows it is reachable over HTTPS with basic authentication.",
        tick: "The EWS URL asks for credentials from outside",
      },
    ]),
  };
}

export function testImpersonationServer(hosted: boolean): Section {
  return {
    id: "test-impersonation",
    title: "Test service account impersonation for MoxiEngage",
    level: 3,
    intro: [
      "Test the service account before you give its credentials to MoxiWorks. The connection test in your onboarding workspace runs from MoxiWorks' servers — the same path MoxiEngage uses — and explains any failure with a link back to the step that fixes it.",
    ],
    notes: hosted ? providerNote(true, "can run the test with you; the workspace can send them a vendor link that never shows the stored password") : [],
    steps: numberSteps("test-impersonation", P, [
      {
        text: "Choose a regular (non-administrator) user's mailbox for the test, `{test mailbox}`. The user should have signed in and opened Outlook at least once.",
        tick: "Chose a test mailbox that has been used at least once",
      },
      {
        text: "Open your onboarding workspace (the link MoxiWorks sent you) and go to the connection test.",
        tick: "Opened the connection test in the workspace",
      },
      {
        text: "Enter the service account, its password and the test mailbox. Leave the EWS URL empty to let Autodiscover find it, or paste the URL from [Find the EWS URL](#find-ews-url). Start the test.",
        tick: "Started the test",
      },
      {
        text: "Read the result. If it passed, submit the credentials through the secure form in the workspace. If it failed, each finding names the cause and links to the step that fixes it — see also [Troubleshoot](#troubleshoot-impersonation).",
        tick: "Read the result",
      },
      {
        text: "Optional: Microsoft's [Remote Connectivity Analyzer](https://testconnectivity.microsoft.com/tests/EwsTask/input) (Exchange Server → Service Account Access (Developers)) runs a similar test from Microsoft's network, with Basic authentication and Use Exchange Impersonation ticked. Paste its log into [Explain a Remote Connectivity Analyzer log](/guide/paste-log) if it fails.",
        visual: "rca-form",
        tick: "Ran the Remote Connectivity Analyzer too (optional)",
      },
    ]),
  };
}

export function troubleshootServer(): Section {
  return {
    id: "troubleshoot-impersonation",
    title: "Troubleshoot service account impersonation for MoxiEngage",
    level: 3,
    intro: [
      "The test log shows each stage — Autodiscover, TLS, sign-in, EWS, impersonation — and where it stopped. The usual causes on Exchange Server:",
    ],
    steps: numberSteps("troubleshoot-impersonation", P, [
      {
        text: "Find the first stage that failed in the log. For a Remote Connectivity Analyzer log, click **Expand All** first, or paste it into [Explain a Remote Connectivity Analyzer log](/guide/paste-log).",
        tick: "Found the first failed stage",
      },
      {
        text: "HTTP 401 at sign-in: the password is wrong or expired, the account is disabled or locked, or the chosen sign-in method is off on the virtual directory — see [Choose how the service account signs in](#allow-basic-auth) and [Password never expires](#password-never-expires). A 401 to the NTLM authenticate message has three look-alike causes the test cannot tell apart: a wrong password, a locked account, or Extended Protection set to Require.",
        tick: "Checked sign-in (401) causes",
      },
      {
        text: "ErrorImpersonateUserDenied or \"The account does not have permission to impersonate the requested user\": the role assignment is missing, scoped to other mailboxes, or not replicated yet — see [Grant ApplicationImpersonation](#grant-impersonation) and wait before re-testing.",
        tick: "Checked impersonation causes",
      },
      {
        text: "Autodiscover failed, a name did not resolve or the connection timed out: give the EWS URL directly — see [Find the EWS URL](#find-ews-url) — and check the server is reachable from the internet over HTTPS with a valid certificate.",
        tick: "Checked Autodiscover and network causes",
      },
    ]),
  };
}

export function conditionalAccessServer(): Section {
  return {
    id: "conditional-access",
    title: "Conditional Access and other sign-in policies",
    level: 3,
    intro: [
      "Conditional Access is a Microsoft Entra ID (Microsoft 365) feature and does not apply to mailboxes on Exchange Server. What can block the service account on premises instead is anything that checks sign-ins before Exchange does.",
    ],
    steps: numberSteps("conditional-access", P, [
      {
        text: "If AD FS, a reverse proxy with pre-authentication, or an MFA add-on for IIS protects Exchange, exempt the service account (or the /EWS and /Autodiscover paths for it) so a password sign-in reaches Exchange.",
        tick: "No pre-authentication blocks the service account",
      },
      {
        text: "If your organization runs Exchange hybrid with some mailboxes already moved to Microsoft 365, those mailboxes follow the Microsoft 365 track's limits; test with a mailbox that is still on your server.",
        tick: "The test mailbox is on the Exchange server",
      },
    ]),
  };
}
