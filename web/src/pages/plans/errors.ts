// Field errors for tender plans, planned tenders and participations,
// worded from this area's catalogue: by code with the field's Danish name,
// or the server's words.

import type { Problem, ProblemField } from "../../api/types";
import { tOptional } from "../../i18n";

export function planFieldLabel(field: string): string {
  return tOptional(`planFields.${field}`) ?? field;
}

export function planFieldMessage(error: ProblemField): string {
  const label = planFieldLabel(error.field).toLowerCase();
  return tOptional(`contractErrors.${error.code}`, { field: label }) ?? error.message;
}

/** Field errors keyed by the request's field name (the first per field). */
export function planFieldErrors(problem: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) out[error.field] ??= planFieldMessage(error);
  return out;
}
