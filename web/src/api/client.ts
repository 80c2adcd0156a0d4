// The one API client. Every request carries the session's access token; a
// 401 triggers one refresh (shared by all requests that fail meanwhile) and
// one retry. When the refresh is refused the session ends as "expired".

import createClient, { type Client, type Middleware } from "openapi-fetch";
import { session as defaultSession, type Session } from "../auth/session";
import type { paths } from "./schema";

export type ApiClient = Client<paths>;

/** Operations that authenticate by their body, never by a bearer token. */
const TOKEN_FREE = new Set<string>(["/auth/login", "/auth/refresh", "/auth/logout"]);

export interface ApiOptions {
  session?: Session;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export function createApi(options: ApiOptions = {}): ApiClient {
  const session = options.session ?? defaultSession;
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? "/api/v1",
    // Resolved at call time, so tests and the browser can replace fetch.
    fetch: (request) => (options.fetch ?? globalThis.fetch)(request),
  });

  let refreshing: Promise<boolean> | null = null;

  async function refreshOnce(): Promise<boolean> {
    const refreshToken = session.current?.refreshToken;
    if (!refreshToken) return false;
    try {
      const { data, response } = await client.POST("/auth/refresh", {
        body: { refresh_token: refreshToken },
      });
      if (data) {
        session.store(data);
        return true;
      }
      // Revoked, reused or expired: the session is over. Anything else
      // (throttling, a server fault) leaves it to the next attempt.
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        session.end("expired");
      }
      return false;
    } catch {
      return false;
    }
  }

  /** One refresh at a time: concurrent callers wait for the same one. */
  function refresh(): Promise<boolean> {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  interface Pending {
    replay: Request;
    token: string | null;
  }
  const pending = new Map<string, Pending>();

  const auth: Middleware = {
    onRequest({ request, schemaPath, id }) {
      if (TOKEN_FREE.has(schemaPath)) return undefined;
      const token = session.current?.accessToken ?? null;
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      // The body can be read only once, so keep a copy for a retry.
      pending.set(id, { replay: request.clone(), token });
      return request;
    },
    async onResponse({ response, id, options: fetchOptions }) {
      const entry = pending.get(id);
      pending.delete(id);
      if (!entry || response.status !== 401 || entry.token === null) return undefined;
      // Another request may have refreshed while this one was under way.
      const renewed = session.current !== null && session.current.accessToken !== entry.token;
      if (!renewed && !(await refresh())) return undefined;
      const token = session.current?.accessToken;
      if (!token) return undefined;
      entry.replay.headers.set("Authorization", `Bearer ${token}`);
      const retried = await fetchOptions.fetch(entry.replay);
      if (retried.status === 401) session.end("expired");
      return retried;
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
  };
  client.use(auth);
  return client;
}

export const api = createApi();
