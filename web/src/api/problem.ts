// Turns API outcomes into what the interface shows: problem+json bodies,
// field errors in Danish chosen by their code, and waits from Retry-After.

import { t, tOptional } from "../i18n";
import type { Problem, ProblemField } from "./types";

export type Outcome<T> =
  | { ok: true; data: T; response: Response }
  | { ok: false; status: number; problem: Problem | null; response: Response | null };

function isProblemField(value: unknown): value is ProblemField {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === "string" && typeof v.code === "string" && typeof v.message === "string";
}

/** The body as a Problem, when it is one. */
export function asProblem(body: unknown): Problem | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.status !== "number" || typeof b.title !== "string") return null;
  const errors = Array.isArray(b.errors) ? b.errors.filter(isProblemField) : undefined;
  return {
    type: typeof b.type === "string" ? b.type : "about:blank",
    title: b.title,
    status: b.status,
    detail: typeof b.detail === "string" ? b.detail : undefined,
    request_id: typeof b.request_id === "string" ? b.request_id : undefined,
    errors,
  };
}

export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call; a network failure becomes status 0. */
export async function settle<T>(call: Promise<FetchResult<T>>): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T, response };
    return { ok: false, status: response.status, problem: asProblem(error), response };
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    return { ok: false, status: 0, problem: null, response: null };
  }
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date). */
export function retryAfterSeconds(response: Response | null, now = Date.now()): number | null {
  const value = response?.headers.get("Retry-After")?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The Danish text for one field error: by field and code, by code, or the server's words. */
export function fieldMessage(error: ProblemField): string {
  const label = tOptional(`fields.${error.field}`) ?? error.field;
  return (
    tOptional(`fieldErrorOverrides.${error.field}.${error.code}`) ??
    tOptional(`fieldErrors.${error.code}`, { field: label }) ??
    error.message
  );
}

/** Field errors keyed by the request's field name (the first per field). */
export function fieldErrors(problem: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    out[error.field] ??= fieldMessage(error);
  }
  return out;
}

/** One sentence for a failure that is not about a particular field. */
export function failureMessage(outcome: { status: number; problem: Problem | null }): string {
  const codes = outcome.problem?.errors?.map((e) => e.code) ?? [];
  if (codes.includes("last_admin")) return t("errors.lastAdmin");
  switch (outcome.status) {
    case 0:
      return t("errors.network");
    case 403:
      return t("errors.forbidden");
    case 404:
      return t("errors.notFound");
    case 409:
      return t("errors.conflict");
    case 412:
    case 428:
      return t("errors.stale");
    default: {
      // A server fault is worth reporting; its id lets the operators find it in the logs.
      const id = outcome.problem?.request_id;
      return id ? `${t("errors.generic")} ${t("errors.requestId", { id })}` : t("errors.generic");
    }
  }
}

/** A successful answer's data together with its ETag, which a later change quotes in If-Match. */
export function withETag<T, V>(outcome: Outcome<T>, wrap: (data: T, etag: string) => V): Outcome<V> {
  return outcome.ok ? { ...outcome, data: wrap(outcome.data, outcome.response.headers.get("ETag") ?? "") } : outcome;
}
