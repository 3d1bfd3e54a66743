import type { OnboardingState } from "./lifecycle";

/**
 * The brokerage's journey through the workspace: choose the mail host → prepare (the guide) → test → submit →
 * verified. Pure: the page asks where the onboarding stands and which step to open; the stepper, the
 * "next step" link and the open panel all read this one answer.
 */
export const JOURNEY_STEPS = ["host", "prepare", "test", "submit", "verified"] as const;
export type JourneyStep = (typeof JOURNEY_STEPS)[number];

export const JOURNEY_LABELS: Record<JourneyStep, string> = {
  host: "Choose your mail host",
  prepare: "Prepare your server",
  test: "Test the connection",
  submit: "Submit for verification",
  verified: "Verified",
};

export type JourneyFacts = {
  state: OnboardingState;
  hasTrack: boolean;
  /** The outcome of the most recent test the brokerage or vendor ran by hand, if any. */
  lastManualTest: "passed" | "failed" | null;
};

/** The step the onboarding is at: where the workspace opens when no step is asked for. */
export function currentStep(f: JourneyFacts): JourneyStep {
  if (f.state === "verified") return "verified";
  if (f.state === "submitted" || f.state === "verifying" || f.state === "needs_attention" || f.state === "rotation_requested") return "submit";
  if (!f.hasTrack) return "host";
  if (f.lastManualTest === "passed") return "submit";
  if (f.lastManualTest === "failed") return "test";
  return "prepare";
}

/** A step asked for in the address (`?step=`), or the current one when it names none we know. */
export function openStep(asked: unknown, current: JourneyStep): JourneyStep {
  return typeof asked === "string" && (JOURNEY_STEPS as readonly string[]).includes(asked) ? (asked as JourneyStep) : current;
}

export type StepStatus = "done" | "current" | "upcoming";

/** Each step's status against the current one (steps before it are done). */
export function stepStatuses(current: JourneyStep): Record<JourneyStep, StepStatus> {
  const at = JOURNEY_STEPS.indexOf(current);
  return Object.fromEntries(
    JOURNEY_STEPS.map((s, i) => [s, current === "verified" && s === "verified" ? "done" : i < at ? "done" : i === at ? "current" : "upcoming"]),
  ) as Record<JourneyStep, StepStatus>;
}

/** What to do after the open step: the step the "next step" link goes to, or null once verified. */
export function nextStep(open: JourneyStep, current: JourneyStep): JourneyStep | null {
  if (current === "verified") return open === "verified" ? null : "verified";
  // Looking back at a finished step: the way forward is where the onboarding is now.
  if (JOURNEY_STEPS.indexOf(open) < JOURNEY_STEPS.indexOf(current)) return current;
  if (open === "submit" || open === "verified") return null;
  return JOURNEY_STEPS[JOURNEY_STEPS.indexOf(open) + 1]!;
}

/**
 * A finding's guide step (`/guide/<track>#anchor`) as a link. In the workspace (`workspaceGuide` = the guide track
 * it shows), a step of that guide opens inside the workspace's Prepare step, not on the public page.
 */
export function guideStepHref(guideStep: string, workspaceGuide?: string): string {
  const hash = guideStep.indexOf("#");
  if (!workspaceGuide || hash < 0 || guideStep.slice(0, hash) !== `/guide/${workspaceGuide}`) return guideStep;
  return `/o?step=prepare${guideStep.slice(hash)}`;
}
