import { describe, expect, it } from "vitest";
import { clauseIndex, draftErrors } from "./draftErrors";

describe("a refused draft", () => {
  it("keeps clause errors by their path and the rest as sentences", () => {
    const { byPath, other } = draftErrors({
      type: "about:blank",
      title: "Ugyldige data",
      status: 422,
      errors: [
        { field: "content.clauses[1].heading", code: "required", message: "Udfyld overskriften" },
        { field: "clauses[2].parameters[0].name", code: "duplicate", message: "Parameteren findes allerede" },
        { field: "content.clauses[1].heading", code: "too_long", message: "second" },
        { field: "change_note", code: "required", message: "Udfyld ændringsnoten" },
      ],
    });
    expect(byPath).toEqual({
      "clauses[1].heading": "Udfyld overskriften",
      "clauses[2].parameters[0].name": "Parameteren findes allerede",
    });
    expect(other).toHaveLength(1);
  });

  it("finds the clause a path is about", () => {
    expect(clauseIndex("clauses[12].text")).toBe(12);
    expect(clauseIndex("change_note")).toBeNull();
  });
});
