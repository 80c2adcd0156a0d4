// A contract's use of a published template version as the form holds it:
// a value typed for each parameter (prefilled with the default) and, per
// clause, whether it deviates, the text that applies instead and why.

import { t } from "../../i18n";
import { allParameters, type Deviation, type ParameterValue, type VersionContent } from "./model";
import { parseValue, valueInput } from "./values";

export interface DeviationForm {
  deviates: boolean;
  text: string;
  reason: string;
}

export interface TemplateUseForm {
  /** Typed text by parameter name. */
  values: Record<string, string>;
  /** By clause key. */
  deviations: Record<string, DeviationForm>;
}

export interface TemplateUse {
  values: Record<string, ParameterValue>;
  deviations: Deviation[];
}

/** Field ids in the form, for labels and the error summary. */
export const valueFieldId = (name: string) => `template-value-${name}`;
export const deviationTextId = (key: string) => `template-deviation-${key}-text`;
export const deviationReasonId = (key: string) => `template-deviation-${key}-reason`;

/** The form for a version: defaults filled in (or the values already chosen), no deviations unless given. */
export function initialUseForm(
  content: VersionContent,
  current?: { values?: Record<string, ParameterValue | undefined> | null; deviations?: readonly Deviation[] | null },
): TemplateUseForm {
  const values: Record<string, string> = {};
  for (const p of allParameters(content)) {
    values[p.name] = valueInput(current?.values?.[p.name] ?? p.default ?? null);
  }
  const deviations: Record<string, DeviationForm> = {};
  for (const c of content.clauses) {
    const d = current?.deviations?.find((x) => x.clause_key === c.key);
    deviations[c.key] = d ? { deviates: true, text: d.text, reason: d.reason } : { deviates: false, text: c.text, reason: "" };
  }
  return { values, deviations };
}

/**
 * Reads the form against the version: every value parsed and checked,
 * required ones present, and each deviation with a changed text and a reason.
 * Gives the use, or the errors by field id.
 */
export function readUseForm(
  content: VersionContent,
  form: TemplateUseForm,
): { use: TemplateUse; errors: null } | { use: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: Record<string, ParameterValue> = {};
  for (const p of allParameters(content)) {
    const parsed = parseValue(form.values[p.name] ?? "", { kind: p.kind, min: p.min, max: p.max, choices: p.choices });
    if (!parsed.ok) errors[valueFieldId(p.name)] = parsed.error;
    else if (parsed.value) values[p.name] = parsed.value;
    else if (p.required ?? true) errors[valueFieldId(p.name)] = t("templates.values.required", { label: p.label });
  }
  const deviations: Deviation[] = [];
  for (const c of content.clauses) {
    const d = form.deviations[c.key];
    if (!d?.deviates) continue;
    const text = d.text.trim();
    const reason = d.reason.trim();
    if (text === "") errors[deviationTextId(c.key)] = t("templates.use.deviationTextRequired");
    else if (text === c.text.trim()) errors[deviationTextId(c.key)] = t("templates.use.deviationTextSame");
    if (reason === "") errors[deviationReasonId(c.key)] = t("templates.use.deviationReasonRequired");
    deviations.push({ clause_key: c.key, text, reason });
  }
  return Object.keys(errors).length > 0 ? { use: null, errors } : { use: { values, deviations }, errors: null };
}

/**
 * The server's errors about a contract's template section ("template.values.x",
 * "template.deviations[0].reason") by the form's field ids; `deviations` is
 * what was sent, to find the clause a deviation index is about.
 */
export function templateErrorsByField(
  errors: readonly { field: string; message: string }[],
  deviations: readonly Deviation[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of errors) {
    if (!error.field.startsWith("template")) continue;
    const path = error.field.replace(/^template\.?/, "");
    const value = /^values\.([a-z][a-z0-9_]*)/.exec(path);
    const deviation = /^deviations\[(\d+)\](?:\.(\w+))?/.exec(path);
    let id = "template-use-template";
    if (value?.[1]) id = valueFieldId(value[1]);
    else if (deviation) {
      const key = deviations[Number(deviation[1])]?.clause_key;
      if (key) id = deviation[2] === "reason" ? deviationReasonId(key) : deviationTextId(key);
    } else if (path.startsWith("version")) id = "template-use-version";
    out[id] ??= error.message;
  }
  return out;
}

/** The label of a field of the template section, for the error summary. */
export function templateFieldLabel(content: VersionContent | null, id: string): string {
  if (id === "template-use-template") return t("templates.use.template");
  if (id === "template-use-version") return t("templates.use.version");
  for (const p of content ? allParameters(content) : []) if (valueFieldId(p.name) === id) return p.label;
  for (const c of content?.clauses ?? []) {
    if (deviationTextId(c.key) === id) return t("templates.use.deviationTextOf", { number: c.number });
    if (deviationReasonId(c.key) === id) return t("templates.use.deviationReasonOf", { number: c.number });
  }
  return t("templates.use.legend");
}
