import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, exportPath, isFiltered, isOwnerChoice, nextSort, querySearch, readQuery, sortDirection } from "./query";

describe("contract list query", () => {
  it("reads the API's parameter names from the address", () => {
    const q = readQuery(
      new URLSearchParams(
        "q=ESDH&status=active&system_id=s1&supplier_id=l1&cpv=48&ends_before=2027-01-01&notice_within_days=90&include_archived=true&sort=-annual_value&page=3&page_size=200",
      ),
    );
    expect(q).toMatchObject({
      q: "ESDH",
      status: "active",
      system_id: "s1",
      supplier_id: "l1",
      cpv: "48",
      ends_before: "2027-01-01",
      notice_within_days: "90",
      include_archived: true,
      sort: "-annual_value",
      page: 3,
      page_size: 200,
    });
  });

  it("reads the template filters and drops invalid ones", () => {
    const q = readQuery(new URLSearchParams("template_id=t1&template_version=2&has_deviations=true"));
    expect(q).toMatchObject({ template_id: "t1", template_version: "2", has_deviations: "true" });
    expect(querySearch(q)).toBe("?template_id=t1&template_version=2&has_deviations=true");
    expect(isFiltered(q)).toBe(true);
    const bad = readQuery(new URLSearchParams("template_version=x&has_deviations=maybe"));
    expect(bad).toMatchObject({ template_version: "", has_deviations: "" });
  });

  it("reads the deadline filters Overblik links to, and drops invalid ones", () => {
    const q = readQuery(new URLSearchParams("retender_within_days=180&notice_overdue=true&retender_overdue=yes"));
    expect(q).toMatchObject({ retender_within_days: "180", notice_overdue: "true", retender_overdue: "" });
    expect(querySearch(q)).toBe("?retender_within_days=180&notice_overdue=true");
    const url = new URL(exportPath(q, "csv"), "http://x");
    expect(url.searchParams.get("retender_within_days")).toBe("180");
    expect(url.searchParams.get("notice_overdue")).toBe("true");
    expect(url.searchParams.get("retender_overdue")).toBeNull();
  });

  it("accepts the short names system and supplier", () => {
    const q = readQuery(new URLSearchParams("system=abc&supplier=def"));
    expect(q.system_id).toBe("abc");
    expect(q.supplier_id).toBe("def");
  });

  it("drops invalid values", () => {
    const q = readQuery(new URLSearchParams("page=-1&page_size=999&ends_after=1.1.2027&notice_within_days=x&scope=mine"));
    expect(q.page).toBe(1);
    expect(q.page_size).toBe(200);
    expect(q.ends_after).toBe("");
    expect(q.notice_within_days).toBe("");
    expect(q.scope).toBe("");
  });

  it("writes the query back without defaults and round-trips", () => {
    const empty = readQuery(new URLSearchParams());
    expect(querySearch(empty)).toBe("");
    expect(empty.page_size).toBe(DEFAULT_PAGE_SIZE);
    expect(isFiltered(empty)).toBe(false);
    const search = "?q=l%C3%B8n&status=active&sort=title&page=2";
    const q = readQuery(new URLSearchParams(search));
    expect(querySearch(q)).toBe(search);
    expect(isFiltered(q)).toBe(true);
  });

  it("toggles the sort direction per column", () => {
    expect(nextSort("", "title")).toBe("title");
    expect(nextSort("title", "title")).toBe("-title");
    expect(nextSort("-title", "title")).toBe("title");
    expect(nextSort("-title", "status")).toBe("status");
    expect(sortDirection("-title", "title")).toBe("descending");
    expect(sortDirection("title", "title")).toBe("ascending");
    expect(sortDirection("title", "status")).toBeUndefined();
  });
});

describe("the contract list's export", () => {
  it("carries the list's filters and sort, not its page", () => {
    const query = readQuery(
      new URLSearchParams("q=drift&status=active&supplier=s1&notice_within_days=90&has_deviations=false&sort=-annual_value&page=3&page_size=25"),
    );
    const url = new URL(exportPath(query, "xlsx"), "http://x");
    expect(url.pathname).toBe("/contracts/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: "xlsx",
      q: "drift",
      status: "active",
      supplier_id: "s1",
      notice_within_days: "90",
      has_deviations: "false",
      sort: "-annual_value",
    });
  });

  it("covers the municipality's own contracts unless shared ones are asked for, as the list does", () => {
    const url = new URL(exportPath(readQuery(new URLSearchParams("include_archived=true")), "csv"), "http://x");
    expect(url.searchParams.get("scope")).toBeNull();
    const shared = new URL(exportPath(readQuery(new URLSearchParams("scope=all")), "csv"), "http://x");
    expect(shared.searchParams.get("scope")).toBe("all");
    expect(url.searchParams.get("include_archived")).toBe("true");
    expect(url.searchParams.get("format")).toBe("csv");
  });
});

describe("owner choices", () => {
  it("tells a chosen owner from a typed name", () => {
    expect(isOwnerChoice("me")).toBe(true);
    expect(isOwnerChoice("none")).toBe(true);
    expect(isOwnerChoice("6f1c2a4e-0b7d-4c59-9a3e-2d7f8b1c0e55")).toBe(true);
    expect(isOwnerChoice("Digitalisering")).toBe(false);
    expect(isOwnerChoice("")).toBe(false);
  });
});
