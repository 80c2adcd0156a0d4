// Reading users for the administration page: one page of the list, and one
// user with the ETag that a later change must quote in If-Match.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Role, User, UserPage } from "../../api/types";
import { ROLES } from "../../api/types";

export const PAGE_SIZE = 20;

export type StatusFilter = "" | "active" | "inactive";

export interface ListQuery {
  page: number;
  q: string;
  role: Role | "";
  status: StatusFilter;
}

export function readQuery(params: URLSearchParams): ListQuery {
  const page = Number(params.get("side") ?? "1");
  const role = params.get("rolle") ?? "";
  const status = params.get("status") ?? "";
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    q: params.get("q")?.trim() ?? "",
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : "",
    status: status === "active" || status === "inactive" ? status : "",
  };
}

/** The address query for a list query; defaults are left out. */
export function querySearch(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.role) params.set("rolle", query.role);
  if (query.status) params.set("status", query.status);
  if (query.page > 1) params.set("side", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(query: ListQuery): boolean {
  return query.q !== "" || query.role !== "" || query.status !== "";
}

/**
 * One page of users. While a new page loads, `previous` still holds the
 * last one so the table does not flicker.
 */
export function useUserList(query: ListQuery, version: number) {
  const { page, q, role, status } = query;
  return useLoad<UserPage>(JSON.stringify([page, q, role, status, version]), (signal) =>
    settle(
      api.GET("/users", {
        params: {
          query: {
            page,
            page_size: PAGE_SIZE,
            sort: "name",
            q: q || undefined,
            role: role || undefined,
            active: status === "" ? undefined : status === "active",
          },
        },
        signal,
      }),
    ),
  );
}

export interface VersionedUser {
  user: User;
  etag: string;
}

/** One user as the server has it now, with its ETag; `reload` bumps to read again. */
export function useVersionedUser(id: string, reload: number) {
  return useLoad<VersionedUser>(`${id}|${String(reload)}`, async (signal) =>
    withETag(
      await settle(api.GET("/users/{id}", { params: { path: { id } }, signal })),
      (user, etag) => ({ user, etag }),
    ),
  ).current;
}
