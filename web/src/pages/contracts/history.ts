// A contract's history as field-by-field changes: the API gives each event's
// whole contract before and after, and the page shows only what differs.

/** Fields that change on every write or are derived, so they say nothing about the edit itself. */
const IGNORED = new Set([
  "id",
  "version",
  "owner",
  "created_at",
  "updated_at",
  "shared",
  "shared_with_viewer",
  "notice_deadline",
  "effective_end",
  "latest_end",
  "retender_start",
  "decision",
]);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Decimal strings compare by value, so "310000" and "310000.00" are the same amount. */
function normalise(value: unknown): string {
  if (value === undefined || value === null || value === "") return "null";
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) {
    return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
  }
  return JSON.stringify(value);
}

/** The fields whose values differ between two snapshots, in the order they first appear. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !IGNORED.has(key) && normalise(b[key]) !== normalise(a[key]))
    .map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}
