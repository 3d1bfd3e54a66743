import type { Finding } from "@/lib/diagnosis/diagnose";

/**
 * Every message the product sends, as plain text. Pure: the caller supplies names and links. No message ever
 * carries a credential; findings are summarised by title only.
 */
export type MailMessage = { subject: string; text: string };

const SIGN_OFF = "\n\n— MoxiWorks onboarding\nPlease never send passwords by email; use the secure form in your workspace.";

export const mailTemplates = {
  invite: (p: { brokerage: string; contactName: string; url: string; expiresAt: string }): MailMessage => ({
    subject: `Connect ${p.brokerage}'s mailboxes to MoxiEngage`,
    text:
      `Hello ${p.contactName},\n\nYour private MoxiEngage onboarding workspace is ready:\n${p.url}\n\n` +
      `It walks your email administrator through the setup, tests the connection and takes the service-account ` +
      `details securely. The link works until ${p.expiresAt.slice(0, 10)}; you can share a separate link with your email vendor from the workspace.` +
      SIGN_OFF,
  }),
  verified: (p: { brokerage: string; workspaceUrl: string }): MailMessage => ({
    subject: `${p.brokerage}: MoxiEngage service account verified`,
    text:
      `Good news: the service account you provided connects to your mail system and can act for your test mailbox. ` +
      `It is now stored securely and MoxiWorks will finish enabling MoxiEngage for ${p.brokerage}. Nothing more is needed from you.\n\nWorkspace: ${p.workspaceUrl}` +
      SIGN_OFF,
  }),
  /** `closing`: what to do next (lib/onboarding/next-step.ts afterFailureInMail), never "fix it" for what cannot be fixed. */
  needsAttention: (p: { brokerage: string; workspaceUrl: string; findings: Pick<Finding, "title" | "actions">[]; closing: string }): MailMessage => ({
    subject: `${p.brokerage}: the MoxiEngage connection test needs attention`,
    text:
      `We could not verify the service account for ${p.brokerage}. What the test found:\n\n` +
      p.findings.slice(0, 3).map((f, i) => `${i + 1}. ${f.title}${f.actions[0] ? `\n   First step: ${f.actions[0]}` : ""}`).join("\n") +
      `\n\nThe workspace has the full guidance and links to the guide steps: ${p.workspaceUrl}\n${p.closing}` +
      SIGN_OFF,
  }),
  freshLink: (p: { brokerage: string; contactName: string; url: string; expiresAt: string }): MailMessage => ({
    subject: `${p.brokerage}: a fresh link to your MoxiEngage workspace`,
    text:
      `Hello ${p.contactName},\n\nSomeone asked for a fresh link to ${p.brokerage}'s MoxiEngage onboarding workspace ` +
      `(for example to open it on another computer). Here it is:\n${p.url}\n\n` +
      `It works until ${p.expiresAt.slice(0, 10)}; your earlier links keep working. If you did not ask for it, you can ignore this message: ` +
      `the link reaches only this address.` +
      SIGN_OFF,
  }),
  rotationRequested: (p: { brokerage: string; reason: string; workspaceUrl: string }): MailMessage => ({
    subject: `${p.brokerage}: please set a new password for the MoxiEngage service account`,
    text:
      `MoxiWorks has asked for the MoxiEngage service account's password to be changed.\nReason: ${p.reason}\n\n` +
      `Set a new password on the service account, then submit it in your workspace: ${p.workspaceUrl}\n` +
      `The current password keeps working until the new one is verified.` +
      SIGN_OFF,
  }),
  // A security incident (lib/incidents): the same ask as rotationRequested, naming the incident; sent in bulk.
  /** `certificate`: the brokerage's own app registration — a new certificate from the workspace, not a password. */
  incidentRotation: (p: { brokerage: string; incident: string; reason: string; dueDate: string; workspaceUrl: string; certificate?: boolean }): MailMessage => ({
    subject: p.certificate
      ? `${p.brokerage}: security notice, please replace the MoxiEngage app certificate`
      : `${p.brokerage}: security notice, please set a new password for the MoxiEngage service account`,
    text: p.certificate
      ? `MoxiWorks is handling a security incident ("${p.incident}") and asks every affected brokerage to replace the certificate of its own MoxiEngage app registration.\n` +
        `Reason: ${p.reason}\n\n` +
        `By ${p.dueDate}, open your workspace (${p.workspaceUrl}), generate a new certificate, upload it to your app registration in the Microsoft Entra admin center and run the app-access test.\n` +
        `The current certificate keeps working until the new one passes; then its private key is destroyed. Remove the old certificate from the app registration afterwards.` +
        SIGN_OFF
      : `MoxiWorks is handling a security incident ("${p.incident}") and asks every affected brokerage to change the MoxiEngage service account's password.\n` +
        `Reason: ${p.reason}\n\n` +
        `Please set a new password on the service account by ${p.dueDate}, then submit it in your workspace: ${p.workspaceUrl}\n` +
        `The current password keeps working until the new one is verified.` +
        SIGN_OFF,
  }),
  incidentReminder: (p: { brokerage: string; incident: string; dueDate: string; workspaceUrl: string; certificate?: boolean }): MailMessage => ({
    subject: p.certificate
      ? `${p.brokerage}: reminder, the MoxiEngage app certificate still needs replacing`
      : `${p.brokerage}: reminder, the MoxiEngage service account password still needs changing`,
    text: p.certificate
      ? `MoxiWorks asked for a new certificate on your MoxiEngage app registration after a security incident ("${p.incident}"), and no new certificate has passed the test yet.\n\n` +
        `By ${p.dueDate}, generate a new certificate in your workspace, upload it to your app registration and run the test: ${p.workspaceUrl}` +
        SIGN_OFF
      : `MoxiWorks asked for a new MoxiEngage service account password after a security incident ("${p.incident}") and has not received one yet.\n\n` +
        `Please set a new password on the service account by ${p.dueDate}, then submit it in your workspace: ${p.workspaceUrl}` +
        SIGN_OFF,
  }),
  linkExpiring: (p: { brokerage: string; expiresAt: string }): MailMessage => ({
    subject: `${p.brokerage}: your MoxiEngage onboarding link expires soon`,
    text: `Your workspace link expires on ${p.expiresAt.slice(0, 10)}. Reply to this message or contact MoxiWorks to extend it; your progress is kept.` + SIGN_OFF,
  }),
  /** The certificate of a brokerage's own app registration expires in `days` (60, 30 or 7); renewal has no downtime. */
  certificateExpiring: (p: { brokerage: string; days: number; expiresAt: string; thumbprint: string; workspaceUrl: string; staff?: boolean }): MailMessage => ({
    subject: `${p.staff ? "[Expiry] " : ""}${p.brokerage}: the MoxiEngage app certificate expires in ${p.days} days`,
    text:
      `The certificate that MoxiEngage uses to sign in to ${p.brokerage}'s own Microsoft Entra app registration expires on ${p.expiresAt.slice(0, 10)} ` +
      `(SHA-1 thumbprint ${p.thumbprint}). When it expires, the sync stops.

` +
      (p.staff
        ? `The brokerage has been sent the renewal steps. Details: ${p.workspaceUrl}`
        : `To renew it without any interruption: in your workspace choose "Generate a new certificate", download it, upload it to your app registration ` +
          `(Certificates & secrets → Upload certificate) next to the old one, and run the connection test. Once it passes, MoxiEngage uses the new ` +
          `certificate and destroys the old key; then delete the old certificate from the app.
${p.workspaceUrl}`) +
      SIGN_OFF,
  }),
  /** The own app's client secret (where policy forced one) nears the expiry date the admin gave; never the secret itself. */
  clientSecretExpiring: (p: { brokerage: string; days: number; expiresAt: string; hint: string; workspaceUrl: string; staff?: boolean }): MailMessage => ({
    subject: `${p.staff ? "[Expiry] " : ""}${p.brokerage}: the MoxiEngage app's client secret expires in ${p.days} days`,
    text:
      `The client secret (${p.hint}) that MoxiEngage uses to sign in to ${p.brokerage}'s own Microsoft Entra app registration expires on ` +
      `${p.expiresAt.slice(0, 10)}. When it expires, the sync stops.

` +
      (p.staff
        ? `The brokerage has been sent the renewal steps. Details: ${p.workspaceUrl}`
        : `To renew it: in the Microsoft Entra admin center open the app registration → Certificates & secrets → Client secrets, add a new ` +
          `client secret and copy its Value. In your workspace, under "Your policy requires a client secret instead?", enter the new Value and ` +
          `its expiry date and run the connection test; then delete the old secret from the app. Better still, switch to the workspace's ` +
          `certificate: nothing secret is copied and it renews without interruption.
${p.workspaceUrl}`) +
      SIGN_OFF,
  }),
  // Who, why and for how long: never anything of the credential itself.
  supportAccessRequested: (p: { brokerage: string; staffName: string; reason: string; durationHours: number; workspaceUrl: string }): MailMessage => ({
    subject: `${p.brokerage}: MoxiWorks support asks to see your service account password`,
    text:
      `${p.staffName} at MoxiWorks support asks for access to ${p.brokerage}'s stored MoxiEngage service account password ` +
      `for up to ${p.durationHours} hour${p.durationHours === 1 ? "" : "s"}.\nReason given: ${p.reason}\n\n` +
      `Nobody sees it unless you approve. Approve (once, or for the whole period) or decline in your workspace, under ` +
      `"Access to your credentials": ${p.workspaceUrl}\nYou can withdraw an approval there at any time and see every time the password was shown. ` +
      `The request expires by itself after 24 hours if you do not answer.` +
      SIGN_OFF,
  }),
  /** One per failed verification: re-verification of working credentials failed, and/or a finding says MoxiWorks must act. */
  staffAlert: (p: { brokerage: string; detailUrl: string; cause: string | null; reverification: boolean; moxiworksMustAct: string | null }): MailMessage => ({
    subject: p.reverification ? `[Alert] ${p.brokerage}: verified credentials now fail` : `[Action needed] ${p.brokerage}: MoxiWorks must act on a failed verification`,
    text:
      (p.reverification
        ? `The scheduled re-verification for ${p.brokerage} failed${p.cause ? ` (${p.cause})` : ""}. The brokerage has been told.`
        : `The verification of ${p.brokerage}'s submission failed${p.cause ? ` (${p.cause})` : ""}. The brokerage has been told.`) +
      (p.moxiworksMustAct ? `\nThe finding "${p.moxiworksMustAct}" says MoxiWorks must act: the brokerage cannot fix it on their side.` : "") +
      `\nDetails: ${p.detailUrl}`,
  }),
};
