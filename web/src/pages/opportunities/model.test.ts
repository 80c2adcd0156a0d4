import { describe, expect, it } from "vitest";
import { DEFAULT_WINDOW, parseWindow, readFilters, tenderPath, writeFilters } from "./model";

describe("parseWindow", () => {
  it("takes whole months from 1 to 120", () => {
    expect(parseWindow("18")).toBe(18);
    expect(parseWindow(" 1 ")).toBe(1);
    expect(parseWindow("120")).toBe(120);
  });

  it("refuses anything else", () => {
    for (const text of ["", "0", "121", "-3", "1,5", "12 mdr.", "abc", "1000"]) {
      expect(parseWindow(text), text).toBeNull();
    }
  });
});

describe("the address of a search", () => {
  it("defaults to CPV groups over 18 months in the collaboration view", () => {
    expect(readFilters(new URLSearchParams())).toEqual({
      collaborationId: "",
      windowMonths: DEFAULT_WINDOW,
      level: "group",
      view: "faellesskab",
    });
  });

  it("reads Danish words and falls back on the default for unknown ones", () => {
    const filters = readFilters(new URLSearchParams("faellesskab=abc&maaneder=24&niveau=afdeling&visning=vores-kontrakter"));
    expect(filters).toEqual({ collaborationId: "abc", windowMonths: 24, level: "division", view: "vores-kontrakter" });
    expect(readFilters(new URLSearchParams("maaneder=999&niveau=x&visning=y"))).toMatchObject({
      windowMonths: DEFAULT_WINDOW,
      level: "group",
      view: "faellesskab",
    });
  });

  it("writes what it reads, leaving defaults out", () => {
    const filters = { collaborationId: "c1", windowMonths: 12, level: "category", view: "faellesskab" } as const;
    const written = writeFilters(filters);
    expect(written).toEqual({ faellesskab: "c1", maaneder: "12", niveau: "kategori" });
    expect(readFilters(new URLSearchParams(written))).toEqual(filters);
    expect(writeFilters({ collaborationId: "", windowMonths: 18, level: "group", view: "faellesskab" })).toEqual({});
  });
});

describe("tenderPath", () => {
  it("is the planned tender's page under its plan", () => {
    expect(tenderPath("p", "t")).toBe("/udbudsplaner/p/udbud/t");
  });
});
