import { describe, expect, it } from "vitest";
import { dispositionName, fileQuery } from "./download";

describe("download names", () => {
  it("prefers the UTF-8 name", () => {
    expect(dispositionName(`attachment; filename="kontrakter-S_r_.xlsx"; filename*=UTF-8''kontrakter-Sor%C3%B8.xlsx`)).toBe(
      "kontrakter-Sorø.xlsx",
    );
  });

  it("falls back to the plain name", () => {
    expect(dispositionName(`attachment; filename="log.csv"`)).toBe("log.csv");
    expect(dispositionName("attachment; filename=log.csv")).toBe("log.csv");
  });

  it("has no name without a header", () => {
    expect(dispositionName(null)).toBeNull();
    expect(dispositionName("attachment")).toBeNull();
  });
});

describe("file addresses", () => {
  it("leaves out empty values", () => {
    expect(fileQuery({ format: "csv", q: "", status: undefined, include_archived: true, within_days: 90 })).toBe(
      "?format=csv&include_archived=true&within_days=90",
    );
    expect(fileQuery({})).toBe("");
  });
});
