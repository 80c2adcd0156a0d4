// The contract list's state in the address. The parameters are named like
// GET /contracts' own query parameters, so other pages can link to a
// filtered list (e.g. /kontrakter?system_id=…&status=active).

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

export const SCOPES = ["all", "own", "shared"] as const;
export type Scope = (typeof SCOPES)[number];

/** Columns the API sorts by that the table shows. */
export const SORTABLE = [
  "title",
  "reference",
  "supplier",
  "status",
  "category",
  "start_on",
  "end_on",
  "effective_end",
  "notice_deadline",
  "retender_start",
  "annual_value",
  "total_value",
] as const;
export type SortColumn = (typeof SORTABLE)[number];

export interface ContractQuery {
  q: string;
  scope: Scope | "";
  status: string;
  supplier_id: string;
  system_id: string;
  category: string;
  cpv: string;
  owner: string;
  ends_before: string;
  ends_after: string;
  notice_within_days: string;
  retender_within_days: string;
  /** "true" or "" (no filter). */
  notice_overdue: string;
  /** "true" or "" (no filter). */
  retender_overdue: string;
  criticality: string;
  shared_with: string;
  template_id: string;
  template_version: string;
  /** "true", "false" or "" for either. */
  has_deviations: string;
  include_archived: boolean;
  sort: string;
  page: number;
  page_size: number;
}

type TextKey = Exclude<keyof ContractQuery, "include_archived" | "page" | "page_size">;

/** The filters that narrow the list (not sorting or paging). */
export const FILTER_KEYS: readonly TextKey[] = [
  "q",
  "scope",
  "status",
  "supplier_id",
  "system_id",
  "category",
  "cpv",
  "owner",
  "ends_before",
  "ends_after",
  "notice_within_days",
  "retender_within_days",
  "notice_overdue",
  "retender_overdue",
  "criticality",
  "shared_with",
  "template_id",
  "template_version",
  "has_deviations",
];

/** Short names other pages may use in links, mapped to the API's names. */
const ALIASES: Readonly<Record<string, TextKey>> = { system: "system_id", supplier: "supplier_id" };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function positive(value: string | null, fallback: number): number {
  const n = Number(value ?? "");
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

export function readQuery(params: URLSearchParams): ContractQuery {
  const text = (key: TextKey): string => {
    const alias = Object.entries(ALIASES).find(([, target]) => target === key)?.[0];
    return (params.get(key) ?? (alias ? params.get(alias) : null) ?? "").trim();
  };
  const scope = text("scope");
  const size = positive(params.get("page_size"), DEFAULT_PAGE_SIZE);
  const sort = text("sort");
  const days = (key: TextKey) => (/^\d{1,5}$/.test(text(key)) ? text(key) : "");
  const flag = (key: TextKey) => (text(key) === "true" ? "true" : "");
  return {
    q: text("q"),
    scope: (SCOPES as readonly string[]).includes(scope) ? (scope as Scope) : "",
    status: text("status"),
    supplier_id: text("supplier_id"),
    system_id: text("system_id"),
    category: text("category"),
    cpv: text("cpv"),
    owner: text("owner"),
    ends_before: ISO_DATE.test(text("ends_before")) ? text("ends_before") : "",
    ends_after: ISO_DATE.test(text("ends_after")) ? text("ends_after") : "",
    notice_within_days: days("notice_within_days"),
    retender_within_days: days("retender_within_days"),
    notice_overdue: flag("notice_overdue"),
    retender_overdue: flag("retender_overdue"),
    criticality: text("criticality"),
    shared_with: text("shared_with"),
    template_id: text("template_id"),
    template_version: /^\d{1,6}$/.test(text("template_version")) ? text("template_version") : "",
    has_deviations: ["true", "false"].includes(text("has_deviations")) ? text("has_deviations") : "",
    include_archived: params.get("include_archived") === "true",
    sort: /^-?[a-z_]+$/.test(sort) ? sort : "",
    page: positive(params.get("page"), 1),
    page_size: Math.min(200, size),
  };
}

/** The address query for a list query; empty values and defaults are left out. */
export function querySearch(query: ContractQuery): string {
  const params = new URLSearchParams();
  for (const key of [...FILTER_KEYS, "sort"] as const) {
    if (query[key]) params.set(key, query[key]);
  }
  if (query.include_archived) params.set("include_archived", "true");
  if (query.page_size !== DEFAULT_PAGE_SIZE) params.set("page_size", String(query.page_size));
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(query: ContractQuery): boolean {
  return query.include_archived || FILTER_KEYS.some((key) => query[key] !== "");
}

/** The sort after clicking a column: ascending first, then descending, then ascending again. */
export function nextSort(current: string, column: SortColumn): string {
  return current === column ? `-${column}` : column;
}

export function sortDirection(current: string, column: SortColumn): "ascending" | "descending" | undefined {
  if (current === column) return "ascending";
  if (current === `-${column}`) return "descending";
  return undefined;
}

/**
 * The filters and sort as GET /contracts takes them, for the list and for
 * its export alike (paging left to the caller).
 */
export function listFilters(query: ContractQuery) {
  return {
    q: query.q || undefined,
    // Like the API and Overblik's counts, the list shows the municipality's own contracts unless
    // shared ones are asked for (scope=shared or all).
    scope: query.scope || undefined,
    status: query.status || undefined,
    supplier_id: query.supplier_id || undefined,
    system_id: query.system_id || undefined,
    category: query.category || undefined,
    cpv: query.cpv || undefined,
    owner: query.owner || undefined,
    ends_before: query.ends_before || undefined,
    ends_after: query.ends_after || undefined,
    notice_within_days: query.notice_within_days ? Number(query.notice_within_days) : undefined,
    retender_within_days: query.retender_within_days ? Number(query.retender_within_days) : undefined,
    notice_overdue: query.notice_overdue === "true" || undefined,
    retender_overdue: query.retender_overdue === "true" || undefined,
    criticality: query.criticality || undefined,
    shared_with: query.shared_with || undefined,
    template_id: query.template_id || undefined,
    template_version: query.template_version ? Number(query.template_version) : undefined,
    has_deviations: query.has_deviations === "" ? undefined : query.has_deviations === "true",
    include_archived: query.include_archived || undefined,
    sort: query.sort || undefined,
  };
}

/** The address of the list's export (under /api/v1): the list's own filters and sort, every page. */
export function exportPath(query: ContractQuery, format: "xlsx" | "csv" | "ocds"): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(listFilters(query))) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return `/contracts/export?${params.toString()}`;
}

/** An `owner` that picks by owning user ("me", "none" or a user's id), not free text. */
export function isOwnerChoice(owner: string): boolean {
  return owner === "me" || owner === "none" || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(owner);
}
