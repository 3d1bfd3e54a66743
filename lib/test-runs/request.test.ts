import { describe, expect, it } from "vitest";
import { splitRunOptions, testRunRequestSchema } from "./request";

const details = { serviceAccount: "svc-moxi@contoso.com", password: "S3cret-pass!", testMailbox: "agent@contoso.com", ewsUrl: "" };

describe("the send-a-test-message option beside what to test", () => {
  it("is off unless it is exactly true, and leaves the details to the details schema", () => {
    expect(splitRunOptions(details)).toEqual({ target: details, options: { sendTestMessage: false } });
    const ticked = splitRunOptions({ ...details, sendTestMessage: true })!;
    expect(ticked.options.sendTestMessage).toBe(true);
    expect(testRunRequestSchema.safeParse(ticked.target).success).toBe(true);
    expect(splitRunOptions({ useSaved: true, sendTestMessage: false })).toEqual({ target: { useSaved: true }, options: { sendTestMessage: false } });
  });

  it.each([
    ["a string", "true"],
    ["a number", 1],
    ["null", null],
    ["an object", { yes: true }],
    ["an array", [true]],
    ["a hostile string", "<script>alert(1)</script>\u202e"],
    ["an oversized string", "t".repeat(10_000)],
  ])("refuses %s", (_name, value) => {
    expect(splitRunOptions({ ...details, sendTestMessage: value })).toBeUndefined();
  });

  it("does not let the option smuggle other fields past the details schema", () => {
    const split = splitRunOptions({ ...details, sendTestMessage: true, extra: "x" })!;
    expect(testRunRequestSchema.safeParse(split.target).success).toBe(false);
  });

  it("passes anything that is not an object on for the details schema to refuse", () => {
    for (const body of [null, "text", 3, [details]]) {
      const split = splitRunOptions(body)!;
      expect(split.options.sendTestMessage).toBe(false);
      expect(testRunRequestSchema.safeParse(split.target).success).toBe(false);
    }
  });
});
