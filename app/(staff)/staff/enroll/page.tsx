import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SimpleForm } from "@/components/staff/simple-form";
import { currentStaff } from "@/lib/auth/request";
import { beginTotpEnrolment } from "@/lib/auth/staff";
import { qrSvg } from "@/lib/auth/totp-qr";
import { QrCode } from "@/components/staff/qr-code";
import { db } from "@/lib/db";
import { enrollAction } from "../actions";

export const metadata: Metadata = { title: "Set up two-step verification" };

export default async function EnrollPage() {
  const session = await currentStaff();
  if (!session) redirect("/staff/sign-in");
  if (session.secondFactorDone && session.staff.totpEnabled) redirect("/staff");
  if (session.staff.totpEnabled) redirect("/staff/two-factor");
  // The same pending secret on every visit until a code confirms it; the page is per-request and never cached.
  const { secret, uri } = await beginTotpEnrolment(await db(), session.staff);
  const qr = qrSvg(uri);
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Set up two-step verification</h1>
      <p>
        {session.staff.role === "techops" ? "TechOps accounts must use" : "Protect your account with"} an authenticator app
        (Microsoft Authenticator, 1Password, Google Authenticator…). Scan this code with the app (or type the set-up key), then enter the code it shows. The key stays the same if you
        reload this page, until you confirm.
      </p>
      <QrCode qr={qr} label="QR code for your authenticator app" />
      <dl className="space-y-2 rounded border border-slate-300 bg-white p-4">
        <dt className="font-medium">Set-up key</dt>
        <dd><code data-testid="totp-secret" className="break-all text-lg tracking-wider">{secret.replace(/(.{4})(?=.)/g, "$1 ")}</code></dd>
        <dt className="font-medium">Or open this link on the device with the app</dt>
        <dd className="break-all text-sm"><a href={uri}>{uri}</a></dd>
      </dl>
      <SimpleForm action={enrollAction} submitLabel="Confirm and continue" fields={[{ name: "code", label: "Code from the app", autoComplete: "one-time-code", inputMode: "numeric" }]} />
    </div>
  );
}
