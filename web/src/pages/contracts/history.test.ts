import { describe, expect, it } from "vitest";
import { changedFields } from "./history";

describe("changedFields", () => {
  it("lists only the fields that changed", () => {
    const before = { id: "1", title: "A", annual_value: "100.00", updated_at: "x", systems: [{ id: "s" }] };
    const after = { id: "1", title: "B", annual_value: "100", updated_at: "y", systems: [{ id: "s" }, { id: "t" }] };
    expect(changedFields(before, after)).toEqual([
      { field: "title", before: "A", after: "B" },
      { field: "systems", before: [{ id: "s" }], after: [{ id: "s" }, { id: "t" }] },
    ]);
  });

  it("treats a missing snapshot as all fields new", () => {
    expect(changedFields(null, { title: "Ny", notes: null, notice_deadline: "2027-01-01" })).toEqual([
      { field: "title", before: null, after: "Ny" },
    ]);
  });

  it("treats null, absent and empty text alike", () => {
    expect(changedFields({ notes: null }, { notes: "" })).toEqual([]);
    expect(changedFields({}, { notes: null })).toEqual([]);
  });
});
