import { describe, expect, it } from "vitest";
import { nextSideSort, readSideQuery, sideSearch, sideSortDirection } from "./sideBySideQuery";

describe("the side-by-side view's address", () => {
  it("reads what it writes", () => {
    const query = readSideQuery(new URLSearchParams("group_by=supplier&sort=-annual_value&q=kmd&page=2"));
    expect(query.group_by).toBe("supplier");
    expect(query.sort).toBe("-annual_value");
    expect(sideSearch(query)).toBe("?q=kmd&group_by=supplier&sort=-annual_value&page=2");
  });

  it("drops what the API would refuse", () => {
    const query = readSideQuery(new URLSearchParams("group_by=price&sort=price&page=-1&notice_within_days=x"));
    expect(query.group_by).toBe("");
    expect(query.sort).toBe("");
    expect(query.page).toBe(1);
    expect(query.notice_within_days).toBe("");
    expect(sideSearch(query)).toBe("");
  });

  it("sorts ascending first, then descending; title ascending by default", () => {
    expect(nextSideSort("", "end")).toBe("end");
    expect(nextSideSort("end", "end")).toBe("-end");
    expect(sideSortDirection("-end", "end")).toBe("descending");
    expect(sideSortDirection("", "title")).toBe("ascending");
    expect(sideSortDirection("end", "title")).toBeUndefined();
  });
});
