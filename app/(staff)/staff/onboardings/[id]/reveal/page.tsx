import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CredentialPreviewList } from "@/components/credentials/credential-preview";
import { RevealForm } from "@/components/credentials/reveal-form";
import { requireStaffPage } from "@/lib/auth/request";
import { getCredentialPreview } from "@/lib/credentials/store";
import { db } from "@/lib/db";
import { getOnboarding } from "@/lib/onboarding/store";
import { revealCredentialAction } from "./actions";

// Never prerendered or cached: the page is per-user and the action's answer holds a password.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Reveal credential (TechOps)", robots: { index: false } };

export default async function RevealPage({ params }: { params: Promise<{ id: string }> }) {
  await requireStaffPage("techops");
  const { id } = await params;
  if (!/^[0-9a-z]{26}$/.test(id)) notFound();
  const database = await db();
  const onboarding = await getOnboarding(database, id);
  if (!onboarding) notFound();
  const preview = await getCredentialPreview(database, id);

  return (
    <div className="space-y-6">
      <p>
        <Link href={`/staff/onboardings/${id}`}>← Back to {onboarding.brokerageName}</Link>
      </p>
      <h1 className="text-2xl font-bold">Reveal the service account password</h1>
      <p>
        For break-glass use only. Confirm it is you and say why; the reveal is recorded in {onboarding.brokerageName}&apos;s
        audit log with your name and reason. The password is shown for 30 seconds and is not stored in your browser.
      </p>
      {preview ? (
        <>
          <CredentialPreviewList preview={preview} state={onboarding.state} />
          <RevealForm action={revealCredentialAction} onboardingId={id} />
        </>
      ) : (
        <p role="status">This onboarding has no saved credentials.</p>
      )}
    </div>
  );
}
