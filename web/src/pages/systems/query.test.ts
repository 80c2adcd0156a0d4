import { describe, expect, it } from "vitest";
import { isFiltered, isSystemStatus, querySearch, readQuery } from "./query";

describe("system list query", () => {
  it("reads the address and leaves defaults out when writing it", () => {
    const query = readQuery(new URLSearchParams("q=%20ESDH%20&status=in_use&arkiverede=ja&side=3"));
    expect(query).toEqual({ q: "ESDH", status: "in_use", archived: true, mine: false, page: 3 });
    expect(querySearch(query)).toBe("?q=ESDH&status=in_use&arkiverede=ja&side=3");
    expect(querySearch({ q: "", status: "", archived: false, mine: false, page: 1 })).toBe("");
  });

  it("keeps \"Mine it-systemer\" in the address, so it can be bookmarked", () => {
    const query = readQuery(new URLSearchParams("ejer=mig&q=ESDH"));
    expect(query.mine).toBe(true);
    expect(querySearch(query)).toBe("?ejer=mig&q=ESDH");
    expect(isFiltered(query)).toBe(true);
    expect(readQuery(new URLSearchParams("ejer=alle")).mine).toBe(false);
  });

  it("ignores an unknown status", () => {
    expect(readQuery(new URLSearchParams("status=broken")).status).toBe("");
  });

  it("ignores pages that are not positive whole numbers", () => {
    expect(readQuery(new URLSearchParams("side=0")).page).toBe(1);
    expect(readQuery(new URLSearchParams("side=2.5")).page).toBe(1);
    expect(readQuery(new URLSearchParams("side=x")).page).toBe(1);
  });

  it("knows when a search narrows the list", () => {
    expect(isFiltered({ q: "", status: "", archived: false, mine: false, page: 2 })).toBe(false);
    expect(isFiltered({ q: "a", status: "", archived: false, mine: false, page: 1 })).toBe(true);
    expect(isFiltered({ q: "", status: "retired", archived: false, mine: false, page: 1 })).toBe(true);
    expect(isFiltered({ q: "", status: "", archived: true, mine: false, page: 1 })).toBe(true);
  });

  it("recognises the three system statuses", () => {
    expect(isSystemStatus("in_use")).toBe(true);
    expect(isSystemStatus("active")).toBe(false);
    expect(isSystemStatus(undefined)).toBe(false);
  });
});
