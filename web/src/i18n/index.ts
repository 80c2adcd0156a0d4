// Looks up user-facing text in the active message catalogue. Only Danish
// exists today; another language is a second object of type Catalogue.

import { da } from "./da";

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The shape every catalogue must have: the Danish one's keys, any strings. */
export type Catalogue = Widen<typeof da>;

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A dotted key naming one text, e.g. "users.title". */
export type MessageKey = Leaves<Catalogue>;

export type MessageParams = Readonly<Record<string, string | number>>;

const catalogues = { da } satisfies Record<string, Catalogue>;
export type Locale = keyof typeof catalogues;

let active: Catalogue = catalogues.da;

export function setLocale(locale: Locale): void {
  active = catalogues[locale];
}

/** The text for `key`, or undefined when the catalogue has none. */
export function lookup(key: string, catalogue: Catalogue = active): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * Fills `{name}` placeholders. `{Name}` (capitalised) inserts the value with
 * its first letter in upper case, for values that start a sentence.
 */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const exact = params[name];
    if (exact !== undefined) return String(exact);
    const lower = name.charAt(0).toLowerCase() + name.slice(1);
    const value = lower !== name ? params[lower] : undefined;
    if (value !== undefined) {
      const text = String(value);
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
    return whole;
  });
}

export function t(key: MessageKey, params?: MessageParams): string {
  const template = lookup(key);
  // The key type makes a miss impossible in checked code; show the key rather than nothing.
  return template === undefined ? key : interpolate(template, params);
}

/** Like t() for keys built at run time (error codes, roles); undefined when missing. */
export function tOptional(key: string, params?: MessageParams): string | undefined {
  const template = lookup(key);
  return template === undefined ? undefined : interpolate(template, params);
}
