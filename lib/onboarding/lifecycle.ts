/**
 * The onboarding lifecycle: the one place that says which state may follow which, and who
 * may make each move. Pure; the store applies a transition only after `checkTransition` allows it.
 */
export const STATES = [
  "invited",
  "in_progress",
  "submitted",
  "verifying",
  "verified",
  "needs_attention",
  "rotation_requested",
  "revoked",
] as const;
export type OnboardingState = (typeof STATES)[number];

export const STATE_LABELS: Record<OnboardingState, string> = {
  invited: "Invited",
  in_progress: "In progress",
  submitted: "Submitted",
  verifying: "Verifying",
  verified: "Verified",
  needs_attention: "Needs attention",
  rotation_requested: "Rotation requested",
  revoked: "Revoked",
};

/** Who is acting. `system` is the app itself (verification results, schedules). */
export type ActorKind = "brokerage" | "vendor" | "staff" | "techops" | "system";

type Rule = { to: OnboardingState; by: readonly ActorKind[]; reasonRequired?: boolean };

const STAFF = ["staff", "techops"] as const;

export const TRANSITIONS: Record<OnboardingState, readonly Rule[]> = {
  invited: [
    { to: "in_progress", by: ["brokerage", "vendor", "system"] },
  ],
  in_progress: [
    { to: "submitted", by: ["brokerage"] },
  ],
  submitted: [
    { to: "verifying", by: ["system", ...STAFF] },
  ],
  verifying: [
    { to: "verified", by: ["system"] },
    { to: "needs_attention", by: ["system"] },
    // A verification with no verdict (cancelled, or its process stopped) goes back to where it came from.
    { to: "submitted", by: ["system"] },
  ],
  verified: [
    { to: "verifying", by: ["system", ...STAFF] },
    { to: "needs_attention", by: ["system"] },
    { to: "rotation_requested", by: ["brokerage", ...STAFF], reasonRequired: true },
  ],
  needs_attention: [
    { to: "submitted", by: ["brokerage"] },
    { to: "verifying", by: ["system", ...STAFF] },
    { to: "verified", by: STAFF, reasonRequired: true },
  ],
  rotation_requested: [
    { to: "submitted", by: ["brokerage"] },
  ],
  revoked: [],
};

export type TransitionCheck = { ok: true } | { ok: false; error: "illegal_transition" | "not_allowed" | "reason_required" };

export function checkTransition(
  from: OnboardingState,
  to: OnboardingState,
  actor: ActorKind,
  reason = "",
): TransitionCheck {
  // Revocation is open from every live state, to staff only.
  if (to === "revoked") {
    if (from === "revoked") return { ok: false, error: "illegal_transition" };
    if (!(STAFF as readonly ActorKind[]).includes(actor)) return { ok: false, error: "not_allowed" };
    return reason.trim() ? { ok: true } : { ok: false, error: "reason_required" };
  }
  const rule = TRANSITIONS[from].find((r) => r.to === to);
  if (!rule) return { ok: false, error: "illegal_transition" };
  if (!rule.by.includes(actor)) return { ok: false, error: "not_allowed" };
  if (rule.reasonRequired && !reason.trim()) return { ok: false, error: "reason_required" };
  return { ok: true };
}

export function isState(value: unknown): value is OnboardingState {
  return typeof value === "string" && (STATES as readonly string[]).includes(value);
}

/** What happens next, in the brokerage's words, for the workspace status panel. */
export const NEXT_STEP: Record<OnboardingState, string> = {
  invited: "Open the setup guide below and tell us where your mailboxes are hosted.",
  in_progress: "Work through the guide, then run the test and submit the service account details.",
  submitted: "We have your details. The connection test starts automatically.",
  verifying: "We are testing the service account against your mail server now.",
  verified: "Your service account works. MoxiWorks will finish enabling MoxiEngage; nothing more is needed from you.",
  needs_attention: "The test could not verify the service account. Follow the guidance below, then submit again.",
  rotation_requested: "Please set a new password for the service account and submit it here.",
  revoked: "This onboarding was closed by MoxiWorks and its credentials were destroyed. Contact MoxiWorks to start again.",
};
