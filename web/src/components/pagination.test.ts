import { describe, expect, it } from "vitest";
import { pageRange } from "./PagedList";
import { pageWindow } from "./Pagination";

describe("pageWindow", () => {
  it("lists every page when there are few", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("keeps first, last and the neighbours of the current page", () => {
    expect(pageWindow(1, 20)).toEqual([1, 2, 3, 4, 5, "gap", 20]);
    expect(pageWindow(10, 20)).toEqual([1, "gap", 9, 10, 11, "gap", 20]);
    expect(pageWindow(20, 20)).toEqual([1, "gap", 16, 17, 18, 19, 20]);
  });
});

describe("pageRange", () => {
  it("numbers the rows of a page across pages", () => {
    expect(pageRange(1, 20, 20)).toEqual({ from: 1, to: 20 });
    expect(pageRange(3, 20, 14)).toEqual({ from: 41, to: 54 });
    expect(pageRange(2, 50, 1)).toEqual({ from: 51, to: 51 });
  });

  it("is 0–0 for an empty page", () => {
    expect(pageRange(1, 20, 0)).toEqual({ from: 0, to: 0 });
    expect(pageRange(4, 20, 0)).toEqual({ from: 0, to: 0 });
  });
});
