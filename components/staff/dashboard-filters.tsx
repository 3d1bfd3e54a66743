import Link from "next/link";
import { DETECTED_HOST_LABELS, DETECTED_HOSTS } from "@/lib/detect/decide";
import { STATES, STATE_LABELS } from "@/lib/onboarding/lifecycle";
import { DASHBOARD_SORTS, SORT_LABELS, type DashboardParams } from "@/lib/staff/params";

const control = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900";

/** A plain GET form: works without JavaScript, and the resulting URL can be shared or bookmarked. */
export function DashboardFilters({ params }: { params: DashboardParams }) {
  return (
    <form method="get" action="/staff" role="search" aria-label="Find onboardings" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] sm:items-end">
      <div className="space-y-1">
        <label htmlFor="q" className="block font-medium">Search</label>
        <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} autoComplete="off" placeholder="Brokerage, contact or email" className={control} />
      </div>
      <div className="space-y-1">
        <label htmlFor="state" className="block font-medium">State</label>
        <select id="state" name="state" defaultValue={params.state ?? ""} className={control}>
          <option value="">All states</option>
          {STATES.map((s) => (
            <option key={s} value={s}>{STATE_LABELS[s]}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="host" className="block font-medium">Mail host</label>
        <select id="host" name="host" defaultValue={params.host ?? ""} className={control}>
          <option value="">Any mail host</option>
          {DETECTED_HOSTS.map((h) => (
            <option key={h} value={h}>{DETECTED_HOST_LABELS[h]}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="sort" className="block font-medium">Sort</label>
        <select id="sort" name="sort" defaultValue={params.sort} className={control}>
          {DASHBOARD_SORTS.map((s) => (
            <option key={s} value={s}>{SORT_LABELS[s]}</option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="min-h-11 rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">Apply</button>
        {(params.q || params.state || params.host || params.sort !== "activity_desc") && <Link href="/staff">Clear</Link>}
      </div>
    </form>
  );
}
