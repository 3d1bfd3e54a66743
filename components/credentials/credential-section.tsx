import type { ActionState } from "@/lib/actions/state";
import type { CredentialPreview } from "@/lib/credentials/store";
import type { Track } from "@/lib/guide/ids";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import { CredentialForm } from "./credential-form";
import { CredentialPreviewList } from "./credential-preview";

/**
 * The workspace's credential section. The page decides who is looking and passes what they may see: a
 * brokerage visitor gets the masked preview and the form; a vendor gets a sentence and nothing stored (not even
 * the service account). Headings inside are h3: place it under an h2 (e.g. a Card titled "Service account details").
 */
export function CredentialSection({
  visitorKind,
  state,
  track,
  preview,
  action,
}: {
  visitorKind: "brokerage" | "vendor";
  state: OnboardingState;
  track: Track | null;
  preview: CredentialPreview | undefined;
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  if (visitorKind !== "brokerage") {
    return (
      <p>
        The brokerage&apos;s admin saves the service account details here. You can run the connection test on this page with
        details you type yourself; saved details are never shown to vendor links.
      </p>
    );
  }
  return (
    <div className="space-y-6">
      <p>
        Enter the service account you set up in the guide. The password is encrypted as soon as it arrives and is never
        shown again — not to you, not in emails, not in logs.
      </p>
      {state === "verifying" && (
        <p className="rounded border border-slate-300 bg-slate-50 px-3 py-2">
          We are testing the saved details right now. You can change them again once the test has finished.
        </p>
      )}
      {preview && <CredentialPreviewList preview={preview} />}
      <CredentialForm
        action={action}
        defaultTrack={track}
        saved={preview ? { serviceAccount: preview.serviceAccount, testMailbox: preview.testMailbox, ewsUrl: preview.ewsUrl, authScheme: preview.authScheme, track: preview.track } : undefined}
      />
    </div>
  );
}
