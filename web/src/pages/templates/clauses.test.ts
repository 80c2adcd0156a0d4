import { describe, expect, it } from "vitest";
import { dropIndex, emptyClause, keyMove, moveAnnouncement, moveItem, nextNumber } from "./clauses";
import type { Clause } from "./model";

const clause = (number: string, heading = `Klausul ${number}`): Clause => ({ key: `k${number}`, number, heading, text: "", required: true });

describe("moving clauses", () => {
  it("moves an item up, down and to the ends, clamping at the edges", () => {
    expect(moveItem(["a", "b", "c", "d"], 2, 1)).toEqual(["a", "c", "b", "d"]);
    expect(moveItem(["a", "b", "c", "d"], 0, 1)).toEqual(["b", "a", "c", "d"]);
    expect(moveItem(["a", "b", "c", "d"], 0, 3)).toEqual(["b", "c", "d", "a"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 2, 9)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b"], 5, 0)).toEqual(["a", "b"]);
  });

  it("does not change the list it was given", () => {
    const list = ["a", "b"];
    moveItem(list, 0, 1);
    expect(list).toEqual(["a", "b"]);
  });

  it("drops before or after the item under the pointer", () => {
    const list = ["a", "b", "c", "d"];
    // a dragged onto the lower half of c lands after c
    expect(moveItem(list, 0, dropIndex(0, 2, true))).toEqual(["b", "c", "a", "d"]);
    // d dragged onto the upper half of b lands before b
    expect(moveItem(list, 3, dropIndex(3, 1, false))).toEqual(["a", "d", "b", "c"]);
    // onto itself: nothing moves
    expect(moveItem(list, 1, dropIndex(1, 1, false))).toEqual(list);
    expect(moveItem(list, 1, dropIndex(1, 0, true))).toEqual(list);
  });

  it("moves with Alt+arrow only", () => {
    expect(keyMove({ key: "ArrowUp", altKey: true })).toBe(-1);
    expect(keyMove({ key: "ArrowDown", altKey: true })).toBe(1);
    expect(keyMove({ key: "ArrowDown", altKey: false })).toBe(0);
    expect(keyMove({ key: "ArrowLeft", altKey: true })).toBe(0);
  });

  it("announces the move in Danish", () => {
    expect(moveAnnouncement("Oppetid", 2, 5)).toBe("Oppetid er flyttet til plads 2 af 5.");
    expect(moveAnnouncement("  ", 1, 1)).toBe("Klausul uden overskrift er flyttet til plads 1 af 1.");
  });
});

describe("new clauses", () => {
  it("are numbered after the highest whole number", () => {
    expect(nextNumber([])).toBe("1");
    expect(nextNumber([clause("1"), clause("4.2"), clause("Bilag 3"), clause("2")])).toBe("5");
  });

  it("get a fresh key and start required and empty", () => {
    const a = emptyClause([clause("1")]);
    const b = emptyClause([clause("1")]);
    expect(a.key).not.toBe(b.key);
    expect(a).toMatchObject({ number: "2", heading: "", text: "", required: true, parameters: [] });
  });
});
