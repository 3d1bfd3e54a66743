import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("is 26 characters and strictly increasing, even within one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(ids.every((id) => /^[0-9a-z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
