import { NEXT_STEP, STATE_LABELS, type OnboardingState } from "@/lib/onboarding/lifecycle";

const TONE: Record<OnboardingState, string> = {
  invited: "border-slate-400 bg-white",
  in_progress: "border-brand-600 bg-brand-50",
  submitted: "border-brand-600 bg-brand-50",
  verifying: "border-brand-600 bg-brand-50",
  verified: "border-green-700 bg-green-50",
  needs_attention: "border-amber-700 bg-amber-50",
  rotation_requested: "border-amber-700 bg-amber-50",
  revoked: "border-red-700 bg-red-50",
};

/** Where this onboarding stands and what happens next, in the brokerage's words. */
export function StatusPanel({ state, progress, nextStep, children }: { state: OnboardingState; progress: { done: number; total: number }; nextStep?: string; children?: React.ReactNode }) {
  return (
    <section aria-labelledby="status-title" className={`space-y-3 rounded-lg border-l-4 p-5 shadow-sm ${TONE[state]}`}>
      <h2 id="status-title" className="text-lg font-semibold">
        Status: <span data-testid="onboarding-state">{STATE_LABELS[state]}</span>
      </h2>
      <p data-testid="status-next-step">{nextStep ?? NEXT_STEP[state]}</p>
      {progress.total > 0 && (
        <div className="space-y-1">
          <label htmlFor="overall-progress" className="text-sm font-medium">
            Checklist: {progress.done} of {progress.total} done
          </label>
          <progress id="overall-progress" max={progress.total} value={progress.done} className="block h-3 w-full" />
        </div>
      )}
      {children}
    </section>
  );
}
