import type { CredentialPreview } from "@/lib/credentials/store";
import { TRACK_LABELS, type Track } from "@/lib/guide/ids";
import { AUTH_SCHEME_LABELS } from "@/lib/validation/credentials";

/** The masked preview of the saved credential. Gets the preview type only, which has no secret in it. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));
}

export function CredentialPreviewList({ preview }: { preview: CredentialPreview }) {
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
          {preview.verifiedAt ? (
            <>Verified on <time dateTime={preview.verifiedAt}>{formatDate(preview.verifiedAt)}</time></>
          ) : (
            "Waiting for the connection test"
          )}
          {preview.olderPending > 0 && " (your earlier details are kept until these pass the test, then deleted)"}
        </dd>
      </dl>
    </div>
  );
}
