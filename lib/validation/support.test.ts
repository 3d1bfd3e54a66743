import { describe, expect, it } from "vitest";
import { answerAccessSchema, requestAccessSchema, revealWithApprovalSchema, revokeAccessSchema } from "./support";

const ID = "01jabcdefghjkmnpqrstvwxyz0".slice(0, 26);
const REASON = "Ticket SUP-42: sync fails for two agents";

function errorsOf(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  const r = schema.safeParse(value);
  return r.success ? null : Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0] ?? ""), i.message]));
}

describe("request access form", () => {
  it("accepts a reason and a duration as the form sends them (strings)", () => {
    expect(requestAccessSchema.parse({ onboardingId: ID, reason: `  ${REASON}\r\nline two `, durationHours: "4" })).toEqual({
      onboardingId: ID,
      reason: `${REASON}\nline two`,
      durationHours: 4,
    });
  });

  it.each<[string, unknown, string]>([
    ["missing everything", {}, "reason"],
    ["reason too short", { onboardingId: ID, reason: "help", durationHours: "1" }, "reason"],
    ["reason oversized", { onboardingId: ID, reason: "x".repeat(501), durationHours: "1" }, "reason"],
    ["reason with a bidi override", { onboardingId: ID, reason: `${REASON}\u202e`, durationHours: "1" }, "reason"],
    ["reason with NUL", { onboardingId: ID, reason: `${REASON}\u0000`, durationHours: "1" }, "reason"],
    ["reason with a zero-width space", { onboardingId: ID, reason: `${REASON}\u200b`, durationHours: "1" }, "reason"],
    ["reason as a number", { onboardingId: ID, reason: 12345678901, durationHours: "1" }, "reason"],
    ["reason as an array", { onboardingId: ID, reason: [REASON, REASON], durationHours: "1" }, "reason"],
    ["duration over 24 h", { onboardingId: ID, reason: REASON, durationHours: "25" }, "durationHours"],
    ["duration zero", { onboardingId: ID, reason: REASON, durationHours: "0" }, "durationHours"],
    ["duration fractional", { onboardingId: ID, reason: REASON, durationHours: "1.5" }, "durationHours"],
    ["duration words", { onboardingId: ID, reason: REASON, durationHours: "forever" }, "durationHours"],
    ["duration huge", { onboardingId: ID, reason: REASON, durationHours: "1e309" }, "durationHours"],
    ["onboarding id injection", { onboardingId: "' or 1=1 --", reason: REASON, durationHours: "1" }, "onboardingId"],
    ["unknown field", { onboardingId: ID, reason: REASON, durationHours: "1", status: "approved" }, ""],
  ])("refuses %s", (_name, value, field) => {
    const errors = errorsOf(requestAccessSchema, value);
    expect(errors).not.toBeNull();
    expect(Object.keys(errors!)).toContain(field);
  });

  it("keeps visible hostile text as typed (escaped where shown, not here)", () => {
    const reason = `<script>alert(1)</script> "; drop table x; -- 🙂`;
    expect(requestAccessSchema.parse({ onboardingId: ID, reason, durationHours: "24" }).reason).toBe(reason);
  });
});

describe("answer and revoke", () => {
  it("approve needs a mode; decline does not", () => {
    expect(answerAccessSchema.parse({ requestId: ID, decision: "approve", mode: "single-use" })).toMatchObject({ mode: "single-use" });
    expect(answerAccessSchema.parse({ requestId: ID, decision: "decline" })).toEqual({ requestId: ID, decision: "decline" });
    expect(errorsOf(answerAccessSchema, { requestId: ID, decision: "approve" })).toHaveProperty("mode");
    expect(errorsOf(answerAccessSchema, { requestId: ID, decision: "approve", mode: "forever" })).toHaveProperty("mode");
    expect(errorsOf(answerAccessSchema, { requestId: ID, decision: "maybe" })).not.toBeNull();
    expect(errorsOf(answerAccessSchema, { requestId: ["a", "b"], decision: "decline" })).toHaveProperty("requestId");
    expect(errorsOf(revokeAccessSchema, { requestId: "x".repeat(10_000) })).toHaveProperty("requestId");
    expect(errorsOf(revokeAccessSchema, {})).toHaveProperty("requestId");
  });

  it("reveal with approval: the TechOps re-authentication fields plus the request", () => {
    expect(revealWithApprovalSchema.parse({ onboardingId: ID, requestId: ID, password: "pw", code: "123456", reason: REASON })).toMatchObject({ requestId: ID });
    expect(errorsOf(revealWithApprovalSchema, { onboardingId: ID, password: "pw", code: "123456", reason: REASON })).toHaveProperty("requestId");
    expect(errorsOf(revealWithApprovalSchema, { onboardingId: ID, requestId: ID, password: "x".repeat(300), code: "12345", reason: "short" })).toMatchObject({
      password: expect.any(String),
      code: expect.any(String),
      reason: expect.any(String),
    });
  });
});
