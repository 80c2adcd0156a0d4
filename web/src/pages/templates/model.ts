// The content of a template version as the API sends and takes it: ordered
// clauses with Markdown text and typed parameters, and a contract's values
// and deviations. Decimal values travel as strings ("99.5"), never floats.

export type ParameterKind = "integer" | "decimal" | "percent" | "money" | "duration" | "text" | "choice";
export type DurationUnit = "days" | "months";

export const PARAMETER_KINDS: readonly ParameterKind[] = [
  "integer",
  "decimal",
  "percent",
  "money",
  "duration",
  "text",
  "choice",
];

export type ParameterValue =
  | { kind: "integer"; value: number }
  | { kind: "decimal"; value: string }
  | { kind: "percent"; value: string }
  | { kind: "money"; value: string }
  | { kind: "duration"; value: number }
  | { kind: "text"; value: string }
  | { kind: "choice"; value: string };

export interface Parameter {
  name: string;
  label: string;
  kind: ParameterKind;
  duration_unit?: DurationUnit | null;
  unit?: string | null;
  required?: boolean;
  default?: ParameterValue | null;
  min?: string | null;
  max?: string | null;
  choices?: string[];
}

export interface Clause {
  key: string;
  number: string;
  heading: string;
  text: string;
  required: boolean;
  guidance?: string | null;
  parameters?: Parameter[];
}

export interface VersionContent {
  clauses: Clause[];
}

export interface Deviation {
  clause_key: string;
  text: string;
  reason: string;
}

/** Whether min and max apply to the kind. */
export function isBounded(kind: ParameterKind): boolean {
  return kind !== "text" && kind !== "choice";
}

/** Every parameter of a version, in clause order. */
export function allParameters(content: VersionContent): Parameter[] {
  return content.clauses.flatMap((c) => c.parameters ?? []);
}

/** A new key for a clause: a random UUID (keys stay the same across versions). */
export function newKey(): string {
  return crypto.randomUUID();
}

/** A parameter as the API takes it: absent values left out, never null. */
function apiParameter(p: Parameter): Parameter {
  const out: Parameter = { name: p.name, label: p.label, kind: p.kind, required: p.required ?? true, choices: p.choices ?? [] };
  if (p.duration_unit) out.duration_unit = p.duration_unit;
  if (p.unit) out.unit = p.unit;
  if (p.default) out.default = p.default;
  if (p.min != null) out.min = p.min;
  if (p.max != null) out.max = p.max;
  return out;
}

/** The content as the API takes it: every clause with its parameters, absent values left out. */
export function apiContent(content: VersionContent): VersionContent {
  return {
    clauses: content.clauses.map((c) => {
      const out: Clause = {
        key: c.key,
        number: c.number.trim(),
        heading: c.heading.trim(),
        text: c.text,
        required: c.required,
        parameters: (c.parameters ?? []).map(apiParameter),
      };
      if (c.guidance != null && c.guidance.trim() !== "") out.guidance = c.guidance.trim();
      return out;
    }),
  };
}
