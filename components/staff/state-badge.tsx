import { STATE_LABELS, type OnboardingState } from "@/lib/onboarding/lifecycle";

const TONE: Record<OnboardingState, string> = {
  invited: "border-slate-500 bg-white text-slate-800",
  in_progress: "border-brand-600 bg-brand-50 text-brand-800",
  submitted: "border-brand-600 bg-brand-50 text-brand-800",
  verifying: "border-brand-600 bg-brand-50 text-brand-800",
  verified: "border-green-700 bg-green-50 text-green-900",
  needs_attention: "border-amber-700 bg-amber-50 text-amber-900",
  rotation_requested: "border-amber-700 bg-amber-50 text-amber-900",
  revoked: "border-red-700 bg-red-50 text-red-900",
};

/** A state as words in a tinted outline: colour is a hint, the label carries the meaning. */
export function StateBadge({ state }: { state: OnboardingState }) {
  return <span className={`inline-block whitespace-nowrap rounded border px-2 py-0.5 text-sm font-medium ${TONE[state]}`}>{STATE_LABELS[state]}</span>;
}
