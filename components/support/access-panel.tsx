"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import type { AccessRequest, CredentialRevealRecord } from "@/lib/support/access";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { When } from "@/components/staff/when";
import { ACCESS_MODE_LABELS, ACCESS_STATUS_LABELS, hoursText } from "./status-text";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

/**
 * The brokerage's "Access to your credentials" panel: requests waiting for an answer (who, why, how long;
 * approve once or for the period, or decline), approvals in force (withdraw), every reveal — TechOps ones
 * too — and every request with its outcome. Names, reasons and dates only: nothing of the password.
 */
export function AccessPanel({ requests, reveals, answer, revoke }: { requests: AccessRequest[]; reveals: CredentialRevealRecord[]; answer: Action; revoke: Action }) {
  const [answered, answerAction, answering] = useActionState(answer, { status: "idle" } as ActionState);
  const [revoked, revokeAction, revoking] = useActionState(revoke, { status: "idle" } as ActionState);
  const pending = requests.filter((r) => r.status === "requested");
  const inForce = requests.filter((r) => r.status === "approved");
  return (
    <div className="space-y-6">
      <p>
        MoxiWorks support staff can see your stored service account password only if you approve. MoxiWorks Technical Operations can
        open it in an emergency; every time anyone sees it, it is listed here.
      </p>
      <FormMessage state={answered.status === "invalid" ? { status: "error", message: answered.message } : answered} />
      <FormMessage state={revoked.status === "invalid" ? { status: "error", message: revoked.message } : revoked} />

      <section aria-labelledby="access-pending-title" className="space-y-3">
        <h3 id="access-pending-title" className="text-lg font-semibold">Waiting for your answer</h3>
        {pending.length === 0 ? (
          <p>No requests are waiting.</p>
        ) : (
          <ul className="space-y-4" data-testid="access-pending">
            {pending.map((r) => (
              <li key={r.id} className="space-y-3 rounded border border-amber-600 bg-amber-50 p-4" data-testid="access-request">
                <p><strong>{r.staffLabel}</strong> (MoxiWorks support) asks to see the password for up to <strong>{hoursText(r.durationHours)}</strong>.</p>
                <p className="break-words whitespace-pre-line"><span className="font-medium">Reason:</span> {r.reason}</p>
                <p className="text-sm text-slate-700">Asked <When iso={r.requestedAt} />; expires unanswered <When iso={r.requestExpiresAt} />.</p>
                <form action={answerAction} className="space-y-3">
                  <input type="hidden" name="requestId" value={r.id} />
                  <input type="hidden" name="decision" value="approve" />
                  <fieldset className="space-y-1">
                    <legend className="font-medium">If you approve</legend>
                    <label className="flex items-center gap-2">
                      <input type="radio" name="mode" value="single-use" defaultChecked /> Once: one look, then the approval ends
                    </label>
                    <label className="flex items-center gap-2">
                      <input type="radio" name="mode" value="time-boxed" /> For the whole {hoursText(r.durationHours)}
                    </label>
                  </fieldset>
                  <Button type="submit" disabled={answering}>Approve<span className="sr-only"> {r.staffLabel}&apos;s request</span></Button>
                </form>
                <form action={answerAction}>
                  <input type="hidden" name="requestId" value={r.id} />
                  <input type="hidden" name="decision" value="decline" />
                  <Button type="submit" variant="secondary" disabled={answering}>Decline<span className="sr-only"> {r.staffLabel}&apos;s request</span></Button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      {inForce.length > 0 && (
        <section aria-labelledby="access-inforce-title" className="space-y-3">
          <h3 id="access-inforce-title" className="text-lg font-semibold">Approvals in force</h3>
          <ul className="space-y-3" data-testid="access-in-force">
            {inForce.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 rounded border border-slate-300 p-3">
                <span>
                  <strong>{r.staffLabel}</strong>: {r.mode ? ACCESS_MODE_LABELS[r.mode] : ""}, until <When iso={r.approvedUntil!} />
                </span>
                <form action={revokeAction}>
                  <input type="hidden" name="requestId" value={r.id} />
                  <Button type="submit" variant="secondary" disabled={revoking}>Withdraw<span className="sr-only"> {r.staffLabel}&apos;s approval</span></Button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="access-reveals-title" className="space-y-2">
        <h3 id="access-reveals-title" className="text-lg font-semibold">Who saw your service account password</h3>
        {reveals.length === 0 ? (
          <p data-testid="access-no-reveals">Nobody has seen it.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="access-reveals">
            <caption className="sr-only">Every time the password was shown</caption>
            <thead><tr><th scope="col" className="py-1">When</th><th scope="col">Who</th><th scope="col">Why</th></tr></thead>
            <tbody>
              {reveals.map((v) => (
                <tr key={v.id} className="border-t border-slate-200 align-top">
                  <td className="py-2 pr-2"><When iso={v.revealedAt} /></td>
                  <td className="pr-2">{v.staffLabel} ({v.role === "techops" ? "Technical Operations, emergency access" : "support, with your approval"})</td>
                  <td className="break-words whitespace-pre-line">{v.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="access-history-title" className="space-y-2">
        <h3 id="access-history-title" className="text-lg font-semibold">Every request</h3>
        {requests.length === 0 ? (
          <p>No requests yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="access-history">
            <caption className="sr-only">Every access request and its outcome</caption>
            <thead><tr><th scope="col" className="py-1">Asked</th><th scope="col">Who</th><th scope="col">Why</th><th scope="col">For</th><th scope="col">Outcome</th></tr></thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} className="border-t border-slate-200 align-top">
                  <td className="py-2 pr-2"><When iso={r.requestedAt} /></td>
                  <td className="pr-2">{r.staffLabel}</td>
                  <td className="pr-2 break-words whitespace-pre-line">{r.reason}</td>
                  <td className="pr-2">{hoursText(r.durationHours)}</td>
                  <td data-testid="access-outcome">{ACCESS_STATUS_LABELS[r.status]}{r.status === "approved" && r.mode ? ` (${r.mode === "single-use" ? "once" : "for the period"})` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
