import { describe, expect, it } from "vitest";
import { axisKroner, chartNumber, longerPeriod, readPeriod } from "./period";

describe("readPeriod", () => {
  it("accepts the offered periods and falls back to 90 days", () => {
    expect(readPeriod(new URLSearchParams("dage=365"))).toBe(365);
    expect(readPeriod(new URLSearchParams("dage=180"))).toBe(180);
    expect(readPeriod(new URLSearchParams(""))).toBe(90);
    expect(readPeriod(new URLSearchParams("dage=30"))).toBe(90);
    expect(readPeriod(new URLSearchParams("dage=abc"))).toBe(90);
  });
});

describe("longerPeriod", () => {
  it("suggests the next period and none after the longest", () => {
    expect(longerPeriod(90)).toBe(180);
    expect(longerPeriod(180)).toBe(365);
    expect(longerPeriod(365)).toBeNull();
  });
});

describe("chartNumber", () => {
  it("reads decimal strings and treats garbage as zero", () => {
    expect(chartNumber("1234567.89")).toBe(1234567.89);
    expect(chartNumber("0")).toBe(0);
    expect(chartNumber("x")).toBe(0);
  });
});

describe("axisKroner", () => {
  it("writes axis values the Danish way, millions short", () => {
    expect(axisKroner(0)).toBe("0 kr.");
    expect(axisKroner(500000)).toBe("500.000 kr.");
    expect(axisKroner(2500000)).toBe("2,5 mio. kr.");
    expect(axisKroner(5000000)).toBe("5 mio. kr.");
  });
});
