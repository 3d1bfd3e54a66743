import type { ChecklistEntry } from "@/lib/staff/onboarding-detail";
import { actorText } from "@/lib/staff/event-text";
import { When } from "./when";

/** The checklist as the brokerage and vendor left it, with who made the last change to each item. */
export function ChecklistProgress({ entries, itemLabel }: { entries: ChecklistEntry[]; itemLabel: (id: string) => string }) {
  const done = entries.filter((e) => e.checked).length;
  if (entries.length === 0) return <p>No checklist item has been ticked yet.</p>;
  return (
    <div className="space-y-2">
      <p data-testid="checklist-summary">{done} item{done === 1 ? "" : "s"} ticked{entries.length > done ? `, ${entries.length - done} unticked again` : ""}.</p>
      <table className="w-full text-left text-sm" data-testid="checklist-progress">
        <caption className="sr-only">Checklist items and who last changed them</caption>
        <thead>
          <tr>
            <th scope="col" className="py-1 pr-2">Item</th>
            <th scope="col" className="py-1 pr-2">Status</th>
            <th scope="col" className="py-1 pr-2">By</th>
            <th scope="col" className="py-1">When</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.itemId} className="border-t border-slate-200">
              <th scope="row" className="py-1 pr-2 font-normal break-words">{itemLabel(e.itemId)}</th>
              <td className="py-1 pr-2">{e.checked ? "Ticked" : "Unticked"}</td>
              <td className="py-1 pr-2">{actorText({ label: e.actorLabel, kind: e.actorKind })}</td>
              <td className="py-1"><When iso={e.updatedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
