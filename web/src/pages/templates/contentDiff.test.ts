import { describe, expect, it } from "vitest";
import { diffContents, hasChanges } from "./contentDiff";
import type { Clause, Parameter } from "./model";

const p = (name: string, patch: Partial<Parameter> = {}): Parameter => ({ name, label: name, kind: "integer", ...patch });
const c = (key: string, patch: Partial<Clause> = {}): Clause => ({ key, number: key, heading: `Klausul ${key}`, text: `Tekst ${key}`, required: true, ...patch });

describe("comparing two versions", () => {
  it("finds nothing between equal versions", () => {
    const v = { clauses: [c("1"), c("2")] };
    const diff = diffContents(v, v);
    expect(hasChanges(diff)).toBe(false);
    expect(diff.clauses.map((x) => x.status)).toEqual(["unchanged", "unchanged"]);
  });

  it("finds added, removed and changed clauses, removed ones where they stood", () => {
    const from = { clauses: [c("1"), c("2"), c("3")] };
    const to = { clauses: [c("1", { text: "Ny tekst" }), c("3"), c("4")] };
    const diff = diffContents(from, to);
    expect(diff.clauses.map((x) => [x.key, x.status, x.moved])).toEqual([
      ["1", "changed", false],
      ["2", "removed", false],
      ["3", "unchanged", false],
      ["4", "added", false],
    ]);
    expect(diff.clauses[0]?.fields).toEqual(["text"]);
  });

  it("marks only the clause that moved, not the ones it passed", () => {
    const from = { clauses: [c("1"), c("2"), c("3"), c("4")] };
    const to = { clauses: [c("1"), c("4"), c("2"), c("3")] };
    const diff = diffContents(from, to);
    expect(diff.clauses.filter((x) => x.moved).map((x) => [x.key, x.fromPosition, x.toPosition])).toEqual([["4", 4, 2]]);
    expect(hasChanges(diff)).toBe(true);
  });

  it("compares parameters by name", () => {
    const from = { clauses: [c("1", { parameters: [p("a"), p("b", { max: "5" })] }), c("2", { parameters: [p("gone")] })] };
    const to = { clauses: [c("1", { parameters: [p("a"), p("b", { max: "10" }), p("new")] }), c("2")] };
    const diff = diffContents(from, to);
    expect(diff.parameters.map((x) => [x.name, x.status, x.fields])).toEqual([
      ["b", "changed", ["max"]],
      ["new", "added", []],
      ["gone", "removed", []],
    ]);
  });
});
