import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SimpleForm } from "@/components/staff/simple-form";
import { currentStaff } from "@/lib/auth/request";
import { twoFactorAction } from "../actions";

export const metadata: Metadata = { title: "Two-step verification" };

export default async function TwoFactorPage() {
  const session = await currentStaff();
  if (!session) redirect("/staff/sign-in");
  if (session.secondFactorDone) redirect("/staff");
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Two-step verification</h1>
      <p>Enter the 6-digit code from your authenticator app for {session.staff.email}.</p>
      <SimpleForm action={twoFactorAction} submitLabel="Verify" fields={[{ name: "code", label: "Code", autoComplete: "one-time-code", inputMode: "numeric" }]} />
    </div>
  );
}
