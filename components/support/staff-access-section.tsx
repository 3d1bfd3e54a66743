import type { ActionState } from "@/lib/actions/state";
import type { AccessRequest } from "@/lib/support/access";
import type { RevealData } from "@/lib/credentials/reveal";
import { RevealForm } from "@/components/credentials/reveal-form";
import { When } from "@/components/staff/when";
import { RequestAccessForm } from "./request-access-form";
import { ACCESS_MODE_LABELS, ACCESS_STATUS_LABELS, hoursText } from "./status-text";

type Props = {
  onboardingId: string;
  brokerageName: string;
  requests: AccessRequest[];
  request: (s: ActionState, f: FormData) => Promise<ActionState>;
  reveal: (s: ActionState<RevealData>, f: FormData) => Promise<ActionState<RevealData>>;
};

/**
 * The staff side of support access: ask the brokerage, see its answer, and reveal under an approval in force
 * (the TechOps reveal form: re-authentication, reason, 30 seconds on screen).
 */
export function StaffAccessSection({ onboardingId, brokerageName, requests, request, reveal }: Props) {
  const inForce = requests.find((r) => r.status === "approved");
  const waiting = requests.find((r) => r.status === "requested");
  const open = waiting !== undefined || inForce !== undefined;
  return (
    <div className="space-y-4">
      <p>
        Support staff see a stored password only with {brokerageName}&apos;s approval. Your request (name, reason and duration — never
        the password) is emailed to the brokerage contact and answered in their workspace, where every reveal is listed.
      </p>
      {waiting && (
        <p role="status" data-testid="access-waiting" className="rounded border border-amber-600 bg-amber-50 px-3 py-2">
          Request sent: {brokerageName} has been emailed and answers in its workspace. The answer appears here (reload the page);
          unanswered, the request expires <When iso={waiting.requestExpiresAt} />.
        </p>
      )}
      {inForce && (
        <section aria-labelledby="approved-reveal-title" className="space-y-3 rounded border border-green-700 bg-green-50 p-4">
          <h3 id="approved-reveal-title" className="font-semibold">Approved {inForce.mode ? ACCESS_MODE_LABELS[inForce.mode] : ""}, until <When iso={inForce.approvedUntil!} /></h3>
          <RevealForm action={reveal} onboardingId={onboardingId} requestId={inForce.id} />
        </section>
      )}
      {!open && <RequestAccessForm action={request} onboardingId={onboardingId} />}
      {requests.length > 0 && (
        <table className="w-full text-left text-sm" data-testid="my-access-requests">
          <caption className="py-1 text-left font-semibold">Your requests</caption>
          <thead>
            <tr><th scope="col" className="py-1">Asked</th><th scope="col">Reason</th><th scope="col">For</th><th scope="col">Outcome</th></tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id} className="border-t border-slate-200 align-top">
                <td className="py-2 pr-2"><When iso={r.requestedAt} /></td>
                <td className="pr-2 break-words whitespace-pre-line">{r.reason}</td>
                <td className="pr-2">{hoursText(r.durationHours)}</td>
                <td data-testid="my-access-status">{ACCESS_STATUS_LABELS[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
