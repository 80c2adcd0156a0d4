// Reading IT systems: a page of the list, one system with the ETag a later
// change must quote in If-Match, the contracts covering it, the suppliers to
// choose from, and the Danish labels of contract statuses.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { CoveringContract, ItSystem, ItSystemPage, Supplier } from "../../api/types";
import { PAGE_SIZE, type ListQuery } from "./query";

export function useSystemList(query: ListQuery, version: number) {
  const { page, q, status, archived, mine } = query;
  return useLoad<ItSystemPage>(JSON.stringify([page, q, status, archived, mine, version]), (signal) =>
    settle(
      api.GET("/systems", {
        params: {
          query: {
            page,
            page_size: PAGE_SIZE,
            q: q || undefined,
            status: status || undefined,
            include_archived: archived || undefined,
            owner: mine ? "me" : undefined,
          },
        },
        signal,
      }),
    ),
  );
}

export interface VersionedSystem {
  system: ItSystem;
  etag: string;
}

/** One system as the server has it now, with its ETag; bump `reload` to read again. */
export function useVersionedSystem(id: string, reload: number) {
  return useLoad<VersionedSystem>(`${id}|${String(reload)}`, async (signal) =>
    withETag(
      await settle(api.GET("/systems/{id}", { params: { path: { id } }, signal })),
      (system, etag) => ({ system, etag }),
    ),
  ).current;
}

export function useCoveringContracts(id: string) {
  return useLoad<CoveringContract[]>(id, async (signal) => {
    const outcome = await settle(api.GET("/systems/{id}/contracts", { params: { path: { id } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

/** The suppliers known to the platform, by name (at most 200, the API's limit). */
export function useSuppliers() {
  return useLoad<Supplier[]>("suppliers", async (signal) => {
    const outcome = await settle(api.GET("/suppliers", { params: { query: { limit: 200 } }, signal }));
    return outcome.ok
      ? { ...outcome, data: [...outcome.data.items].sort((a, b) => a.name.localeCompare(b.name, "da")) }
      : outcome;
  }).current;
}

/** Danish labels of one of GET /options' value lists, by code; empty until loaded. */
export function useOptionLabels(list: string): Map<string, string> {
  const outcome = useLoad<Map<string, string>>(`options|${list}`, async (signal) => {
    const result = await settle(api.GET("/options", { signal }));
    if (!result.ok) return result;
    const values = result.data.items.find((l) => l.name === list)?.values ?? [];
    return { ...result, data: new Map(values.map((v) => [v.code, v.label])) };
  }).current;
  return outcome?.ok ? outcome.data : new Map<string, string>();
}
