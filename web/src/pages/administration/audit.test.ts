import { describe, expect, it } from "vitest";
import {
  apiParams,
  changedFields,
  copenhagenMidnight,
  displayValue,
  formatWhen,
  objectHref,
  nextDay,
  parseDanishDate,
  querySearch,
  readQuery,
} from "./audit";

const words = { yes: "Ja", no: "Nej" };

describe("audit query", () => {
  it("reads and writes the address", () => {
    const query = readQuery(new URLSearchParams("type=api_client&handling=created&af=admin&fra=2026-11-01&side=2"));
    expect(query).toEqual({ kind: "api_client", action: "created", actor: "admin", from: "2026-11-01", to: "", page: 2 });
    expect(querySearch(query)).toBe("?type=api_client&handling=created&af=admin&fra=2026-11-01&side=2");
    expect(querySearch({ ...query, kind: "", action: "", actor: " ", from: "", page: 1 })).toBe("");
  });

  it("drops invalid dates and pages", () => {
    const query = readQuery(new URLSearchParams("fra=2026-02-30&til=nonsense&side=-1"));
    expect(query.from).toBe("");
    expect(query.to).toBe("");
    expect(query.page).toBe(1);
  });

  it("builds the API's parameters with Copenhagen day bounds", () => {
    const params = apiParams({ kind: "user", action: "created", actor: "", from: "2026-01-10", to: "2026-07-01", page: 1 });
    expect(params.action).toBe("user.created");
    expect(params.from).toBe("2026-01-09T23:00:00.000Z");
    expect(params.to).toBe("2026-07-01T22:00:00.000Z");
    expect(params.actor).toBeUndefined();
  });
});

describe("dates", () => {
  it("parses dd.mm.yyyy", () => {
    expect(parseDanishDate("01.11.2026")).toBe("2026-11-01");
    expect(parseDanishDate("1.2.2026")).toBe("2026-02-01");
    expect(parseDanishDate("")).toBe("");
    expect(parseDanishDate("31.02.2026")).toBeNull();
    expect(parseDanishDate("2026-11-01")).toBeNull();
  });

  it("finds midnight in Copenhagen across daylight saving time", () => {
    expect(copenhagenMidnight("2026-12-24")).toBe("2026-12-23T23:00:00.000Z");
    expect(copenhagenMidnight("2026-06-24")).toBe("2026-06-23T22:00:00.000Z");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});

describe("changed fields", () => {
  it("keeps only fields that differ, ignoring bookkeeping", () => {
    const changes = changedFields(
      { name: "ERP", scopes: "contracts:read", version: 1, updated_at: "x", revoked_at: null },
      { name: "ERP", scopes: "contracts:read plans:read", version: 2, updated_at: "y", revoked_at: "" },
    );
    expect(changes).toEqual([{ field: "scopes", before: "contracts:read", after: "contracts:read plans:read" }]);
  });

  it("treats a missing before as empty", () => {
    expect(changedFields(undefined, { name: "A", note: null })).toEqual([{ field: "name", before: null, after: "A" }]);
  });
});

describe("values", () => {
  it("writes values the Danish way", () => {
    expect(displayValue(true, words)).toBe("Ja");
    expect(displayValue(null, words)).toBeNull();
    expect(displayValue([], words)).toBeNull();
    expect(displayValue("2026-03-01", words)).toBe("01.03.2026");
    expect(displayValue("2026-03-01T10:00:00Z", words)).toBe("01.03.2026 kl. 11.00");
    expect(displayValue(["a", "b"], words)).toBe("a, b");
    expect(displayValue([{ tenant_name: "Sorø Kommune", status: "active" }], words)).toBe("Sorø Kommune (medlem)");
  });
});

describe("when", () => {
  it("writes dd.mm.yyyy hh:mm in Copenhagen time", () => {
    expect(formatWhen("2026-11-22T18:55:25.524906121+00:00")).toBe("22.11.2026 19:55");
  });
});

describe("object links", () => {
  it("links contracts, systems and collaborations only", () => {
    expect(objectHref("contract", "a")).toBe("/kontrakter/a");
    expect(objectHref("it_system", "b")).toBe("/it-systemer/b");
    expect(objectHref("collaboration", "c")).toBe("/faellesskaber/c");
    expect(objectHref("user", "d")).toBeNull();
  });
});
