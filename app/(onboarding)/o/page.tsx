import Link from "next/link";
import { Suspense } from "react";
import type { Metadata } from "next";
import { CredentialPreviewList } from "@/components/credentials/credential-preview";
import { ConnectionForm } from "@/components/workspace/connection-form";
import { Stepper } from "@/components/workspace/stepper";
import { FindingCards } from "@/components/diagnosis/finding-cards";
import { RefreshWhile } from "@/components/workspace/refresh-while";
import { ServerChecklistProvider } from "@/components/workspace/server-checklist-provider";
import { GuidePage } from "@/components/guide/guide-page";
import { AddressDetector } from "@/components/detect/address-detector";
import { guideFor, guideItems, sectionItems } from "@/lib/guide/tracks";
import { currentStep, JOURNEY_LABELS, JOURNEY_STEPS, openStep } from "@/lib/onboarding/journey";
import { TestHistory } from "@/components/test-run/history";
import { Card } from "@/components/ui/card";
import { LinkProblem } from "@/components/workspace/link-problem";
import { StatusPanel } from "@/components/workspace/status-panel";
import { VendorLinks } from "@/components/workspace/vendor-links";
import { listLinks } from "@/lib/auth/links";
import { clientKey, currentLinkSession } from "@/lib/auth/request";
import { mailHostOfOnboarding } from "@/lib/detect/service";
import { db } from "@/lib/db";
import { APP_ACCESS_TRACK, OWN_APP_TRACK, parseTrack } from "@/lib/guide/ids";
import { AppAccessCard } from "@/components/app-access/app-access-card";
import { appAccessSetup } from "@/lib/app-access/app";
import { getAppAccess } from "@/lib/app-access/consent";
import { submitAppAccessAction } from "./app-access-actions";
import { chooseOwnAppAction, generateCertificateAction, removeClientSecretAction, saveClientSecretAction, submitOwnAppAction } from "./own-app-actions";
import { listCertificates } from "@/lib/app-access/own-app";
import { clientSecretView } from "@/lib/app-access/own-app-secret";
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

export default async function WorkspacePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
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
  const certificates = appAccess.registration === "own" ? await listCertificates(database, onboarding.id) : [];
  const clientSecret = appAccess.registration === "own" ? await clientSecretView(database, onboarding.id) : undefined;
  const ownApp = appAccess.method === "graph_app" && appAccess.registration === "own";
  const guideTrack = microsoft365 && appAccess.method === "graph_app" ? (ownApp ? OWN_APP_TRACK : APP_ACCESS_TRACK) : track;
  const guide = guideTrack ? guideFor(guideTrack) : null;
  const itemIds = guide ? guideItems(guide).map((i) => i.id) : [];
  const checkedState = Object.fromEntries(Object.entries(ticks).map(([id, t]) => [id, t.checked]));
  const done = itemIds.filter((id) => checkedState[id]).length;
  const total = itemIds.length;
  // The guide opens at the first section with something left to tick.
  const openSectionId = guide?.sections.find((s) => sectionItems(s).some((i) => !checkedState[i.id]))?.id;
  // What each run shows depends on who is looking (vendors: steps and findings, names masked; lib decides).
  const runs = runsForViewer(await listTestRuns(database, onboarding.id), visitor.kind === "vendor" ? "vendor" : "brokerage");
  const latestFailure = runs.find((r) => r.outcome === "failed" && (r.trigger === "submission" || r.trigger === "scheduled"));
  const lastManual = runs.find((r) => r.trigger === "manual" && r.outcome !== null);
  const preview = visitor.kind === "brokerage" ? await getCredentialPreview(database, onboarding.id) : undefined;
  // Not awaited here: the question streams in with the answer, the rest of the page does not wait for DNS.
  const mailHost = mailHostOfOnboarding(database, onboarding, { client: await clientKey(), linkSessionId: visitor.linkId });
  const vendorLinks = visitor.kind === "brokerage" ? (await listLinks(database, onboarding.id)).filter((l) => l.kind === "vendor") : [];
  // Who asked for and who saw the stored password: the brokerage's own business, never a vendor's.
  const access = visitor.kind === "brokerage" ? await listAccessForOnboarding(database, onboarding.id) : null;

  // The journey: one answer for the stepper, the "next step" link and the open panel.
  const current = currentStep({ state: onboarding.state, hasTrack: track !== null, lastManualTest: lastManual?.outcome ?? null });
  const open = openStep((await searchParams).step, current);
  const workspaceGuide = guideTrack ?? undefined;
  const savedPreview = preview && <CredentialPreviewList preview={preview} state={onboarding.state} />;
  const next = nextStep({ state: onboarding.state, track, method: appAccess.method, ownApp, appAccessAvailable: setup !== undefined, findings: latestFailure?.findings });

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm text-slate-700">{visitor.kind === "brokerage" ? "Brokerage workspace" : "Vendor access"}</p>
        <h1 className="text-3xl font-bold break-words">{onboarding.brokerageName}</h1>
      </header>

      <Stepper current={current} open={open} />

      <StatusPanel state={onboarding.state} progress={{ done, total }} nextStep={next}>
        {onboarding.state === "needs_attention" && latestFailure && latestFailure.findings.length > 0 && (
          <div className="mt-4 space-y-2">
            <h3 className="font-semibold">What the last test found</h3>
            <FindingCards diagnosis={{ primaryCause: latestFailure.findings[0]!.cause, findings: latestFailure.findings }} headingLevel={4} workspaceGuide={workspaceGuide} />
          </div>
        )}
      </StatusPanel>
      <RefreshWhile active={onboarding.state === "submitted" || onboarding.state === "verifying"} />

      <section aria-labelledby="step-title" data-testid="open-step" data-step={open} className="space-y-6">
        <h2 id="step-title" className="text-2xl font-bold">
          <span className="text-base font-medium text-slate-700">Step {JOURNEY_STEPS.indexOf(open) + 1} of {JOURNEY_STEPS.length}: </span>
          {JOURNEY_LABELS[open]}
        </h2>

        {open === "host" && (
          <Card title="Your mail system" titleId="track-title">
            <Suspense fallback={<MailHostQuestionLoading action={setTrackAction} current={track} />}>
              <MailHostQuestion action={setTrackAction} current={track} mailHost={mailHost} />
            </Suspense>
          </Card>
        )}
        {open === "host" && !track && (
          <Card title="Not sure where your mail is hosted?" titleId="not-sure-title">
            <p>
              Enter an address at your brokerage (a colleague&apos;s or your own): we look up its public DNS records and
              Microsoft&apos;s public endpoints, then choose above.
            </p>
            <AddressDetector guideLinks={false} />
          </Card>
        )}

        {/* One slot for the card in every step that shows it: running its test re-renders the page, which may move the
            open step on, and a card in another slot would start empty (the result just shown would vanish). */}
        {(open === "prepare" || open === "test" || open === "submit") && microsoft365 && (
          <Card title="Microsoft 365 app access (recommended)" titleId="app-access-title">
            <AppAccessCard
              configured={setup !== undefined}
              record={appAccess}
              visitorKind={visitor.kind}
              submit={submitAppAccessAction}
              certificates={certificates}
              secret={clientSecret}
              ownApp={{ choose: chooseOwnAppAction, generate: generateCertificateAction, submit: submitOwnAppAction, saveSecret: saveClientSecretAction, removeSecret: removeClientSecretAction }}
              workspaceGuide={workspaceGuide}
            />
          </Card>
        )}
        {open === "prepare" &&
          (guideTrack ? (
            <section aria-label="Setup guide" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <GuidePage
                track={guideTrack}
                appId={ownApp ? (appAccess.clientId ?? undefined) : setup?.clientId}
                embedded={{
                  progressNote: "Ticks are saved for your brokerage: your email vendor and MoxiWorks see them too. Open a section to work through it.",
                  checklist: (children) => <ServerChecklistProvider initial={checkedState} save={setChecklistItemAction}>{children}</ServerChecklistProvider>,
                  openSectionId: openSectionId === undefined ? undefined : String(openSectionId),
                }}
              />
            </section>
          ) : (
            <Card title="Choose your mail host first" titleId="prepare-first-title">
              <p>
                The setup guide depends on where your mailboxes are hosted. <Link href="/o?step=host">Choose your mail host</Link>, and the
                guide for it appears here with checklists that save as you go.
              </p>
            </Card>
          ))}

        {open === "submit" && (
          <Card title="Your submission" titleId="submission-title">
            <div className="space-y-4">
              <p data-testid="submission-state">{preview || visitor.kind === "vendor" ? next : "Nothing is submitted yet: enter the details below, run the test, then submit them."}</p>
              {onboarding.state === "verifying" && (
                <p className="rounded border border-slate-300 bg-slate-50 px-3 py-2">We are testing the saved details right now. You can change them again once the test has finished.</p>
              )}
              {savedPreview}
            </div>
          </Card>
        )}
        {(open === "test" || open === "submit") && (
          <Card title="Connection details" titleId="connection-title">
            <p className="mb-4">
              Type the service account&apos;s details once. The test does what MoxiEngage will do: it finds your Exchange server, signs in as
              the service account and opens the test mailbox by impersonation, with each step shown as it happens.
              {visitor.kind === "brokerage"
                ? " Then submit the same details for verification: the password is encrypted as soon as it arrives and never shown again."
                : " Saving the details is for the brokerage's administrator; saved details are never shown to vendor links."}
            </p>
            <ConnectionForm
              save={visitor.kind === "brokerage" ? saveCredentialAction : undefined}
              track={track}
              saved={preview ? { serviceAccount: preview.serviceAccount, testMailbox: preview.testMailbox, ewsUrl: preview.ewsUrl, authScheme: preview.authScheme } : undefined}
              mailHost={mailHost}
              workspaceGuide={workspaceGuide}
            />
            <h3 className="mt-6 mb-2 text-lg font-semibold">Earlier tests</h3>
            <TestHistory runs={runs} headingLevel={4} workspaceGuide={workspaceGuide} />
          </Card>
        )}

        {open === "verified" && (
          <Card title={onboarding.state === "verified" ? "Your service account works" : "Not verified yet"} titleId="verified-title">
            <div className="space-y-4">
              <p>{onboarding.state === "verified" ? next : "Once a submission passes MoxiWorks's test, this step is done and MoxiWorks finishes enabling MoxiEngage."}</p>
              {savedPreview}
            </div>
          </Card>
        )}
        {open === "verified" && visitor.kind === "brokerage" && (
          <Card title="Check every agent's mailbox" titleId="roster-title">
            <RosterSection initial={await rosterView(database, onboarding.id)} submit={submitRosterAction} recheck={recheckRosterAction} cancel={cancelRosterAction} />
          </Card>
        )}
      </section>

      {visitor.kind === "brokerage" && (
        <Card title="Share with your email vendor" titleId="vendor-title">
          <VendorLinks
            links={vendorLinks.map((l) => ({ id: l.id, label: l.label, status: l.status, expiresAt: l.expiresAt }))}
            create={createVendorLinkAction}
            revoke={revokeVendorLinkAction}
          />
        </Card>
      )}

      {access && (
        <Card title="Access to your credentials" titleId="access-title">
          <AccessPanel requests={access.requests} reveals={access.reveals} answer={answerAccessAction} revoke={revokeAccessAction} />
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
