import { saveCredentialAction } from "@/app/(onboarding)/o/credential-actions";
import { currentLinkSession } from "@/lib/auth/request";
import { getCredentialPreview } from "@/lib/credentials/store";
import { db } from "@/lib/db";
import { TRACKS, type Track } from "@/lib/guide/ids";
import { getOnboarding } from "@/lib/onboarding/store";
import { CredentialForm } from "./credential-form";
import { CredentialPreviewList } from "./credential-preview";

/**
 * The workspace's credential section (server component). It checks the visitor itself rather than trusting
 * its caller: a brokerage visitor of this onboarding gets the masked preview and the form; a vendor gets a
 * sentence and nothing stored (not even the service account); anyone else gets nothing.
 * Headings inside are h3: place it under an h2 (e.g. a Card titled "Service account details").
 */
export async function CredentialSection({ onboardingId }: { onboardingId: string }) {
  const visitor = await currentLinkSession();
  if (!visitor || visitor.onboardingId !== onboardingId) return null;
  if (visitor.kind !== "brokerage") {
    return (
      <p>
        The brokerage&apos;s admin saves the service account details here. You can run the connection test on this page with
        details you type yourself; saved details are never shown to vendor links.
      </p>
    );
  }
  const database = await db();
  const [onboarding, preview] = await Promise.all([getOnboarding(database, onboardingId), getCredentialPreview(database, onboardingId)]);
  if (!onboarding || onboarding.state === "revoked") return null;
  const track = (TRACKS as readonly string[]).includes(onboarding.track ?? "") ? (onboarding.track as Track) : null;

  return (
    <div className="space-y-6">
      <p>
        Enter the service account you set up in the guide. The password is encrypted as soon as it arrives and is never
        shown again — not to you, not in emails, not in logs.
      </p>
      {onboarding.state === "verifying" && (
        <p className="rounded border border-slate-300 bg-slate-50 px-3 py-2">
          We are testing the saved details right now. You can change them again once the test has finished.
        </p>
      )}
      {preview && <CredentialPreviewList preview={preview} />}
      <CredentialForm
        action={saveCredentialAction}
        defaultTrack={track}
        saved={preview ? { serviceAccount: preview.serviceAccount, testMailbox: preview.testMailbox, ewsUrl: preview.ewsUrl, track: preview.track } : undefined}
      />
    </div>
  );
}
