// The audit log's filters in the address, the dates typed in them, and
// each event's before/after turned into the fields that changed.

import { formatAmount, formatDate, formatDateTime } from "../../format";
import { t, tOptional } from "../../i18n";

export const PAGE_SIZE = 25;

/** Object kinds the log can be narrowed to, in the order the filter offers them. */
export const KINDS = ["contract", "it_system", "collaboration", "user", "api_client", "tenant"] as const;

/** Every action the server records, per object kind. */
export const ACTIONS: Readonly<Record<(typeof KINDS)[number], readonly string[]>> = {
  contract: [
    "created",
    "imported",
    "updated",
    "archived",
    "restored",
    "shared",
    "unshared",
    "attachment_added",
    "attachment_removed",
  ],
  it_system: ["created", "updated", "archived", "restored"],
  collaboration: ["created", "updated", "invited", "accepted", "declined", "left", "member_removed", "role_changed"],
  user: ["created", "updated", "deactivated", "reactivated"],
  api_client: ["created", "updated", "secret_rotated", "revoked"],
  tenant: ["created"],
};

export interface AuditQuery {
  kind: string;
  action: string;
  actor: string;
  /** ISO dates (yyyy-mm-dd), both inclusive. */
  from: string;
  to: string;
  page: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isoDate(value: string | null): string {
  const v = value ?? "";
  return ISO_DATE.test(v) && formatDate(v) !== null ? v : "";
}

/** The query from the address (/administration/log?type=…&handling=…&af=…&fra=…&til=…&side=…). */
export function readQuery(params: URLSearchParams): AuditQuery {
  const page = Number(params.get("side") ?? "1");
  return {
    kind: params.get("type") ?? "",
    action: params.get("handling") ?? "",
    actor: params.get("af") ?? "",
    from: isoDate(params.get("fra")),
    to: isoDate(params.get("til")),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function querySearch(query: AuditQuery): string {
  const params = new URLSearchParams();
  if (query.kind) params.set("type", query.kind);
  if (query.action) params.set("handling", query.action);
  if (query.actor.trim()) params.set("af", query.actor.trim());
  if (query.from) params.set("fra", query.from);
  if (query.to) params.set("til", query.to);
  if (query.page > 1) params.set("side", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(query: AuditQuery): boolean {
  return Boolean(query.kind || query.action || query.actor || query.from || query.to);
}

// Dates typed in the filters are read by format.ts, as in every date field.
export { parseDanishDate } from "../../format";

/** The moment a day begins in Copenhagen, as an RFC 3339 timestamp in UTC. */
export function copenhagenMidnight(iso: string): string {
  const [y = 0, m = 1, d = 1] = iso.split("-").map(Number);
  const expected = `${formatDate(iso) ?? ""} kl. 00.00`;
  // Copenhagen is one hour ahead of UTC in winter and two in summer.
  for (const offset of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d) - offset * 3_600_000).toISOString();
    if (formatDateTime(candidate) === expected) return candidate;
  }
  return new Date(Date.UTC(y, m - 1, d)).toISOString();
}

/** The day after an ISO date, for an exclusive upper bound. */
export function nextDay(iso: string): string {
  const [y = 0, m = 1, d = 1] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The API's parameters for a query. */
export function apiParams(query: AuditQuery) {
  return {
    page: query.page,
    page_size: PAGE_SIZE,
    object_kind: query.kind || undefined,
    action: query.action ? (query.action.includes(".") ? query.action : `${query.kind}.${query.action}`) : undefined,
    actor: query.actor.trim() || undefined,
    from: query.from ? copenhagenMidnight(query.from) : undefined,
    to: query.to ? copenhagenMidnight(nextDay(query.to)) : undefined,
  };
}

/** Fields that change with every write, or are derived from others, and say nothing about the change itself. */
const IGNORED = new Set([
  "version",
  "created_at",
  "updated_at",
  "id",
  "owner",
  "shared",
  "shared_with_viewer",
  "my_role",
  "my_status",
]);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Decimal strings compare by value, so "310000" and "310000.00" are the same amount. */
function normalise(value: unknown): string {
  if (value === undefined || value === null || value === "") return "null";
  if (Array.isArray(value) && value.length === 0) return "null";
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) {
    return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
  }
  return JSON.stringify(value);
}

/** The fields whose values differ between before and after, in the order they first appear. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !IGNORED.has(key) && normalise(b[key]) !== normalise(a[key]))
    .map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

/**
 * A field's Danish label: the log's own, the contract form's, or, for a
 * field no catalogue knows yet, its name in words ("shares_withdrawn" →
 * "Shares withdrawn") rather than an identifier.
 */
export function fieldLabel(field: string): string {
  const known = tOptional(`auditFields.${field}`) ?? tOptional(`contractFields.${field}`);
  if (known) return known;
  const words = field.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Names for the ids an entry holds, from what the page could look up. */
export interface Lookups {
  collaborations: ReadonlyMap<string, string>;
  municipalities: ReadonlyMap<string, string>;
  contracts: ReadonlyMap<string, string>;
  /** The register's Danish label for a code (GET /options), or null when unknown. */
  option: (list: string, code: string) => string | null;
}

export const NO_LOOKUPS: Lookups = {
  collaborations: new Map(),
  municipalities: new Map(),
  contracts: new Map(),
  option: () => null,
};

const AMOUNTS = new Set(["annual_value", "total_value", "value", "estimated_value"]);
/** End dates: none means the contract runs until it is terminated. */
const ENDS = new Set(["end_on", "effective_end", "latest_end"]);
const IDS: Readonly<Record<string, "collaborations" | "municipalities" | "contracts">> = {
  collaboration_id: "collaborations",
  tenant_id: "municipalities",
  member: "municipalities",
  parent_id: "contracts",
  contract_id: "contracts",
};
/** Codes and the value list (GET /options) or catalogue section that names them. */
const REGISTER_LISTS: Readonly<Record<string, string>> = {
  status_override: "status",
  contract_type: "contract_type",
  procedure: "procedure",
  payment_model: "payment_model",
  payment_frequency: "payment_frequency",
  notice_to: "notice_to",
  criticality: "criticality",
  agreement_elements: "agreement_element",
};
const CATALOGUE_LISTS: Readonly<Record<string, readonly string[]>> = {
  role: ["roles", "memberRoles"],
  scopes: ["clientScopes"],
  status: ["systems.status", "memberStatuses"],
};

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file size the Danish way: "850 byte", "12,4 kB", "3,1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${String(bytes)} byte`;
  const [amount, unit] = bytes < 1_000_000 ? [bytes / 1000, "kB"] : [bytes / 1_000_000, "MB"];
  return `${amount.toFixed(1).replace(".", ",")} ${unit}`;
}

interface Words {
  yes: string;
  no: string;
  unknown: string;
}

function codeLabel(field: string, code: string, lookups: Lookups): string {
  const register = REGISTER_LISTS[field];
  if (register) return lookups.option(register, code) ?? code;
  if (field === "status") {
    const contractStatus = lookups.option("status", code);
    if (contractStatus) return contractStatus;
  }
  for (const section of CATALOGUE_LISTS[field] ?? []) {
    const label = tOptional(`${section}.${code}`);
    if (label) return label.charAt(0).toUpperCase() + label.slice(1);
  }
  return code;
}

function objectText(record: Record<string, unknown>, words: Words): string | null {
  for (const key of ["tenant_name", "name", "title"]) {
    const named = record[key];
    if (typeof named === "string") {
      const cvr = typeof record.cvr === "string" ? ` (CVR ${record.cvr})` : "";
      const status =
        typeof record.status === "string"
          ? ` (${tOptional(`memberStatuses.${record.status}`)?.toLowerCase() ?? record.status})`
          : "";
      return `${named}${cvr}${status}`;
    }
  }
  const id = record.id;
  return typeof id === "string" ? words.unknown : null;
}

/**
 * A field's value as text: amounts in kroner, dates as dd.mm.åååå, times
 * with "kl.", codes by their Danish names, ids by the name they stand for;
 * null means empty. An end date that is absent reads "Løbende".
 */
export function displayValue(field: string, value: unknown, lookups: Lookups, words: Words): string | null {
  const blank = value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
  if (blank) return ENDS.has(field) ? t("terms.running") : null;
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (typeof value === "number") {
    if (field === "size_bytes") return formatBytes(value);
    return String(value);
  }
  if (typeof value === "string") {
    if (AMOUNTS.has(field)) return formatAmount(value) ?? value;
    const idKind = IDS[field];
    if (idKind) return lookups[idKind].get(value) ?? words.unknown;
    if (TIMESTAMP.test(value)) return formatDateTime(value) ?? value;
    if (ISO_DATE.test(value)) return formatDate(value) ?? value;
    if (UUID.test(value)) return words.unknown;
    return codeLabel(field, value, lookups);
  }
  if (Array.isArray(value)) {
    return value.map((item) => displayValue(field, item, lookups, words) ?? "").join(", ");
  }
  return objectText(asRecord(value), words) ?? JSON.stringify(value);
}

/** A timestamp as "dd.mm.åååå kl. tt.mm" in Copenhagen time, as everywhere in the app. */
export function formatWhen(timestamp: string): string {
  return formatDateTime(timestamp) ?? timestamp;
}

/** The moment in two pieces that never break inside: ["22.11.2026", "kl. 19.55"]. */
export function whenParts(timestamp: string): string[] {
  const text = formatWhen(timestamp);
  const at = text.indexOf(" kl. ");
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** Who acted: the person's name when the municipality knows it, else what was recorded. */
export function actorText(event: { actor: string; actor_name?: string | null }, system: string): string {
  if (event.actor_name) return event.actor_name;
  if (event.actor === "console") return system;
  return event.actor || system;
}

/** The Danish name of an action ("user.created" → "Bruger oprettet"), or the action itself. */
export function actionLabel(action: string): string {
  return tOptional(`auditActions.${action}`) ?? action;
}

export function kindLabel(kind: string): string {
  return tOptional(`auditKinds.${kind}`) ?? kind;
}

/** The page that shows an event's object, for the kinds that have one. */
export function objectHref(kind: string, id: string): string | null {
  switch (kind) {
    case "contract":
      return `/kontrakter/${id}`;
    case "it_system":
      return `/it-systemer/${id}`;
    case "collaboration":
      return `/faellesskaber/${id}`;
    default:
      return null;
  }
}
