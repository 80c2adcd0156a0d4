// The import wizard's model: the register's fields a column can fill, the
// user's choice per column (kept across steps), and the checks made before
// the file is sent to a trial import.

import type { ContractImport, ImportColumn } from "./importApi";

/** The register's fields in the order of the exported file. */
export const IMPORT_FIELDS = [
  "title",
  "reference",
  "description",
  "status",
  "contract_type",
  "parent_reference",
  "supplier_cvr",
  "supplier_name",
  "systems",
  "category",
  "cpv_code",
  "agreement_elements",
  "procedure",
  "framework_agreement",
  "annual_value",
  "total_value",
  "payment_model",
  "payment_frequency",
  "price_regulation",
  "signed_on",
  "start_on",
  "end_on",
  "irrevocable_until",
  "option_months",
  "options_total",
  "options_exercised",
  "notice_period_months",
  "notice_to",
  "terminated_on",
  "retender_lead_months",
  "system_owner",
  "responsible_unit",
  "supplier_contact",
  "criticality",
  "notes",
  "publishable",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields every contract needs, so some column must fill them. */
export const REQUIRED_FIELDS: readonly ImportField[] = ["title", "supplier_cvr", "start_on"];

export function isImportField(value: string | null | undefined): value is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(value ?? "");
}

/** Per column index: the field it fills, or "" when the column is ignored. */
export type Choices = Readonly<Record<number, ImportField | "">>;

/** The server's suggestions, as the starting choice. */
export function suggestedChoices(columns: readonly ImportColumn[]): Choices {
  const choices: Record<number, ImportField | ""> = {};
  for (const column of columns) {
    choices[column.index] = isImportField(column.suggested_field) ? column.suggested_field : "";
  }
  return choices;
}

/**
 * Choices for a newly read file (another sheet, or the same file again):
 * a column whose header the user has already mapped keeps that choice;
 * other columns start from the suggestion.
 */
export function carryChoices(
  previous: { columns: readonly ImportColumn[]; choices: Choices } | null,
  columns: readonly ImportColumn[],
): Choices {
  const suggested = suggestedChoices(columns);
  if (!previous) return suggested;
  const byHeader = new Map<string, ImportField | "">();
  for (const column of previous.columns) {
    const choice = previous.choices[column.index];
    const key = column.header.trim().toLowerCase();
    if (choice !== undefined && !byHeader.has(key)) byHeader.set(key, choice);
  }
  const next: Record<number, ImportField | ""> = {};
  for (const column of columns) {
    next[column.index] = byHeader.get(column.header.trim().toLowerCase()) ?? suggested[column.index] ?? "";
  }
  return next;
}

export interface MappingProblems {
  /** Column index → the field it shares with another column. */
  duplicates: ReadonlyMap<number, { field: ImportField; others: readonly ImportColumn[] }>;
  /** Required fields no column fills. */
  missing: readonly ImportField[];
}

export function mappingProblems(columns: readonly ImportColumn[], choices: Choices): MappingProblems {
  const byField = new Map<ImportField, ImportColumn[]>();
  for (const column of columns) {
    const field = choices[column.index];
    if (!field) continue;
    byField.set(field, [...(byField.get(field) ?? []), column]);
  }
  const duplicates = new Map<number, { field: ImportField; others: readonly ImportColumn[] }>();
  for (const [field, list] of byField) {
    if (list.length < 2) continue;
    for (const column of list) {
      duplicates.set(column.index, { field, others: list.filter((c) => c.index !== column.index) });
    }
  }
  const missing = REQUIRED_FIELDS.filter((field) => !byField.has(field));
  return { duplicates, missing };
}

export function hasProblems(problems: MappingProblems): boolean {
  return problems.duplicates.size > 0 || problems.missing.length > 0;
}

/**
 * The mapping as the API takes it: column → field, ignored columns left out.
 * A column is named by its header, or by its index (from 0) when another
 * column has the same header or it has none.
 */
export function mappingBody(columns: readonly ImportColumn[], choices: Choices): Record<string, string> {
  const counts = new Map<string, number>();
  for (const column of columns) counts.set(column.header, (counts.get(column.header) ?? 0) + 1);
  const body: Record<string, string> = {};
  for (const column of columns) {
    const field = choices[column.index];
    if (!field) continue;
    const unique = column.header.trim() !== "" && counts.get(column.header) === 1;
    body[unique ? column.header : String(column.index)] = field;
  }
  return body;
}

/** How far a job has come, 0–1; null while the number of rows is unknown. */
export function progressFraction(job: Pick<ContractImport, "progress">): number | null {
  const total = job.progress.rows_total;
  if (total <= 0) return null;
  return Math.min(1, Math.max(0, job.progress.rows_done / total));
}

export function isFinished(job: Pick<ContractImport, "state">): boolean {
  return job.state === "done" || job.state === "failed";
}

/** Files the import reads, by extension (browsers report CSV's type inconsistently). */
export function importFileKind(name: string): "csv" | "xlsx" | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv") || lower.endsWith(".txt")) return "csv";
  if (lower.endsWith(".xlsx")) return "xlsx";
  return null;
}

export const IMPORT_ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
