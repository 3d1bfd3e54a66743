import { describe, expect, it } from "vitest";
import { currentStep, guideStepHref, nextStep, openStep, stepStatuses } from "./journey";

describe("the workspace journey", () => {
  it("opens where the onboarding stands", () => {
    expect(currentStep({ state: "invited", hasTrack: false, lastManualTest: null })).toBe("host");
    expect(currentStep({ state: "in_progress", hasTrack: true, lastManualTest: null })).toBe("prepare");
    expect(currentStep({ state: "in_progress", hasTrack: true, lastManualTest: "failed" })).toBe("test");
    expect(currentStep({ state: "in_progress", hasTrack: true, lastManualTest: "passed" })).toBe("submit");
    expect(currentStep({ state: "needs_attention", hasTrack: true, lastManualTest: "passed" })).toBe("submit");
    expect(currentStep({ state: "verifying", hasTrack: true, lastManualTest: null })).toBe("submit");
    expect(currentStep({ state: "verified", hasTrack: true, lastManualTest: null })).toBe("verified");
  });

  it("opens the step asked for, and only a step that exists", () => {
    expect(openStep("test", "host")).toBe("test");
    expect(openStep("../etc", "host")).toBe("host");
    expect(openStep(["test"], "prepare")).toBe("prepare");
    expect(openStep(undefined, "prepare")).toBe("prepare");
  });

  it("marks earlier steps done and the current one current", () => {
    expect(stepStatuses("test")).toEqual({ host: "done", prepare: "done", test: "current", submit: "upcoming", verified: "upcoming" });
    expect(stepStatuses("verified").verified).toBe("done");
  });

  it("always has a next step until verified", () => {
    expect(nextStep("host", "host")).toBe("prepare");
    expect(nextStep("prepare", "prepare")).toBe("test");
    expect(nextStep("test", "test")).toBe("submit");
    expect(nextStep("host", "submit")).toBe("submit");
    expect(nextStep("submit", "submit")).toBeNull();
    expect(nextStep("prepare", "verified")).toBe("verified");
    expect(nextStep("verified", "verified")).toBeNull();
  });

  it("a finding's guide link opens inside the workspace when the workspace shows that guide", () => {
    expect(guideStepHref("/guide/exchange-server#grant-impersonation-2", "exchange-server")).toBe("/o?step=prepare#grant-impersonation-2");
    expect(guideStepHref("/guide/microsoft-365#conditional-access", "exchange-server")).toBe("/guide/microsoft-365#conditional-access");
    expect(guideStepHref("/guide/exchange-server#grant-impersonation", undefined)).toBe("/guide/exchange-server#grant-impersonation");
    expect(guideStepHref("/guide/exchange-server-x#a", "exchange-server")).toBe("/guide/exchange-server-x#a");
  });
});
