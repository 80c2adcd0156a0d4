// Reading Overblik's data: the overview figures and the deadlines of a period.

import { api } from "../../api/client";
import { settle } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Deadline, Overview } from "../../api/types";

export function useOverview() {
  return useLoad<Overview>("overview", (signal) => settle(api.GET("/overview", { signal }))).current;
}

export function useDeadlines(days: number) {
  return useLoad<Deadline[]>(String(days), async (signal) => {
    const outcome = await settle(api.GET("/deadlines", { params: { query: { within_days: days } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  });
}
