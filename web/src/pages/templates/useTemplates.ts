// Reading templates: a page of the library, one template with its ETag, one
// version with its ETag, the usage counts, and the collaborations the user's
// municipality belongs to (as owners and for sharing).

import { api } from "../../api/client";
import { settle, withETag, type Outcome } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Template, TemplatePage, TemplateSummary, TemplateUsage, TemplateVersion } from "../../api/types";
import type { VersionContent } from "./model";
import { PAGE_SIZE, type TemplateQuery } from "./query";

export function useTemplateList(query: TemplateQuery) {
  const { page, q, kind, origin, collaboration_id, has_newer_origin } = query;
  return useLoad<TemplatePage>(JSON.stringify(query), (signal) =>
    settle(
      api.GET("/templates", {
        params: {
          query: {
            page,
            page_size: PAGE_SIZE,
            q: q || undefined,
            kind: kind || undefined,
            origin: origin || undefined,
            collaboration_id: collaboration_id || undefined,
            has_newer_origin: has_newer_origin || undefined,
          },
        },
        signal,
      }),
    ),
  );
}

export interface Versioned<T> {
  data: T;
  etag: string;
}

export function getTemplate(id: string, signal?: AbortSignal): Promise<Outcome<Versioned<Template>>> {
  return settle(api.GET("/templates/{id}", { params: { path: { id } }, signal })).then((o) =>
    withETag(o, (data, etag) => ({ data, etag })),
  );
}

export function getVersion(id: string, number: number, signal?: AbortSignal): Promise<Outcome<Versioned<TemplateVersion>>> {
  return settle(api.GET("/templates/{id}/versions/{number}", { params: { path: { id, number } }, signal })).then((o) =>
    withETag(o, (data, etag) => ({ data, etag })),
  );
}

/** One template as the server has it now; bump `reload` to read again. */
export function useTemplate(id: string, reload: number) {
  return useLoad<Versioned<Template>>(`${id}|${String(reload)}`, (signal) => getTemplate(id, signal)).current;
}

/** One version with its content; `number` null reads nothing. */
export function useVersion(id: string, number: number | null, reload = 0) {
  return useLoad<Versioned<TemplateVersion> | null>(`${id}|${String(number)}|${String(reload)}`, async (signal) =>
    number === null ? { ok: true, data: null, response: new Response() } : getVersion(id, number, signal),
  ).current;
}

/** Two versions' contents, for comparing them; null while either is on its way. */
export function useTwoVersions(id: string, from: number | null, to: number | null) {
  return useLoad<[VersionContent, VersionContent] | null>(`${id}|${String(from)}|${String(to)}`, async (signal) => {
    if (from === null || to === null) return { ok: true, data: null, response: new Response() };
    const [a, b] = await Promise.all([getVersion(id, from, signal), getVersion(id, to, signal)]);
    if (!a.ok) return a;
    if (!b.ok) return b;
    return { ...b, data: [contentOf(a.data.data), contentOf(b.data.data)] };
  }).current;
}

export function useUsage(id: string, enabled: boolean) {
  return useLoad<TemplateUsage | null>(`${id}|${String(enabled)}`, async (signal) =>
    enabled
      ? settle(api.GET("/templates/{id}/usage", { params: { path: { id } }, signal }))
      : { ok: true, data: null, response: new Response() },
  ).current;
}


/** The content of a version as the editor works with it. */
export function contentOf(version: TemplateVersion): VersionContent {
  return version.content;
}

/** The templates with a published version the municipality can base a contract on. */
export function usePublishedTemplates() {
  return useLoad<TemplateSummary[]>("published-templates", async (signal) => {
    const outcome = await settle(api.GET("/templates", { params: { query: { page_size: 200 } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items.filter((x) => x.latest_published_number != null) } : outcome;
  }).current;
}

