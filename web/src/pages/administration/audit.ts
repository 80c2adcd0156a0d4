// The audit log's filters in the address, the dates typed in them, and
// each event's before/after turned into the fields that changed.

import { formatDate, formatDateTime } from "../../format";
import { tOptional } from "../../i18n";

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

/** Fields that change with every write and say nothing about the change itself. */
const IGNORED = new Set(["version", "created_at", "updated_at", "id"]);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function same(a: unknown, b: unknown): boolean {
  const blank = (v: unknown) => v === undefined || v === null || v === "";
  if (blank(a) && blank(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields whose values differ between before and after, in the order they first appear. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !IGNORED.has(key) && !same(b[key], a[key]))
    .map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

/** A field's Danish label: the log's own, the contract form's, or the raw key. */
export function fieldLabel(field: string): string {
  return tOptional(`auditFields.${field}`) ?? tOptional(`contractFields.${field}`) ?? field;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value as text: dates the Danish way, lists joined, names for members; null means empty. */
export function displayValue(value: unknown, words: { yes: string; no: string }): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    if (TIMESTAMP.test(value)) return formatDateTime(value) ?? value;
    if (ISO_DATE.test(value)) return formatDate(value) ?? value;
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value.map((item) => displayValue(item, words) ?? "").join(", ");
  }
  const record = asRecord(value);
  for (const key of ["tenant_name", "name", "title"]) {
    const named = record[key];
    if (typeof named === "string") {
      const status =
        typeof record.status === "string"
          ? ` (${tOptional(`memberStatuses.${record.status}`)?.toLowerCase() ?? record.status})`
          : "";
      return `${named}${status}`;
    }
  }
  return JSON.stringify(value);
}

/** A timestamp as "dd.mm.yyyy hh:mm" in Copenhagen time, as the log shows it. */
export function formatWhen(timestamp: string): string {
  const text = formatDateTime(timestamp) ?? "";
  const m = /^(\d{2}\.\d{2}\.\d{4}) kl\. (\d{2})\.(\d{2})$/.exec(text);
  return m ? `${m[1] ?? ""} ${m[2] ?? ""}:${m[3] ?? ""}` : text;
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
