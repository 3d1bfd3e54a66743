// The Microsoft 365 app-access track: MoxiWorks's multi-tenant Entra app, granted by admin consent, limited to
// the agents' mailboxes with RBAC for Applications, tested through Microsoft Graph. Cmdlets, role names and
// error texts: Microsoft Learn (New-ServicePrincipal, New-ManagementScope, New-ManagementRoleAssignment,
// Test-ServicePrincipalAuthorization) as cited in lib/guide/platform.ts. Placeholders: {app id} (from the
// server), {group}, {test mailbox}, {out-of-reach mailbox}.

import { numberSteps, powershell } from "../build";
import { stepAnchor } from "../ids";
import type { Section } from "../types";

export const APP_ACCESS_SCOPE_NAME = "MoxiEngage agents";
export const APP_ACCESS_ROLES = ["Application Contacts.ReadWrite", "Application Calendars.ReadWrite", "Application Mail.Send"] as const;

const ROLE_ASSIGNMENTS = APP_ACCESS_ROLES.map(
  (role) => `New-ManagementRoleAssignment -Name "MoxiEngage ${role.replace("Application ", "")}" -App $sp.Id -Role "${role}" -CustomResourceScope "${APP_ACCESS_SCOPE_NAME}"`,
).join("\n");

export function appAccessOverview(): Section {
  return {
    id: "overview",
    title: "How app access works",
    level: 2,
    intro: [
      "MoxiEngage connects to Exchange Online through MoxiWorks's own Microsoft Entra app, not a service account: there is no password to create, share or renew. Your administrator grants the app consent once, then limits it to your agents' mailboxes with three Exchange Online role assignments (RBAC for Applications). MoxiEngage then reads and writes the agents' contacts and calendars and sends mail from their mailboxes through Microsoft Graph.",
      "The app asks for no permission to your mailboxes when you consent: all mailbox access comes from the role assignments, limited to the group you create. The connection test checks that a mailbox outside the group stays out of reach.",
      "This method keeps working after Microsoft switches Exchange Web Services off in Exchange Online. If your mailboxes are on an Exchange Server you run (or a provider runs), use the Exchange Server or hosted Exchange guide instead; the original 2021 Microsoft 365 steps stay available as a record.",
    ],
    notes: [
      { kind: "platform", fact: "ewsOff", text: "The service-account method of the original guide cannot reach Exchange Online any more." },
      { kind: "platform", fact: "rbacForApps", text: "This guide uses RBAC for Applications." },
    ],
    checklist: [{ id: "app-access-overview-read", label: "Read how app access works" }],
  };
}

export function grantConsent(): Section {
  return {
    id: "grant-consent",
    title: "Grant MoxiEngage consent in Microsoft 365",
    level: 2,
    intro: ["One click by an administrator of your Microsoft 365 tenant adds MoxiEngage's app to the tenant. It gives the app no access to any mailbox yet."],
    notes: [{ kind: "platform", fact: "adminConsentRoles", text: "Check who will click before you start." }],
    steps: numberSteps("grant-consent", "", [
      {
        text: "Find the person who will grant consent: a **Global Administrator** or **Privileged Role Administrator** of your Microsoft 365 tenant (your IT provider or MSP often holds this role; they can open your MoxiEngage link too).",
        expect: "You know who will click, and they can sign in to the Microsoft Entra admin center with that role.",
        tick: "Found a Global Administrator or Privileged Role Administrator",
      },
      {
        text: "In your MoxiEngage workspace choose **Grant access in Microsoft 365**. Microsoft's sign-in page opens; sign in with the administrator account of your tenant. MoxiWorks's app id is `{app id}`.",
        expect:
          "Microsoft's consent screen names the app **MoxiEngage** (publisher MoxiWorks) and lists only **Sign in and read user profile**. It lists no mail, contacts or calendar permission; if it does, stop and contact MoxiWorks. Choose **Accept**.",
        tick: "Accepted the consent screen as an administrator",
      },
      {
        text: "Microsoft sends you back to the workspace. If it says consent was declined, or that the account is not an administrator or is from another organization, follow what the page says and choose **Try again**.",
        expect: "The workspace shows **Consent granted** with your tenant ID, who granted it and when.",
        tick: "The workspace shows consent granted",
      },
    ]),
  };
}

export function createAgentGroup(): Section {
  return {
    id: "create-agent-group",
    title: "Create the group of MoxiEngage agents",
    level: 2,
    intro: [
      "The app may open only the mailboxes of members of one mail-enabled security group. Add each agent who uses MoxiEngage directly to it (members of nested groups do not count). Do not add administrators or shared mailboxes you want kept private.",
    ],
    steps: numberSteps("create-agent-group", "", [
      {
        text: "In the **Exchange admin center** (admin.exchange.microsoft.com) go to **Recipients** → **Groups** → **Add a group**, choose **Mail-enabled security**, name it `{group}`, and add the agents (at least `{test mailbox}`) as members. Create it in the Exchange admin center: the Microsoft 365 admin center's security groups are not mail-enabled.",
        expect: "The group `{group}` is listed under **Mail-enabled security** with your agents as members.",
        tick: "Created the mail-enabled security group in the Exchange admin center",
      },
      {
        text: "Or do the same in Exchange Online PowerShell (install the module once with `Install-Module ExchangeOnlineManagement`):",
        commands: [
          powershell("Connect-ExchangeOnline", "connect to Exchange Online"),
          powershell(`New-DistributionGroup -Name "{group}" -Type Security -Members "{test mailbox}"`, "create the group with the test mailbox in it"),
          powershell(`Add-DistributionGroupMember -Identity "{group}" -Member "agent@yourdomain.com"`, "add another agent (repeat for each)"),
        ],
        expect: "`Get-DistributionGroupMember -Identity \"{group}\"` lists the agents, and not `{out-of-reach mailbox}`.",
        tick: "The group holds the agents and not the out-of-reach mailbox",
      },
    ]),
  };
}

/** `own`: the brokerage's own app registration (its service principal exists from registration; no consent step). */
export function scopeAppAccess(own = false): Section {
  return {
    id: "scope-app-access",
    title: "Limit the app to the group (RBAC for Applications)",
    level: 2,
    intro: [
      "In Exchange Online PowerShell, as a member of **Organization Management** (or a Global Administrator or Exchange Administrator), register the app's service principal, create a management scope for the group, and give the app three roles limited to that scope.",
    ],
    notes: [{ kind: "platform", fact: "rbacAdditive", text: "Do not add Microsoft Graph mail, contacts or calendar permissions to MoxiEngage's app in the Entra admin center." }],
    steps: numberSteps("scope-app-access", "", [
      {
        text: "Connect to Exchange Online and to Microsoft Graph (to look up the app's service principal; install once with `Install-Module Microsoft.Graph.Applications`).",
        commands: [powershell("Connect-ExchangeOnline\nConnect-MgGraph -Scopes Application.Read.All", "connect to Exchange Online and Microsoft Graph")],
        tick: "Connected to Exchange Online and Microsoft Graph",
      },
      {
        text: "Register the app's service principal in Exchange Online. The one-liner looks up its object id (the Enterprise application's, not the app registration's) from the app id.",
        commands: [
          powershell(`$sp = Get-MgServicePrincipal -Filter "appId eq '{app id}'"; New-ServicePrincipal -AppId $sp.AppId -ObjectId $sp.Id -DisplayName "MoxiEngage"`, "register the service principal"),
        ],
        expect: own
          ? "A line with DisplayName **MoxiEngage**, the AppId `{app id}` and an ObjectId. If `$sp` is empty, check the Application (client) ID: it is on your app registration's **Overview** page."
          : "A line with DisplayName **MoxiEngage**, the AppId `{app id}` and an ObjectId. If `$sp` is empty, consent has not been granted in this tenant yet: go back to [Grant consent](#grant-consent).",
        tick: "Registered the MoxiEngage service principal",
      },
      {
        text: "Create the management scope: the members of the group.",
        commands: [
          powershell(
            `$dn = (Get-DistributionGroup -Identity "{group}").DistinguishedName; New-ManagementScope -Name "${APP_ACCESS_SCOPE_NAME}" -RecipientRestrictionFilter "MemberOfGroup -eq '$dn'"`,
            "create the management scope",
          ),
        ],
        expect: `A scope named **${APP_ACCESS_SCOPE_NAME}** whose RecipientFilter names your group.`,
        tick: "Created the management scope",
      },
      {
        text: `Give the app the three roles, each limited to the scope: ${APP_ACCESS_ROLES.map((r) => `\`${r}\``).join(", ")}. (Run the lookup of \`$sp\` from step 2 again if you opened a new window.)`,
        commands: [powershell(ROLE_ASSIGNMENTS, "assign the three roles")],
        expect: `Three role assignments, each with CustomResourceScope **${APP_ACCESS_SCOPE_NAME}**.`,
        tick: "Assigned the three roles",
      },
    ]),
  };
}

export function checkAppAccess(): Section {
  return {
    id: "check-app-access",
    title: "Check the roles with Test-ServicePrincipalAuthorization",
    level: 2,
    intro: ["Exchange Online can tell you, for one mailbox, which roles the app has there and whether the mailbox is in scope."],
    notes: [{ kind: "platform", fact: "rbacDelay", text: "Allow for the delay before you run the connection test." }],
    steps: numberSteps("check-app-access", "", [
      {
        text: "Check the test mailbox:",
        commands: [powershell(`Test-ServicePrincipalAuthorization -Identity "{app id}" -Resource "{test mailbox}" | Format-Table`, "check the test mailbox")],
        expect: `Three lines (${APP_ACCESS_ROLES.join(", ")}), each with AllowedResourceScope **${APP_ACCESS_SCOPE_NAME}** and InScope **True**.`,
        tick: "The test mailbox is in scope for all three roles",
      },
      {
        text: "Check a mailbox that must stay out of reach (for example your own administrator mailbox):",
        commands: [powershell(`Test-ServicePrincipalAuthorization -Identity "{app id}" -Resource "{out-of-reach mailbox}" | Format-Table`, "check the out-of-reach mailbox")],
        expect: "The same three lines with InScope **False**.",
        tick: "The out-of-reach mailbox is out of scope",
      },
    ]),
  };
}

export function testAppAccess(): Section {
  return {
    id: "test-app-access",
    title: "Run the connection test",
    level: 2,
    intro: ["The test signs in as MoxiEngage's app and does in the test mailbox what the sync does, then checks that the out-of-reach mailbox is refused."],
    steps: numberSteps("test-app-access", "", [
      {
        text: "In the workspace enter the group name `{group}`, the test mailbox `{test mailbox}` and the out-of-reach mailbox `{out-of-reach mailbox}`, and choose **Run the test**. Tick **send a test message** only if you want one message sent from the test mailbox to itself.",
        expect:
          "Each stage turns green: tenant, token, Microsoft Graph, contacts (read, create and delete), calendar (read, create and delete an event without attendees), and **the out-of-reach mailbox was refused**. The created items are deleted again.",
        tick: "The connection test passed",
      },
      {
        text: "Choose **Submit for verification**. MoxiWorks runs the same test (without sending mail), then every day, so a removed consent or role assignment is found before your agents notice.",
        expect: "The workspace says **Submitted** and then **Verified**; you get an email when it is verified.",
        tick: "Submitted for verification",
      },
    ]),
  };
}

export function troubleshootAppAccess(): Section {
  return {
    id: "troubleshoot-app-access",
    title: "If the test fails",
    level: 2,
    intro: ["The test names the cause and links here. The usual ones:"],
    steps: numberSteps("troubleshoot-app-access", "", [
      {
        text: `**Consent required / app not found in the tenant**: consent was not granted in this tenant, or was removed. Grant it again ([Grant consent](#${stepAnchor("grant-consent", 2)})).`,
        tick: "Checked consent",
      },
      {
        text: `**Access denied to the test mailbox** (Graph answers "Access is denied. Check credentials and try again."): a role assignment is missing, or the mailbox is not a direct member of the group, or the change has not applied yet. Run [Test-ServicePrincipalAuthorization](#${stepAnchor("check-app-access", 1)}), fix [the role assignments](#${stepAnchor("scope-app-access", 4)}) or the group, wait, and test again.`,
        tick: "Checked the role assignments and the group",
      },
      {
        text: "**The out-of-reach mailbox could be read** (app_scope_too_broad): the app holds a tenant-wide permission in Microsoft Entra, which RBAC cannot narrow. In the Microsoft Entra admin center open **Enterprise applications** → **MoxiEngage** → **Permissions**, and remove every Microsoft Graph application permission for mail, contacts or calendars (or remove the Entra admin-consented permissions and grant consent again). Also check that the out-of-reach mailbox is not a member of the group.",
        commands: [
          powershell(
            `$sp = Get-MgServicePrincipal -Filter "appId eq '{app id}'"\nGet-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id | ForEach-Object { Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -AppRoleAssignmentId $_.Id }`,
            "remove the app's tenant-wide application permissions",
          ),
        ],
        tick: "Removed tenant-wide permissions",
      },
      {
        text: "**Mailbox not enabled for REST** (MailboxNotEnabledForRESTAPI): the test mailbox is on an Exchange Server on premises (hybrid), unlicensed or inactive. Use a licensed Exchange Online mailbox; agents on premises use the Exchange Server guide.",
        tick: "The test mailbox is a licensed Exchange Online mailbox",
      },
      {
        text: "**Blocked by Conditional Access**: a Conditional Access policy for workload identities blocks the app's sign-in. Exclude MoxiEngage's app from that policy in the Microsoft Entra admin center.",
        tick: "Checked Conditional Access for workload identities",
      },
    ]),
  };
}

export const RESELLER_APP_ACCESS_QUESTIONS = `Hello — we are connecting our Microsoft 365 mailboxes to MoxiEngage (MoxiWorks) with its Microsoft Entra app. Please tell us:
1. Is our Microsoft 365 tenant federated to you (do our sign-ins go through your login page)?
2. Can you, as Global Administrator of our tenant, grant admin consent to MoxiWorks's app (app id {app id})?
3. Can you run these Exchange Online PowerShell cmdlets for us: New-ServicePrincipal, New-ManagementScope, New-ManagementRoleAssignment (roles Application Contacts.ReadWrite, Application Calendars.ReadWrite, Application Mail.Send) and Test-ServicePrincipalAuthorization?
4. Or can you give us Global Administrator rights, or defederate the tenant? Is there a cost or a waiting time?`;

export function resellerAppAccess(): Section {
  return {
    id: "reseller-app-access",
    title: "Bought Microsoft 365 through GoDaddy or another reseller?",
    level: 2,
    intro: [
      "A tenant federated to a reseller is Exchange Online, so this guide is the one that works. But you usually cannot do two of its steps yourself: grant admin consent to an app, and run the Exchange Online role commands. Your reseller, as Global Administrator of your tenant, can — or you can after the tenant is defederated.",
    ],
    notes: [{ kind: "platform", fact: "resellerConsent", text: "Ask your reseller before you start." }],
    steps: numberSteps("reseller-app-access", "", [
      {
        text: "Send your reseller these questions:",
        commands: [{ code: RESELLER_APP_ACCESS_QUESTIONS, label: "the questions for your reseller", shell: "text" }],
        tick: "Asked the reseller who can grant consent and run the role commands",
      },
    ]),
  };
}

export function appAccessSections(): Section[] {
  return [appAccessOverview(), grantConsent(), createAgentGroup(), scopeAppAccess(), checkAppAccess(), testAppAccess(), troubleshootAppAccess(), resellerAppAccess()];
}
