import { describe, expect, it } from "vitest";
import { orderColumns, readView, savedQuery, withView, writeView, type ColumnSet } from "./view";

const set: ColumnSet = {
  all: ["title", "reference", "supplier", "status", "annual_value", "total_value"],
  defaults: ["title", "supplier", "status", "annual_value"],
  fixed: ["title"],
};

describe("a list's view in the address", () => {
  it("opens with the default columns and normal rows", () => {
    expect(readView(new URLSearchParams(""), set)).toEqual({
      columns: ["title", "supplier", "status", "annual_value"],
      density: "normal",
    });
  });

  it("reads chosen columns in the list's order, whatever order the link has", () => {
    const view = readView(new URLSearchParams("cols=total_value,reference&density=compact"), set);
    expect(view).toEqual({ columns: ["title", "reference", "total_value"], density: "compact" });
  });

  it("ignores unknown columns and falls back when nothing usable is left", () => {
    expect(readView(new URLSearchParams("cols=bogus,status,<script>"), set).columns).toEqual(["title", "status"]);
    expect(readView(new URLSearchParams("cols=bogus,,"), set).columns).toEqual(set.defaults);
    expect(readView(new URLSearchParams("cols="), set).columns).toEqual(set.defaults);
    expect(readView(new URLSearchParams("density=tight"), set).density).toBe("normal");
  });

  it("always shows the fixed column", () => {
    expect(orderColumns(set, ["status"])).toEqual(["title", "status"]);
  });

  it("writes only what differs from the defaults, keeping the filters", () => {
    const base = new URLSearchParams("status=active&page=2");
    expect(writeView(base, { columns: set.defaults, density: "normal" }, set).toString()).toBe("status=active&page=2");
    expect(writeView(base, { columns: ["status", "title"], density: "compact" }, set).toString()).toBe(
      "status=active&page=2&cols=title%2Cstatus&density=compact",
    );
    expect(withView("?cols=title&density=compact", { columns: set.defaults, density: "normal" }, set)).toBe("");
  });

  it("reads back what it writes", () => {
    const view = { columns: ["title", "reference", "total_value"], density: "compact" as const };
    expect(readView(new URLSearchParams(withView("q=esdh", view, set)), set)).toEqual(view);
  });

  it("keeps a saved view without its page number", () => {
    expect(savedQuery("?status=active&page=3&cols=title", ["page"])).toBe("status=active&cols=title");
    expect(savedQuery("?side=2", ["side"])).toBe("");
  });
});
