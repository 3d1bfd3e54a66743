import { STATE_LABELS } from "@/lib/onboarding/lifecycle";
import type { FunnelStage } from "@/lib/staff/dashboard";
import { Bar } from "./bar";

/**
 * How many onboardings ever reached each stage of the happy path. A table with a bar per row: the numbers
 * are text for everyone, the bars only a visual aid.
 */
export function FunnelChart({ stages }: { stages: FunnelStage[] }) {
  const top = stages[0]?.reached ?? 0;
  return (
    <section aria-labelledby="funnel-title" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="funnel-title" className="text-lg font-semibold">Funnel</h2>
      {top === 0 ? (
        <p>No onboardings yet, so no funnel to show.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="funnel">
          <caption className="sr-only">How many onboardings reached each stage, with the share of all invited</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-2">Stage</th>
              <th scope="col" className="py-1 pr-2 text-right">Reached</th>
              <th scope="col" className="py-1 pr-2 text-right">Share</th>
              <th scope="col" className="w-2/5 py-1"><span className="sr-only">Bar</span></th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr key={s.state} className="border-t border-slate-100">
                <th scope="row" className="py-1 pr-2 font-normal">{STATE_LABELS[s.state]}</th>
                <td className="py-1 pr-2 text-right tabular-nums">{s.reached.toLocaleString("en-US")}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{Math.round((s.reached / top) * 100)}%</td>
                <td className="py-1"><Bar value={s.reached} max={top} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
