// Microsoft 365 bought through a reseller (GoDaddy and similar). These tenants are Exchange Online, so
// every Microsoft 365 limit applies; on top of that, a tenant federated to the reseller gives the
// customer a reduced admin role. Sources: published defederation write-ups and Microsoft's dated facts
// (lib/guide/platform.ts).

import { numberSteps } from "../build";
import type { Section } from "../types";

export const RESELLER_QUESTIONS = `Hello — we are connecting our Microsoft 365 mailboxes to MoxiEngage (MoxiWorks). Please tell us:
1. Is our Microsoft 365 tenant federated to you (do our sign-ins go through your login page)?
2. Who holds the Global Administrator role in our tenant, and can you give it to us or defederate the tenant?
3. Can you (or we) grant admin consent to an enterprise application in our tenant, and manage Conditional Access?
4. Can you run Exchange Online PowerShell for us (for example Set-OrganizationConfig -EwsAllowedAppIDs)?
5. Is there a cost or a waiting time for any of the above?
Our tenant's domain: {domain}`;

export function resellerSection(): Section {
  return {
    id: "reseller",
    title: "Microsoft 365 through a reseller: what you can and cannot do",
    level: 2,
    intro: [
      "Microsoft 365 bought from GoDaddy (or a similar reseller) is Exchange Online, so Microsoft's retirements below apply exactly as they do to any Microsoft 365 tenant. GoDaddy tenants are also usually federated to GoDaddy: you sign in through GoDaddy's page, and your account is not a full Global Administrator of the tenant.",
      "In a federated reseller tenant you typically cannot: turn Security defaults off or create Conditional Access policies (no Microsoft Entra admin center access); run Exchange Online PowerShell with full rights (the authentication policy and role assignment steps); create role groups in the Exchange admin center; or grant admin consent to an application. Your reseller's dashboard only offers what the reseller exposes.",
      "Even with full rights, the 2021 steps cannot be completed in Exchange Online any more. So the useful conversation with your reseller is about who can act as Global Administrator for your tenant — the reseller, or you after defederation — and that person then works with MoxiWorks on app-based access: granting admin consent to MoxiWorks's app and running the Exchange Online role commands of the [app-access guide](/guide/microsoft-365-app-access#reseller-app-access), which also has the questions to send your reseller for it.",
    ],
    notes: [
      { kind: "platform", fact: "basicAuthOff", text: "No reseller can turn basic authentication back on for your tenant." },
      { kind: "platform", fact: "impersonationRemoved", text: "No reseller can assign the ApplicationImpersonation role in Exchange Online." },
      { kind: "platform", fact: "ewsBlocked", text: "Only an administrator with Exchange Online PowerShell rights can put an app on your tenant's EWS allow list." },
    ],
    steps: numberSteps("reseller", "", [
      {
        text: "Find out whether your tenant is federated: go to [login.microsoftonline.com](https://login.microsoftonline.com) and enter your work address. If you are sent to your reseller's sign-in page (for example GoDaddy's), the tenant is federated to them.",
        tick: "Know whether our tenant is federated to the reseller",
      },
      {
        text: "Send your reseller these questions (copy them; your domain is filled in from the addresses at the top of this page).",
        commands: [{ code: RESELLER_QUESTIONS, label: "the questions for your reseller", shell: "text" }],
        tick: "Sent the questions to the reseller",
      },
      {
        text: "With the answers, contact MoxiWorks onboarding: we will tell you whether the reseller can complete app-based access for you or whether your tenant needs to be defederated first. Do not pay for defederation or migration before talking to us.",
        tick: "Shared the reseller's answers with MoxiWorks",
      },
    ]),
    resources: [
      {
        title: "Defederating Microsoft 365 from GoDaddy (BostonMIT)",
        href: "https://bostonmit.com/defederate-microsoft-365-from-godaddy",
        comment: "Third-party write-up of what a GoDaddy-federated tenant cannot do and how defederation works.",
      },
    ],
  };
}
