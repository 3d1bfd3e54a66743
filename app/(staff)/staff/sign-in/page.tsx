import type { Metadata } from "next";
import { SimpleForm } from "@/components/staff/simple-form";
import { signInAction } from "../actions";

export const metadata: Metadata = { title: "Staff sign-in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">MoxiWorks staff sign-in</h1>
      {params["signed-out"] && <p role="status" className="rounded border border-green-700 bg-green-50 px-3 py-2">You have signed out.</p>}
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
