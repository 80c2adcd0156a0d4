// The arithmetic of the tender plan's timeline (Gantt chart), kept apart
// from the drawing so it can be tested: calendar dates as whole day
// numbers, the visible range snapped to quarters or years, date → x, the
// ticks along the top, one row per planned tender with its bar and
// markers, the filters, and how the arrow keys move between rows and
// markers. Dates are ISO calendar dates ("2027-03-01"); no time zones.

export type Zoom = "quarter" | "year";

export const ZOOMS: readonly Zoom[] = ["quarter", "year"];

/** A milestone (milepæl) of a planned tender, as the timeline draws it. */
export interface TimelineMilestone {
  kind: string;
  /** Danish name of the milestone, e.g. "Offentliggørelse". */
  label: string;
  date: string;
  done: boolean;
}

/** The end of a contract a planned tender replaces. */
export interface TimelineContractEnd {
  title: string;
  municipality: string;
  date: string;
}

/** One planned tender (planlagt udbud) as a row of the timeline. */
export interface TimelineItem {
  id: string;
  href: string;
  subject: string;
  status: string;
  statusLabel: string;
  leadTenant: string;
  /** The lead municipality and every participant, for the filter. */
  municipalities: readonly string[];
  milestones: readonly TimelineMilestone[];
  contractEnds: readonly TimelineContractEnd[];
}

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for an ISO date; null when it is not one. */
export function dayNumber(iso: string): number | null {
  const m = ISO.exec(iso.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return Math.round(ms / DAY_MS);
}

/** The ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parts(day: number): { year: number; month: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

function dayOf(year: number, month: number, date = 1): number {
  return Math.round(Date.UTC(year, month - 1, date) / DAY_MS);
}

/** The first day of the quarter a day falls in. */
export function quarterStart(day: number): number {
  const { year, month } = parts(day);
  return dayOf(year, month - ((month - 1) % 3));
}

/** The first day of the quarter after the one a day falls in. */
export function nextQuarter(day: number): number {
  const { year, month } = parts(quarterStart(day));
  return month === 10 ? dayOf(year + 1, 1) : dayOf(year, month + 3);
}

/** The quarter (1–4) and year of a day. */
export function quarterOf(day: number): { quarter: number; year: number } {
  const { year, month } = parts(day);
  return { quarter: Math.floor((month - 1) / 3) + 1, year };
}

export interface Range {
  /** First day shown (inclusive). */
  start: number;
  /** The day after the last day shown. */
  end: number;
}

/** Every date the items carry, as day numbers. */
export function itemDays(item: TimelineItem): number[] {
  const dates = [...item.milestones.map((m) => m.date), ...item.contractEnds.map((c) => c.date)];
  return dates.map(dayNumber).filter((d): d is number => d !== null);
}

/**
 * The span the chart covers: every date of the items and today, widened
 * to whole quarters (quarter zoom) or whole calendar years (year zoom).
 */
export function timelineRange(items: readonly TimelineItem[], today: string, zoom: Zoom): Range {
  const todayDay = dayNumber(today) ?? 0;
  const days = [todayDay, ...items.flatMap(itemDays)];
  const first = Math.min(...days);
  const last = Math.max(...days);
  if (zoom === "year") {
    return { start: dayOf(parts(first).year, 1), end: dayOf(parts(last).year + 1, 1) };
  }
  return { start: quarterStart(first), end: nextQuarter(last) };
}

/** Pixels per day at each zoom: a quarter is about 137 px wide, a year about 183 px. */
export const PX_PER_DAY: Readonly<Record<Zoom, number>> = { quarter: 1.5, year: 0.5 };

export interface Scale {
  range: Range;
  zoom: Zoom;
  /** Where the time axis starts, left of it are the row labels. */
  left: number;
  /** The width of the time axis in pixels. */
  width: number;
  /** The x of the start of a day. */
  x: (day: number) => number;
  /** The x of the start of an ISO date; null when the date does not read. */
  xOf: (iso: string) => number | null;
}

export function createScale(range: Range, zoom: Zoom, left: number): Scale {
  const perDay = PX_PER_DAY[zoom];
  const x = (day: number) => left + (day - range.start) * perDay;
  return {
    range,
    zoom,
    left,
    width: (range.end - range.start) * perDay,
    x,
    xOf: (iso) => {
      const day = dayNumber(iso);
      return day === null ? null : x(day);
    },
  };
}

export interface Tick {
  day: number;
  x: number;
  /** The text under the tick; empty for an unlabelled one. */
  label: string;
  /** A year boundary, drawn stronger. */
  major: boolean;
}

/**
 * The ticks along the top: at quarter zoom one per quarter labelled
 * "1. kvt. 2027" (the year's first quarter is major); at year zoom one per
 * year labelled "2027" with unlabelled quarter ticks between.
 */
export function ticks(scale: Scale): Tick[] {
  const out: Tick[] = [];
  for (let day = quarterStart(scale.range.start); day < scale.range.end; day = nextQuarter(day)) {
    if (day < scale.range.start) continue;
    const { quarter, year } = quarterOf(day);
    const major = quarter === 1;
    const label =
      scale.zoom === "quarter" ? `${String(quarter)}. kvt. ${String(year)}` : major ? String(year) : "";
    out.push({ day, x: scale.x(day), label, major });
  }
  return out;
}

export type MarkerKind = "milestone" | "contract_end";

export interface PlacedMarker {
  kind: MarkerKind;
  /** The milestone's kind code, or "contract_end". */
  code: string;
  date: string;
  x: number;
  done: boolean;
  /** What the marker is, in Danish, without the date. */
  label: string;
  /** For a contract end: whose contract. */
  municipality?: string;
}

export interface PlacedRow {
  item: TimelineItem;
  index: number;
  /** Top of the row. */
  y: number;
  /** The vertical middle of the row. */
  mid: number;
  /** The bar from the first to the last milestone; null without milestones. */
  bar: { x1: number; x2: number } | null;
  /** Milestones and contract ends, earliest first: the order the arrow keys follow. */
  markers: PlacedMarker[];
}

export interface Layout {
  rows: PlacedRow[];
  /** Height of the whole drawing. */
  height: number;
  /** Width of the whole drawing. */
  width: number;
}

export const ROW_HEIGHT = 44;
export const HEADER_HEIGHT = 56;
export const LABEL_WIDTH = 300;
const RIGHT_PADDING = 16;
const MIN_BAR = 4;

/** One row per item, top to bottom in the given order, with its bar and markers. */
export function layoutRows(items: readonly TimelineItem[], scale: Scale): Layout {
  const rows = items.map((item, index): PlacedRow => {
    const y = HEADER_HEIGHT + index * ROW_HEIGHT;
    const markers: PlacedMarker[] = [];
    for (const m of item.milestones) {
      const x = scale.xOf(m.date);
      if (x !== null) markers.push({ kind: "milestone", code: m.kind, date: m.date, x, done: m.done, label: m.label });
    }
    for (const c of item.contractEnds) {
      const x = scale.xOf(c.date);
      if (x !== null) {
        markers.push({
          kind: "contract_end",
          code: "contract_end",
          date: c.date,
          x,
          done: false,
          label: c.title,
          municipality: c.municipality,
        });
      }
    }
    // Stable: same-day markers keep milestones before contract ends.
    markers.sort((a, b) => a.x - b.x);
    const milestoneXs = markers.filter((m) => m.kind === "milestone").map((m) => m.x);
    const bar =
      milestoneXs.length === 0
        ? null
        : { x1: Math.min(...milestoneXs), x2: Math.max(Math.max(...milestoneXs), Math.min(...milestoneXs) + MIN_BAR) };
    return { item, index, y, mid: y + ROW_HEIGHT / 2, bar, markers };
  });
  return {
    rows,
    height: HEADER_HEIGHT + Math.max(rows.length, 1) * ROW_HEIGHT,
    width: scale.left + scale.width + RIGHT_PADDING,
  };
}

export interface TimelineFilter {
  /** A municipality's name; "" for all. */
  municipality: string;
  /** A status code; "" for all. */
  status: string;
}

export function filterItems(items: readonly TimelineItem[], filter: TimelineFilter): TimelineItem[] {
  return items.filter(
    (item) =>
      (filter.municipality === "" || item.municipalities.includes(filter.municipality)) &&
      (filter.status === "" || item.status === filter.status),
  );
}

/** The municipalities the items name, alphabetically the Danish way (æ, ø, å last). */
export function municipalityChoices(items: readonly TimelineItem[]): string[] {
  return [...new Set(items.flatMap((i) => i.municipalities))].sort((a, b) => a.localeCompare(b, "da"));
}

/**
 * Where keyboard focus sits: a row, and in it the row's link (column 0)
 * or one of its markers (column 1…n, earliest first).
 */
export interface FocusPosition {
  row: number;
  col: number;
}

/**
 * The position a key moves focus to, or null when the key is not the
 * timeline's: ↑/↓ change row (keeping the column where the row has it),
 * ←/→ move along the row, Home/End to the row's link or its last marker,
 * Ctrl+Home/Ctrl+End to the first or last row.
 */
export function moveFocus(
  at: FocusPosition,
  key: string,
  markerCounts: readonly number[],
  ctrl = false,
): FocusPosition | null {
  const rowCount = markerCounts.length;
  if (rowCount === 0) return null;
  const lastCol = (row: number) => markerCounts[row] ?? 0;
  const clampCol = (row: number, col: number) => Math.min(col, lastCol(row));
  switch (key) {
    case "ArrowDown": {
      const row = Math.min(at.row + 1, rowCount - 1);
      return { row, col: clampCol(row, at.col) };
    }
    case "ArrowUp": {
      const row = Math.max(at.row - 1, 0);
      return { row, col: clampCol(row, at.col) };
    }
    case "ArrowRight":
      return { row: at.row, col: Math.min(at.col + 1, lastCol(at.row)) };
    case "ArrowLeft":
      return { row: at.row, col: Math.max(at.col - 1, 0) };
    case "Home":
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case "End":
      return ctrl ? { row: rowCount - 1, col: 0 } : { row: at.row, col: lastCol(at.row) };
    default:
      return null;
  }
}

/** Today's date in Denmark, as an ISO date. */
export function todayInDenmark(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen" }).format(now);
}
