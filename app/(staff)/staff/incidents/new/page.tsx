import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NewIncidentForm } from "@/components/staff/new-incident-form";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { DETECTED_HOST_LABELS, DETECTED_HOSTS } from "@/lib/detect/decide";
import { signOutAction } from "../../actions";
import { openIncidentAction, reviewIncidentAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New security incident (TechOps)", robots: { index: false } };

export default async function NewIncidentPage() {
  const session = await requireStaffPage();
  if (session.staff.role !== "techops") notFound();
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="incidents" />
      <p><Link href="/staff/incidents">← Security incidents</Link></p>
      <h1 className="text-2xl font-bold">New security incident</h1>
      <p>
        Every affected brokerage on a service account moves to rotation requested and is mailed through the outbox (throttled and
        retried); its current password keeps working until the new one verifies. Review the count and the mail before you confirm.
      </p>
      <NewIncidentForm review={reviewIncidentAction} open={openIncidentAction} hosts={DETECTED_HOSTS.map((h) => ({ value: h, label: DETECTED_HOST_LABELS[h] }))} />
    </div>
  );
}
