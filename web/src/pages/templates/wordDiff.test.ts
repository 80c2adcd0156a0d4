import { describe, expect, it } from "vitest";
import { tokens, wordDiff } from "./wordDiff";

const join = (segments: { op: string; text: string }[], keep: "before" | "after") =>
  segments
    .filter((s) => s.op === "same" || s.op === (keep === "after" ? "ins" : "del"))
    .map((s) => s.text)
    .join("");

describe("word diff", () => {
  it("keeps the text in its tokens", () => {
    expect(tokens("Oppetid  er\n99 %").join("")).toBe("Oppetid  er\n99 %");
  });

  it("marks a changed word as deleted and inserted", () => {
    expect(wordDiff("Oppetiden er 99 % pr. måned", "Oppetiden er 99,5 % pr. måned")).toEqual([
      { op: "same", text: "Oppetiden er " },
      { op: "del", text: "99 " },
      { op: "ins", text: "99,5 " },
      { op: "same", text: "% pr. måned" },
    ]);
  });

  it("finds insertions and deletions in the middle", () => {
    const segments = wordDiff("a b c d e", "a x c e f");
    expect(segments.filter((s) => s.op === "del").map((s) => s.text.trim())).toEqual(["b", "d"]);
    expect(segments.filter((s) => s.op === "ins").map((s) => s.text.trim())).toEqual(["x", "f"]);
  });

  it("rebuilds both texts from the segments", () => {
    const before = "Leverandøren skal levere rapporter hver måned og svare inden for 4 timer.";
    const after = "Leverandøren skal levere skriftlige rapporter hvert kvartal og svare inden for 2 timer på hverdage.";
    const segments = wordDiff(before, after);
    expect(join(segments, "before")).toBe(before);
    expect(join(segments, "after")).toBe(after);
  });

  it("treats an empty side as all inserted or all deleted", () => {
    expect(wordDiff("", "ny tekst")).toEqual([{ op: "ins", text: "ny tekst" }]);
    expect(wordDiff("gammel tekst", "")).toEqual([{ op: "del", text: "gammel tekst" }]);
    expect(wordDiff("samme", "samme")).toEqual([{ op: "same", text: "samme" }]);
  });
});
