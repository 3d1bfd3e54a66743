import Link from "next/link";
import { ACTOR_KINDS, type AuditParams } from "@/lib/staff/params";
import { EVENT_TYPE_LABELS } from "@/lib/staff/event-text";
import { actorKindLabel } from "@/lib/staff/event-text";

const control = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900";

/** The audit log's filters: a plain GET form, so a filtered view is a URL that can be shared. */
export function AuditFilters({ params }: { params: AuditParams }) {
  const types = Object.entries(EVENT_TYPE_LABELS);
  if (params.type && !(params.type in EVENT_TYPE_LABELS)) types.push([params.type, params.type]);
  const active = Boolean(params.type || params.actor || params.q || params.from || params.to);
  return (
    <form method="get" action="/staff/audit" role="search" aria-label="Filter the audit log" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
      <div className="space-y-1">
        <label htmlFor="type" className="block font-medium">Event</label>
        <select id="type" name="type" defaultValue={params.type ?? ""} className={control}>
          <option value="">All events</option>
          {types.map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="actor" className="block font-medium">Who</label>
        <select id="actor" name="actor" defaultValue={params.actor ?? ""} className={control}>
          <option value="">Anyone</option>
          {ACTOR_KINDS.map((k) => (
            <option key={k} value={k}>{actorKindLabel(k)}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="q" className="block font-medium">Onboarding</label>
        <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} autoComplete="off" placeholder="Brokerage, contact or email" className={control} />
      </div>
      <div className="space-y-1">
        <label htmlFor="from" className="block font-medium">From (UTC)</label>
        <input id="from" name="from" type="date" defaultValue={params.from ?? ""} className={control} />
      </div>
      <div className="space-y-1">
        <label htmlFor="to" className="block font-medium">To (UTC, inclusive)</label>
        <input id="to" name="to" type="date" defaultValue={params.to ?? ""} className={control} />
      </div>
      <div className="flex items-end gap-3">
        <button type="submit" className="min-h-11 rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">Apply filters</button>
        {active && <Link href="/staff/audit" className="py-2">Clear</Link>}
      </div>
    </form>
  );
}
