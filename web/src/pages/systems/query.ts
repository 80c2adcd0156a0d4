// The IT system list's search in the address: ?ejer=mig&q=…&status=…&arkiverede=ja&side=N.

export const PAGE_SIZE = 20;

export const SYSTEM_STATUSES = ["planned", "in_use", "retired"] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];

export function isSystemStatus(value: string | null | undefined): value is SystemStatus {
  return (SYSTEM_STATUSES as readonly string[]).includes(value ?? "");
}

export interface ListQuery {
  page: number;
  q: string;
  status: SystemStatus | "";
  archived: boolean;
  /** Only the systems the user owns ("Mine it-systemer"). */
  mine: boolean;
}

export function readQuery(params: URLSearchParams): ListQuery {
  const page = Number(params.get("side") ?? "1");
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    q: params.get("q")?.trim() ?? "",
    status: isSystemStatus(params.get("status")) ? (params.get("status") as SystemStatus) : "",
    archived: params.get("arkiverede") === "ja",
    mine: params.get("ejer") === "mig",
  };
}

/** The address query for a list query; defaults are left out. */
export function querySearch(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.mine) params.set("ejer", "mig");
  if (query.q) params.set("q", query.q);
  if (query.status) params.set("status", query.status);
  if (query.archived) params.set("arkiverede", "ja");
  if (query.page > 1) params.set("side", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(query: ListQuery): boolean {
  return query.q !== "" || query.status !== "" || query.archived || query.mine;
}
