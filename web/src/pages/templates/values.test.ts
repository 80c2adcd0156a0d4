import { describe, expect, it } from "vitest";
import { compareDecimal, formatValue, parseDanishDecimal, parseValue, toDanishDecimal, valueInput } from "./values";

describe("Danish numbers", () => {
  it("reads comma decimals and dot thousands", () => {
    expect(parseDanishDecimal("99,5")).toBe("99.5");
    expect(parseDanishDecimal("1.234.567,00 kr.")).toBe("1234567");
    expect(parseDanishDecimal("99,5 %")).toBe("99.5");
    expect(parseDanishDecimal("-3")).toBe("-3");
    expect(parseDanishDecimal("007")).toBe("7");
  });

  it("refuses what is not a Danish number", () => {
    expect(parseDanishDecimal("99.5")).toBeNull();
    expect(parseDanishDecimal("1,2,3")).toBeNull();
    expect(parseDanishDecimal("abc")).toBeNull();
    expect(parseDanishDecimal("")).toBeNull();
  });

  it("writes canonical decimals in Danish", () => {
    expect(toDanishDecimal("1234567.5")).toBe("1.234.567,5");
    expect(toDanishDecimal("99")).toBe("99");
    expect(toDanishDecimal("-1000")).toBe("-1.000");
  });

  it("compares decimals exactly", () => {
    expect(compareDecimal("99.5", "99.50")).toBe(0);
    expect(compareDecimal("99.49", "99.5")).toBeLessThan(0);
    expect(compareDecimal("100", "99.999")).toBeGreaterThan(0);
    expect(compareDecimal("-2", "1")).toBeLessThan(0);
    expect(compareDecimal("-2", "-1")).toBeLessThan(0);
    expect(compareDecimal("12345678901234567890.1", "12345678901234567890.05")).toBeGreaterThan(0);
  });
});

describe("parameter values", () => {
  it("reads a value of each kind", () => {
    expect(parseValue("99,5", { kind: "percent" })).toEqual({ ok: true, value: { kind: "percent", value: "99.5" } });
    expect(parseValue("1.250.000", { kind: "money" })).toEqual({ ok: true, value: { kind: "money", value: "1250000.00" } });
    expect(parseValue("3", { kind: "duration" })).toEqual({ ok: true, value: { kind: "duration", value: 3 } });
    expect(parseValue("4", { kind: "integer" })).toEqual({ ok: true, value: { kind: "integer", value: 4 } });
    expect(parseValue(" Månedlig ", { kind: "choice", choices: ["Månedlig", "Kvartalsvis"] })).toEqual({
      ok: true,
      value: { kind: "choice", value: "Månedlig" },
    });
    expect(parseValue("", { kind: "integer" })).toEqual({ ok: true, value: null });
  });

  it("explains in Danish what is wrong", () => {
    expect(parseValue("99.5", { kind: "percent" })).toEqual({ ok: false, error: "Brug komma som decimaltegn, fx 99,5." });
    expect(parseValue("2,5", { kind: "integer" })).toEqual({ ok: false, error: "Skriv et helt tal." });
    expect(parseValue("-1", { kind: "duration" })).toEqual({ ok: false, error: "En varighed kan ikke være negativ." });
    expect(parseValue("10,555", { kind: "money" })).toEqual({ ok: false, error: "Et beløb har højst to decimaler (øre)." });
    expect(parseValue("98", { kind: "percent", min: "99", max: "100" })).toEqual({ ok: false, error: "Værdien må ikke være mindre end 99." });
    expect(parseValue("100,5", { kind: "percent", min: "99", max: "100" })).toEqual({ ok: false, error: "Værdien må ikke være større end 100." });
    expect(parseValue("Årlig", { kind: "choice", choices: ["Månedlig", "Kvartalsvis"] })).toEqual({
      ok: false,
      error: "Vælg en af mulighederne: Månedlig, Kvartalsvis.",
    });
  });

  it("shows values the Danish way", () => {
    expect(formatValue({ kind: "percent", value: "99.5" })).toBe("99,5 %");
    expect(formatValue({ kind: "money", value: "1250000.00" })).toBe("1.250.000,00 kr.");
    expect(formatValue({ kind: "duration", value: 1 }, { duration_unit: "months" })).toBe("1 måned");
    expect(formatValue({ kind: "duration", value: 3 }, { duration_unit: "days" })).toBe("3 dage");
    expect(formatValue({ kind: "integer", value: 4 }, { unit: "timer" })).toBe("4 timer");
    expect(valueInput({ kind: "money", value: "1250000.50" })).toBe("1.250.000,50");
    expect(valueInput({ kind: "money", value: "1250000.00" })).toBe("1.250.000");
    expect(valueInput(null)).toBe("");
  });
});
