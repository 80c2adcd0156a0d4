import { describe, expect, it } from "vitest";
import { parseDanishAmount, toDanishAmount } from "./money";

describe("parseDanishAmount", () => {
  it("reads Danish thousands separators and decimal commas", () => {
    expect(parseDanishAmount("1.234.567,89")).toBe("1234567.89");
    expect(parseDanishAmount("1234567,89")).toBe("1234567.89");
    expect(parseDanishAmount("250.000")).toBe("250000");
    expect(parseDanishAmount("12,5")).toBe("12.50");
    expect(parseDanishAmount("0,05")).toBe("0.05");
    expect(parseDanishAmount("007")).toBe("7");
  });

  it("accepts spaces and a trailing kr.", () => {
    expect(parseDanishAmount(" 1 234 567,00 kr. ")).toBe("1234567.00");
    expect(parseDanishAmount("500 kr")).toBe("500");
  });

  it("gives an empty string for empty input", () => {
    expect(parseDanishAmount("")).toBe("");
    expect(parseDanishAmount("   ")).toBe("");
  });

  it("refuses what is not an amount", () => {
    expect(parseDanishAmount("abc")).toBeNull();
    expect(parseDanishAmount("-100")).toBeNull();
    expect(parseDanishAmount("1,234")).toBeNull();
    expect(parseDanishAmount("1.23")).toBeNull();
    expect(parseDanishAmount("12.34,5")).toBeNull();
    expect(parseDanishAmount("1.2345")).toBeNull();
    expect(parseDanishAmount("1e6")).toBeNull();
    expect(parseDanishAmount("123456789012345")).toBeNull();
  });
});

describe("toDanishAmount", () => {
  it("writes the API's decimal strings as Danish input", () => {
    expect(toDanishAmount("1234567.89")).toBe("1.234.567,89");
    expect(toDanishAmount("310000.00")).toBe("310.000");
    expect(toDanishAmount("310000")).toBe("310.000");
    expect(toDanishAmount("12.5")).toBe("12,50");
    expect(toDanishAmount("999")).toBe("999");
    expect(toDanishAmount(null)).toBe("");
    expect(toDanishAmount(undefined)).toBe("");
  });

  it("round-trips through parseDanishAmount", () => {
    for (const value of ["1234567.89", "0.05", "1000000", "42.10"]) {
      const text = toDanishAmount(value);
      expect(parseDanishAmount(text)).toBe(value.endsWith(".00") ? value.slice(0, -3) : value);
    }
  });
});
