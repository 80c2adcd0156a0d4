import { describe, expect, it } from "vitest";
import { dateFieldText, formatAmount, formatDate, formatDateTime, formatWait, formatWhole, parseDanishDate, parseTimestamp } from "./format";

describe("formatAmount", () => {
  it.each([
    ["1234567.89", "1.234.567,89 kr."],
    ["1234.5", "1.234,50 kr."],
    ["12.5", "12,50 kr."],
    ["1000", "1.000,00 kr."],
    ["999", "999,00 kr."],
    ["0", "0,00 kr."],
    ["0.00", "0,00 kr."],
    ["0.5", "0,50 kr."],
    ["0.05", "0,05 kr."],
    ["007", "7,00 kr."],
    ["+42", "42,00 kr."],
    [" 42.10 ", "42,10 kr."],
  ])("formats %j as %j", (input, expected) => {
    expect(formatAmount(input)).toBe(expected);
  });

  it("formats negative amounts with a leading minus", () => {
    expect(formatAmount("-1234567.89")).toBe("-1.234.567,89 kr.");
    expect(formatAmount("-0.5")).toBe("-0,50 kr.");
    expect(formatAmount("-100")).toBe("-100,00 kr.");
  });

  it("never writes minus zero", () => {
    expect(formatAmount("-0")).toBe("0,00 kr.");
    expect(formatAmount("-0.00")).toBe("0,00 kr.");
    expect(formatAmount("-0.004")).toBe("0,00 kr.");
  });

  it("keeps every digit of amounts beyond floating-point precision", () => {
    expect(formatAmount("123456789012345678901234.56")).toBe(
      "123.456.789.012.345.678.901.234,56 kr.",
    );
    expect(formatAmount("9007199254740993.01")).toBe("9.007.199.254.740.993,01 kr.");
    expect(formatAmount("0.10")).toBe("0,10 kr.");
  });

  it("rounds extra decimals half away from zero, carrying through the digits", () => {
    expect(formatAmount("1.005")).toBe("1,01 kr.");
    expect(formatAmount("1.004999")).toBe("1,00 kr.");
    expect(formatAmount("999.995")).toBe("1.000,00 kr.");
    expect(formatAmount("-999999.999")).toBe("-1.000.000,00 kr.");
    expect(formatAmount("-0.005")).toBe("-0,01 kr.");
  });

  it.each([
    [""],
    ["   "],
    ["abc"],
    ["1,5"],
    ["1.234.567"],
    ["1e6"],
    ["NaN"],
    ["Infinity"],
    ["1."],
    [".5"],
    ["--1"],
    ["1 000"],
    ["12kr"],
  ])("rejects %j", (input) => {
    expect(formatAmount(input)).toBeNull();
  });

  it("returns null for missing values", () => {
    expect(formatAmount(null)).toBeNull();
    expect(formatAmount(undefined)).toBeNull();
  });
});

describe("formatDate", () => {
  it("formats calendar dates without any time-zone shift", () => {
    expect(formatDate("2026-03-01")).toBe("01.03.2026");
    expect(formatDate("2024-02-29")).toBe("29.02.2024");
    expect(formatDate("0999-12-31")).toBe("31.12.0999");
  });

  it("rejects impossible calendar dates", () => {
    expect(formatDate("2025-02-29")).toBeNull();
    expect(formatDate("2026-13-01")).toBeNull();
    expect(formatDate("2026-04-31")).toBeNull();
    expect(formatDate("2026-00-10")).toBeNull();
  });

  it("shows timestamps as the date in Copenhagen", () => {
    // 23:30 UTC on New Year's Eve is already the next day in Denmark (CET, +1).
    expect(formatDate("2025-12-31T23:30:00Z")).toBe("01.01.2026");
    // 22:30 UTC in summer is 00:30 the next day in Denmark (CEST, +2).
    expect(formatDate("2026-06-30T22:30:00Z")).toBe("01.07.2026");
    expect(formatDate("2026-06-30T21:59:59Z")).toBe("30.06.2026");
  });

  it("honours offsets and long fractions as the server writes them", () => {
    expect(formatDate("2026-11-22T14:24:11.426940623+00:00")).toBe("22.11.2026");
    expect(formatDate("2026-01-01T00:30:00+02:00")).toBe("31.12.2025");
  });

  it.each([[""], ["22.11.2026"], ["2026-11-22T25:00:00Z"], ["2026-11-22T10:00:00"], ["yesterday"]])(
    "rejects %j",
    (input) => {
      expect(formatDate(input)).toBeNull();
    },
  );

  it("returns null for missing values", () => {
    expect(formatDate(null)).toBeNull();
    expect(formatDate(undefined)).toBeNull();
  });
});

describe("formatDateTime", () => {
  it("shows the time in Copenhagen, in winter and in summer", () => {
    expect(formatDateTime("2026-01-15T08:05:00Z")).toBe("15.01.2026 kl. 09.05");
    expect(formatDateTime("2026-07-15T08:05:00Z")).toBe("15.07.2026 kl. 10.05");
  });

  it("crosses the spring and autumn clock changes correctly", () => {
    // Clocks go forward at 02:00 CET on 29 March 2026 (01:00 UTC).
    expect(formatDateTime("2026-03-29T00:59:00Z")).toBe("29.03.2026 kl. 01.59");
    expect(formatDateTime("2026-03-29T01:00:00Z")).toBe("29.03.2026 kl. 03.00");
    // Clocks go back at 03:00 CEST on 25 October 2026 (01:00 UTC).
    expect(formatDateTime("2026-10-25T00:30:00Z")).toBe("25.10.2026 kl. 02.30");
    expect(formatDateTime("2026-10-25T01:30:00Z")).toBe("25.10.2026 kl. 02.30");
  });

  it("gives just the date for a calendar date, and null for nonsense", () => {
    expect(formatDateTime("2026-05-17")).toBe("17.05.2026");
    expect(formatDateTime("not a date")).toBeNull();
    expect(formatDateTime(undefined)).toBeNull();
  });
});

describe("parseTimestamp", () => {
  it("agrees with the platform for ordinary RFC 3339 timestamps", () => {
    for (const ts of ["2026-11-22T14:24:11.426Z", "2024-02-29T23:59:59+01:00", "2000-01-01T00:00:00-05:30"]) {
      expect(parseTimestamp(ts)).toBe(Date.parse(ts));
    }
  });

  it("rejects timestamps without a zone, since their moment is unknown", () => {
    expect(parseTimestamp("2026-11-22T14:24:11")).toBeNull();
  });
});

describe("formatWait", () => {
  it("uses seconds below a minute and whole minutes above", () => {
    expect(formatWait(1)).toBe("1 sekund");
    expect(formatWait(45)).toBe("45 sekunder");
    expect(formatWait(60)).toBe("1 minut");
    expect(formatWait(61)).toBe("2 minutter");
    expect(formatWait(900)).toBe("15 minutter");
  });

  it("never promises less than a second", () => {
    expect(formatWait(0)).toBe("1 sekund");
    expect(formatWait(0.2)).toBe("1 sekund");
  });
});

describe("parseDanishDate", () => {
  it.each([
    ["31.12.2027", "2027-12-31"],
    ["31-12-2027", "2027-12-31"],
    ["31/12/2027", "2027-12-31"],
    ["31 12 2027", "2027-12-31"],
    ["31,12,2027", "2027-12-31"],
    ["31. 12. 2027", "2027-12-31"],
    ["1.2.2027", "2027-02-01"],
    ["01.02.2027", "2027-02-01"],
    ["31122027", "2027-12-31"],
    [" 29.02.2028 ", "2028-02-29"],
  ])("reads %j as %j", (input, expected) => {
    expect(parseDanishDate(input)).toBe(expected);
  });

  it("gives an empty value only for an empty field", () => {
    expect(parseDanishDate("")).toBe("");
    expect(parseDanishDate("   ")).toBe("");
  });

  it.each([
    "31.02.2027",
    "29.02.2027",
    "32.01.2027",
    "00.01.2027",
    "15.13.2027",
    "12.2027",
    "31.12.",
    "31.12",
    "31.12.27",
    "2027",
    "abc",
    "31.12.2027x",
    "31.12-2027",
    "2027-12-31",
    "12/31/2027",
    "3112027",
    "01.01.0999",
  ])("refuses %j", (input) => {
    expect(parseDanishDate(input)).toBeNull();
  });

  it("reads back what formatDate writes", () => {
    expect(parseDanishDate(dateFieldText("2026-03-01"))).toBe("2026-03-01");
    expect(dateFieldText(null)).toBe("");
  });
});

describe("formatWhole", () => {
  it("groups thousands with dots and keeps a real decimal part", () => {
    expect(formatWhole("216000")).toBe("216.000");
    expect(formatWhole(5404000)).toBe("5.404.000");
    expect(formatWhole("750000.00")).toBe("750.000");
    expect(formatWhole("1234.5")).toBe("1.234,5");
    expect(formatWhole("0")).toBe("0");
  });

  it("refuses what is not a number", () => {
    expect(formatWhole("1e5")).toBeNull();
    expect(formatWhole("1.000,00")).toBeNull();
    expect(formatWhole(null)).toBeNull();
  });
});
