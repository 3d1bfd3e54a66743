// The seed's "Microsoft 365 Setup Instructions for Administrators", step by step as written in 2021,
// with a dated note on every step Microsoft has since changed (facts in ../platform.ts). `seed` holds
// the opening words of the seed's own step so lib/guide/seed-coverage.test.ts can match them.

import { numberSteps, powershell } from "../build";
import type { Note, Section } from "../types";

const ADMIN_CENTER = "[Microsoft 365 admin center](https://admin.microsoft.com)";
const RCA = "[Microsoft Remote Connectivity Analyzer](https://testconnectivity.microsoft.com/tests/EwsTask/input)";
const RUN_AS_ADMIN =
  "Run Windows PowerShell as an administrator. (From your Windows Start menu, right-click the Windows PowerShell shortcut, then select More → Run as administrator.)";

const UNTRUSTED_REPO_SAMPLE = `Untrusted repository
You are installing the modules from an untrusted repository. If you trust this repository, change its
InstallationPolicy value by running the Set-PSRepository cmdlet. Are you sure you want to install the modules from
'PSGallery'?
[Y] Yes [A] Yes to All [N] No [L] No to All [S] Suspend [?] Help (default is "N"): A`;

/** What a Microsoft 365 reader should do instead, repeated where the seed's path dead-ends. */
export const ONLINE_INSTEAD =
  "Do not weaken your tenant's security for these steps. Contact MoxiWorks onboarding about app-based access for Exchange Online (an app registration your administrator consents to, with mailbox access scoped to your agents), which replaces the service account.";

const noteBasicAuth = (text: string): Note => ({ kind: "platform", fact: "basicAuthOff", text });
const noteImpersonation = (text: string): Note => ({ kind: "platform", fact: "impersonationRemoved", text });
const noteAzureAd = (text: string): Note => ({ kind: "platform", fact: "azureAdRetired", text });

export function adminInstructions(online: boolean): Section {
  return {
    id: "admin-instructions",
    title: online ? "Microsoft 365 setup instructions for administrators" : "Setup instructions for administrators",
    seedHeading: "Microsoft 365 Setup Instructions for Administrators",
    level: 2,
    intro: online
      ? [
          "The following steps describe the process, as recommended in 2021, for creating a service account in Microsoft 365 with the ApplicationImpersonation role for your brokerage's MoxiWorks integration. The service account user must have a password that never expires, and must be allowed to connect to Exchange Web Services and Autodiscover in your Microsoft 365 tenant using basic authentication.",
        ]
      : [
          "The following steps create a service account on your Exchange organization with the ApplicationImpersonation role, a password that never expires, and basic authentication allowed on Exchange Web Services and Autodiscover — the same outcome the original Microsoft 365 guide aimed for, using Exchange Management Shell and Active Directory.",
        ],
    notes: online
      ? [
          {
            kind: "warning",
            text: "Microsoft has since changed Exchange Online so that this method no longer works there: basic authentication is off, the ApplicationImpersonation role is gone and EWS itself is being switched off. Each affected step below carries a dated note. " +
              ONLINE_INSTEAD,
          },
          {
            kind: "info",
            text: "If your Microsoft 365 is provided by a third-party vendor (for example GoDaddy), your admin pages may not match these instructions — see the [reseller track](/guide/microsoft-365-reseller). You are welcome to send this page to your vendor.",
          },
          {
            kind: "info",
            text: "Microsoft 365 menus change. These steps were first written on Windows 10 Pro against a Microsoft 365 tenant created in July 2021. They are not security advice for your tenant; other ways of configuring may exist.",
          },
        ]
      : [
          {
            kind: "info",
            text: "Run the commands in Exchange Management Shell on an Exchange server or a workstation with the Exchange management tools, signed in as an Organization Management member. They are not security advice for your organization; other ways of configuring may exist.",
          },
        ],
  };
}

export function createServiceAccountOnline(): Section {
  return {
    id: "create-service-account",
    title: "Create a service account user",
    seedHeading: "Create a Service Account User",
    level: 3,
    intro: [],
    notes: [
      {
        kind: "platform",
        fact: "basicAuthOff",
        text: "You can still create this user, but Exchange Online will not accept its password for EWS, so MoxiEngage cannot use it there.",
      },
    ],
    steps: numberSteps("create-service-account", "", [
      { seed: "Login to your", text: `Sign in to your ${ADMIN_CENTER}.`, tick: "Signed in to the Microsoft 365 admin center" },
      {
        seed: "Click to expand the \"Users\" section",
        text: "Click to expand the **Users** section of the menu, then click **Active users**.",
        tick: "Opened Users → Active users",
      },
      { seed: "Click on the \"Add a user\" action link", text: "Click the **Add a user** action link.", tick: "Opened Add a user" },
      {
        seed: "Enter the following basic information",
        text: "Enter the following basic information, then click **Next**:",
        visual: "add-user-basics",
        substeps: [
          { letter: "a", seed: "Display Name", text: "Display name (for example, Moxi Engage)", tick: "Display name entered" },
          { letter: "b", seed: "Username", text: "Username (for example, MoxiEngage)", tick: "Username entered" },
          { letter: "c", seed: "Domains", text: "Domains (select the domain or use the default)", tick: "Domain selected" },
          {
            letter: "d",
            seed: "Ensure the \"Automatically create a password\" checkbox is cleared",
            text: "Make sure the **Automatically create a password** checkbox is cleared (not ticked), then enter a password. Make a note of the password so you can provide it to us.",
            tick: "Automatic password cleared, password entered and noted",
          },
          {
            letter: "e",
            seed: "Ensure the \"Require this user to change their password",
            text: "Make sure the **Require this user to change their password when they first sign in** checkbox is cleared.",
            tick: "Require password change cleared",
          },
          {
            letter: "f",
            seed: "Ensure the \"Send password in email upon completion\"",
            text: "Make sure the **Send password in email upon completion** checkbox is cleared.",
            tick: "Send password in email cleared",
          },
        ],
        tick: "Clicked Next",
      },
      {
        seed: "Ensure the correct location is selected",
        text: "Make sure the correct location is selected, then choose **Create user without product license**. A service account user does not need a product license. Click **Next**.",
        expect: "The Assign product licenses page: Select location (for example United States), Licenses, and the option Create user without product license (not recommended).",
        tick: "Location checked and Create user without product license chosen",
      },
      {
        seed: "No optional settings are required",
        text: "No optional settings are needed. Click **Next**.",
        expect: "Optional settings shows Roles (User: no administration access) and Profile info.",
        tick: "Skipped optional settings",
      },
      {
        seed: "Review your changes",
        text: "Review your changes, then click **Finish adding**.",
        expect: "Review and finish lists the display name and username, Password type: Custom password, Product licenses: Create user without product license, Roles: User (no admin center access).",
        tick: "Reviewed and clicked Finish adding",
      },
      {
        seed: "View the confirmation that the new user has been added",
        text: "Check the confirmation that the new user has been added, then click **Close**.",
        expect: "\"Moxi Engage added to active users\", with the display name and username, and Licenses assigned: None.",
        tick: "Saw the confirmation and closed it",
      },
    ]),
  };
}

export function grantImpersonationOnline(): Section {
  return {
    id: "grant-impersonation",
    title: "Grant ApplicationImpersonation to the service account user",
    seedHeading: "Grant Application Impersonation to the Service Account User",
    level: 3,
    intro: [],
    notes: [
      noteImpersonation(
        "These steps can no longer be completed in Exchange Online: the role is missing from the list in step 6. " + ONLINE_INSTEAD,
      ),
    ],
    steps: numberSteps("grant-impersonation", "", [
      { seed: "Login to your", text: `Sign in to your ${ADMIN_CENTER}.`, tick: "Signed in to the Microsoft 365 admin center" },
      {
        seed: "Click on the \"Exchange\" menu option",
        text: "Click **Exchange** under **Admin centers** in the menu. (If it is not visible, click **Show all** to expand the menu.)",
        tick: "Opened the Exchange admin center",
      },
      {
        seed: "In the Exchange Admin Center, expand the \"Roles\" area",
        text: "In the Exchange admin center, expand **Roles** in the menu and click **Admin roles**.",
        tick: "Opened Roles → Admin roles",
      },
      { seed: "Click on the \"Add role group\" option button", text: "Click **Add role group**.", tick: "Clicked Add role group" },
      {
        seed: "Enter a Name and Description for the new role group",
        text: "Enter a name and description for the new role group (for example, Name: Impersonation; Description: Allow application to impersonate users), then click **Next**.",
        tick: "Named the role group",
      },
      {
        seed: "Select the \"ApplicationImpersonation\" role",
        text: "Select the **ApplicationImpersonation** role, then click **Next**.",
        visual: "role-permission-pick",
        notes: [noteImpersonation("ApplicationImpersonation is no longer in this list, and there is no replacement role to tick here. Stop at this step. " + ONLINE_INSTEAD)],
        tick: "Selected ApplicationImpersonation",
      },
      {
        seed: "Search for and add the MoxiEngage service account",
        text: "Search for and add the MoxiEngage service account, then click **Next**.",
        expect: "Assign admins shows the service account (for example \"ME Moxi Engage\") under Members.",
        tick: "Added the service account as a member",
      },
      {
        seed: "Review your changes, then click on the \"Add role group\" button",
        text: "Review your changes, then click **Add role group**.",
        expect: "Review role group and finish: Name Impersonation, Permissions ApplicationImpersonation, Admins MoxiEngage.",
        tick: "Reviewed and clicked Add role group",
      },
      {
        seed: "View the confirmation that the role group has been added",
        text: "Check the confirmation that the role group has been added, then click **Done**.",
        tick: "Saw the confirmation and clicked Done",
      },
    ]),
  };
}

const INSTALL_AZUREAD_SAMPLE = `PS C:\\Windows\\system32> Install-Module -Name AzureAD

NuGet provider is required to continue
PowerShellGet requires NuGet provider version '2.8.5.201' or newer to interact with NuGet-based repositories.
…Do you want PowerShellGet to install and import the NuGet provider now?
[Y] Yes [N] No [S] Suspend [?] Help (default is "Y"): Y

${UNTRUSTED_REPO_SAMPLE}`;

const GRAPH_CHECK =
  'Get-MgUser -UserId {email address} -Property UserPrincipalName,PasswordPolicies | Select-Object UserPrincipalName,@{N="PasswordNeverExpires";E={$_.PasswordPolicies -contains "DisablePasswordExpiration"}}';

export function passwordNeverExpiresOnline(): Section {
  return {
    id: "password-never-expires",
    title: "Make sure the service account's password never expires",
    seedHeading: "Ensure Service Account User has a Password that Never Expires",
    level: 3,
    intro: [
      "The connection depends on MoxiWorks having the service account's current password. When the password expires, synchronization stops until the password is reset, given to MoxiWorks and stored again.",
      "Unlike classic Active Directory, Azure Active Directory (now Microsoft Entra ID) has no simple switch to make one user's password never expire; it is done in PowerShell. The 2021 steps use the AzureAD module:",
    ],
    notes: [
      noteAzureAd(
        "Use the Microsoft Graph PowerShell commands given in the notes on steps 2, 7, 10 and 11 instead of the AzureAD ones; the result is the same setting (DisablePasswordExpiration).",
      ),
    ],
    steps: numberSteps("password-never-expires", "", [
      { seed: "Run Windows PowerShell as an administrator", text: RUN_AS_ADMIN, tick: "PowerShell open as administrator" },
      {
        seed: "At the PowerShell prompt, type",
        text: "At the PowerShell prompt, type the command below and press Enter to install the AzureAD module. If the module is already installed, the prompts in steps 3–5 do not appear.",
        commands: [powershell("Install-Module -Name AzureAD", "install the AzureAD module")],
        notes: [
          {
            ...noteAzureAd("Install Microsoft Graph PowerShell instead:"),
            commands: [powershell("Install-Module Microsoft.Graph.Users -Scope CurrentUser", "install Microsoft Graph PowerShell (users)")],
          },
        ],
        tick: "Started the module installation",
      },
      {
        seed: "Type",
        text: "Type `Y` and press Enter to accept installation of the NuGet provider.",
        tick: "Accepted the NuGet provider (or no prompt appeared)",
      },
      { seed: "Wait for the next prompt", text: "Wait for the next prompt.", tick: "Next prompt appeared" },
      {
        seed: "The AzureAD module is part of the PowerShell Gallery",
        text: "The module comes from the PowerShell Gallery (PSGallery), which PowerShell does not trust by default. If a message about an untrusted repository appears, review the warning; to continue, type `A` and press Enter.",
        samples: [{ title: "The prompts you may see", text: INSTALL_AZUREAD_SAMPLE }],
        tick: "Answered the untrusted repository prompt (or no prompt appeared)",
      },
      { seed: "Wait for the next prompt", text: "Wait for the next prompt. The installation may take a few minutes.", tick: "Installation finished" },
      {
        seed: "At the prompt, type",
        text: "At the prompt, type the command below and press Enter.",
        commands: [powershell("Connect-AzureAD", "connect to Azure AD")],
        notes: [
          {
            ...noteAzureAd("With Microsoft Graph PowerShell, connect with permission to update users:"),
            commands: [powershell('Connect-MgGraph -Scopes "User.ReadWrite.All"', "connect to Microsoft Graph")],
          },
        ],
        tick: "Ran the connect command",
      },
      {
        seed: "Follow the on-screen instructions to log into your Microsoft 365 account",
        text: "Follow the on-screen instructions to sign in to Microsoft 365 with an administrator account. The sign-in window may appear over your PowerShell window; it supports multi-factor authentication (MFA).",
        tick: "Signed in as an administrator",
      },
      {
        seed: "When you have logged in successfully",
        text: "When you have signed in, connection details are displayed: your sign-in account, environment and domain.",
        expect: "The account, environment (AzureCloud) and tenant domain you signed in to.",
        tick: "Saw the connection details",
      },
      {
        seed: "At the prompt, type",
        text: "At the prompt, type the command below — {email address} is the service account you created for MoxiEngage — and press Enter.",
        commands: [
          powershell("Set-AzureADUser -ObjectId {email address} -PasswordPolicies DisablePasswordExpiration", "set the password to never expire"),
        ],
        notes: [
          {
            ...noteAzureAd("The Microsoft Graph PowerShell command:"),
            commands: [
              powershell("Update-MgUser -UserId {email address} -PasswordPolicies DisablePasswordExpiration", "set the password to never expire (Graph)"),
            ],
          },
        ],
        tick: "Set the password never to expire",
      },
      {
        seed: "To verify the service account's password is set to never expire",
        text: "To check that the password is set never to expire, type the command below and press Enter.",
        commands: [
          powershell('Get-AzureADUser -ObjectId {email address} | Select-Object UserPrincipalName,@{N="PasswordNeverExpires";E={$_.PasswordPolicies -contains "DisablePasswordExpiration"}}', "check the password policy"),
        ],
        notes: [
          {
            ...noteAzureAd("The Microsoft Graph PowerShell check:"),
            commands: [powershell(GRAPH_CHECK, "check the password policy (Graph)")],
          },
        ],
        tick: "Ran the check",
      },
      {
        seed: "Observe the displayed confirmation",
        text: "Check the confirmation that the password never expires.",
        expect: "A table with the service account's UserPrincipalName and PasswordNeverExpires True.",
        samples: [{ title: "Expected output", text: "UserPrincipalName          PasswordNeverExpires\n-----------------          --------------------\nMoxiEngage@yourdomain.com  True" }],
        tick: "PasswordNeverExpires shows True",
      },
    ]),
  };
}

export function testImpersonationOnline(): Section {
  return {
    id: "test-impersonation",
    title: "Test service account impersonation for MoxiEngage",
    seedHeading: "Test Service Account Impersonation for MoxiEngage",
    level: 3,
    intro: [
      "Test the service account's impersonation before you give its credentials to MoxiWorks; it prevents delays in your onboarding. If the test fails, more configuration may be needed. Your onboarding workspace runs the same test from MoxiWorks' servers and explains a failure.",
    ],
    notes: [
      {
        kind: "platform",
        fact: "ewsBlocked",
        text: "Against an Exchange Online mailbox this test now fails at authentication (basic authentication is off) whatever the settings; if it fails with 401 \"Basic Authentication is blocked\", that is Microsoft's retirement, not your mistake.",
      },
    ],
    steps: numberSteps("test-impersonation", "", [
      {
        seed: "Identify a regular (non-administrator) email address",
        text: "Choose a regular (non-administrator) user's email address in your Microsoft 365 tenant. The test uses the service account to impersonate this user. Make sure the user has signed in to Microsoft 365 and opened Outlook at least once.",
        tick: "Chose a test mailbox that has been used at least once",
      },
      {
        seed: "In your web browser, navigate to the",
        text: `In your web browser, open the ${RCA} (Exchange Server → Service Account Access (Developers)).`,
        tick: "Opened the Remote Connectivity Analyzer",
      },
      {
        seed: "Enter the test email address in the \"Target mailbox email address\" box",
        text: "Enter the test email address, `{test mailbox}`, in the **Target mailbox email address** box.",
        visual: "rca-form",
        tick: "Entered the target mailbox",
      },
      {
        seed: "Select \"Basic authentication\" from the \"Authentication type\"",
        text: "Select **Basic authentication** in the **Authentication type** list.",
        notes: [noteBasicAuth("Exchange Online rejects basic authentication, so the test stops at Autodiscover with HTTP 401 or 456.")],
        tick: "Chose Basic authentication",
      },
      {
        seed: "Enter the email address of the service account you created for MoxiEngage in the \"Microsoft Account\" box",
        text: "Enter the service account's email address, `{service account}`, in the **Microsoft Account** box, and its password in the **Password** box.",
        tick: "Entered the service account and password",
      },
      {
        seed: "Mark the checkbox next to the \"Use Exchange Impersonation\" label",
        text: "Tick **Use Exchange Impersonation**.",
        notes: [noteImpersonation("Without the ApplicationImpersonation role, impersonation of an Exchange Online mailbox is denied (ErrorImpersonateUserDenied) even when sign-in succeeds.")],
        tick: "Ticked Use Exchange Impersonation",
      },
      {
        seed: "Enter the test email address in the \"Target mailbox email address\" box of the form",
        text: "Enter the test email address again in the **Impersonated user ID** box (the same address as in Target mailbox email address), with **Impersonated user ID type** SmtpAddress.",
        tick: "Entered the impersonated user ID",
      },
      {
        seed: "Enter the displayed Verification code",
        text: "Enter the verification code shown in the **Enter the characters you see** box, then click **Verify**.",
        tick: "Entered the verification code",
      },
      {
        seed: "Observe that your verification code was accepted",
        text: "Check that the verification code was accepted for this browser session, then tick the acknowledgement statement.",
        tick: "Ticked the acknowledgement",
      },
      { seed: "Click on the \"Perform Test\" button", text: "Click **Perform Test**.", tick: "Clicked Perform Test" },
      { seed: "Wait while the test is performed", text: "Wait while the test runs.", tick: "Test finished" },
      {
        seed: "Observe the results of the test",
        text: "Read the results of the test.",
        substeps: [
          {
            letter: "a",
            seed: "If the test was successful",
            text: "If the test was successful, the service account needs no further configuration. Give the service account's email address and password to MoxiWorks through the secure form in your onboarding workspace.",
            tick: "Test passed",
          },
          {
            letter: "b",
            seed: "If the test failed",
            text: "If the test failed, review the error messages and follow [Troubleshoot service account impersonation](#troubleshoot-impersonation) for the most common causes. You can also paste the log into [Explain a Remote Connectivity Analyzer log](/guide/paste-log).",
            tick: "Test failed — went to troubleshooting",
          },
        ],
        tick: "Read the result",
      },
    ]),
  };
}

const SAMPLE_MFA = `The Microsoft Connectivity Analyzer failed to obtain an Autodiscover XML response.

Additional Details
An HTTP 456 Unauthorized response was received from the remote Unknown server. This indicates that MFA is required. This tool does not currently support multi-factor authentication.

HTTP Response Headers:
X-BackEndHttpStatus: 456
X-AutoDiscovery-Error: LiveIdBasicAuth:AppPasswordRequired:<…>`;

const SAMPLE_BLOCKED = `The Microsoft Connectivity Analyzer failed to obtain an Autodiscover XML response.

Additional Details
An HTTP 401 Unauthorized response was received from the remote Unknown server. Basic Authentication is blocked. Please check to ensure you're using Modern Authentication to run the test.

HTTP Response Headers:
X-BackEndHttpStatus: 401
X-AutoDiscovery-Error: LiveIdBasicAuth:BasicAuthBlocked:<…><LogonFailed-BasicAuthBlocked><AS:BasicAuthBlocked>`;

export function troubleshootOnline(): Section {
  return {
    id: "troubleshoot-impersonation",
    title: "Troubleshoot service account impersonation for MoxiEngage",
    seedHeading: "Troubleshoot Service Account Impersonation for MoxiEngage",
    level: 3,
    intro: [
      "The Remote Connectivity Analyzer logs every step of its test. Use this section to read the log of a failed test; it covers the usual authentication problems. For other errors, see [Microsoft's help for the Remote Connectivity Analyzer](https://testconnectivity.microsoft.com/), or paste the log into [Explain a Remote Connectivity Analyzer log](/guide/paste-log).",
    ],
    steps: numberSteps("troubleshoot-impersonation", "", [
      {
        seed: "Click on the icon next to the \"Expand All\" label",
        text: "Click the icon next to **Expand All** to expand every log message.",
        tick: "Expanded the whole log",
      },
      {
        seed: "Once the entire log is expanded",
        text: "With the whole log expanded, the text is searchable. Search the page for \"basic\" with your browser's find (Ctrl+F on Windows).",
        tick: "Searched the log for \"basic\"",
      },
      {
        seed: "Review the log text in the vicinity of the first occurrence of the \"basic\" word. If you see text that says \"MFA is required\"",
        text: "Read the log around the first \"basic\". If it says \"MFA is required\", \"basic authentication is blocked\" or that basic authentication is not accepted, follow the steps to [allow basic authentication for the service account](#allow-basic-auth).",
        samples: [
          { title: "Sample log: MFA is required (HTTP 456)", text: SAMPLE_MFA },
          { title: "Sample log: Basic Authentication is blocked (HTTP 401)", text: SAMPLE_BLOCKED },
        ],
        notes: [noteBasicAuth("On Exchange Online this message is now final: the authentication policy in the next section no longer changes it. " + "Contact MoxiWorks onboarding about app-based access.")],
        tick: "Checked for MFA required / basic authentication blocked",
      },
      {
        seed: "Review the log text in the vicinity of the first occurrence of the \"basic\" word. If you see text that says \"Access has been blocked by Conditional Access policies\"",
        text: "If the log says \"Access has been blocked by Conditional Access policies\", \"access policy does not allow token issuance\" or similar, follow the steps to [adjust your Conditional Access policy for the service account](#conditional-access).",
        tick: "Checked for Conditional Access blocks",
      },
    ]),
  };
}

const EXO_INSTALL_SAMPLE = `PS C:\\Windows\\system32> Install-Module -Name ExchangeOnlineManagement

${UNTRUSTED_REPO_SAMPLE}`;

const NEW_POLICY_SAMPLE = `RunspaceId                         : 72b440d0-…
AllowBasicAuthActiveSync           : False
AllowBasicAuthAutoDiscover         : False
AllowBasicAuthImap                 : False
AllowBasicAuthMapi                 : False
AllowBasicAuthOfflineAddressBook   : False
AllowBasicAuthOutlookService       : False
AllowBasicAuthPop                  : False
AllowBasicAuthReportingWebServices : False
AllowBasicAuthRest                 : False
AllowBasicAuthRpc                  : False
AllowBasicAuthSmtp                 : False
AllowBasicAuthWebServices          : False
AllowBasicAuthPowerShell           : False
Name                               : MoxiWorksBasic`;

const VERIFIED_POLICY_SAMPLE = `AllowBasicAuthActiveSync           : False
AllowBasicAuthAutodiscover         : True
AllowBasicAuthImap                 : False
AllowBasicAuthMapi                 : False
AllowBasicAuthOfflineAddressBook   : False
AllowBasicAuthOutlookService       : False
AllowBasicAuthPop                  : False
AllowBasicAuthReportingWebServices : False
AllowBasicAuthRest                 : False
AllowBasicAuthRpc                  : False
AllowBasicAuthSmtp                 : False
AllowBasicAuthWebServices          : True
AllowBasicAuthPowerShell           : False`;

export function allowBasicAuthOnline(): Section {
  const policyNote = noteBasicAuth(
    "Exchange Online still accepts this command, but the setting no longer has any effect: basic authentication for EWS and Autodiscover stays off.",
  );
  return {
    id: "allow-basic-auth",
    title: "Allow basic authentication for the service account",
    seedHeading: "Allow Basic Authentication for Service Account",
    level: 3,
    intro: [
      "In 2021 MoxiWorks did not support modern authentication for Microsoft 365: the service account connects to Exchange Web Services and Autodiscover with basic authentication. Default security settings in newer Microsoft 365 tenants disable basic authentication, so it had to be enabled for the MoxiEngage service account.",
    ],
    notes: [
      noteBasicAuth(
        "The authentication policy these steps create cannot turn basic authentication back on any more; Microsoft removed that option for all tenants. " + ONLINE_INSTEAD,
      ),
    ],
    steps: numberSteps("allow-basic-auth", "", [
      {
        seed: "Run Windows PowerShell as an administrator",
        text: RUN_AS_ADMIN + " Tip: to clear the PowerShell window, type `cls` and press Enter.",
        tick: "PowerShell open as administrator",
      },
      {
        seed: "At the PowerShell prompt, type",
        text: "At the PowerShell prompt, type the command below and press Enter.",
        commands: [powershell("Install-Module -Name ExchangeOnlineManagement", "install the Exchange Online module")],
        tick: "Started installing ExchangeOnlineManagement",
      },
      {
        seed: "The ExchangeOnlineManagement module is part of the PowerShell Gallery",
        text: "The ExchangeOnlineManagement module comes from the PowerShell Gallery (PSGallery), which PowerShell does not trust by default. If a message about an untrusted repository appears, review the warning; to continue, type `A` and press Enter.",
        samples: [{ title: "The prompt you may see", text: EXO_INSTALL_SAMPLE }],
        tick: "Answered the untrusted repository prompt (or no prompt appeared)",
      },
      { seed: "Wait for the prompt", text: "Wait for the prompt. The installation may take a moment.", tick: "Installation finished" },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [powershell("Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope CurrentUser", "allow signed scripts for your user")],
        tick: "Ran Set-ExecutionPolicy",
      },
      {
        seed: "Confirm the change to your PowerShell execution policy",
        text: "Confirm the change to your PowerShell execution policy: type `Y` and press Enter.",
        tick: "Confirmed the execution policy change",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [powershell("Import-Module ExchangeOnlineManagement", "load the Exchange Online module")],
        tick: "Imported the module",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [powershell("Connect-ExchangeOnline", "connect to Exchange Online")],
        tick: "Ran Connect-ExchangeOnline",
      },
      {
        seed: "Follow the on-screen instructions to log into your Microsoft 365 account",
        text: "Follow the on-screen instructions to sign in to Microsoft 365 with an administrator account. The sign-in window may appear over your PowerShell window; it supports multi-factor authentication (MFA).",
        tick: "Signed in as an administrator",
      },
      {
        seed: "Wait for the prompt to appear after the login process completes",
        text: "Wait for the prompt to come back after signing in.",
        expect: "A banner about the module's cmdlets (Get-EXOMailbox and others), then the prompt.",
        tick: "Prompt is back",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [powershell('New-AuthenticationPolicy -Name "MoxiWorksBasic"', "create the authentication policy")],
        notes: [policyNote],
        tick: "Created the MoxiWorksBasic policy",
      },
      {
        seed: "Review the default settings of the new authentication policy",
        text: "Review the new policy's default settings: AllowBasicAuthAutoDiscover and AllowBasicAuthWebServices are False. MoxiEngage needs them True.",
        samples: [{ title: "Output of New-AuthenticationPolicy", text: NEW_POLICY_SAMPLE }],
        tick: "Saw both settings False",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [
          powershell('Set-AuthenticationPolicy -Identity "MoxiWorksBasic" -AllowBasicAuthAutoDiscover:$true', "allow basic authentication for Autodiscover"),
        ],
        notes: [policyNote],
        tick: "Allowed Autodiscover",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter.",
        commands: [
          powershell('Set-AuthenticationPolicy -Identity "MoxiWorksBasic" -AllowBasicAuthWebServices:$true', "allow basic authentication for Exchange Web Services"),
        ],
        notes: [policyNote],
        tick: "Allowed Web Services",
      },
      {
        seed: "To verify the settings, type",
        text: "To check the settings, type the command below and press Enter.",
        commands: [powershell('Get-AuthenticationPolicy -Identity "MoxiWorksBasic" | fl AllowBasicAuth*', "check the policy")],
        tick: "Ran the check",
      },
      {
        seed: "Note the \"True\" value displayed",
        text: "Check that AllowBasicAuthAutodiscover and AllowBasicAuthWebServices show True.",
        samples: [{ title: "Expected output", text: VERIFIED_POLICY_SAMPLE }],
        tick: "Both settings show True",
      },
      {
        seed: "Type",
        text: "Type the command below — {email address} is the service account you created for MoxiEngage — and press Enter to apply the policy to the service account.",
        commands: [powershell('Set-User -Identity {email address} -AuthenticationPolicy "MoxiWorksBasic"', "apply the policy to the service account")],
        tick: "Applied the policy to the service account",
      },
      {
        seed: "Wait for the prompt",
        text: "Wait for the prompt. A message that a new remote PowerShell session is being created is normal.",
        tick: "Prompt is back",
      },
      {
        seed: "Type",
        text: "Type the command below and press Enter to check which authentication policy the service account has.",
        commands: [powershell("Get-User -Identity {email address} | fl auth*", "check the service account's policy")],
        tick: "Ran the check",
      },
      {
        seed: "Observe the response indicating the applied authentication policy",
        text: "Check the response shows the policy.",
        samples: [{ title: "Expected output", text: "AuthenticationPolicy : MoxiWorksBasic" }],
        tick: "AuthenticationPolicy shows MoxiWorksBasic",
      },
      {
        seed: "Return to",
        text: "Go back to [Test service account impersonation](#test-impersonation) to check that impersonation with the service account works.",
        tick: "Went back to the test",
      },
    ]),
  };
}

export function conditionalAccessOnline(): Section {
  const sdNote: Note = {
    kind: "platform",
    fact: "securityDefaults",
    text: "Do not turn security defaults off for MoxiEngage: with basic authentication retired in Exchange Online it gains nothing and removes MFA protection from your tenant.",
  };
  return {
    id: "conditional-access",
    title: "Adjust the Conditional Access policy for the service account",
    seedHeading: "Adjust Conditional Access Policy for Service Account",
    level: 3,
    intro: [
      "Microsoft's Security defaults act as a Conditional Access policy that blocks connections using basic authentication. They are applied automatically to new Microsoft 365 tenants and cannot be modified; to change Conditional Access settings, a new Conditional Access policy must be created. A policy can reproduce most of the default settings, but how to do that is outside the scope of this document.",
      "The 2021 steps below disable Security defaults and create a Conditional Access policy that requires multi-factor authentication (MFA) for all users except the MoxiEngage service account. Other security settings can be managed separately. This is not advice on your Microsoft 365 security policies.",
    ],
    notes: [
      sdNote,
      {
        kind: "info",
        text: "Azure Active Directory is now Microsoft Entra ID; Conditional Access is in the [Microsoft Entra admin center](https://entra.microsoft.com) under Protection → Conditional Access, and Security defaults under Identity → Overview → Properties.",
      },
    ],
    steps: numberSteps("conditional-access", "", [
      {
        seed: "Login to your",
        text: "Sign in to the [Microsoft Azure portal](https://portal.azure.com) as a Global Administrator.",
        tick: "Signed in as Global Administrator",
      },
      {
        seed: "Enter \"prop\" in the search box",
        text: "Type \"prop\" in the search box, then click **Tenant properties** in the list of services.",
        tick: "Opened Tenant properties",
      },
      {
        seed: "Click on the \"Manage Security defaults\" link",
        text: "Click **Manage Security defaults** at the bottom of the Properties page.",
        tick: "Opened Manage Security defaults",
      },
      {
        seed: "Note whether the Security defaults in your Microsoft 365 tenant are enabled",
        text: "Note whether Security defaults are enabled in your tenant. If they are not enabled, do not continue with the following steps.",
        tick: "Noted whether Security defaults are enabled",
      },
      {
        seed: "Click to toggle the \"Enable Security defaults\" Yes/No slider",
        text: "Set the **Enable Security defaults** switch to **No**.",
        notes: [sdNote],
        tick: "Set Security defaults to No",
      },
      {
        seed: "Select a reason for disabling Security defaults",
        text: "Choose a reason for disabling Security defaults (for example, \"My organization is using Conditional Access\").",
        tick: "Chose a reason",
      },
      { seed: "Click on the \"Save\" button", text: "Click **Save**.", tick: "Clicked Save" },
      {
        seed: "Observe the message indicating that your change to the Security defaults policy",
        text: "Check the message that your change to Security defaults was saved. From now on, every control Security defaults provided is off — including MFA. If you use MFA and want to keep it, the next steps require MFA for all users except the MoxiEngage service account.",
        tick: "Saw the saved message",
      },
      {
        seed: "Enter \"conditional\" in the search box",
        text: "Type \"conditional\" in the search box, then click **Azure AD Conditional Access** (now Microsoft Entra Conditional Access).",
        tick: "Opened Conditional Access",
      },
      { seed: "Click on the \"New policy\" button", text: "Click **New policy**.", tick: "Clicked New policy" },
      {
        seed: "Enter a name for your policy",
        text: "Enter a name for the policy in the **Name** box (for example, \"Multi-factor authentication\").",
        tick: "Named the policy",
      },
      {
        seed: "Click on the \"0 users and groups selected\" link",
        text: "Click **0 users and groups selected** under **Assignments: Users and groups**.",
        tick: "Opened Users and groups",
      },
      {
        seed: "Ensure the \"Include\" tab of the overlay form is selected",
        text: "On the **Include** tab, choose **All users**.",
        tick: "Included All users",
      },
      { seed: "Click on the \"Exclude\" tab", text: "Click the **Exclude** tab.", tick: "Opened the Exclude tab" },
      {
        seed: "Ensure the \"Exclude\" tab of the overlay form is selected",
        text: "On the **Exclude** tab, tick **Users and groups**.",
        visual: "ca-exclude",
        tick: "Ticked Users and groups",
      },
      {
        seed: "Begin typing the name of the service account",
        text: "Start typing the service account's name in the **Select excluded users** search box (for example, \"Moxi\"), then click the service account to exclude it.",
        tick: "Selected the service account",
      },
      {
        seed: "Note that the service account user is in the \"Selected items\" list",
        text: "Check that the service account is in the **Selected items** list, then click **Select**.",
        expect: "Users and groups reads \"All users included and specific users excluded\".",
        tick: "Service account excluded",
      },
      {
        seed: "Click on the \"0 controls selected\" link",
        text: "Click **0 controls selected** under **Access controls: Grant**.",
        tick: "Opened Grant",
      },
      {
        seed: "Ensure the \"Grant access\" radio button is selected",
        text: "Make sure **Grant access** is chosen, then tick **Require multi-factor authentication**.",
        visual: "ca-grant",
        tick: "Grant access with Require multi-factor authentication",
      },
      { seed: "Click on the \"Select\" button", text: "Click **Select**.", expect: "Grant reads \"1 control selected\".", tick: "Clicked Select" },
      { seed: "Click to select \"On\" from the \"Enable policy\" slider", text: "Set **Enable policy** to **On**.", tick: "Enabled the policy" },
      { seed: "Click on the \"Create\" button", text: "Click **Create**.", tick: "Clicked Create" },
      {
        seed: "Observe the notification that your new policy has been created",
        text: "Check the notification that the policy was created, and that it is listed among the Conditional Access policies with State **On**.",
        tick: "Policy listed with State On",
      },
      {
        seed: "Return to",
        text: "Go back to [Test service account impersonation](#test-impersonation) to check that impersonation with the service account works.",
        tick: "Went back to the test",
      },
    ]),
  };
}

export function findEwsUrlOnline(): Section {
  return {
    id: "find-ews-url",
    title: "Find the EWS URL",
    level: 3,
    intro: [
      "Exchange Online has one EWS address for every tenant; Autodiscover finds it, and you can give it to the test directly:",
    ],
    notes: [{ kind: "platform", fact: "ewsOff", text: "After that date this address no longer answers for any tenant." }],
    steps: numberSteps("find-ews-url", "", [
      {
        text: "Use the Exchange Online EWS URL below when a test asks for an EWS server.",
        commands: [{ code: "https://outlook.office365.com/EWS/Exchange.asmx", label: "the Exchange Online EWS URL", shell: "text" }],
        tick: "Noted the EWS URL",
      },
    ]),
  };
}
