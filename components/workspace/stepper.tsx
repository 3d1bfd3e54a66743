import Link from "next/link";
import { JOURNEY_LABELS, JOURNEY_STEPS, nextStep, stepStatuses, type JourneyStep } from "@/lib/onboarding/journey";

const STATUS_WORDS = { done: "done", current: "you are here", upcoming: "not yet" } as const;

/**
 * Where the brokerage is on its journey, as a stepper that stays in view (sticky), with the open step marked
 * and a "next step" link. Steps are links (`/o?step=…`): any step is one click away from anywhere.
 */
export function Stepper({ current, open }: { current: JourneyStep; open: JourneyStep }) {
  const statuses = stepStatuses(current);
  const next = nextStep(open, current);
  return (
    <nav aria-label="Your progress" data-testid="stepper" className="sticky top-0 z-10 -mx-4 border-b border-slate-300 bg-white/95 px-4 py-2 shadow-sm print:hidden">
      <ol className="flex flex-wrap gap-1 sm:gap-2">
        {JOURNEY_STEPS.map((s, i) => {
          const status = statuses[s];
          const isOpen = s === open;
          return (
            <li key={s} data-step={s} data-status={status} className="min-w-0">
              <Link
                href={`/o?step=${s}`}
                aria-current={isOpen ? "step" : undefined}
                className={`flex min-h-11 items-center gap-2 rounded px-1.5 py-1 sm:px-2 text-sm no-underline ${isOpen ? "bg-brand-50 font-semibold text-brand-800 ring-2 ring-brand-600" : "text-slate-800 hover:bg-slate-100"}`}
              >
                <span
                  aria-hidden="true"
                  className={`inline-flex size-6 shrink-0 items-center justify-center rounded-full border text-xs ${status === "done" ? "border-green-700 bg-green-700 text-white" : status === "current" ? "border-brand-700 bg-white text-brand-800" : "border-slate-400 bg-white text-slate-700"}`}
                >
                  {status === "done" ? "✓" : i + 1}
                </span>
                {/* On a phone the steps are numbers (the open one is named below); every name stays for screen readers. */}
                <span className={isOpen ? "sr-only sm:not-sr-only" : "sr-only lg:not-sr-only"}>{JOURNEY_LABELS[s]}</span>
                <span className="sr-only"> ({STATUS_WORDS[status]})</span>
              </Link>
            </li>
          );
        })}
      </ol>
      <p className="mt-1 flex flex-wrap gap-x-3 text-sm">
        <span aria-hidden="true" className="font-semibold sm:hidden">
          {JOURNEY_STEPS.indexOf(open) + 1}. {JOURNEY_LABELS[open]}
        </span>
        {next && (
          <Link href={`/o?step=${next}`} data-testid="next-step" className="font-medium">
            Next step: {JOURNEY_LABELS[next]} →
          </Link>
        )}
      </p>
    </nav>
  );
}
