import { describe, expect, it } from "vitest";
import { apiContent } from "./model";

describe("content sent to the API", () => {
  it("leaves absent values out instead of sending null", () => {
    const sent = apiContent({
      clauses: [
        {
          key: "k",
          number: " 2 ",
          heading: " Oppetid ",
          text: "Tekst {{a}}",
          required: true,
          guidance: " ",
          parameters: [{ name: "a", label: "A", kind: "percent", duration_unit: null, unit: null, default: null, min: "95", max: null }],
        },
      ],
    });
    expect(sent).toEqual({
      clauses: [
        {
          key: "k",
          number: "2",
          heading: "Oppetid",
          text: "Tekst {{a}}",
          required: true,
          parameters: [{ name: "a", label: "A", kind: "percent", required: true, choices: [], min: "95" }],
        },
      ],
    });
    expect(JSON.stringify(sent)).not.toContain("null");
  });
});
