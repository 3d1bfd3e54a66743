import { hasTakenEffect, PLATFORM_FACTS, type PlatformFactId } from "@/lib/guide/platform";
import type { Track } from "@/lib/guide/ids";
import type { Actor as FindingActor } from "@/lib/diagnosis/guidance";
import { SUPPORT_EMAIL } from "@/lib/site";
import { NEXT_STEP, type OnboardingState } from "./lifecycle";

/**
 * What the brokerage can do next, truthfully: the status panel's sentence and the closing of the "needs attention"
 * mail. On Microsoft 365 a password-based service account (the guide's original 2021 steps) cannot work any more,
 * so those brokerages are pointed at app access with Microsoft's dates; a finding only MoxiWorks can act on is
 * never followed by "fix it and submit again". Pure: the caller passes what it knows.
 */
export type NextStepContext = {
  state: OnboardingState;
  track: Track | null;
  method: "ews_impersonation" | "graph_app";
  /** graph_app with the brokerage's own app registration (issue 13) rather than MoxiWorks's app. */
  ownApp?: boolean;
  /** MoxiWorks's Entra app is configured on this server (app access can be used). */
  appAccessAvailable: boolean;
  /** The findings of the latest failed verification, most likely first. */
  findings?: readonly { actor: FindingActor; title: string }[];
  now?: Date;
};

const isOnline = (track: Track | null) => track === "microsoft-365" || track === "microsoft-365-reseller";

function on(id: PlatformFactId, now: Date | undefined): string {
  const { dateLabel } = PLATFORM_FACTS[id];
  return hasTakenEffect(id, now) ? `since ${dateLabel}` : `from ${dateLabel}`;
}

/** Why the original steps cannot work on Exchange Online, with Microsoft's dates. */
export function exchangeOnlineFacts(now?: Date): string {
  return (
    `Exchange Online has refused password sign-in for EWS ${on("basicAuthOff", now)} and removed the ApplicationImpersonation role ` +
    `${on("impersonationRemoved", now)}; it blocks EWS ${on("ewsBlocked", now)} and turns it off ${on("ewsOff", now)}.`
  );
}

function appAccessWay(c: Pick<NextStepContext, "appAccessAvailable">): string {
  return c.appAccessAvailable
    ? "Connect with app access instead: grant admin consent for MoxiEngage and scope it to your agents' mailboxes (the \"Microsoft 365 app access\" section), then test and submit there."
    : `App access (the way that works on Exchange Online) is not switched on for this workspace yet: contact MoxiWorks onboarding at ${SUPPORT_EMAIL}, who will tell you when to start.`;
}

/** The first finding MoxiWorks must act on (the brokerage cannot fix it), if any. */
export function moxiworksFinding(findings: NextStepContext["findings"]) {
  return findings?.find((f) => f.actor === "moxiworks");
}

/** The status panel's "what happens next". */
export function nextStep(c: NextStepContext): string {
  const passwordOnOnline = isOnline(c.track) && c.method === "ews_impersonation";
  const mustAct = moxiworksFinding(c.findings);
  if (c.state === "needs_attention") {
    const first = mustAct
      ? `The last test found something that cannot be fixed on your side ("${mustAct.title}"). MoxiWorks has been alerted and will contact you.`
      : passwordOnOnline
        ? "The test could not verify the service account."
        : NEXT_STEP.needs_attention;
    return passwordOnOnline ? `${first} ${exchangeOnlineFacts(c.now)} ${appAccessWay(c)}` : first;
  }
  if ((c.state === "invited" || c.state === "in_progress") && passwordOnOnline) {
    return `On Microsoft 365 the guide's original steps (a service account with a password and impersonation) no longer work. ${exchangeOnlineFacts(c.now)} ${appAccessWay(c)}`;
  }
  if ((c.state === "invited" || c.state === "in_progress") && c.track === null) {
    return "First tell us where your mailboxes are hosted: the setup guide and the connection test depend on it.";
  }
  if (c.state === "in_progress" && c.method === "graph_app" && c.ownApp) {
    return "Register your app in the Microsoft Entra admin center, upload the certificate this workspace made, scope the app to your agents' mailboxes as the guide below shows, then run the app-access test and submit.";
  }
  if (c.state === "in_progress" && c.method === "graph_app") {
    return "Grant admin consent for MoxiEngage, scope it to your agents' mailboxes as the guide below shows, then run the app-access test and submit.";
  }
  return NEXT_STEP[c.state];
}

/** The closing lines of the "needs attention" mail: what to do in the workspace, never "fix it" for what cannot be. */
export function afterFailureInMail(c: Omit<NextStepContext, "state">): string {
  const mustAct = moxiworksFinding(c.findings);
  const passwordOnOnline = isOnline(c.track) && c.method === "ews_impersonation";
  const lines: string[] = [];
  if (mustAct) lines.push(`"${mustAct.title}" cannot be fixed on your side: MoxiWorks has been alerted and will contact you.`);
  if (passwordOnOnline) lines.push(`${exchangeOnlineFacts(c.now)} ${appAccessWay(c)}`);
  if (!mustAct && !passwordOnOnline) lines.push("When it is fixed, submit the details again there.");
  return lines.join("\n");
}
