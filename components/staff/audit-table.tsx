import Link from "next/link";
import type { AuditEntry } from "@/lib/staff/audit";
import { describeEvent, eventTypeLabel } from "@/lib/staff/event-text";
import { actorText } from "@/lib/staff/event-text";
import { When } from "./when";

/** One page of the audit log, newest first. */
export function AuditTable({ items, itemLabel }: { items: AuditEntry[]; itemLabel: (id: string) => string }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2">When</th>
            <th scope="col" className="px-3 py-2">Onboarding</th>
            <th scope="col" className="px-3 py-2">Who</th>
            <th scope="col" className="px-3 py-2">Event</th>
            <th scope="col" className="px-3 py-2">What</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const { summary, body } = describeEvent(e, itemLabel);
            return (
              <tr key={e.id} className="border-t border-slate-200 align-top" data-event-type={e.type}>
                <td className="whitespace-nowrap px-3 py-2"><When iso={e.createdAt} /></td>
                <td className="px-3 py-2 break-words">
                  {e.onboardingId ? <Link href={`/staff/onboardings/${e.onboardingId}`}>{e.brokerageName ?? "(deleted)"}</Link> : "—"}
                </td>
                <td className="px-3 py-2 break-words">
                  {actorText(e.actor)}
                </td>
                <td className="px-3 py-2">{eventTypeLabel(e.type)}</td>
                <td className="px-3 py-2 break-words">
                  <span className="block">{summary}</span>
                  {e.reason && <span className="block whitespace-pre-line"><span className="font-medium">Reason:</span> {e.reason}</span>}
                  {body && <span className="block whitespace-pre-line text-slate-800">{body}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
