// A list's view in the address, beside its filters: which columns show
// (`cols`, comma-separated, in the list's own order) and how dense the rows
// are (`density=compact`). Defaults are left out of the address, and a
// column the list does not know (an old or mistyped link) is ignored.

export type Density = "normal" | "compact";

export interface GridView {
  /** The columns shown, in the list's order. */
  columns: readonly string[];
  density: Density;
}

export interface ColumnSet {
  /** Every column the list can show, in the order it shows them. */
  all: readonly string[];
  /** The columns a list shows until the user chooses. */
  defaults: readonly string[];
  /** Columns always shown (the row's name). */
  fixed: readonly string[];
}

export const COLUMNS_PARAM = "cols";
export const DENSITY_PARAM = "density";

/** `wanted` reduced to known columns, fixed ones added, in the list's order. */
export function orderColumns(set: ColumnSet, wanted: Iterable<string>): string[] {
  const chosen = new Set([...wanted, ...set.fixed]);
  return set.all.filter((c) => chosen.has(c));
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

export function readView(params: URLSearchParams, set: ColumnSet): GridView {
  const raw = params.get(COLUMNS_PARAM);
  const listed = raw === null ? [] : raw.split(",").map((c) => c.trim());
  const known = orderColumns(set, listed);
  // Nothing known beyond the fixed columns: the address asked for nothing usable.
  const columns = raw !== null && known.length > set.fixed.length ? known : orderColumns(set, set.defaults);
  return { columns, density: params.get(DENSITY_PARAM) === "compact" ? "compact" : "normal" };
}

/** Puts `view` into `params` (a copy), leaving defaults out. */
export function writeView(params: URLSearchParams, view: GridView, set: ColumnSet): URLSearchParams {
  const next = new URLSearchParams(params);
  const columns = orderColumns(set, view.columns);
  if (sameColumns(columns, orderColumns(set, set.defaults))) next.delete(COLUMNS_PARAM);
  else next.set(COLUMNS_PARAM, columns.join(","));
  if (view.density === "compact") next.set(DENSITY_PARAM, "compact");
  else next.delete(DENSITY_PARAM);
  return next;
}

/** `search` ("?a=b" or "a=b") with the view of `view` put in, as "?…" or "". */
export function withView(search: string, view: GridView, set: ColumnSet): string {
  const text = writeView(new URLSearchParams(search), view, set).toString();
  return text ? `?${text}` : "";
}

/** The view's part of the address, to carry over when the filters change. */
export function viewParams(view: GridView, set: ColumnSet): string {
  return writeView(new URLSearchParams(), view, set).toString();
}

/**
 * The address query a saved view keeps: the list's current query without
 * its page number (`pageKeys`), which a view applied later starts over.
 */
export function savedQuery(search: string, pageKeys: readonly string[]): string {
  const params = new URLSearchParams(search);
  for (const key of pageKeys) params.delete(key);
  return params.toString();
}
