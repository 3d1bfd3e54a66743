import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MailHostResult } from "@/components/detect/mail-host-result";
import { ChecklistProgress } from "@/components/staff/checklist-progress";
import { LinkManager } from "@/components/staff/link-manager";
import { ContactNoteForm, StaffNoteForm } from "@/components/staff/note-forms";
import { StateBadge } from "@/components/staff/state-badge";
import { StateChangeForm } from "@/components/staff/state-change-form";
import { TestRunsSection } from "@/components/staff/test-runs-section";
import { StaffRerun } from "@/components/staff/staff-rerun";
import { getCredentialPreview } from "@/lib/credentials/store";
import { Timeline } from "@/components/staff/timeline";
import { When } from "@/components/staff/when";
import { Card } from "@/components/ui/card";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { parseTrack, TRACK_LABELS, type Track } from "@/lib/guide/ids";
import { STATE_LABELS, type OnboardingState } from "@/lib/onboarding/lifecycle";
import { nextStep } from "@/lib/onboarding/next-step";
import { checklistItemLabel } from "@/lib/staff/checklist-labels";
import { CONTACT_CHANNEL_LABELS, CONTACT_CHANNELS } from "@/lib/staff/event-text";
import { loadOnboardingDetail, staffTransitions } from "@/lib/staff/onboarding-detail";
import { listTestRuns } from "@/lib/test-runs/store";
import { appAccessSetup } from "@/lib/app-access/app";
import { getAppAccess } from "@/lib/app-access/consent";
import { listCertificates } from "@/lib/app-access/own-app";
import { clientSecretView } from "@/lib/app-access/own-app-secret";
import {
  addContactNoteAction,
  addStaffNoteAction,
  changeStateAction,
  createVendorLinkAction,
  extendLinkAction,
  regenerateLinkAction,
  revokeLinkAction,
} from "../../dashboard-actions";
import { signOutAction } from "../../actions";
import { StaffAccessSection } from "@/components/support/staff-access-section";
import { listAccessForStaff } from "@/lib/support/access";
import { requestAccessAction, revealWithApprovalAction } from "./access/actions";
import { RosterSummary } from "@/components/roster/roster-summary";
import { rosterSummaryFor } from "@/lib/roster/workspace";

export const metadata: Metadata = { title: "Onboarding", robots: { index: false } };

const TRANSITION_HINTS: Partial<Record<OnboardingState, string>> = {
  revoked: "close it for good: every link stops working and stored credentials are destroyed",
  rotation_requested: "email the brokerage asking for a new service-account password",
  verified: "mark it verified by hand (overrides the test; the newest credential becomes the verified one)",
  submitted: "treat the details as submitted again",
};

export default async function OnboardingDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireStaffPage();
  const { id } = await params;
  if (!/^[0-9a-z]{26}$/.test(id)) notFound();
  const database = await db();
  const detail = await loadOnboardingDetail(database, id);
  if (!detail) notFound();
  const runs = await listTestRuns(database, id);
  const hasSaved = (await getCredentialPreview(database, id)) !== undefined;
  const appAccess = await getAppAccess(database, id);
  const appConfigured = appAccessSetup() !== undefined;
  const ownApp = appAccess.method === "graph_app" && appAccess.registration === "own";
  const certificates = ownApp ? await listCertificates(database, id) : [];
  const clientSecret = ownApp ? await clientSecretView(database, id) : undefined;
  const { onboarding: o, events, links, checklist, mailHost } = detail;
  // What a re-run tests: a graph_app onboarding's submitted scope (Graph), else the newest saved credential (EWS).
  const canRerun = o.state !== "revoked" && (appAccess.method === "graph_app" ? appAccess.submittedAt !== null : hasSaved);
  // Support staff reach a stored password only through the brokerage's approval (TechOps have break-glass).
  const supportAccess = session.staff.role === "staff" && hasSaved && o.state !== "revoked" ? await listAccessForStaff(database, id, session.staff.id) : null;
  const track = o.track && o.track in TRACK_LABELS ? TRACK_LABELS[o.track as Track] : null;
  const notes = events.filter((e) => e.type === "staff_note" || e.type === "contact_note").reverse();
  const targets = staffTransitions(o.state, session.staff.role).map((s) => ({ value: s, label: STATE_LABELS[s], hint: TRANSITION_HINTS[s] ?? "" }));

  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} />
      <p className="text-sm"><Link href="/staff">← Dashboard</Link></p>
      <header className="space-y-2">
        <h1 className="text-3xl font-bold break-words" data-testid="brokerage-name">{o.brokerageName}</h1>
        <p className="flex flex-wrap items-center gap-2">
          <StateBadge state={o.state} />
          <span className="text-sm text-slate-700">Last activity <When iso={o.lastActivityAt} /></span>
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Brokerage" titleId="brokerage-title">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="font-medium">Contact</dt>
            <dd className="break-words">{o.contactName}</dd>
            <dt className="font-medium">Email</dt>
            <dd className="break-all"><a href={`mailto:${o.contactEmail}`}>{o.contactEmail}</a></dd>
            <dt className="font-medium">Mail system</dt>
            <dd>{track ?? "Not chosen yet"}</dd>
            <dt className="font-medium">Connection method</dt>
            <dd data-testid="connection-method">{appAccess.method === "graph_app" ? "Microsoft 365 app access (graph_app)" : "Service account with impersonation (ews_impersonation)"}</dd>
            {ownApp && (
              <>
                <dt className="font-medium">Own app registration</dt>
                <dd data-testid="own-app-detail">
                  Tenant <code className="break-all">{appAccess.tenantId ?? "not entered yet"}</code>, app (client) ID <code className="break-all">{appAccess.clientId ?? "not entered yet"}</code>
                  {appAccess.groupName ? <>; scope group “{appAccess.groupName}”, test mailbox {appAccess.testMailbox}, out of reach {appAccess.outOfScopeMailbox}</> : null}
                  {clientSecret && (
                    <p data-testid="staff-client-secret">
                      Client secret in use instead of the certificate (policy): {clientSecret.hint}, expires{" "}
                      <time dateTime={clientSecret.expiresAt}>{clientSecret.expiresAt.slice(0, 10)}</time>
                    </p>
                  )}
                  {certificates.length === 0 ? (
                    <p>No certificate generated yet.</p>
                  ) : (
                    <ul className="mt-1 space-y-1">
                      {certificates.map((c) => (
                        <li key={c.id} data-testid="staff-certificate" data-status={c.status}>
                          {c.status === "active" ? "In use" : "New, not yet shown to work"}: expires <time dateTime={c.notAfter}>{c.notAfter.slice(0, 10)}</time>, SHA-1{" "}
                          <code className="break-all">{c.thumbprintSha1}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </>
            )}
            {appAccess.method === "graph_app" && !ownApp && (
              <>
                <dt className="font-medium">Consent</dt>
                <dd data-testid="consent-detail">
                  {appAccess.grantedAt ? (
                    <>
                      {appAccess.trustedAt ? "Granted" : "Recorded, not confirmed by a token"} by {appAccess.grantedBy?.label} <When iso={appAccess.grantedAt} />, tenant{" "}
                      <code className="break-all">{appAccess.tenantId}</code>
                      {appAccess.groupName ? <>; scope group “{appAccess.groupName}”, test mailbox {appAccess.testMailbox}, out of reach {appAccess.outOfScopeMailbox}</> : null}
                    </>
                  ) : (
                    "Not granted yet"
                  )}
                  {!appConfigured && <p className="text-amber-900">App access is not set up on this server (MICROSOFT_CLIENT_ID is unset).</p>}
                </dd>
              </>
            )}
            <dt className="font-medium">Detected mail host</dt>
            <dd data-testid="detected-mail-host">
              {mailHost ? (
                <details>
                  <summary className="cursor-pointer">
                    {mailHost.hostLabel} ({mailHost.confidence === "none" ? "could not tell" : `${mailHost.confidence} confidence`}), <When iso={mailHost.detectedAt} />
                  </summary>
                  <div className="mt-2"><MailHostResult view={mailHost} headingLevel={3} /></div>
                </details>
              ) : (
                "Not looked up yet (it is, when the brokerage opens its workspace)"
              )}
            </dd>
            {mailHost?.tenantId && (
              <>
                <dt className="font-medium">Tenant id</dt>
                <dd className="break-all"><code>{mailHost.tenantId}</code></dd>
              </>
            )}
            <dt className="font-medium">Created</dt>
            <dd><When iso={o.createdAt} /></dd>
            {o.notes && (
              <>
                <dt className="font-medium">Notes</dt>
                <dd className="whitespace-pre-line break-words">{o.notes}</dd>
              </>
            )}
          </dl>
        </Card>
        <Card title="Status" titleId="status-title">
          <p className="font-medium" data-testid="detail-state">{STATE_LABELS[o.state]}</p>
          <p className="mt-1"><span className="font-medium">What the brokerage sees next:</span> {nextStep({
            state: o.state,
            track: parseTrack(o.track),
            method: appAccess.method,
            appAccessAvailable: appConfigured,
            findings: runs.find((r) => r.outcome === "failed" && (r.trigger === "submission" || r.trigger === "scheduled"))?.findings,
          })}</p>
          <details className="mt-4">
            <summary className="cursor-pointer font-medium text-brand-700">Change the state</summary>
            <div className="mt-3">
              <StateChangeForm onboardingId={o.id} action={changeStateAction} targets={targets} />
            </div>
          </details>
        </Card>
      </div>

      <Card title="Checklist progress" titleId="checklist-title">
        <ChecklistProgress entries={checklist} itemLabel={checklistItemLabel} />
      </Card>

      <Card title="Agents' mailboxes" titleId="roster-title">
        <RosterSummary {...await rosterSummaryFor(database, o.id)} />
      </Card>

      <TestRunsSection runs={runs}>
        {canRerun && <StaffRerun onboardingId={o.id} />}
        {session.staff.role === "techops" && hasSaved && (
          <p>
            <Link href={`/staff/onboardings/${o.id}/reveal`}>Reveal the saved credential (TechOps, audited)</Link>
          </p>
        )}
      </TestRunsSection>

      {supportAccess && (
        <Card title="Support access to the credential" titleId="support-access-title">
          <StaffAccessSection
            onboardingId={o.id}
            brokerageName={o.brokerageName}
            requests={supportAccess}
            request={requestAccessAction}
            reveal={revealWithApprovalAction}
          />
        </Card>
      )}

      <Card title="Links" titleId="links-title">
        <LinkManager
          onboardingId={o.id}
          closed={o.state === "revoked"}
          links={links}
          actions={{ extend: extendLinkAction, revoke: revokeLinkAction, regenerate: regenerateLinkAction, createVendor: createVendorLinkAction }}
        />
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Record a contact" titleId="contact-title">
          <ContactNoteForm onboardingId={o.id} action={addContactNoteAction} channels={CONTACT_CHANNELS.map((c) => ({ value: c, label: CONTACT_CHANNEL_LABELS[c] }))} />
        </Card>
        <Card title="Staff notes" titleId="notes-title">
          <StaffNoteForm onboardingId={o.id} action={addStaffNoteAction} />
          {notes.length > 0 && (
            <>
              <h3 className="mt-4 font-semibold">Notes and contacts so far</h3>
              <ul className="mt-2 space-y-2 text-sm" data-testid="notes-list">
                {notes.map((n) => (
                  <li key={n.id} className="border-l-2 border-slate-300 pl-3">
                    <p className="text-slate-700"><When iso={n.createdAt} />, {n.actor.label}{n.type === "contact_note" ? " · contact" : ""}</p>
                    <p className="whitespace-pre-line break-words">{typeof n.details.note === "string" ? n.details.note : ""}</p>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
      </div>

      <Card title="Timeline" titleId="timeline-title">
        <Timeline events={events} itemLabel={checklistItemLabel} />
      </Card>
    </div>
  );
}
