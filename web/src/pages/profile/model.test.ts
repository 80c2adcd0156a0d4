import { describe, expect, it } from "vitest";
import { parseHorizon } from "./model";

describe("parseHorizon", () => {
  it("takes whole days from 1 to 365", () => {
    expect(parseHorizon("30")).toBe(30);
    expect(parseHorizon(" 1")).toBe(1);
    expect(parseHorizon("365")).toBe(365);
  });

  it("refuses anything else", () => {
    for (const text of ["", "0", "366", "-1", "7,5", "30 dage", "1000"]) {
      expect(parseHorizon(text), text).toBeNull();
    }
  });
});
