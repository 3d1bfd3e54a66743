import Link from "next/link";
import { STATES, STATE_LABELS, type OnboardingState } from "@/lib/onboarding/lifecycle";
import { withParams } from "@/lib/staff/params";

/** How many onboardings are in each state now; each number filters the table to that state. */
export function StateCounts({ counts, active }: { counts: Record<OnboardingState, number>; active?: OnboardingState }) {
  return (
    <section aria-labelledby="counts-title" className="space-y-2">
      <h2 id="counts-title" className="text-lg font-semibold">Onboardings by state</h2>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="state-counts">
        {STATES.map((s) => (
          <li key={s}>
            <Link
              href={withParams("/staff", { state: s })}
              aria-current={active === s ? "true" : undefined}
              className={`block rounded-lg border bg-white px-3 py-2 text-slate-900 no-underline hover:border-brand-600 ${active === s ? "border-brand-600 ring-2 ring-brand-600" : "border-slate-200"}`}
            >
              <span className="block text-2xl font-semibold" data-testid={`count-${s}`}>{counts[s].toLocaleString("en-US")}</span>
              <span className="block text-sm underline underline-offset-2">{STATE_LABELS[s]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
