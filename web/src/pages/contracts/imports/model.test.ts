import { describe, expect, it } from "vitest";
import { da } from "../../../i18n/da";
import type { ImportColumn } from "./importApi";
import {
  carryChoices,
  hasProblems,
  IMPORT_FIELDS,
  importFileKind,
  mappingBody,
  mappingProblems,
  progressFraction,
  suggestedChoices,
} from "./model";

const columns: ImportColumn[] = [
  { index: 0, header: "Titel", samples: ["Drift af ESDH"], suggested_field: "title" },
  { index: 1, header: "Leverandør CVR", samples: ["10150817"], suggested_field: "supplier_cvr" },
  { index: 2, header: "Startdato", samples: ["01.01.2024"], suggested_field: "start_on" },
  { index: 3, header: "Intern note", samples: [] },
];

describe("the import mapping", () => {
  it("starts from the server's suggestions, ignoring columns without one", () => {
    expect(suggestedChoices(columns)).toEqual({ 0: "title", 1: "supplier_cvr", 2: "start_on", 3: "" });
  });

  it("ignores a suggestion that is not a field of the register", () => {
    expect(suggestedChoices([{ index: 0, header: "x", samples: [], suggested_field: "password" }])).toEqual({ 0: "" });
  });

  it("reports a field chosen for two columns on both of them", () => {
    const problems = mappingProblems(columns, { 0: "title", 1: "supplier_cvr", 2: "start_on", 3: "title" });
    expect([...problems.duplicates.keys()].sort()).toEqual([0, 3]);
    expect(problems.duplicates.get(3)?.others.map((c) => c.header)).toEqual(["Titel"]);
    expect(hasProblems(problems)).toBe(true);
  });

  it("reports required fields no column fills", () => {
    const problems = mappingProblems(columns, { 0: "title", 1: "", 2: "start_on", 3: "" });
    expect(problems.missing).toEqual(["supplier_cvr"]);
    expect(problems.duplicates.size).toBe(0);
  });

  it("is without problems when each required field has one column", () => {
    expect(hasProblems(mappingProblems(columns, suggestedChoices(columns)))).toBe(false);
  });

  it("keeps the user's choice for a header when another sheet is read", () => {
    const previous = { columns, choices: { 0: "title", 1: "supplier_cvr", 2: "start_on", 3: "notes" } as const };
    const next: ImportColumn[] = [
      { index: 0, header: "intern note", samples: [] },
      { index: 1, header: "Titel", samples: [], suggested_field: "title" },
      { index: 2, header: "Slutdato", samples: [], suggested_field: "end_on" },
    ];
    expect(carryChoices(previous, next)).toEqual({ 0: "notes", 1: "title", 2: "end_on" });
  });

  it("sends columns by header, by index when headers repeat, and leaves ignored ones out", () => {
    const twice: ImportColumn[] = [
      { index: 0, header: "Titel", samples: [] },
      { index: 1, header: "Dato", samples: [] },
      { index: 2, header: "Dato", samples: [] },
      { index: 3, header: "Noter", samples: [] },
    ];
    expect(mappingBody(twice, { 0: "title", 1: "start_on", 2: "end_on", 3: "" })).toEqual({
      Titel: "title",
      "1": "start_on",
      "2": "end_on",
    });
  });

  it("has a Danish label for every field", () => {
    const labels: Record<string, string | undefined> = { ...da.contractFields, ...da.importFields };
    for (const field of IMPORT_FIELDS) expect(labels[field], field).toBeTruthy();
  });
});

describe("import files and progress", () => {
  it("accepts CSV and XLSX by extension", () => {
    expect(importFileKind("Register.CSV")).toBe("csv");
    expect(importFileKind("kontrakter.xlsx")).toBe("xlsx");
    expect(importFileKind("kontrakter.xls")).toBeNull();
    expect(importFileKind("kontrakter.pdf")).toBeNull();
  });

  it("turns rows done into a fraction, unknown while the total is", () => {
    expect(progressFraction({ progress: { rows_done: 25, rows_total: 100 } })).toBe(0.25);
    expect(progressFraction({ progress: { rows_done: 0, rows_total: 0 } })).toBeNull();
    expect(progressFraction({ progress: { rows_done: 120, rows_total: 100 } })).toBe(1);
  });
});
