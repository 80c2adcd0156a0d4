// Reading Overblik's data: the overview figures, the deadlines of a period,
// and who is responsible for each contract (the deadline list has no owner).

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

/**
 * The responsible person or unit of each active contract, by contract id:
 * the system owner, else the responsible unit; "loading" until read and
 * "failed" when it could not be. Reads at most 200 active contracts (the
 * API's largest page).
 */
export function useOwners() {
  const outcome = useLoad<Map<string, string>>("owners", async (signal) => {
    const result = await settle(
      api.GET("/contracts", { params: { query: { status: "active", page_size: 200, sort: "title" } }, signal }),
    );
    if (!result.ok) return result;
    const owners = new Map<string, string>();
    for (const c of result.data.items) {
      const owner = c.system_owner ?? c.responsible_unit;
      if (owner) owners.set(c.id, owner);
    }
    return { ...result, data: owners };
  }).current;
  if (outcome === null) return "loading";
  return outcome.ok ? outcome.data : "failed";
}
