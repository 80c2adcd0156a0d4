import { describe, expect, it } from "vitest";
import {
  actorText,
  apiParams,
  fieldLabel,
  formatBytes,
  type Lookups,
  changedFields,
  copenhagenMidnight,
  displayValue,
  formatWhen,
  whenParts,
  objectHref,
  nextDay,
  parseDanishDate,
  querySearch,
  readQuery,
} from "./audit";

const words = { yes: "Ja", no: "Nej", unknown: "(findes ikke længere)" };

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

const OPTION_LABELS = new Map([
  ["notice_to:quarter", "Udgangen af et kvartal"],
  ["status:active", "Aktiv"],
  ["contract_type:main", "Hovedkontrakt"],
]);
const lookups: Lookups = {
  collaborations: new Map([["7b2d8a8e-1111-4c4c-9c9c-000000000001", "Midtsjællands it-fællesskab"]]),
  municipalities: new Map([["7b2d8a8e-2222-4c4c-9c9c-000000000002", "Ringsted Kommune"]]),
  contracts: new Map([["7b2d8a8e-3333-4c4c-9c9c-000000000003", "ESDH-driftsaftale"]]),
  option: (list, code) => OPTION_LABELS.get(`${list}:${code}`) ?? null,
};
const show = (field: string, value: unknown) => displayValue(field, value, lookups, words);

describe("values", () => {
  it("writes yes/no, dates and times the Danish way", () => {
    expect(show("active", true)).toBe("Ja");
    expect(show("description", null)).toBeNull();
    expect(show("agreement_elements", [])).toBeNull();
    expect(show("start_on", "2026-03-01")).toBe("01.03.2026");
    expect(show("archived_at", "2026-03-01T10:00:00Z")).toBe("01.03.2026 kl. 11.00");
    expect(show("archived_at", "2026-07-01T10:05:00Z")).toBe("01.07.2026 kl. 12.05");
  });

  it("writes amounts in Danish kroner, never through floating point", () => {
    expect(show("annual_value", "1234567.89")).toBe("1.234.567,89 kr.");
    expect(show("total_value", "310000")).toBe("310.000,00 kr.");
    expect(show("total_value", "9007199254740993.01")).toBe("9.007.199.254.740.993,01 kr.");
  });

  it("calls an absent end date Løbende, and other empty fields empty", () => {
    expect(show("end_on", null)).toBe("Løbende");
    expect(show("effective_end", "")).toBe("Løbende");
    expect(show("latest_end", undefined)).toBe("Løbende");
    expect(show("terminated_on", null)).toBeNull();
  });

  it("names what ids stand for, and never shows a bare id", () => {
    expect(show("collaboration_id", "7b2d8a8e-1111-4c4c-9c9c-000000000001")).toBe("Midtsjællands it-fællesskab");
    expect(show("tenant_id", "7b2d8a8e-2222-4c4c-9c9c-000000000002")).toBe("Ringsted Kommune");
    expect(show("parent_id", "7b2d8a8e-3333-4c4c-9c9c-000000000003")).toBe("ESDH-driftsaftale");
    expect(show("collaboration_id", "7b2d8a8e-9999-4c4c-9c9c-000000000009")).toBe("(findes ikke længere)");
    expect(show("some_ref", "7b2d8a8e-9999-4c4c-9c9c-000000000009")).toBe("(findes ikke længere)");
  });

  it("names codes by their Danish labels", () => {
    expect(show("notice_to", "quarter")).toBe("Udgangen af et kvartal");
    expect(show("contract_type", "main")).toBe("Hovedkontrakt");
    expect(show("status", "active")).toBe("Aktiv");
    expect(show("status", "in_use")).toBe("I drift");
    expect(show("role", "editor")).toBe("Redaktør");
    expect(show("role", "coordinator")).toBe("Koordinator");
    expect(show("scopes", ["contracts:read"])).toBe("Læse kontrakter, også dem der er delt med kommunen");
  });

  it("names suppliers, systems and members", () => {
    expect(show("supplier", { id: "x", cvr: "12345678", name: "KMD A/S" })).toBe("KMD A/S (CVR 12345678)");
    expect(show("systems", [{ id: "a", name: "ESDH" }, { id: "b", name: "Økonomi" }])).toBe("ESDH, Økonomi");
    expect(show("members", [{ tenant_name: "Sorø Kommune", status: "active" }])).toBe("Sorø Kommune (medlem)");
  });

  it("writes file sizes in Danish", () => {
    expect(show("size_bytes", 850)).toBe("850 byte");
    expect(show("size_bytes", 12_400)).toBe("12,4 kB");
    expect(formatBytes(3_100_000)).toBe("3,1 MB");
  });

  it("compares amounts by value", () => {
    expect(changedFields({ total_value: "310000" }, { total_value: "310000.00" })).toEqual([]);
  });
});

describe("labels", () => {
  it("labels every field the server records in Danish", () => {
    const recorded = [
      "effective_end",
      "latest_end",
      "notice_deadline",
      "retender_start",
      "sha256",
      "size_bytes",
      "content_type",
      "collaboration_id",
      "contract_id",
      "tenant_id",
      "shares_withdrawn",
      "notice_to",
      "annual_value",
      "supplier",
      "systems",
      "invited",
      "municipality_code",
    ];
    for (const field of recorded) {
      const label = fieldLabel(field);
      expect(label, field).not.toMatch(/_|^[a-z]/);
      expect(label, field).not.toBe(field);
    }
    expect(fieldLabel("sha256")).toBe("Kontrolsum (SHA-256)");
    expect(fieldLabel("notice_to")).toBe("Opsigelse til");
  });

  it("writes an unknown field as words, not as an identifier", () => {
    expect(fieldLabel("brand_new_field")).toBe("Brand new field");
  });
});

describe("who", () => {
  it("names people by name, falling back to what was recorded", () => {
    expect(actorText({ actor: "anna@soroe.dk", actor_name: "Anna Holm" }, "Kommandolinjen")).toBe("Anna Holm");
    expect(actorText({ actor: "anna@soroe.dk" }, "Kommandolinjen")).toBe("anna@soroe.dk");
    expect(actorText({ actor: "API-klient: ERP" }, "Kommandolinjen")).toBe("API-klient: ERP");
    expect(actorText({ actor: "console" }, "Kommandolinjen")).toBe("Kommandolinjen");
  });
});

describe("when", () => {
  it("writes dd.mm.åååå kl. tt.mm in Copenhagen time, as the rest of the app", () => {
    expect(formatWhen("2026-11-22T18:55:25.524906121+00:00")).toBe("22.11.2026 kl. 19.55");
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

describe("when, in pieces", () => {
  it("splits the date from the time so neither breaks inside", () => {
    expect(whenParts("2026-11-22T18:55:25Z")).toEqual(["22.11.2026", "kl. 19.55"]);
  });
});
