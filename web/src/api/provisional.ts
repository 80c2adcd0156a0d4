// Shapes of the opportunity, reminder and calendar operations as agreed
// for the API, used until they are part of the generated schema; and a
// client for their paths (the same client, so requests carry the session).

import type { FetchResult } from "./problem";
import type { PlannedTender } from "./types";
import { api } from "./client";

export interface TenantRef {
  id: string;
  name: string;
  cvr?: string | null;
}

export interface OpportunityContract {
  id: string;
  title: string;
  tenant: TenantRef;
  supplier_name?: string | null;
  cpv_code?: string | null;
  category?: string | null;
  annual_value?: string | null;
  total_value?: string | null;
  end_on?: string | null;
  notice_deadline?: string | null;
  retender_start: string;
  own: boolean;
}

export interface OpportunityGroup {
  key: string;
  label: string;
  reason: string;
  cpv?: { code: string; label: string } | null;
  category?: string | null;
  municipalities: TenantRef[];
  contracts: OpportunityContract[];
  annual_value: string;
  total_value: string;
  earliest_retender_start: string;
  latest_retender_start: string;
  threshold: { eur: string | number; dkk: string; above: boolean; consequence: string };
  covered_by: { plan_id: string; plan_name: string; tender_id: string; subject: string }[];
}

export interface OpportunityList {
  items: OpportunityGroup[];
  total: number;
  window: { from: string; to: string };
  level: string;
}

export type OpportunityMatch = OpportunityContract & { collaboration: { id: string; name: string } };

export interface MyOpportunity {
  contract: OpportunityContract;
  matches: OpportunityMatch[];
}

export interface MyOpportunityList {
  items: MyOpportunity[];
  total: number;
}

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

export interface CreateTenderFromOpportunity {
  collaboration_id: string;
  group_key: string;
  level: string;
  window_months: number;
  from?: string;
  plan_id: string;
  subject?: string;
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

export type { PlannedTender };
