// Parameter values as a person types them in Danish ("99,5", "1.234.567,00
// kr.", "3") and as the API takes them ({kind, value} with decimal strings).
// Conversions go digit by digit, never through floating point.

import { t } from "../../i18n";
import type { DurationUnit, Parameter, ParameterKind, ParameterValue } from "./model";

const DANISH_NUMBER = /^(-?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;
const CANONICAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Danish number text as a canonical decimal string ("1.234,5" → "1234.5"); null when it is not a number. */
export function parseDanishDecimal(input: string): string | null {
  const text = input
    .trim()
    .replace(/(kr\.?|%)$/i, "")
    .replace(/[\s\u00a0]/g, "");
  const m = DANISH_NUMBER.exec(text);
  if (!m) return null;
  const whole = (m[2] ?? "0").replace(/\./g, "").replace(/^0+(?=\d)/, "");
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  const sign = m[1] === "-" && !(/^0+$/.test(whole) && fraction === "") ? "-" : "";
  return fraction === "" ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/** A canonical decimal string in Danish ("1234567.5" → "1.234.567,5"). */
export function toDanishDecimal(value: string): string {
  const m = CANONICAL.exec(value.trim());
  if (!m) return value;
  const whole = m[2] ?? "0";
  const groups: string[] = [];
  for (let end = whole.length; end > 0; end -= 3) groups.unshift(whole.slice(Math.max(0, end - 3), end));
  const fraction = m[3];
  return `${m[1] ?? ""}${groups.join(".")}${fraction ? `,${fraction}` : ""}`;
}

function decimalsOf(canonical: string): number {
  return canonical.split(".")[1]?.length ?? 0;
}

/** Compares two canonical decimal strings: negative, zero or positive. */
export function compareDecimal(a: string, b: string): number {
  const parse = (s: string) => {
    const m = CANONICAL.exec(s) ?? [];
    return { neg: m[1] === "-", whole: (m[2] ?? "0").replace(/^0+(?=\d)/, ""), frac: m[3] ?? "" };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const len = Math.max(x.frac.length, y.frac.length);
  const ax = x.whole.padStart(40, "0") + x.frac.padEnd(len, "0");
  const by = y.whole.padStart(40, "0") + y.frac.padEnd(len, "0");
  const cmp = ax < by ? -1 : ax > by ? 1 : 0;
  return x.neg ? -cmp : cmp;
}

/** "dag"/"dage"/"måned"/"måneder" for a count. */
export function durationWord(unit: DurationUnit, count: number): string {
  const one = Math.abs(count) === 1;
  if (unit === "days") return one ? t("templates.units.day") : t("templates.units.days");
  return one ? t("templates.units.month") : t("templates.units.months");
}

/** A value as a person reads it in Danish: "99,5 %", "1.234.567,00 kr.", "3 måneder", "Månedlig". */
export function formatValue(value: ParameterValue, parameter?: Pick<Parameter, "duration_unit" | "unit">): string {
  const unit = parameter?.unit ? ` ${parameter.unit}` : "";
  switch (value.kind) {
    case "integer":
      return `${toDanishDecimal(String(value.value))}${unit}`;
    case "decimal":
      return `${toDanishDecimal(value.value)}${unit}`;
    case "percent":
      return `${toDanishDecimal(value.value)} %`;
    case "money": {
      const [whole, fraction = ""] = value.value.split(".");
      return `${toDanishDecimal(whole ?? "0")},${fraction.padEnd(2, "0").slice(0, 2)} kr.`;
    }
    case "duration":
      return parameter?.duration_unit ? `${String(value.value)} ${durationWord(parameter.duration_unit, value.value)}` : String(value.value);
    case "text":
    case "choice":
      return value.value;
  }
}

/** A value as the text of an input field ("99,5", "3", "Månedlig"). */
export function valueInput(value: ParameterValue | null | undefined): string {
  if (!value) return "";
  switch (value.kind) {
    case "integer":
    case "duration":
      return String(value.value);
    case "decimal":
    case "percent":
      return toDanishDecimal(value.value);
    case "money": {
      const [whole, fraction = ""] = value.value.split(".");
      return fraction === "" || /^0+$/.test(fraction)
        ? toDanishDecimal(whole ?? "0")
        : `${toDanishDecimal(whole ?? "0")},${fraction.padEnd(2, "0")}`;
    }
    case "text":
    case "choice":
      return value.value;
  }
}

export type ParseResult = { ok: true; value: ParameterValue | null } | { ok: false; error: string };

interface Constraints {
  kind: ParameterKind;
  min?: string | null | undefined;
  max?: string | null | undefined;
  choices?: readonly string[] | undefined;
}

/**
 * Reads a value typed for a parameter; empty input is `null`. Checks the
 * type, the bounds and the choices, and says in Danish what is wrong.
 */
export function parseValue(input: string, parameter: Constraints): ParseResult {
  const text = input.trim();
  if (text === "") return { ok: true, value: null };
  const { kind } = parameter;
  if (kind === "text") return text.length > 1000 ? { ok: false, error: t("templates.values.tooLong") } : { ok: true, value: { kind, value: text } };
  if (kind === "choice") {
    const choices = parameter.choices ?? [];
    return choices.includes(text)
      ? { ok: true, value: { kind, value: text } }
      : { ok: false, error: t("templates.values.notAChoice", { choices: choices.join(", ") }) };
  }
  const canonical = parseDanishDecimal(text);
  if (canonical === null) {
    return { ok: false, error: /^\d+\.\d{1,2}$/.test(text) ? t("templates.values.useComma") : t("templates.values.notANumber") };
  }
  const whole = kind === "integer" || kind === "duration";
  if (whole && canonical.includes(".")) return { ok: false, error: t("templates.values.wholeNumber") };
  if (kind === "duration" && canonical.startsWith("-")) return { ok: false, error: t("templates.values.negativeDuration") };
  if (kind === "money" && decimalsOf(canonical) > 2) return { ok: false, error: t("templates.values.moneyDecimals") };
  if ((canonical.replace(/^-/, "").split(".")[0] ?? "").length > 15) return { ok: false, error: t("templates.values.tooBig") };
  if (parameter.min != null && compareDecimal(canonical, parameter.min) < 0) {
    return { ok: false, error: t("templates.values.belowMin", { min: toDanishDecimal(parameter.min) }) };
  }
  if (parameter.max != null && compareDecimal(canonical, parameter.max) > 0) {
    return { ok: false, error: t("templates.values.aboveMax", { max: toDanishDecimal(parameter.max) }) };
  }
  switch (kind) {
    case "integer":
    case "duration":
      return { ok: true, value: { kind, value: Number(canonical) } };
    case "money": {
      const [w, f = ""] = canonical.split(".");
      return { ok: true, value: { kind, value: `${w ?? "0"}.${f.padEnd(2, "0")}` } };
    }
    default:
      return { ok: true, value: { kind, value: canonical } };
  }
}
