import { describe, expect, it } from "vitest";
import { currentStep, nextStep, openStep, stepStatuses } from "./journey";

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
});
