// Reading and writing for the Muligheder page: the groups of a
// collaboration, the municipality's own contracts with their matches, and
// a planned tender created from a group (recomputed by the server).

import { api } from "../../api/client";
import { settle, type Outcome } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { MyOpportunityList, OpportunityList, PlannedTender } from "../../api/types";
import type { Level } from "./model";

export function useOpportunities(collaborationId: string, windowMonths: number, level: Level, version: number) {
  const key = `opportunities|${collaborationId}|${String(windowMonths)}|${level}|${String(version)}`;
  return useLoad<OpportunityList>(key, (signal) =>
    settle(
      api.GET("/opportunities", {
        params: { query: { collaboration_id: collaborationId, window_months: windowMonths, level } },
        signal,
      }),
    ),
  ).current;
}

export function useMyOpportunities(windowMonths: number) {
  return useLoad<MyOpportunityList>(`my-opportunities|${String(windowMonths)}`, (signal) =>
    settle(api.GET("/opportunities/mine", { params: { query: { window_months: windowMonths } }, signal })),
  ).current;
}

export interface CreateFromGroup {
  collaborationId: string;
  groupKey: string;
  level: Level;
  windowMonths: number;
  from: string;
  planId: string;
  subject: string;
}

export function createTenderFromOpportunity(input: CreateFromGroup): Promise<Outcome<PlannedTender>> {
  const subject = input.subject.trim();
  return settle(
    api.POST("/opportunities/planned-tenders", {
      body: {
        collaboration_id: input.collaborationId,
        group_key: input.groupKey,
        level: input.level,
        window_months: input.windowMonths,
        from: input.from,
        plan_id: input.planId,
        ...(subject ? { subject } : {}),
      },
    }),
  );
}
