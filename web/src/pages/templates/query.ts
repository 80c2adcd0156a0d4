// The template library's filters in the address, named like GET
// /templates' own query parameters.

export const PAGE_SIZE = 25;

export const KINDS = ["k01", "k02", "k03", "k04", "own", "kombit", "supplier", "opi", "other"] as const;
export type TemplateKindCode = (typeof KINDS)[number];

export const ORIGINS = ["own", "collaboration", "shared", "adopted"] as const;
export type Origin = (typeof ORIGINS)[number];

export interface TemplateQuery {
  q: string;
  kind: TemplateKindCode | "";
  origin: Origin | "";
  collaboration_id: string;
  has_newer_origin: boolean;
  page: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(list: readonly T[], value: string | null): T | "" {
  return (list as readonly string[]).includes(value ?? "") ? (value as T) : "";
}

export function readQuery(params: URLSearchParams): TemplateQuery {
  const page = Number(params.get("page") ?? "");
  const collaboration = (params.get("collaboration_id") ?? "").trim();
  return {
    q: (params.get("q") ?? "").trim(),
    kind: oneOf(KINDS, params.get("kind")),
    origin: oneOf(ORIGINS, params.get("origin")),
    collaboration_id: UUID.test(collaboration) ? collaboration : "",
    has_newer_origin: params.get("has_newer_origin") === "true",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function querySearch(query: TemplateQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.kind) params.set("kind", query.kind);
  if (query.origin) params.set("origin", query.origin);
  if (query.collaboration_id) params.set("collaboration_id", query.collaboration_id);
  if (query.has_newer_origin) params.set("has_newer_origin", "true");
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(query: TemplateQuery): boolean {
  return query.q !== "" || query.kind !== "" || query.origin !== "" || query.collaboration_id !== "" || query.has_newer_origin;
}
