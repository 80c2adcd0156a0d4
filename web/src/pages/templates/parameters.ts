// The parameter editor's form: what a person types for one parameter, read
// into the API's Parameter with Danish messages beside each field.

import { t } from "../../i18n";
import type { DurationUnit, Parameter, ParameterKind } from "./model";
import { isBounded } from "./model";
import { compareDecimal, parseDanishDecimal, parseValue, toDanishDecimal, valueInput } from "./values";

export interface ParameterForm {
  name: string;
  label: string;
  kind: ParameterKind;
  duration_unit: DurationUnit | "";
  unit: string;
  required: boolean;
  default: string;
  min: string;
  max: string;
  /** One choice a line. */
  choices: string;
}

export type ParameterField = "name" | "label" | "kind" | "duration_unit" | "unit" | "default" | "min" | "max" | "choices";
export type ParameterErrors = Partial<Record<ParameterField, string>>;

export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

export function emptyParameterForm(): ParameterForm {
  return { name: "", label: "", kind: "text", duration_unit: "", unit: "", required: true, default: "", min: "", max: "", choices: "" };
}

export function formOfParameter(p: Parameter): ParameterForm {
  return {
    name: p.name,
    label: p.label,
    kind: p.kind,
    duration_unit: p.duration_unit ?? "",
    unit: p.unit ?? "",
    required: p.required ?? true,
    default: valueInput(p.default),
    min: p.min != null ? toDanishDecimal(p.min) : "",
    max: p.max != null ? toDanishDecimal(p.max) : "",
    choices: (p.choices ?? []).join("\n"),
  };
}

function choiceList(text: string): string[] {
  return text
    .split("\n")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/**
 * Reads the form. `taken` are the names of the version's other parameters.
 * Gives the parameter when every field is right, otherwise the errors.
 */
export function readParameter(
  form: ParameterForm,
  taken: readonly string[] = [],
): { parameter: Parameter; errors: null } | { parameter: null; errors: ParameterErrors } {
  const errors: ParameterErrors = {};
  const name = form.name.trim();
  if (name === "") errors.name = t("templates.parameters.errors.nameRequired");
  else if (!NAME_PATTERN.test(name) || name.length > 64) errors.name = t("templates.parameters.errors.nameInvalid");
  else if (taken.includes(name)) errors.name = t("templates.parameters.errors.nameTaken", { name });
  const label = form.label.trim();
  if (label === "") errors.label = t("templates.parameters.errors.labelRequired");
  else if (label.length > 200) errors.label = t("templates.parameters.errors.labelTooLong");
  if (form.unit.trim().length > 40) errors.unit = t("templates.parameters.errors.unitTooLong");
  if (form.kind === "duration" && form.duration_unit === "") errors.duration_unit = t("templates.parameters.errors.durationUnitRequired");

  const choices = form.kind === "choice" ? choiceList(form.choices) : [];
  if (form.kind === "choice") {
    if (choices.length === 0) errors.choices = t("templates.parameters.errors.choicesRequired");
    else if (new Set(choices).size !== choices.length) errors.choices = t("templates.parameters.errors.choicesDuplicate");
    else if (choices.length > 50) errors.choices = t("templates.parameters.errors.choicesTooMany");
  }

  let min: string | null = null;
  let max: string | null = null;
  if (isBounded(form.kind)) {
    for (const field of ["min", "max"] as const) {
      const text = form[field].trim();
      if (text === "") continue;
      const value = parseDanishDecimal(text);
      if (value === null) errors[field] = t("templates.parameters.errors.boundNotANumber");
      else if ((form.kind === "integer" || form.kind === "duration") && value.includes(".")) {
        errors[field] = t("templates.values.wholeNumber");
      } else if (field === "min") min = value;
      else max = value;
    }
    if (min !== null && max !== null && compareDecimal(max, min) < 0) errors.max = t("templates.parameters.errors.maxBelowMin");
  }

  let defaultValue: Parameter["default"] = null;
  if (form.default.trim() !== "" && !(form.kind === "choice" && errors.choices)) {
    const parsed = parseValue(form.default, { kind: form.kind, min, max, choices });
    if (parsed.ok) defaultValue = parsed.value;
    else errors.default = parsed.error;
  }

  if (Object.keys(errors).length > 0) return { parameter: null, errors };
  return {
    parameter: {
      name,
      label,
      kind: form.kind,
      duration_unit: form.kind === "duration" && form.duration_unit !== "" ? form.duration_unit : null,
      unit: form.unit.trim() === "" ? null : form.unit.trim(),
      required: form.required,
      default: defaultValue,
      min,
      max,
      choices,
    },
    errors: null,
  };
}
