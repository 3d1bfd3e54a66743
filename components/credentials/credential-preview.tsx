import type { CredentialPreview } from "@/lib/credentials/store";
import { TRACK_LABELS, type Track } from "@/lib/guide/ids";
import { AUTH_SCHEME_LABELS } from "@/lib/validation/credentials";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";

/** The masked preview of the saved credential. Gets the preview type only, which has no secret in it. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));
}

/**
 * The saved details' status, from the onboarding's state (the one the banner reads) — not from the credential
 * alone, which knows when it last passed but not that the latest test failed.
 */
export function savedDetailsStatus(state: OnboardingState, verifiedAt: string | null): { text: string; verifiedOn?: string } {
  switch (state) {
    case "verified":
      return verifiedAt ? { text: "Verified on", verifiedOn: verifiedAt } : { text: "Verified" };
    case "needs_attention":
      return { text: "Needs attention: the last test of these details failed (see what it found)" };
    case "submitted":
    case "verifying":
      return { text: "Being tested now" };
    case "rotation_requested":
      return { text: "A new password is needed" };
    default:
      return { text: "Waiting for the connection test" };
  }
}

export function CredentialPreviewList({ preview, state }: { preview: CredentialPreview; state: OnboardingState }) {
  const status = savedDetailsStatus(state, preview.verifiedAt);
  return (
    <div className="space-y-2">
      <h3 className="text-lg font-semibold">Saved details</h3>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Service account</dt>
        <dd className="break-all">{preview.serviceAccount}</dd>
        <dt className="font-medium">Password</dt>
        <dd>
          <span aria-hidden="true">•••••••• </span>
          password set on <time dateTime={preview.passwordSetAt}>{formatDate(preview.passwordSetAt)}</time>
        </dd>
        <dt className="font-medium">Test mailbox</dt>
        <dd className="break-all">{preview.testMailbox}</dd>
        <dt className="font-medium">EWS URL</dt>
        <dd className="break-all">{preview.ewsUrl ?? "Autodiscover"}</dd>
        <dt className="font-medium">Sign-in method</dt>
        <dd>{AUTH_SCHEME_LABELS[preview.authScheme]}</dd>
        <dt className="font-medium">Mail system</dt>
        <dd>{TRACK_LABELS[preview.track as Track] ?? preview.track}</dd>
        <dt className="font-medium">Status</dt>
        <dd>
          <span data-testid="saved-status">
            {status.text}
            {status.verifiedOn && <> <time dateTime={status.verifiedOn}>{formatDate(status.verifiedOn)}</time></>}
          </span>
          {preview.olderPending > 0 && " (your earlier details are kept until these pass the test, then deleted)"}
        </dd>
      </dl>
    </div>
  );
}
