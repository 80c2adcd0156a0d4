// The side-by-side view's state in the address of the collaboration page.
// The parameters are named like GET /collaborations/{id}/contracts' own.

export const SIDE_SORTABLE = [
  "municipality",
  "title",
  "supplier",
  "category",
  "cpv",
  "annual_value",
  "total_value",
  "notice_deadline",
  "end",
  "retender_start",
] as const;
export type SideSortColumn = (typeof SIDE_SORTABLE)[number];

export const GROUPINGS = ["", "supplier", "category", "municipality"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const NOTICE_WINDOWS = ["", "90", "180", "365"] as const;

export const SIDE_PAGE_SIZE = 50;

export interface SideQuery {
  q: string;
  municipality: string;
  supplier_id: string;
  category: string;
  notice_within_days: string;
  group_by: Grouping;
  sort: string;
  page: number;
}

const TEXT_KEYS = ["q", "municipality", "supplier_id", "category", "notice_within_days"] as const;

function isSort(value: string): boolean {
  return (SIDE_SORTABLE as readonly string[]).includes(value.replace(/^-/, ""));
}

export function readSideQuery(params: URLSearchParams): SideQuery {
  const group = params.get("group_by") ?? "";
  const sort = params.get("sort") ?? "";
  const page = Number(params.get("page") ?? "1");
  const notice = params.get("notice_within_days") ?? "";
  return {
    q: params.get("q") ?? "",
    municipality: params.get("municipality") ?? "",
    supplier_id: params.get("supplier_id") ?? "",
    category: params.get("category") ?? "",
    notice_within_days: /^\d{1,5}$/.test(notice) ? notice : "",
    group_by: (GROUPINGS as readonly string[]).includes(group) ? (group as Grouping) : "",
    sort: isSort(sort) ? sort : "",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The address's query string ("" when everything is the default). */
export function sideSearch(query: SideQuery): string {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) {
    const value = query[key].trim();
    if (value !== "") params.set(key, value);
  }
  if (query.group_by) params.set("group_by", query.group_by);
  if (query.sort) params.set("sort", query.sort);
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isSideFiltered(query: SideQuery): boolean {
  return TEXT_KEYS.some((key) => query[key].trim() !== "");
}

/** The sort after clicking a column: ascending first, then descending. */
export function nextSideSort(current: string, column: SideSortColumn): string {
  return current === column ? `-${column}` : column;
}

export function sideSortDirection(current: string, column: SideSortColumn): "ascending" | "descending" | undefined {
  if (current === column) return "ascending";
  if (current === `-${column}`) return "descending";
  // The API sorts by title when asked nothing.
  if (current === "" && column === "title") return "ascending";
  return undefined;
}

/** The query GET /collaborations/{id}/contracts takes for `query`. */
export function apiQuery(query: SideQuery) {
  return {
    q: query.q.trim() || undefined,
    municipality: query.municipality || undefined,
    supplier_id: query.supplier_id || undefined,
    category: query.category.trim() || undefined,
    notice_within_days: query.notice_within_days ? Number(query.notice_within_days) : undefined,
    group_by: query.group_by || undefined,
    sort: query.sort || undefined,
    page: query.page,
    page_size: SIDE_PAGE_SIZE,
  };
}
