import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { IncidentActionForm } from "@/components/staff/incident-action-form";
import { StaffNav } from "@/components/staff/staff-nav";
import { When } from "@/components/staff/when";
import { requireStaffPage } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { countMembers, getIncident, incidentMembers, PHASE_LABELS } from "@/lib/incidents/report";
import { signOutAction } from "../../actions";
import { closeIncidentAction, exceptMemberAction, recordAppRotationAction, remindIncidentAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Security incident (TechOps)", robots: { index: false } };

const SHOWN = 500;

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireStaffPage();
  if (session.staff.role !== "techops") notFound();
  const { id } = await params;
  if (!/^[0-9a-z]{26}$/.test(id)) notFound();
  const database = await db();
  const incident = await getIncident(database, id);
  if (!incident) notFound();
  const members = await incidentMembers(database, incident);
  const c = countMembers(members);
  const open = !incident.closedAt;
  const appMembers = members.filter((m) => m.method === "graph_app");
  const figures: [string, number, string][] = [
    ["Affected", c.members, "members"],
    ["Notified", c.notified, "notified"],
    ["Opened the link", c.opened, "opened"],
    ["Submitted new details", c.submitted, "submitted"],
    ["Rotated and verified", c.verified, "verified"],
    ["Overdue", c.overdue, "overdue"],
    ["Revoked", c.revoked, "revoked"],
    ["Excepted", c.excepted, "excepted"],
    ["Still to do", c.outstanding, "outstanding"],
  ];
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="incidents" />
      <p><Link href="/staff/incidents">← Security incidents</Link></p>
      <h1 className="text-2xl font-bold">{incident.name}</h1>
      <p>
        Opened <When iso={incident.createdAt} /> by {incident.createdByLabel} · rotate by <When iso={incident.dueAt} dateOnly />
        {incident.reminderEveryHours > 0 ? ` · reminders every ${incident.reminderEveryHours} h` : " · no scheduled reminders"}
        {incident.lastRemindedAt && <> · last reminder <When iso={incident.lastRemindedAt} /></>}
        {incident.closedAt && <> · <strong>closed <When iso={incident.closedAt} /></strong> by {incident.closedByLabel}</>}
      </p>
      <p className="whitespace-pre-wrap">{incident.reason}</p>
      {incident.closeNote && <p className="whitespace-pre-wrap">Closing note: {incident.closeNote}</p>}

      <section aria-labelledby="progress">
        <h2 id="progress" className="text-xl font-semibold">Progress</h2>
        <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {figures.map(([label, n, key]) => (
            <div key={key} className="rounded border border-slate-300 bg-white p-3">
              <dt className="text-sm text-slate-700">{label}</dt>
              <dd className="text-2xl font-bold" data-testid={`count-${key}`}>{n}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2"><a href={`/staff/incidents/${incident.id}/export`} download>Export the incident report (CSV)</a></p>
      </section>

      {open && (
        <section aria-labelledby="remind" className="space-y-2">
          <h2 id="remind" className="text-xl font-semibold">Remind the rest</h2>
          <p>Mails every notified brokerage that has neither submitted new details nor been revoked or excepted.</p>
          <IncidentActionForm action={remindIncidentAction} hidden={{ incidentId: incident.id }} submitLabel="Send reminder to the rest" />
        </section>
      )}

      {appMembers.length > 0 && (
        <section aria-labelledby="moxiworks" className="space-y-2">
          <h2 id="moxiworks" className="text-xl font-semibold">What MoxiWorks must rotate ({appMembers.length} app-access brokerage{appMembers.length === 1 ? "" : "s"})</h2>
          <p>These brokerages granted MoxiWorks&apos;s own app; they are asked for nothing. MoxiWorks rotates:</p>
          <ol className="list-decimal pl-5">
            <li>the app&apos;s client secret or certificate in Microsoft Entra (a new credential, then the old one deleted);</li>
            <li>the encryption key ring: add a new key and run <code>npm run keys:rotate</code>, then <code>npm run keys:check</code>.</li>
          </ol>
          {open && <IncidentActionForm action={recordAppRotationAction} hidden={{ incidentId: incident.id }} text={{ name: "note", label: "What was rotated" }} submitLabel="Record MoxiWorks's rotation" />}
        </section>
      )}

      <section aria-labelledby="members" className="space-y-2">
        <h2 id="members" className="text-xl font-semibold">Brokerages</h2>
        {members.length > SHOWN && <p>The first {SHOWN} of {members.length} are shown; the export has them all.</p>}
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300"><th scope="col" className="py-2">Brokerage</th><th scope="col">Where it stands</th><th scope="col">Notified</th><th scope="col">Reminders</th></tr>
          </thead>
          <tbody>
            {members.slice(0, SHOWN).map((m) => (
              <tr key={m.onboardingId} className="border-b border-slate-200" data-testid="incident-member">
                <td className="py-2"><Link href={`/staff/onboardings/${m.onboardingId}`}>{m.brokerageName}</Link></td>
                <td>{PHASE_LABELS[m.phase]}{m.overdue && <strong className="text-red-800"> · overdue</strong>}{m.exceptedReason && <> ({m.exceptedReason})</>}</td>
                <td>{m.notifiedAt ? <When iso={m.notifiedAt} /> : "—"}</td>
                <td>{m.reminders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {open && (
        <>
          <section aria-labelledby="except" className="space-y-2">
            <h2 id="except" className="text-xl font-semibold">Except a brokerage</h2>
            <p>For a brokerage that need not rotate (for example one whose account was never exposed), with the reason for the report.</p>
            {members.some((m) => !m.exceptedReason) ? (
              <IncidentActionForm
                action={exceptMemberAction}
                hidden={{ incidentId: incident.id }}
                select={{ name: "onboardingId", label: "Brokerage", options: members.filter((m) => !m.exceptedReason).slice(0, SHOWN).map((m) => ({ value: m.onboardingId, label: m.brokerageName })) }}
                text={{ name: "reason", label: "Reason for the exception" }}
                submitLabel="Record the exception"
              />
            ) : (
              <p>Every brokerage is already excepted.</p>
            )}
          </section>
          <section aria-labelledby="close" className="space-y-2">
            <h2 id="close" className="text-xl font-semibold">Close the incident</h2>
            <p>{c.outstanding === 0 ? "Every brokerage has rotated, been revoked or been excepted." : `${c.outstanding} brokerage${c.outstanding === 1 ? " is" : "s are"} still to do; the incident can close once none are.`}</p>
            <IncidentActionForm action={closeIncidentAction} hidden={{ incidentId: incident.id }} text={{ name: "note", label: "Closing note" }} submitLabel="Close the incident" disabled={c.outstanding > 0} />
          </section>
        </>
      )}
    </div>
  );
}

