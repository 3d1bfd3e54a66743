import type { Metadata } from "next";
import Link from "next/link";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { signOutAction } from "../actions";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { listOutbox } from "@/lib/mail/outbox";

export const metadata: Metadata = { title: "Outbox" };

/** Every message the portal has sent or queued. Without SMTP configured, this is where mail waits. */
export default async function OutboxPage() {
  const session = await requireStaffPage();
  const messages = await listOutbox(await db(), { limit: 200 });
  const smtp = Boolean(config().smtpUrl);
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="outbox" />
      <h1 className="text-2xl font-bold">Outbox</h1>
      <p>
        {smtp
          ? "Messages are delivered over SMTP; failed deliveries are retried with back-off and stay here until sent."
          : "No SMTP server is configured (SMTP_URL), so messages are kept here for you to read or forward."}
      </p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ol className="space-y-3">
          {messages.map((m) => (
            <li key={m.id} className="rounded border border-slate-300 bg-white p-4" data-testid="outbox-message">
              <details>
                <summary className="cursor-pointer">
                  <span className="font-semibold">{m.subject}</span> · to {m.to_address} ·{" "}
                  <span>{m.status === "sent" ? `sent ${m.sent_at?.slice(0, 16).replace("T", " ")}` : `queued${m.attempts ? ` (${m.attempts} failed attempts)` : ""}`}</span>
                </summary>
                <pre className="mt-3 whitespace-pre-wrap text-sm">{m.body}</pre>
                {m.last_error && <p className="mt-2 text-sm text-red-800">Last error: {m.last_error}</p>}
                {m.onboarding_id && (
                  <p className="mt-2 text-sm"><Link href={`/staff/onboardings/${m.onboarding_id}`}>Open the onboarding</Link></p>
                )}
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
