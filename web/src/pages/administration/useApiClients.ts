// Reading API clients: the municipality's list and one client with the ETag
// a change must quote in If-Match.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { ApiClient, ApiClientList, ClientScope } from "../../api/types";

/** Every scope a client can get, in the order the form offers them (the spec's enum). */
export const CLIENT_SCOPES: readonly ClientScope[] = [
  "contracts:read",
  "contracts:write",
  "plans:read",
  "plans:write",
  "templates:read",
  "templates:write",
  "collaborations:read",
];

export function useApiClientList(version: number) {
  return useLoad<ApiClientList>(String(version), (signal) => settle(api.GET("/api-clients", { signal })));
}

export interface VersionedClient {
  client: ApiClient;
  etag: string;
}

/** One client as the server has it now, with its ETag; bump `reload` to read again. */
export function useVersionedClient(id: string, reload: number) {
  return useLoad<VersionedClient>(`${id}|${String(reload)}`, async (signal) =>
    withETag(
      await settle(api.GET("/api-clients/{id}", { params: { path: { id } }, signal })),
      (client, etag) => ({ client, etag }),
    ),
  ).current;
}

/** The scopes in the form's order, whatever order they were picked in. */
export function orderedScopes(scopes: readonly string[]): ClientScope[] {
  return CLIENT_SCOPES.filter((s) => scopes.includes(s));
}

/** The curl command that exchanges a client's id and secret for a token. */
export function tokenCommand(origin: string, clientId: string, secret: string): string {
  return [
    `curl -s -X POST ${origin}/api/v1/auth/token \\`,
    `  -d grant_type=client_credentials \\`,
    `  --data-urlencode client_id=${clientId} \\`,
    `  --data-urlencode client_secret=${secret}`,
  ].join("\n");
}

/** The highest rate limit an admin may set, in requests a minute. */
export const MAX_RATE_LIMIT = 6000;

/** A rate limit as typed: a whole number of requests a minute, 1–6000, else null. */
export function parseRateLimit(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_RATE_LIMIT ? value : null;
}
