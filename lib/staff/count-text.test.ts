import { describe, expect, it } from "vitest";
import { countText, NOUNS } from "./count-text";

describe("counts in words", () => {
  it("one is singular (the pager said \"1 onboardings\"), everything else plural, with thousands separators", () => {
    expect(countText(1, NOUNS.onboarding)).toBe("1 onboarding");
    expect(countText(0, NOUNS.onboarding)).toBe("0 onboardings");
    expect(countText(2400, NOUNS.onboarding)).toBe("2,400 onboardings");
    expect(countText(1, NOUNS.event)).toBe("1 event");
  });
});
