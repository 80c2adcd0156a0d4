import { describe, expect, it } from "vitest";
import { isFiltered, querySearch, readQuery } from "./query";

describe("template library query", () => {
  it("reads the filters from the address and writes them back", () => {
    const id = "0b6c7a8e-1f2d-4c3b-9a8e-7d6c5b4a3f21";
    const query = readQuery(new URLSearchParams(`q=%20drift%20&kind=k04&origin=adopted&collaboration_id=${id}&has_newer_origin=true&page=2`));
    expect(query).toEqual({ q: "drift", kind: "k04", origin: "adopted", collaboration_id: id, has_newer_origin: true, page: 2 });
    expect(querySearch(query)).toBe(`?q=drift&kind=k04&origin=adopted&collaboration_id=${id}&has_newer_origin=true&page=2`);
    expect(isFiltered(query)).toBe(true);
  });

  it("ignores unknown kinds, origins, ids and pages", () => {
    const query = readQuery(new URLSearchParams("kind=k99&origin=stolen&collaboration_id=1&page=0&has_newer_origin=yes"));
    expect(query).toEqual({ q: "", kind: "", origin: "", collaboration_id: "", has_newer_origin: false, page: 1 });
    expect(querySearch(query)).toBe("");
    expect(isFiltered(query)).toBe(false);
  });
});
