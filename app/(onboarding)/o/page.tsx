import Link from "next/link";
import { Suspense } from "react";
import type { Metadata } from "next";
import { CredentialSection } from "@/components/credentials/credential-section";
import { FindingCards } from "@/components/diagnosis/finding-cards";
import { RefreshWhile } from "@/components/workspace/refresh-while";
import { ServerChecklistProvider } from "@/components/workspace/server-checklist-provider";
import { GuidePage } from "@/components/guide/guide-page";
import { AddressDetector } from "@/components/detect/address-detector";
import { guideFor, guideItems } from "@/lib/guide/tracks";
import { TestHistory } from "@/components/test-run/history";
import { TestForm } from "@/components/test-run/test-form";
import { Card } from "@/components/ui/card";
import { LinkProblem } from "@/components/workspace/link-problem";
import { StatusPanel } from "@/components/workspace/status-panel";
import { VendorLinks } from "@/components/workspace/vendor-links";
import { listLinks } from "@/lib/auth/links";
import { clientKey, currentLinkSession } from "@/lib/auth/request";
import { mailHostOfOnboarding } from "@/lib/detect/service";
import { db } from "@/lib/db";
import { APP_ACCESS_TRACK, parseTrack } from "@/lib/guide/ids";
import { AppAccessCard } from "@/components/app-access/app-access-card";
import { appAccessSetup } from "@/lib/app-access/app";
import { getAppAccess } from "@/lib/app-access/consent";
import { submitAppAccessAction, testAppAccessAction } from "./app-access-actions";
import { getChecklist } from "@/lib/onboarding/checklist";
import { getOnboarding } from "@/lib/onboarding/store";
import { nextStep } from "@/lib/onboarding/next-step";
import { SUPPORT_EMAIL } from "@/lib/site";
import { listTestRuns } from "@/lib/test-runs/store";
import { runsForViewer } from "@/lib/test-runs/visibility";
import { getCredentialPreview } from "@/lib/credentials/store";
import { AccessPanel } from "@/components/support/access-panel";
import { listAccessForOnboarding } from "@/lib/support/access";
import { MailHostQuestion, MailHostQuestionLoading } from "./mail-host-question";
import { RosterSection } from "@/components/roster/roster-section";
import { rosterView } from "@/lib/roster/workspace";
import { cancelRosterAction, recheckRosterAction, submitRosterAction } from "./roster-actions";
import { answerAccessAction, revokeAccessAction } from "./access-actions";
import { saveCredentialAction } from "./credential-actions";
import { createVendorLinkAction, revokeVendorLinkAction, setChecklistItemAction, setTrackAction } from "./actions";
import { requestFreshLinkAction } from "./fresh-link-actions";

export const metadata: Metadata = { title: "Your workspace", robots: { index: false } };

export default async function WorkspacePage() {
  const visitor = await currentLinkSession();
  if (!visitor) return <LinkProblem reason="no-session" freshLinkAction={requestFreshLinkAction} />;
  const database = await db();
  const onboarding = await getOnboarding(database, visitor.onboardingId);
  if (!onboarding || onboarding.state === "revoked") return <LinkProblem reason="revoked" />;
  const track = parseTrack(onboarding.track);
  const ticks = await getChecklist(database, onboarding.id);
  // Microsoft 365 brokerages are offered app access (recommended); once they start consent their guide is that track.
  const microsoft365 = track === "microsoft-365" || track === "microsoft-365-reseller";
  const appAccess = await getAppAccess(database, onboarding.id);
  const setup = appAccessSetup();
  const guideTrack = microsoft365 && appAccess.method === "graph_app" ? APP_ACCESS_TRACK : track;
  const itemIds = guideTrack ? guideItems(guideFor(guideTrack)).map((i) => i.id) : [];
  const checkedState = Object.fromEntries(Object.entries(ticks).map(([id, t]) => [id, t.checked]));
  const done = itemIds.filter((id) => checkedState[id]).length;
  const total = itemIds.length;
  // What each run shows depends on who is looking (vendors: steps and findings, names masked; lib decides).
  const runs = runsForViewer(await listTestRuns(database, onboarding.id), visitor.kind === "vendor" ? "vendor" : "brokerage");
  const latestFailure = runs.find((r) => r.outcome === "failed" && (r.trigger === "submission" || r.trigger === "scheduled"));
  const preview = visitor.kind === "brokerage" ? await getCredentialPreview(database, onboarding.id) : undefined;
  const hasSaved = preview !== undefined;
  // Not awaited here: the question streams in with the answer, the rest of the page does not wait for DNS.
  const mailHost = mailHostOfOnboarding(database, onboarding, { client: await clientKey(), linkSessionId: visitor.linkId });
  const vendorLinks = visitor.kind === "brokerage" ? (await listLinks(database, onboarding.id)).filter((l) => l.kind === "vendor") : [];
  // Who asked for and who saw the stored password: the brokerage's own business, never a vendor's.
  const access = visitor.kind === "brokerage" ? await listAccessForOnboarding(database, onboarding.id) : null;

  return (
    <div className="space-y-8">
      <header className="space-y-1">
        <p className="text-sm text-slate-700">{visitor.kind === "brokerage" ? "Brokerage workspace" : "Vendor access"}</p>
        <h1 className="text-3xl font-bold">{onboarding.brokerageName}</h1>
      </header>

      <StatusPanel
        state={onboarding.state}
        progress={{ done, total }}
        nextStep={nextStep({ state: onboarding.state, track, method: appAccess.method, appAccessAvailable: setup !== undefined, findings: latestFailure?.findings })}
      >
        {onboarding.state === "needs_attention" && latestFailure && latestFailure.findings.length > 0 && (
          <div className="mt-4 space-y-2">
            <h3 className="font-semibold">What the last test found</h3>
            <FindingCards diagnosis={{ primaryCause: latestFailure.findings[0]!.cause, findings: latestFailure.findings }} headingLevel={4} />
          </div>
        )}
      </StatusPanel>
      <RefreshWhile active={onboarding.state === "submitted" || onboarding.state === "verifying"} />

      <Card title="Your mail system" titleId="track-title">
        <Suspense fallback={<MailHostQuestionLoading action={setTrackAction} current={track} />}>
          <MailHostQuestion action={setTrackAction} current={track} mailHost={mailHost} />
        </Suspense>
      </Card>

      {microsoft365 && (
        <Card title="Microsoft 365 app access (recommended)" titleId="app-access-title">
          <AppAccessCard configured={setup !== undefined} record={appAccess} visitorKind={visitor.kind} test={testAppAccessAction} submit={submitAppAccessAction} />
        </Card>
      )}

      {guideTrack ? (
        <section aria-label="Setup guide" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <GuidePage
            track={guideTrack}
            appId={setup?.clientId}
            embedded={{
              progressNote: "Ticks are saved for your brokerage: your email vendor and MoxiWorks see them too.",
              checklist: (children) => <ServerChecklistProvider initial={checkedState} save={setChecklistItemAction}>{children}</ServerChecklistProvider>,
            }}
          />
        </section>
      ) : (
        <Card title="Not sure where your mail is hosted?" titleId="not-sure-title">
          <p>
            Choose your mail system above and the setup guide for it appears here, with checklists that save as you go. To
            find out, enter an address at your brokerage (a colleague&apos;s or your own): we look up its public DNS records
            and Microsoft&apos;s public endpoints.
          </p>
          <AddressDetector guideLinks={false} />
        </Card>
      )}

      {visitor.kind === "brokerage" && (
        <Card title="Share with your email vendor" titleId="vendor-title">
          <VendorLinks
            links={vendorLinks.map((l) => ({ id: l.id, label: l.label, status: l.status, expiresAt: l.expiresAt }))}
            create={createVendorLinkAction}
            revoke={revokeVendorLinkAction}
          />
        </Card>
      )}

      <Card title="Service account details" titleId="credentials-title">
        <CredentialSection visitorKind={visitor.kind} state={onboarding.state} track={track} preview={preview} action={saveCredentialAction} />
      </Card>

      {access && (
        <Card title="Access to your credentials" titleId="access-title">
          <AccessPanel requests={access.requests} reveals={access.reveals} answer={answerAccessAction} revoke={revokeAccessAction} />
        </Card>
      )}

      <Card title="Test the connection" titleId="test-title">
        <p className="mb-4">
          The test does what MoxiEngage will do: it finds your Exchange server, signs in as the service account and opens the
          test mailbox&apos;s Inbox, Contacts, Calendar and Sent Items by impersonation. Steps appear as they happen.
        </p>
        <TestForm canUseSaved={visitor.kind === "brokerage" && hasSaved} mailHost={mailHost} />
        <h3 className="mt-6 mb-2 text-lg font-semibold">Earlier tests</h3>
        <TestHistory runs={runs} headingLevel={4} />
      </Card>

      {visitor.kind === "brokerage" && (
        <Card title="Check every agent's mailbox" titleId="roster-title">
          <RosterSection initial={await rosterView(database, onboarding.id)} submit={submitRosterAction} recheck={recheckRosterAction} cancel={cancelRosterAction} />
        </Card>
      )}

      <Card title="Ran Microsoft's test yourself?" titleId="rca-title">
        <p>
          If you ran the Remote Connectivity Analyzer and it failed, <Link href="/o/troubleshoot">paste its log here</Link> and
          we will explain what it means and which step fixes it.
        </p>
      </Card>

      <aside aria-labelledby="help-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="help-title" className="text-lg font-semibold">Need help?</h2>
        <p className="mt-2">
          Email <a href={`mailto:${SUPPORT_EMAIL}`}>{SUPPORT_EMAIL}</a> and mention <strong>{onboarding.brokerageName}</strong>.
          Never send passwords by email: use the secure form on this page.
        </p>
      </aside>
    </div>
  );
}
