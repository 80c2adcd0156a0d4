import { describe, expect, it } from "vitest";
import { Session, type EndReason } from "../auth/session";
import { createApi } from "./client";

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const me = { id: "u1", email: "a@soroe.dk", name: "Anne", role: "admin" };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

const unauthenticated = { type: "about:blank", title: "Unauthenticated", status: 401 };

/** A fake server: access token "new" is valid; "old" has expired. */
function fakeServer(refreshOutcome: "ok" | "revoked") {
  const log: string[] = [];
  let refreshes = 0;
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    const path = new URL(request.url).pathname;
    const auth = request.headers.get("Authorization") ?? "-";
    log.push(`${request.method} ${path} ${auth}`);
    // Let concurrent requests pile up before answering.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (path === "/api/v1/auth/refresh") {
      refreshes += 1;
      const body = (await request.json()) as { refresh_token: string };
      if (refreshOutcome === "revoked" || body.refresh_token !== "r1") return json(401, unauthenticated);
      return json(200, { access_token: "new", refresh_token: "r2", token_type: "Bearer", expires_in: 900 });
    }
    if (auth !== "Bearer new") return json(401, unauthenticated);
    if (path === "/api/v1/users" && request.method === "POST") {
      return json(201, { echoed: (await request.json()) as unknown });
    }
    return json(200, me);
  };
  return { fetch, log, refreshes: () => refreshes };
}

function setup(refreshOutcome: "ok" | "revoked") {
  const server = fakeServer(refreshOutcome);
  const session = new Session(new MemoryStorage());
  session.store({ access_token: "old", refresh_token: "r1", token_type: "Bearer", expires_in: 900 });
  const ended: EndReason[] = [];
  session.onEnd((reason) => ended.push(reason));
  const api = createApi({ session, fetch: server.fetch, baseUrl: "http://test/api/v1" });
  return { server, session, ended, api };
}

describe("the API client's session handling", () => {
  it("refreshes once on 401 and retries the request with the new token", async () => {
    const { api, server, session } = setup("ok");
    const { data, response } = await api.GET("/me");
    expect(response.status).toBe(200);
    expect(data?.name).toBe("Anne");
    expect(server.refreshes()).toBe(1);
    expect(session.current).toEqual({ accessToken: "new", refreshToken: "r2" });
    expect(server.log).toEqual([
      "GET /api/v1/me Bearer old",
      "POST /api/v1/auth/refresh -",
      "GET /api/v1/me Bearer new",
    ]);
  });

  it("shares one refresh between concurrent requests", async () => {
    const { api, server } = setup("ok");
    const results = await Promise.all([api.GET("/me"), api.GET("/me"), api.GET("/me")]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(server.refreshes()).toBe(1);
  });

  it("replays the request body on retry", async () => {
    const { api } = setup("ok");
    const body = { email: "b@soroe.dk", name: "B", role: "viewer" as const, password: "x".repeat(12) };
    const { data, response } = await api.POST("/users", { body });
    expect(response.status).toBe(201);
    expect(data).toEqual({ echoed: body });
  });

  it("ends the session as expired when the refresh is refused", async () => {
    const { api, server, session, ended } = setup("revoked");
    const results = await Promise.all([api.GET("/me"), api.GET("/me")]);
    expect(results.map((r) => r.response.status)).toEqual([401, 401]);
    expect(server.refreshes()).toBe(1);
    expect(session.current).toBeNull();
    expect(ended).toEqual(["expired"]);
  });

  it("does not refresh for the login call itself", async () => {
    const { api, server } = setup("ok");
    const { response } = await api.POST("/auth/login", { body: { email: "a", password: "b" } });
    expect(response.status).toBe(401);
    expect(server.refreshes()).toBe(0);
  });
});
