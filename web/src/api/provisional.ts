// Shapes of the reminder and calendar operations as agreed
// for the API, used until they are part of the generated schema; and a
// client for their paths (the same client, so requests carry the session).

import type { FetchResult } from "./problem";
import { api } from "./client";

export type ReminderFrequency = "off" | "daily" | "weekly";

export interface ReminderSettings {
  frequency?: ReminderFrequency | null;
  horizon_days: number;
  effective: ReminderFrequency;
  last_sent_at?: string | null;
  next_send_on?: string | null;
}

export interface ReminderDigestPreview {
  subject: string;
  text: string;
  items: { kind: string; date: string; title: string; link?: string | null }[];
}

export interface CalendarFeedStatus {
  active: boolean;
  token_hint?: string | null;
  created_at?: string | null;
  last_used_at?: string | null;
}

export interface CalendarFeedCreated {
  url: string;
  token_hint: string;
  created_at: string;
}

interface Init {
  params?: { query?: Record<string, string | number> };
  body?: object;
  signal?: AbortSignal;
}

interface LooseClient {
  GET: (path: string, init?: Init) => Promise<FetchResult<unknown>>;
  POST: (path: string, init?: Init) => Promise<FetchResult<unknown>>;
  PUT: (path: string, init?: Init) => Promise<FetchResult<unknown>>;
  DELETE: (path: string, init?: Init) => Promise<FetchResult<unknown>>;
}

const loose = api as unknown as LooseClient;

export function provisional<T>(
  method: keyof LooseClient,
  path: string,
  init?: Init,
): Promise<FetchResult<T>> {
  return loose[method](path, init) as Promise<FetchResult<T>>;
}
