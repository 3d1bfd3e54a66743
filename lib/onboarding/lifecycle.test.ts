import { describe, expect, it } from "vitest";
import { checkTransition, STATES, TRANSITIONS, type ActorKind, type OnboardingState } from "./lifecycle";

const ACTORS: ActorKind[] = ["brokerage", "vendor", "staff", "techops", "system"];

// The lifecycle as the product promises it (brokerage submits, the app verifies, staff override), written out independently of the table under test.
const LEGAL: [OnboardingState, OnboardingState, ActorKind[], boolean?][] = [
  ["invited", "in_progress", ["brokerage", "vendor", "system"]],
  ["in_progress", "submitted", ["brokerage"]],
  ["submitted", "verifying", ["system", "staff", "techops"]],
  ["verifying", "verified", ["system"]],
  ["verifying", "needs_attention", ["system"]],
  // A verification without a verdict (cancelled, or its process stopped) goes back where it came from (issue 17).
  ["verifying", "submitted", ["system"]],
  ["verified", "verifying", ["system", "staff", "techops"]],
  ["verified", "needs_attention", ["system"]],
  ["verified", "rotation_requested", ["brokerage", "staff", "techops"], true],
  ["needs_attention", "submitted", ["brokerage"]],
  ["needs_attention", "verifying", ["system", "staff", "techops"]],
  ["needs_attention", "verified", ["staff", "techops"], true],
  ["rotation_requested", "submitted", ["brokerage"]],
];

describe("lifecycle", () => {
  for (const from of STATES) {
    for (const to of STATES) {
      for (const actor of ACTORS) {
        let expected: ReturnType<typeof checkTransition>;
        if (to === "revoked") {
          expected =
            from === "revoked" ? { ok: false, error: "illegal_transition" }
            : actor === "staff" || actor === "techops" ? { ok: true }
            : { ok: false, error: "not_allowed" };
        } else {
          const rule = LEGAL.find(([f, t]) => f === from && t === to);
          expected = !rule ? { ok: false, error: "illegal_transition" }
            : !rule[2].includes(actor) ? { ok: false, error: "not_allowed" }
            : { ok: true };
        }
        it(`${from} → ${to} by ${actor}: ${expected.ok ? "allowed" : expected.error}`, () => {
          expect(checkTransition(from, to, actor, "a reason")).toEqual(expected);
        });
      }
    }
  }

  it("requires a reason where the table says so, and for revocation", () => {
    expect(checkTransition("verified", "rotation_requested", "staff", "  ")).toEqual({ ok: false, error: "reason_required" });
    expect(checkTransition("needs_attention", "verified", "techops")).toEqual({ ok: false, error: "reason_required" });
    expect(checkTransition("in_progress", "revoked", "staff", "")).toEqual({ ok: false, error: "reason_required" });
    expect(checkTransition("in_progress", "submitted", "brokerage")).toEqual({ ok: true });
  });

  it("the table has no rule beyond the documented lifecycle", () => {
    const declared = Object.entries(TRANSITIONS).flatMap(([from, rules]) => rules.map((r) => `${from}>${r.to}`));
    expect(declared.sort()).toEqual(LEGAL.map(([f, t]) => `${f}>${t}`).sort());
  });
});
