import { describe, expect, it } from "vitest";
import { contractCount, refusedTitles, resultMessage } from "./BulkActions";

describe("bulk action messages", () => {
  it("counts one and many contracts", () => {
    expect(contractCount(1)).toBe("1 kontrakt");
    expect(contractCount(20)).toBe("20 kontrakter");
    expect(resultMessage({ changed: 20, unchanged: 0 })).toBe("20 kontrakter ændret.");
    expect(resultMessage({ changed: 1, unchanged: 19 })).toBe("1 kontrakt ændret. 19 kontrakter var allerede sådan.");
  });

  it("names the refused contracts by their place in the request", () => {
    const ids = ["a", "b", "c"];
    const titles = new Map([
      ["a", "ESDH"],
      ["c", "Løn"],
    ]);
    const refused = refusedTitles(
      {
        ok: false,
        status: 422,
        response: null,
        problem: {
          type: "about:blank",
          title: "Ugyldige felter",
          status: 422,
          errors: [
            { field: "contract_ids[2]", code: "not_found", message: "not one of the municipality's contracts" },
            { field: "contract_ids[1]", code: "archived", message: "archived" },
            { field: "action.category", code: "required", message: "must not be empty" },
          ],
        },
      },
      ids,
      titles,
    );
    expect(refused).toEqual(["Løn", "b"]);
    expect(refusedTitles({ ok: true, data: null, response: new Response() }, ids, titles)).toEqual([]);
  });
});
