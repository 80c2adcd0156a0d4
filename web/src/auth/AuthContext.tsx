// Who is logged in, for the whole app: the current user from GET /me,
// logging in and out, and why the last session ended (shown on /login).

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api } from "../api/client";
import { settle, type Outcome } from "../api/problem";
import type { Me, TokenResponse } from "../api/types";
import { session, type EndReason } from "./session";

type Status = "loading" | "anonymous" | "authenticated";

interface AuthValue {
  status: Status;
  me: Me | null;
  /** Why the last session ended, until the next login. */
  endReason: EndReason | null;
  login: (email: string, password: string) => Promise<Outcome<TokenResponse>>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

interface State {
  status: Status;
  me: Me | null;
  endReason: EndReason | null;
}

async function loadMe(signal?: AbortSignal): Promise<Me | null> {
  const outcome = await settle(api.GET("/me", { signal }));
  return outcome.ok ? outcome.data : null;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>(() => ({
    status: session.current ? "loading" : "anonymous",
    me: null,
    endReason: null,
  }));

  useEffect(
    () =>
      session.onEnd((reason) => {
        setState({ status: "anonymous", me: null, endReason: reason });
      }),
    [],
  );

  // A reload keeps the tokens in sessionStorage; find out whose they are.
  useEffect(() => {
    if (!session.current) return undefined;
    const controller = new AbortController();
    loadMe(controller.signal)
      .then((me) => {
        if (me) {
          setState({ status: "authenticated", me, endReason: null });
        } else {
          // A refused refresh has already ended the session; other failures end it here.
          session.end("expired");
          setState((s) => (s.status === "loading" ? { ...s, status: "anonymous" } : s));
        }
      })
      .catch(() => undefined);
    return () => {
      controller.abort();
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const outcome = await settle(api.POST("/auth/login", { body: { email, password } }));
    if (outcome.ok) {
      session.store(outcome.data);
      const me = await loadMe();
      if (!me) {
        session.end("expired");
        return { ok: false as const, status: 0, problem: null, response: null };
      }
      setState({ status: "authenticated", me, endReason: null });
    }
    return outcome;
  }, []);

  const logout = useCallback(async () => {
    const refreshToken = session.current?.refreshToken;
    if (refreshToken) {
      // Ending the session locally matters more than the server hearing of it.
      await settle(api.POST("/auth/logout", { body: { refresh_token: refreshToken } })).catch(() => undefined);
    }
    session.end("loggedOut");
    setState({ status: "anonymous", me: null, endReason: "loggedOut" });
  }, []);

  const value = useMemo<AuthValue>(() => ({ ...state, login, logout }), [state, login, logout]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** The logged-in user; only for components under RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe without a logged-in user");
  return me;
}
