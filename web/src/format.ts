// How dates, times, amounts and waits are written in the interface.
// Dates are dd.mm.yyyy, timestamps are shown in Danish time (Europe/Copenhagen)
// whatever the browser's zone, and amounts are decimal strings from the API
// formatted digit by digit, so no value ever passes through floating point.

import { t } from "./i18n";

const TIME_ZONE = "Europe/Copenhagen";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Milliseconds since the epoch for an RFC 3339 timestamp, or null. */
export function parseTimestamp(input: string): number | null {
  const m = ISO_TIMESTAMP.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "", zulu, sign, oh = "0", om = "0"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return null;
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const millis = Number((frac + "000").slice(0, 3));
  const offset = zulu ? 0 : (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  return utc - offset * 60_000;
}

const copenhagen = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});

function copenhagenParts(epochMillis: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of copenhagen.formatToParts(new Date(epochMillis))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

function dateText(year: number, month: number, day: number): string {
  return `${pad(day)}.${pad(month)}.${pad(year, 4)}`;
}

/**
 * A calendar date ("2026-03-01") or a timestamp ("2026-03-01T10:00:00Z") as
 * dd.mm.yyyy; a timestamp is taken as the date in Copenhagen at that moment.
 * Returns null for missing or invalid input.
 */
export function formatDate(input: string | null | undefined): string | null {
  if (input == null) return null;
  const trimmed = input.trim();
  const date = ISO_DATE.exec(trimmed);
  if (date) {
    const [, y, m, d] = date;
    const year = Number(y);
    const month = Number(m);
    const day = Number(d);
    return validDate(year, month, day) ? dateText(year, month, day) : null;
  }
  const epoch = parseTimestamp(trimmed);
  if (epoch === null) return null;
  const local = copenhagenParts(epoch);
  return dateText(local.year, local.month, local.day);
}

/** Day, month and year, in that order, between one kind of separator (. - / , or spaces). */
const DANISH_DATE = /^(\d{1,2})\s*([./,-]|\s)\s*(\d{1,2})\s*\2\s*(\d{4})$/;
/** The same written without separators: ddmmyyyy. */
const DANISH_DATE_DIGITS = /^(\d{2})(\d{2})(\d{4})$/;

/**
 * A date typed the Danish way, day first whatever the browser's language:
 * "31.12.2027", "31-12-2027", "31/12/2027", "31 12 2027", "1.2.2027" or
 * "31122027". Returns the ISO date ("2027-12-31"), "" for an empty field,
 * and null for anything else: a date that does not exist ("31.02.2027"),
 * one that is only partly written ("12.2027"), a two-digit year, text.
 * A partly written date is never taken as no date.
 */
export function parseDanishDate(input: string): string | null {
  const text = input.trim();
  if (text === "") return "";
  const m = DANISH_DATE.exec(text);
  const parts = m ? [m[1], m[3], m[4]] : DANISH_DATE_DIGITS.exec(text)?.slice(1, 4);
  if (!parts) return null;
  const [day, month, year] = parts.map(Number) as [number, number, number];
  if (year < 1000 || !validDate(year, month, day)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** An ISO date as it stands in a date field (dd.mm.yyyy); "" for none. */
export function dateFieldText(iso: string | null | undefined): string {
  return formatDate(iso) ?? "";
}

/**
 * A timestamp as "dd.mm.yyyy kl. hh.mm" in Copenhagen time (a calendar date
 * alone gives just the date). Returns null for missing or invalid input.
 */
export function formatDateTime(input: string | null | undefined): string | null {
  if (input == null) return null;
  const trimmed = input.trim();
  if (ISO_DATE.test(trimmed)) return formatDate(trimmed);
  const epoch = parseTimestamp(trimmed);
  if (epoch === null) return null;
  const local = copenhagenParts(epoch);
  return `${dateText(local.year, local.month, local.day)} kl. ${pad(local.hour)}.${pad(local.minute)}`;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Adds one to a string of decimal digits ("0999" → "1000"). */
function incrementDigits(digits: string): string {
  const out = digits.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === "9") {
      out[i] = "0";
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
  }
  return "1" + out.join("");
}

function groupThousands(digits: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join(".");
}

/**
 * A decimal string in kroner ("1234567.89", "-12.5", "1000") as
 * "1.234.567,89 kr.", with two decimals (rounded half away from zero when
 * the input has more). Returns null for anything that is not a plain decimal
 * number: no exponents, no thousands separators, no comma decimals.
 */
export function formatAmount(input: string | null | undefined): string | null {
  if (input == null) return null;
  const m = DECIMAL.exec(input.trim());
  if (!m) return null;
  const [, sign, whole = "0", fraction = ""] = m;
  // Work in øre: the whole digits followed by exactly two decimals.
  let ore = whole + fraction.padEnd(2, "0").slice(0, 2);
  const firstDropped = fraction.charAt(2);
  if (firstDropped !== "" && firstDropped >= "5") ore = incrementDigits(ore);
  ore = ore.replace(/^0+/, "").padStart(3, "0");
  const kroner = ore.slice(0, -2);
  const decimals = ore.slice(-2);
  const isZero = /^0+$/.test(ore);
  const minus = sign === "-" && !isZero ? "-" : "";
  return `${minus}${groupThousands(kroner)},${decimals} kr.`;
}

/**
 * A whole amount without currency, grouped the Danish way ("216000" →
 * "216.000"); a decimal part other than zeros is kept after a comma.
 * Returns null for anything that is not a plain decimal number.
 */
export function formatWhole(input: string | number | null | undefined): string | null {
  if (input == null) return null;
  const m = DECIMAL.exec(String(input).trim());
  if (!m) return null;
  const [, sign, whole = "0", fraction = ""] = m;
  const digits = whole.replace(/^0+(?=\d)/, "");
  const decimals = fraction.replace(/0+$/, "");
  const minus = sign === "-" && !/^0+$/.test(digits + decimals) ? "-" : "";
  return `${minus}${groupThousands(digits)}${decimals ? `,${decimals}` : ""}`;
}

/** A wait in whole seconds as Danish words ("45 sekunder", "15 minutter"). */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? t("wait.oneSecond") : t("wait.seconds", { count: s });
  const minutes = Math.ceil(s / 60);
  return minutes === 1 ? t("wait.oneMinute") : t("wait.minutes", { count: minutes });
}
