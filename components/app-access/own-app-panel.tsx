import type { ComponentProps } from "react";
import type { AppAccessRecord } from "@/lib/app-access/consent";
import type { CertificateView } from "@/lib/app-access/own-app";
import type { ClientSecretView } from "@/lib/app-access/own-app-secret";
import { ClientSecretForm } from "./client-secret-form";
import { ActionButton } from "./action-button";
import { AppAccessForm } from "./app-access-form";

type FormProps = ComponentProps<typeof AppAccessForm>;
type ButtonAction = ComponentProps<typeof ActionButton>["action"];
export type OwnAppActions = { choose: ButtonAction; generate: ButtonAction; submit: FormProps["submit"]; saveSecret?: ButtonAction; removeSecret?: ButtonAction };

const DAY_MS = 24 * 60 * 60 * 1000;
const day = (iso: string) => iso.slice(0, 10);

/** Days from now to `iso`, rounded down (negative once past). */
export function daysUntil(iso: string, now = new Date()): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / DAY_MS);
}

const STATUS_TEXT: Record<string, string> = {
  active: "In use: the last test with it passed.",
  pending: "New: upload it to your app registration, then run the test. Until it passes, the certificate in use keeps working.",
};

function CertificateCard({ c, now }: { c: CertificateView; now: Date }) {
  const left = daysUntil(c.notAfter, now);
  return (
    <li className="rounded border border-slate-300 p-3" data-testid="own-app-certificate" data-status={c.status}>
      <p className="font-semibold">{c.status === "active" ? "Certificate in use" : "New certificate"}</p>
      <p className="text-sm">{STATUS_TEXT[c.status]}</p>
      <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Expires</dt>
        <dd data-testid="certificate-expires">
          <time dateTime={c.notAfter}>{day(c.notAfter)}</time> ({left >= 0 ? `in ${left} days` : "expired"})
        </dd>
        <dt className="font-medium">Thumbprint (SHA-1, as the Entra admin center lists it)</dt>
        <dd><code className="break-all" data-testid="certificate-thumbprint-sha1">{c.thumbprintSha1}</code></dd>
        <dt className="font-medium">SHA-256 thumbprint</dt>
        <dd><code className="break-all" data-testid="certificate-thumbprint">{c.thumbprintSha256}</code></dd>
      </dl>
      <p className="mt-2">
        <a href={`/api/own-app/certificate/${encodeURIComponent(c.id)}`} download className="font-semibold text-blue-800 underline">
          Download the certificate (.cer)
        </a>
      </p>
    </li>
  );
}

/** The stored client secret: only its masked hint and expiry date; the secret itself never comes back. */
function SecretCard({ secret, now, remove }: { secret: ClientSecretView; now: Date; remove?: ButtonAction }) {
  const left = daysUntil(secret.expiresAt, now);
  return (
    <div className="rounded border border-slate-300 p-3" data-testid="own-app-secret">
      <p className="font-semibold">Client secret in use (instead of the certificate)</p>
      <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Secret</dt>
        <dd><code data-testid="secret-hint">{secret.hint}</code> (stored sealed; it is never shown again)</dd>
        <dt className="font-medium">Expires</dt>
        <dd data-testid="secret-expires">
          <time dateTime={secret.expiresAt}>{day(secret.expiresAt)}</time> ({left >= 0 ? `in ${left} days` : "expired"})
        </dd>
      </dl>
      {left <= 60 && <p role="status" className="mt-2 font-semibold">The client secret expires soon: add a new one in the Entra admin center and save it here.</p>}
      {remove && (
        <div className="mt-2">
          <ActionButton action={remove} name="Use the certificate instead" label="Delete the secret and use the certificate" pendingLabel="Deleting…" variant="secondary" />
        </div>
      )}
    </div>
  );
}

/**
 * "Use our own app registration": the certificate this server made for the brokerage's app (download only the
 * public part), the tenant and client ID, then the same test and submission as with MoxiWorks's app.
 */
export function OwnAppPanel({
  record,
  certificates,
  secret,
  visitorKind,
  actions,
  workspaceGuide,
  now = new Date(),
}: {
  record: AppAccessRecord;
  certificates: CertificateView[];
  secret?: ClientSecretView;
  visitorKind: "brokerage" | "vendor";
  actions: OwnAppActions;
  workspaceGuide?: string;
  now?: Date;
}) {
  const active = certificates.find((c) => c.status === "active");
  const expiringSoon = active && daysUntil(active.notAfter, now) <= 60;
  return (
    <div className="space-y-4" data-testid="own-app">
      <p>
        You register an app in your own Microsoft Entra tenant and upload a certificate that this workspace makes for you. Its private
        key never leaves MoxiWorks&apos;s server: nothing secret is sent by mail or typed into a form.
      </p>
      <p className="text-sm">
        Why a certificate and not a client secret: a secret is a password you would have to copy to us, and it expires silently
        (after at most 24 months in the Entra admin center), which stops the sync. This certificate is valid for 12 months; we
        warn you 60, 30 and 7 days before it expires, and renewing it causes no interruption.
      </p>
      {certificates.length === 0 ? (
        <ActionButton action={actions.generate} name="Generate the certificate" label="Generate the certificate" pendingLabel="Generating…" />
      ) : (
        <>
          <ul className="space-y-3">{certificates.map((c) => <CertificateCard key={c.id} c={c} now={now} />)}</ul>
          {active && !certificates.some((c) => c.status === "pending") && (
            <div className="space-y-2">
              {expiringSoon && <p role="status" className="font-semibold">The certificate in use expires soon: generate a new one and upload it.</p>}
              <ActionButton action={actions.generate} name="Generate a new certificate" label="Generate a new certificate" pendingLabel="Generating…" variant="secondary" />
            </div>
          )}
        </>
      )}
      {/* A secret is a password: like the service-account password, only the brokerage's own link saves one. */}
      {actions.saveSecret && visitorKind === "brokerage" && (
        <details className="rounded border border-slate-300 p-3" data-testid="own-app-secret-offer" open={secret !== undefined}>
          <summary className="cursor-pointer font-semibold">Your policy requires a client secret instead?</summary>
          <div className="mt-2 space-y-3">
            <p className="text-sm">
              A certificate is better: its private key never leaves our server, nothing secret is copied, and renewing it needs no
              new secret. A client secret is a password: you copy it here, and once its expiry date passes the sync stops. If your
              policy still requires one, add a client secret to the app registration and enter its Value and expiry date. It is
              stored sealed, never shown again, used instead of the certificate, and we warn you 60, 30 and 7 days before it expires.
            </p>
            {secret && <SecretCard secret={secret} now={now} remove={actions.removeSecret} />}
            <ClientSecretForm save={actions.saveSecret} replacing={secret !== undefined} />
          </div>
        </details>
      )}
      {(certificates.length > 0 || secret) && (
        <AppAccessForm
          own
          saved={{ tenant: record.tenantId ?? "", clientId: record.clientId ?? "", groupName: record.groupName ?? "", testMailbox: record.testMailbox ?? "", outOfScopeMailbox: record.outOfScopeMailbox ?? "" }}
          submit={actions.submit}
          canSubmit={visitorKind === "brokerage"}
          workspaceGuide={workspaceGuide}
        />
      )}
    </div>
  );
}
