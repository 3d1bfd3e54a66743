import type { Metadata } from "next";
import { cookies } from "next/headers";
import { SimpleForm } from "@/components/staff/simple-form";
import { SETUP_COOKIE } from "@/lib/auth/request";
import { findSetupLink } from "@/lib/auth/staff";
import { db } from "@/lib/db";
import { setupAction } from "../actions";

export const metadata: Metadata = { title: "Set your password" };

export default async function SetupPage() {
  const token = (await cookies()).get(SETUP_COOKIE)?.value;
  const link = token ? await findSetupLink(await db(), token) : undefined;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Set your staff password</h1>
      {link ? (
        <SimpleForm
          action={setupAction}
          submitLabel="Save password"
          fields={[
            { name: "password", label: "New password", type: "password", autoComplete: "new-password", hint: "At least 12 characters. A password manager is welcome." },
            { name: "confirm", label: "New password again", type: "password", autoComplete: "new-password" },
          ]}
        />
      ) : (
        <p role="alert" className="rounded border border-amber-700 bg-amber-50 px-3 py-2">
          This set-up link has expired or was already used. Ask a TechOps colleague to run
          <code> npm run staff:create</code> for you again.
        </p>
      )}
    </div>
  );
}
