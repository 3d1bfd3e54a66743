import Link from "next/link";
import type { Metadata } from "next";
import { NewOnboardingForm } from "@/components/staff/new-onboarding-form";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { TRACKS, TRACK_LABELS } from "@/lib/guide/ids";
import { createOnboardingAction } from "../../dashboard-actions";
import { signOutAction } from "../../actions";

export const metadata: Metadata = { title: "New onboarding", robots: { index: false } };

export default async function NewOnboardingPage() {
  const session = await requireStaffPage();
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="new" />
      <div className="mx-auto max-w-2xl space-y-6">
        <p className="text-sm"><Link href="/staff">← Dashboard</Link></p>
        <h1 className="text-3xl font-bold">New onboarding</h1>
        <p>Creates the brokerage&apos;s private workspace and an invite link for their admin, valid for 30 days.</p>
        <NewOnboardingForm action={createOnboardingAction} tracks={TRACKS.map((t) => ({ value: t, label: TRACK_LABELS[t] }))} />
      </div>
    </div>
  );
}
