import { describe, expect, it } from "vitest";
import { checkCvr, normaliseCvr } from "./cvr";

describe("checkCvr", () => {
  it("accepts valid CVR numbers", () => {
    expect(checkCvr("27654312")).toBe("ok");
    expect(checkCvr("29403473")).toBe("ok");
    expect(checkCvr("28447310")).toBe("ok");
    expect(checkCvr(" 2940 3473 ")).toBe("ok");
  });

  it("refuses a wrong check digit", () => {
    expect(checkCvr("12345678")).toBe("checksum");
    expect(checkCvr("29403474")).toBe("checksum");
  });

  it("refuses anything but eight digits", () => {
    expect(checkCvr("")).toBe("empty");
    expect(checkCvr("1234567")).toBe("format");
    expect(checkCvr("123456789")).toBe("format");
    expect(checkCvr("2940347A")).toBe("format");
  });

  it("normalises spaces", () => {
    expect(normaliseCvr("29 40 34 73")).toBe("29403473");
  });
});
