// What the Muligheder page reads from and writes to its address: the
// collaboration, the window in months, the grouping level and the view, so
// a search can be bookmarked and shared. Danish words in the address,
// the API's values inside.

import type { MessageKey } from "../../i18n";

export const LEVELS = ["group", "class", "division", "category"] as const;
export type Level = (typeof LEVELS)[number];

const LEVEL_SLUGS: Record<Level, string> = {
  group: "gruppe",
  class: "klasse",
  division: "afdeling",
  category: "kategori",
};

export const DEFAULT_WINDOW = 18;
export const MAX_WINDOW = 120;

export type View = "faellesskab" | "vores-kontrakter";

export interface Filters {
  collaborationId: string;
  windowMonths: number;
  level: Level;
  view: View;
}

export function levelLabelKey(level: Level): MessageKey {
  return `opportunities.levels.${level}`;
}

/** A whole number of months from 1 to 120, or null. */
export function parseWindow(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const months = Number(trimmed);
  return months >= 1 && months <= MAX_WINDOW ? months : null;
}

export function readFilters(params: URLSearchParams): Filters {
  const slug = params.get("niveau");
  const level = LEVELS.find((l) => LEVEL_SLUGS[l] === slug) ?? "group";
  return {
    collaborationId: params.get("faellesskab") ?? "",
    windowMonths: parseWindow(params.get("maaneder") ?? "") ?? DEFAULT_WINDOW,
    level,
    view: params.get("visning") === "vores-kontrakter" ? "vores-kontrakter" : "faellesskab",
  };
}

/** The address's query for `filters`, leaving out what is the default. */
export function writeFilters(filters: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.collaborationId) out.faellesskab = filters.collaborationId;
  if (filters.windowMonths !== DEFAULT_WINDOW) out.maaneder = String(filters.windowMonths);
  if (filters.level !== "group") out.niveau = LEVEL_SLUGS[filters.level];
  if (filters.view !== "faellesskab") out.visning = filters.view;
  return out;
}

/** The path of a planned tender's page. */
export function tenderPath(planId: string, tenderId: string): string {
  return `/udbudsplaner/${planId}/udbud/${tenderId}`;
}
