import type { Metadata } from "next";
import { SimpleForm } from "@/components/staff/simple-form";
import { config } from "@/lib/config";
import { signInAction } from "../actions";

export const metadata: Metadata = { title: "Staff sign-in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const oidc = config().oidc !== undefined;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">MoxiWorks staff sign-in</h1>
      {params["signed-out"] && <p role="status" className="rounded border border-green-700 bg-green-50 px-3 py-2">You have signed out.</p>}
      {oidc && (
        <>
          <p>
            {/* A plain link, not next/link: the start is a route handler that redirects to the identity provider, not a
                page; and not a form, whose CSP form-action would block the redirect to another origin. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/staff/oidc/start" className="inline-block rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800" data-testid="oidc-sign-in">
              Sign in with your company account
            </a>
          </p>
          <h2 className="text-lg font-semibold">Break-glass sign-in (TechOps only)</h2>
          <p className="text-sm text-slate-700">For when the company sign-in is down. Only TechOps accounts can use a password here; every use is recorded in the audit log.</p>
        </>
      )}
      <SimpleForm
        action={signInAction}
        submitLabel="Sign in"
        fields={[
          { name: "email", label: "Email address", type: "email", autoComplete: "username", inputMode: "email" },
          { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
        ]}
      />
      <p className="text-sm text-slate-700">Brokerage administrators and email vendors do not sign in here: open the link MoxiWorks sent you.</p>
    </div>
  );
}
