// What the CPV picker does with what is typed and the keys pressed, apart
// from the drawing: a code typed with or without spaces and check digit
// becomes its digits, text stays text; when to ask the server; and where
// the highlighted suggestion moves.

export interface CpvOption {
  /** The code as the vocabulary writes it, e.g. "48000000-8". */
  code: string;
  /** The Danish description. */
  label: string;
}

/** The minimum text length that starts a search (a CPV division has two digits). */
export const MIN_QUERY = 2;

/** How long typing must pause before the server is asked, in milliseconds. */
export const DEBOUNCE_MS = 250;

const CODE_LIKE = /^[\d\s.-]+$/;

/**
 * The search text to send: a code-like input ("48 000 000-8", "48.2") as its
 * digits with the check digit kept ("48000000-8", "482"), anything else
 * trimmed with inner spaces collapsed. Null when too short to search.
 */
export function cpvQuery(input: string): string | null {
  const text = input.trim().replace(/\s+/g, " ");
  if (CODE_LIKE.test(text)) {
    const m = /^([\d\s.]+?)(?:\s*-\s*(\d))?$/.exec(text);
    const digits = (m?.[1] ?? text).replace(/[\s.]/g, "");
    if (digits.length < MIN_QUERY) return null;
    return m?.[2] !== undefined && digits.length === 8 ? `${digits}-${m[2]}` : digits;
  }
  return text.length < MIN_QUERY ? null : text;
}

/** How a chosen code stands in the input: "48000000-8 Programmelpakker …". */
export function cpvText(option: CpvOption | null): string {
  return option ? `${option.code} ${option.label}` : "";
}

/**
 * The suggestion highlighted after a key, or undefined when the key is not
 * the list's: ↓/↑ move and wrap, Home/End jump, -1 is none.
 */
export function moveActive(active: number, key: string, count: number): number | undefined {
  if (count === 0) return key === "ArrowDown" || key === "ArrowUp" ? -1 : undefined;
  switch (key) {
    case "ArrowDown":
      return active + 1 >= count ? 0 : active + 1;
    case "ArrowUp":
      return active <= 0 ? count - 1 : active - 1;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}
