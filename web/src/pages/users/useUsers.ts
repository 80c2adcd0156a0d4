// Reading users for the administration page: one page of the list, and one
// user with the ETag that a later change must quote in If-Match.

import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { settle, type Outcome } from "../../api/problem";
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

interface Keyed<T> {
  key: string;
  value: T;
}

/**
 * One page of users. While a new page loads, `previous` still holds the
 * last one so the table does not flicker.
 */
export function useUserList(query: ListQuery, version: number) {
  const { page, q, role, status } = query;
  const key = JSON.stringify([page, q, role, status, version]);
  const [state, setState] = useState<Keyed<Outcome<UserPage>> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
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
        signal: controller.signal,
      }),
    )
      .then((value) => {
        setState({ key, value });
      })
      .catch(() => undefined);
    return () => {
      controller.abort();
    };
  }, [key, page, q, role, status]);

  const current = state?.key === key ? state.value : null;
  return { current, previous: state?.value ?? null };
}

export interface VersionedUser {
  user: User;
  etag: string;
}

/** One user as the server has it now, with its ETag; `reload` bumps to read again. */
export function useVersionedUser(id: string, reload: number) {
  const key = `${id}|${reload}`;
  const [state, setState] = useState<Keyed<Outcome<VersionedUser>> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    settle(api.GET("/users/{id}", { params: { path: { id } }, signal: controller.signal }))
      .then((outcome) => {
        const value: Outcome<VersionedUser> = outcome.ok
          ? { ...outcome, data: { user: outcome.data, etag: outcome.response.headers.get("ETag") ?? "" } }
          : outcome;
        setState({ key, value });
      })
      .catch(() => undefined);
    return () => {
      controller.abort();
    };
  }, [key, id]);

  return state?.key === key ? state.value : null;
}
