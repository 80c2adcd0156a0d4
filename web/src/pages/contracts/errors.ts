// Field errors for contracts, worded from this area's catalogue: by field
// and code, by code with the field's Danish name, or the server's words.

import type { Problem, ProblemField } from "../../api/types";
import { tOptional } from "../../i18n";

export function contractFieldLabel(field: string): string {
  return tOptional(`contractFields.${field}`) ?? field;
}

export function contractFieldMessage(error: ProblemField): string {
  const label = contractFieldLabel(error.field).toLowerCase();
  return (
    tOptional(`contractErrorOverrides.${error.field}.${error.code}`) ??
    tOptional(`contractErrors.${error.code}`, { field: label }) ??
    error.message
  );
}

/** Field errors keyed by the request's field name (the first per field). */
export function contractFieldErrors(problem: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) out[error.field] ??= contractFieldMessage(error);
  return out;
}
