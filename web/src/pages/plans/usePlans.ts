// Reading for the tender plan pages: the plans the municipality can see,
// one plan with the ETag a change must quote, its planned tenders, one
// planned tender, the municipality's commitments, and CPV suggestions.

import { api } from "../../api/client";
import { settle, withETag, type Outcome } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Commitment, PlannedTender, TenderPlan } from "../../api/types";
import type { CpvOption } from "./cpv";

export function usePlanList(version: number) {
  return useLoad<TenderPlan[]>(`plans|${String(version)}`, async (signal) => {
    const outcome = await settle(api.GET("/tender-plans", { signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

export interface VersionedPlan {
  plan: TenderPlan;
  etag: string;
}

export function usePlan(id: string, version: number) {
  return useLoad<VersionedPlan>(`plan|${id}|${String(version)}`, async (signal) =>
    withETag(await settle(api.GET("/tender-plans/{id}", { params: { path: { id } }, signal })), (plan, etag) => ({
      plan,
      etag,
    })),
  ).current;
}

export function usePlannedTenders(planId: string, version: number) {
  return useLoad<PlannedTender[]>(`tenders|${planId}|${String(version)}`, async (signal) => {
    const outcome = await settle(
      api.GET("/tender-plans/{id}/tenders", { params: { path: { id: planId } }, signal }),
    );
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

export interface VersionedTender {
  tender: PlannedTender;
  etag: string;
}

export function usePlannedTender(planId: string, tenderId: string, version: number) {
  return useLoad<VersionedTender>(`tender|${planId}|${tenderId}|${String(version)}`, async (signal) =>
    withETag(
      await settle(
        api.GET("/tender-plans/{id}/tenders/{tender_id}", {
          params: { path: { id: planId, tender_id: tenderId } },
          signal,
        }),
      ),
      (tender, etag) => ({ tender, etag }),
    ),
  ).current;
}

export function useCommitments(version: number) {
  return useLoad<Commitment[]>(`commitments|${String(version)}`, async (signal) => {
    const outcome = await settle(api.GET("/commitments", { signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

/** CPV codes whose code or Danish text matches, for the CPV picker. */
export async function searchCpv(query: string, signal: AbortSignal): Promise<Outcome<CpvOption[]>> {
  const outcome = await settle(api.GET("/cpv", { params: { query: { q: query, page_size: 20 } }, signal }));
  return outcome.ok
    ? { ...outcome, data: outcome.data.items.map((c) => ({ code: c.code, label: c.label_da })) }
    : outcome;
}
