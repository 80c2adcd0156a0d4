// Amounts as the user types them in Danish ("1.234.567,89") and as the API
// takes them (decimal strings, "1234567.89"), converted digit by digit so
// no value passes through floating point.

const DANISH = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/;
const API = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Danish input ("1.234.567,89", "1234567,5", "1 234 567", "250.000 kr.") as
 * the API's decimal string ("1234567.89"); "" for empty input; null when the
 * text is not an amount (negative, more than two decimals, misplaced dots).
 */
export function parseDanishAmount(input: string): string | null {
  const text = input
    .trim()
    .replace(/kr\.?$/i, "")
    .replace(/[\s\u00a0]/g, "");
  if (text === "") return "";
  const m = DANISH.exec(text);
  if (!m) return null;
  const whole = (m[1] ?? "0").replace(/\./g, "").replace(/^0+(?=\d)/, "");
  if (whole.length > 14) return null;
  const fraction = m[2];
  return fraction === undefined ? whole : `${whole}.${fraction.padEnd(2, "0")}`;
}

/** The API's decimal string as Danish input text ("1234567.89" → "1.234.567,89"); "" when absent. */
export function toDanishAmount(value: string | null | undefined): string {
  if (value == null) return "";
  const m = API.exec(value.trim());
  if (!m) return value;
  const whole = m[1] ?? "0";
  const groups: string[] = [];
  for (let end = whole.length; end > 0; end -= 3) groups.unshift(whole.slice(Math.max(0, end - 3), end));
  const fraction = m[2];
  return fraction === undefined || /^0+$/.test(fraction) ? groups.join(".") : `${groups.join(".")},${fraction.padEnd(2, "0")}`;
}
