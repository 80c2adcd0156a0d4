import { describe, expect, it } from "vitest";
import { cpvQuery, cpvText, moveActive } from "./cpv";

describe("cpvQuery", () => {
  it("sends a code as its digits, keeping a full code's check digit", () => {
    expect(cpvQuery("48")).toBe("48");
    expect(cpvQuery(" 48 000 000-8 ")).toBe("48000000-8");
    expect(cpvQuery("72.2")).toBe("722");
    expect(cpvQuery("4821")).toBe("4821");
  });

  it("sends text as typed, spaces tidied", () => {
    expect(cpvQuery("  sags   og dokument ")).toBe("sags og dokument");
    expect(cpvQuery("Programmel")).toBe("Programmel");
  });

  it("does not search for less than two characters", () => {
    expect(cpvQuery("")).toBeNull();
    expect(cpvQuery("4")).toBeNull();
    expect(cpvQuery(" a ")).toBeNull();
    expect(cpvQuery("-")).toBeNull();
  });
});

describe("cpvText", () => {
  it("writes the code before the Danish text", () => {
    expect(cpvText({ code: "48000000-8", label: "Programmelpakker og informationssystemer" })).toBe(
      "48000000-8 Programmelpakker og informationssystemer",
    );
    expect(cpvText(null)).toBe("");
  });
});

describe("moveActive", () => {
  it("moves down and up, wrapping at the ends", () => {
    expect(moveActive(-1, "ArrowDown", 3)).toBe(0);
    expect(moveActive(2, "ArrowDown", 3)).toBe(0);
    expect(moveActive(0, "ArrowUp", 3)).toBe(2);
    expect(moveActive(-1, "ArrowUp", 3)).toBe(2);
    expect(moveActive(1, "Home", 3)).toBe(0);
    expect(moveActive(1, "End", 3)).toBe(2);
  });

  it("has nothing to highlight in an empty list and ignores other keys", () => {
    expect(moveActive(-1, "ArrowDown", 0)).toBe(-1);
    expect(moveActive(-1, "Home", 0)).toBeUndefined();
    expect(moveActive(0, "a", 3)).toBeUndefined();
  });
});
