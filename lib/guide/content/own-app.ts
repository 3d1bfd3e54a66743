// "Use our own app registration" (issue 13): the brokerage registers a single-tenant app in its own Microsoft Entra
// tenant, uploads the certificate its workspace made (the private key never leaves MoxiWorks's server), grants the
// app no Microsoft Graph permission, then scopes it with the same RBAC for Applications steps as MoxiWorks's app
// (the shared sections of ./app-access.ts, with `{app id}` = the brokerage's own app id). Portal paths: Microsoft
// Learn "Register an application" and "Add a certificate" (learn.microsoft.com/entra/identity-platform/quickstart-register-app).

import { numberSteps } from "../build";
import { stepAnchor } from "../ids";
import type { Section } from "../types";
import { checkAppAccess, createAgentGroup, scopeAppAccess } from "./app-access";

export function ownAppOverview(): Section {
  return {
    id: "overview",
    title: "How your own app registration works",
    level: 2,
    intro: [
      "For tenants whose policy forbids apps from outside publishers: you register an app in your own Microsoft Entra tenant, and MoxiEngage signs in as that app with a certificate. Your workspace makes the certificate; you download only its public part and upload it to the app. The private key stays on MoxiWorks's server, so no secret is ever sent by mail, typed into a form or stored by you.",
      "The app gets no Microsoft Graph permission in Entra. Its mailbox access comes only from three Exchange Online role assignments limited to your agents' group (RBAC for Applications), the same steps as with MoxiWorks's app.",
      "The certificate is valid for 12 months. Your workspace shows when it expires and mails you 60, 30 and 7 days before; renewing it means uploading a new certificate next to the old one, with no interruption of the sync.",
    ],
    notes: [{ kind: "platform", fact: "rbacForApps", text: "This guide uses RBAC for Applications." }],
    checklist: [{ id: "own-app-overview-read", label: "Read how your own app registration works" }],
  };
}

export function registerOwnApp(): Section {
  return {
    id: "register-own-app",
    title: "Register a single-tenant app in the Microsoft Entra admin center",
    level: 2,
    intro: ["An Application Administrator, Cloud Application Administrator or Global Administrator of your tenant does this once."],
    steps: numberSteps("register-own-app", "", [
      {
        text: "Sign in to the **Microsoft Entra admin center** (entra.microsoft.com) and go to **Identity** → **Applications** → **App registrations** → **New registration**.",
        expect: "The **Register an application** page opens.",
        tick: "Opened Register an application",
      },
      {
        text: "Name it `MoxiEngage`. Under **Supported account types** choose **Accounts in this organizational directory only (Single tenant)**. Leave **Redirect URI** empty: MoxiEngage signs in as the app itself, never as a person. Choose **Register**.",
        expect: "The app's **Overview** page shows **Application (client) ID** and **Directory (tenant) ID**, two GUIDs one above the other.",
        tick: "Registered the single-tenant app without a redirect URI",
      },
      {
        text: "In your workspace choose **Use our own app registration** (if you have not yet), then enter the **Directory (tenant) ID** (or your domain, such as yourbrokerage.onmicrosoft.com) as **Tenant**, and the **Application (client) ID**. Take care not to swap them.",
        expect: "The workspace accepts both; it says so when a value is not a GUID or is the tenant ID in the client ID field.",
        tick: "Entered the tenant and the Application (client) ID in the workspace",
      },
    ]),
  };
}

export function uploadCertificate(): Section {
  return {
    id: "upload-certificate",
    title: "Upload the certificate your workspace made",
    level: 2,
    intro: ["The certificate identifies MoxiEngage to your app. Only its public part leaves MoxiWorks's server."],
    steps: numberSteps("upload-certificate", "", [
      {
        text: "In your workspace choose **Generate the certificate**, then **Download the certificate (.cer)**.",
        expect: "A file named like `moxiengage-1a2b3c4d.cer` is downloaded, and the workspace shows its SHA-1 and SHA-256 thumbprints and the date it expires (12 months from today).",
        tick: "Downloaded the certificate",
      },
      {
        text: "In the app registration open **Certificates & secrets** → **Certificates** → **Upload certificate**, choose the file, give it a description such as `MoxiEngage`, and choose **Add**. Do not create a client secret: MoxiEngage does not need one.",
        expect: "The certificate is listed with a **Thumbprint** equal to the workspace's SHA-1 thumbprint and the same expiry date. The **Client secrets** tab lists none.",
        tick: "Uploaded the certificate (and created no client secret)",
      },
    ]),
  };
}

export function noGraphPermissions(): Section {
  return {
    id: "no-graph-permissions",
    title: "Grant the app no Microsoft Graph mailbox permission",
    level: 2,
    intro: ["RBAC for Applications adds to what the app holds in Entra; it cannot narrow it. So the app must hold no tenant-wide mailbox permission."],
    notes: [{ kind: "platform", fact: "rbacAdditive", text: "This is why the app gets no Graph permission here." }],
    steps: numberSteps("no-graph-permissions", "", [
      {
        text: "In the app registration open **API permissions**. A new registration lists Microsoft Graph **User.Read** (Delegated); you may remove it. Do not add any **Application** permission for Mail, Contacts, Calendars or MailboxSettings, and do not choose **Grant admin consent**.",
        expect: "**Configured permissions** lists no Application permission. If one is listed, remove it (… → **Remove permission**) and revoke its admin consent.",
        tick: "The app holds no Microsoft Graph application permission",
      },
    ]),
  };
}

export function testOwnApp(): Section {
  return {
    id: "test-own-app",
    title: "Run the connection test",
    level: 2,
    intro: ["The test signs in as your app with the certificate, then does in the test mailbox what the sync does and checks that the out-of-reach mailbox is refused."],
    steps: numberSteps("test-own-app", "", [
      {
        text: "In the workspace enter the tenant, the Application (client) ID, the group `{group}`, the test mailbox `{test mailbox}` and the out-of-reach mailbox `{out-of-reach mailbox}`, and choose **Run the app-access test**.",
        expect: "Each stage turns green: tenant, token (Entra accepts the certificate), Microsoft Graph, contacts, calendar, and **the out-of-reach mailbox was refused**.",
        tick: "The connection test passed",
      },
      {
        text: "Choose **Submit for verification**. MoxiWorks runs the same test, then every day.",
        expect: "The workspace says **Submitted** and then **Verified**; you get an email when it is verified.",
        tick: "Submitted for verification",
      },
    ]),
  };
}

export function renewCertificate(): Section {
  return {
    id: "renew-certificate",
    title: "Renew the certificate before it expires",
    level: 2,
    intro: ["You get an email 60, 30 and 7 days before the certificate expires. Renewing causes no interruption: the old certificate keeps working until the new one has passed the test."],
    steps: numberSteps("renew-certificate", "", [
      {
        text: "In the workspace choose **Generate a new certificate** and download it. Upload it to the app registration (**Certificates & secrets** → **Upload certificate**) next to the old one: do not delete the old one yet.",
        expect: "The app lists two certificates; the workspace shows the new one as **New** and the old one as **in use**.",
        tick: "Uploaded the new certificate next to the old one",
      },
      {
        text: "Run the connection test in the workspace.",
        expect: "The test passes; the workspace now shows only the new certificate, in use. MoxiWorks has destroyed the old private key. Now delete the old certificate from the app registration.",
        tick: "The test passed with the new certificate and the old one is deleted",
      },
    ]),
  };
}

export function troubleshootOwnApp(): Section {
  return {
    id: "troubleshoot-own-app",
    title: "If the test fails",
    level: 2,
    intro: ["The test names the cause. The usual ones with your own app:"],
    steps: numberSteps("troubleshoot-own-app", "", [
      {
        text: `**App not found** (AADSTS700016, "Application with identifier … was not found in the directory"): the Application (client) ID or the tenant is wrong, or swapped. Copy both again from the app's Overview page ([step 2](#${stepAnchor("register-own-app", 2)})).`,
        tick: "Checked the client ID and the tenant",
      },
      {
        text: `**Certificate refused** (AADSTS700027, "Client assertion contains an invalid signature"): the app does not hold the certificate the workspace shows (another file was uploaded, it was deleted, or a newer one was generated). Compare the thumbprints and upload the workspace's certificate again ([upload](#${stepAnchor("upload-certificate", 2)})).`,
        tick: "The app lists the workspace's certificate",
      },
      {
        text: `**Access denied to the test mailbox**: a role assignment is missing, or the mailbox is not a direct member of the group, or the change has not applied yet. Run [Test-ServicePrincipalAuthorization](#${stepAnchor("check-app-access", 1)}) and fix [the role assignments](#${stepAnchor("scope-app-access", 4)}).`,
        tick: "Checked the role assignments and the group",
      },
      {
        text: `**The out-of-reach mailbox could be read** (app_scope_too_broad): the app holds a Microsoft Graph application permission; remove it ([permissions](#${stepAnchor("no-graph-permissions", 1)})).`,
        tick: "Removed tenant-wide permissions",
      },
    ]),
  };
}

export function ownAppSections(): Section[] {
  return [ownAppOverview(), registerOwnApp(), uploadCertificate(), noGraphPermissions(), createAgentGroup(), scopeAppAccess(true), checkAppAccess(), testOwnApp(), renewCertificate(), troubleshootOwnApp()];
}
