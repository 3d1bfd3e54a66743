import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CredentialPreviewList } from "@/components/credentials/credential-preview";
import { RevealForm } from "@/components/credentials/reveal-form";
import { hasFreshMfa } from "@/lib/auth/oidc";
import { requireStaffPage } from "@/lib/auth/request";
import { getCredentialPreview } from "@/lib/credentials/store";
import { db } from "@/lib/db";
import { getOnboarding } from "@/lib/onboarding/store";
import { revealCredentialAction, revealCredentialSsoAction } from "./actions";

// Never prerendered or cached: the page is per-user and the action's answer holds a password.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Reveal credential (TechOps)", robots: { index: false } };

export default async function RevealPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireStaffPage("techops");
  // Signed in with the company's identity provider: its MFA (fresh) or a TOTP code here confirms it is you.
  const sso = session.authMethod === "oidc";
  const confirm = !sso ? "password" : hasFreshMfa(session) ? "none" : "code";
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
          {sso && confirm === "code" && !session.staff.totpEnabled ? (
            <p role="status" data-testid="mfa-needed">
              Revealing a password needs a multi-factor sign-in from the last 15 minutes. Sign out, then sign in again with your company account
              using MFA.
            </p>
          ) : (
            <RevealForm action={sso ? revealCredentialSsoAction : revealCredentialAction} onboardingId={id} confirm={confirm} />
          )}
        </>
      ) : (
        <p role="status">This onboarding has no saved credentials.</p>
      )}
    </div>
  );
}
