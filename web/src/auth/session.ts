// The tokens of the logged-in session. They live in memory and in
// sessionStorage (so a reload keeps the session but closing the tab ends it);
// never in localStorage. Listeners hear when the session ends on its own.

import type { TokenResponse } from "../api/types";

const STORAGE_KEY = "samudbud.session";

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export type EndReason = "expired" | "loggedOut";
type Listener = (reason: EndReason) => void;

function read(storage: Storage | undefined): Tokens | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    if (typeof parsed.accessToken === "string" && typeof parsed.refreshToken === "string") {
      return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
    }
  } catch {
    // Unreadable storage means no session.
  }
  return null;
}

export class Session {
  private tokens: Tokens | null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Storage | undefined) {
    this.tokens = read(storage);
  }

  get current(): Tokens | null {
    return this.tokens;
  }

  store(response: TokenResponse): void {
    this.tokens = { accessToken: response.access_token, refreshToken: response.refresh_token };
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
    } catch {
      // Without storage the session still works until the page is reloaded.
    }
  }

  /** Forgets the tokens and tells the listeners why. */
  end(reason: EndReason): void {
    const had = this.tokens !== null;
    this.tokens = null;
    try {
      this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored, nothing to remove.
    }
    if (had) for (const listener of this.listeners) listener(reason);
  }

  onEnd(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const session = new Session(typeof window === "undefined" ? undefined : window.sessionStorage);
