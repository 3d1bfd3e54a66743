import type { AppAccessRecord } from "@/lib/app-access/consent";
import type { CertificateView } from "@/lib/app-access/own-app";
import type { ClientSecretView } from "@/lib/app-access/own-app-secret";
import type { ComponentProps } from "react";
import { ActionButton } from "./action-button";
import { AppAccessForm } from "./app-access-form";
import { OwnAppPanel, type OwnAppActions } from "./own-app-panel";

type FormProps = ComponentProps<typeof AppAccessForm>;

/** Consent status, the consent button and the graph_app details, in the workspace of a Microsoft 365 brokerage. */
export function AppAccessCard({
  configured,
  record,
  visitorKind,
  submit,
  certificates,
  secret,
  ownApp,
  workspaceGuide,
}: {
  configured: boolean;
  record: AppAccessRecord;
  visitorKind: "brokerage" | "vendor";
  submit: FormProps["submit"];
  certificates: CertificateView[];
  secret?: ClientSecretView;
  ownApp: OwnAppActions;
  workspaceGuide?: string;
}) {
  if (record.method === "graph_app" && record.registration === "own") {
    return <OwnAppPanel record={record} certificates={certificates} secret={secret} visitorKind={visitorKind} actions={ownApp} workspaceGuide={workspaceGuide} />;
  }
  const ownWay = (
    <div className="rounded border border-slate-300 p-3" data-testid="own-app-offer">
      <p>
        <strong>Your IT policy does not allow outside apps?</strong> Register an app in your own tenant instead: this workspace makes a
        certificate for it, and you upload only that certificate. No secret is ever sent.
      </p>
      <div className="mt-2">
        <ActionButton action={ownApp.choose} name="Use our own app registration" label="Use our own app registration" pendingLabel="Switching…" variant="secondary" />
      </div>
    </div>
  );
  if (!configured) {
    return (
      <div className="space-y-4">
        <p data-testid="app-access-not-configured">
          App access (MoxiWorks&apos;s Microsoft 365 app) is not set up on this server yet, so it cannot be used here. Contact MoxiWorks onboarding.
        </p>
        {ownWay}
      </div>
    );
  }
  const granted = record.tenantId && record.grantedAt;
  return (
    <div className="space-y-4">
      <p>
        Recommended for Microsoft 365: an administrator grants MoxiWorks&apos;s app consent with one click, then limits it to your agents&apos;
        mailboxes. No service account and no password. Brokerage and vendor links can both grant consent.
      </p>
      <div data-testid="consent-status" className="rounded border border-slate-300 p-3">
        {granted ? (
          <p>
            <strong>{record.trustedAt ? "Consent granted" : "Consent recorded, not confirmed yet"}</strong> by {record.grantedBy?.label} on{" "}
            <time dateTime={record.grantedAt!}>{record.grantedAt!.slice(0, 16).replace("T", " ")} UTC</time> for tenant <code>{record.tenantId}</code>.
          </p>
        ) : (
          <p>Consent has not been granted yet.</p>
        )}
        <p className="mt-2">
          {/* A plain link: /api/consent/start redirects to Microsoft (the page's CSP would stop a form doing that). */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/api/consent/start" className="inline-block rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            {granted && record.trustedAt ? "Grant access again" : "Grant access in Microsoft 365"}
          </a>
        </p>
      </div>
      {granted && record.trustedAt ? (
        <AppAccessForm
          saved={{ groupName: record.groupName ?? "", testMailbox: record.testMailbox ?? "", outOfScopeMailbox: record.outOfScopeMailbox ?? "" }}
          submit={submit}
          canSubmit={visitorKind === "brokerage"}
          workspaceGuide={workspaceGuide}
        />
      ) : null}
      {ownWay}
    </div>
  );
}
