import { STATE_LABELS } from "@/lib/onboarding/lifecycle";
import { formatDuration, TIME_IN_STATE_SAMPLE, type TimeInState } from "@/lib/staff/dashboard";
import { When } from "./when";
import { Bar } from "./bar";

/**
 * Median time spent in each state. Finished stays and the ones still under way are shown apart, so a
 * brokerage waiting for weeks is visible without distorting the typical figure.
 */
export function TimeInStateChart({ rows, since }: { rows: TimeInState[]; since: string | null }) {
  const shown = rows.filter((r) => r.finished.count > 0 || r.current.count > 0);
  const max = Math.max(0, ...shown.map((r) => Math.max(r.finished.medianSeconds ?? 0, r.current.medianSeconds ?? 0)));
  return (
    <section aria-labelledby="time-title" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="time-title" className="text-lg font-semibold">Median time in each state</h2>
      {shown.length === 0 ? (
        <p>Nothing to measure yet: times appear once onboardings start moving through their states.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="time-in-state">
          <caption className="sr-only">Median time in each state, for stays that ended and for onboardings in that state now</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-2">State</th>
              <th scope="col" className="py-1 pr-2">Finished stays</th>
              <th scope="col" className="py-1 pr-2">In this state now</th>
              <th scope="col" className="w-1/3 py-1"><span className="sr-only">Bars: finished stays, then in this state now</span></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.state} className="border-t border-slate-100 align-top">
                <th scope="row" className="py-1 pr-2 font-normal">{STATE_LABELS[r.state]}</th>
                <td className="py-1 pr-2">
                  {formatDuration(r.finished.medianSeconds)} <span className="text-slate-700">({r.finished.count.toLocaleString("en-US")})</span>
                </td>
                <td className="py-1 pr-2">
                  {r.current.count > 0 ? (
                    <>
                      {formatDuration(r.current.medianSeconds)} so far <span className="text-slate-700">({r.current.count.toLocaleString("en-US")})</span>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="space-y-1 py-1">
                  <Bar value={r.finished.medianSeconds ?? 0} max={max} />
                  <Bar value={r.current.medianSeconds ?? 0} max={max} tone="amber" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="text-sm text-slate-700">
        {since && (
          <>
            Stays that began since <When iso={since} dateOnly /> (the latest {TIME_IN_STATE_SAMPLE.toLocaleString("en-US")} state changes).{" "}
          </>
        )}
        Figures in brackets count the stays measured. Blue bars: finished stays; amber bars: onboardings in that state now, timed up to
        this moment.
      </p>
    </section>
  );
}
