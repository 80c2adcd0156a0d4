import { describe, expect, it } from "vitest";
import {
  createScale,
  dayNumber,
  filterItems,
  HEADER_HEIGHT,
  isoDate,
  LABEL_WIDTH,
  layoutRows,
  moveFocus,
  municipalityChoices,
  nextQuarter,
  quarterOf,
  quarterStart,
  ROW_HEIGHT,
  ticks,
  timelineRange,
  todayInDenmark,
  type TimelineItem,
} from "./timeline";

/** The day number of a date the test knows is valid. */
function day(iso: string): number {
  const n = dayNumber(iso);
  if (n === null) throw new Error(`not a date: ${iso}`);
  return n;
}

function item(overrides: Partial<TimelineItem> = {}): TimelineItem {
  return {
    id: "t1",
    href: "/udbudsplaner/p/udbud/t1",
    subject: "Fælles ESDH",
    status: "planned",
    statusLabel: "Planlagt",
    leadTenant: "Sorø Kommune",
    municipalities: ["Sorø Kommune", "Ringsted Kommune"],
    milestones: [
      { kind: "publication", label: "Offentliggørelse", date: "2027-03-01", done: false },
      { kind: "needs_analysis", label: "Behovsafdækning", date: "2026-11-02", done: true },
      { kind: "contract_start", label: "Kontraktstart", date: "2027-10-01", done: false },
    ],
    contractEnds: [{ title: "ESDH 2019", municipality: "Ringsted Kommune", date: "2027-09-30" }],
    ...overrides,
  };
}

describe("day numbers", () => {
  it("counts days from 1970-01-01 and back", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(day("2028-03-01") - day("2028-02-28")).toBe(2); // leap year
    expect(day("2027-03-01") - day("2027-02-28")).toBe(1);
    expect(isoDate(day("2027-12-31"))).toBe("2027-12-31");
  });

  it("refuses what is not a calendar date", () => {
    expect(dayNumber("2027-02-30")).toBeNull();
    expect(dayNumber("31.12.2027")).toBeNull();
    expect(dayNumber("")).toBeNull();
  });
});

describe("quarters", () => {
  it("finds the quarter's first day and the next quarter", () => {
    expect(isoDate(quarterStart(day("2027-05-17")))).toBe("2027-04-01");
    expect(isoDate(quarterStart(day("2027-01-01")))).toBe("2027-01-01");
    expect(isoDate(nextQuarter(day("2027-12-31")))).toBe("2028-01-01");
    expect(isoDate(nextQuarter(day("2027-07-01")))).toBe("2027-10-01");
    expect(quarterOf(day("2027-09-30"))).toEqual({ quarter: 3, year: 2027 });
  });
});

describe("timelineRange", () => {
  it("covers every date and today, widened to whole quarters", () => {
    const range = timelineRange([item()], "2026-12-01", "quarter");
    expect(isoDate(range.start)).toBe("2026-10-01");
    expect(isoDate(range.end)).toBe("2028-01-01");
  });

  it("widens to whole years at year zoom and includes a today outside the items", () => {
    const range = timelineRange([item()], "2029-02-10", "year");
    expect(isoDate(range.start)).toBe("2026-01-01");
    expect(isoDate(range.end)).toBe("2030-01-01");
  });

  it("is today's quarter when there is nothing to show", () => {
    const range = timelineRange([], "2027-05-05", "quarter");
    expect(isoDate(range.start)).toBe("2027-04-01");
    expect(isoDate(range.end)).toBe("2027-07-01");
  });
});

describe("createScale", () => {
  it("maps a date to x linearly from the start of the axis", () => {
    const range = { start: day("2027-01-01"), end: day("2028-01-01") };
    const scale = createScale(range, "quarter", LABEL_WIDTH);
    expect(scale.x(range.start)).toBe(LABEL_WIDTH);
    expect(scale.xOf("2027-01-11")).toBe(LABEL_WIDTH + 10 * 1.5);
    expect(scale.width).toBe(365 * 1.5);
    expect(scale.xOf("2028-01-01")).toBe(LABEL_WIDTH + scale.width);
    expect(scale.xOf("not a date")).toBeNull();
  });

  it("draws a year narrower at year zoom", () => {
    const range = { start: day("2027-01-01"), end: day("2028-01-01") };
    expect(createScale(range, "year", 0).width).toBe(365 * 0.5);
  });
});

describe("ticks", () => {
  it("labels every quarter at quarter zoom, the first quarter of a year as major", () => {
    const range = { start: day("2026-10-01"), end: day("2027-07-01") };
    const result = ticks(createScale(range, "quarter", 0));
    expect(result.map((t) => t.label)).toEqual(["4. kvt. 2026", "1. kvt. 2027", "2. kvt. 2027"]);
    expect(result.map((t) => t.major)).toEqual([false, true, false]);
    expect(result[1]?.x).toBe(92 * 1.5);
  });

  it("labels only years at year zoom, with quarter ticks between", () => {
    const range = { start: day("2027-01-01"), end: day("2029-01-01") };
    const result = ticks(createScale(range, "year", 0));
    expect(result).toHaveLength(8);
    expect(result.filter((t) => t.label !== "").map((t) => t.label)).toEqual(["2027", "2028"]);
    expect(isoDate(result[4]?.day ?? 0)).toBe("2028-01-01");
  });
});

describe("layoutRows", () => {
  const range = { start: day("2026-10-01"), end: day("2028-01-01") };
  const scale = createScale(range, "quarter", LABEL_WIDTH);

  it("stacks one row per item below the header", () => {
    const layout = layoutRows([item(), item({ id: "t2" })], scale);
    expect(layout.rows.map((r) => r.y)).toEqual([HEADER_HEIGHT, HEADER_HEIGHT + ROW_HEIGHT]);
    expect(layout.rows[1]?.mid).toBe(HEADER_HEIGHT + ROW_HEIGHT * 1.5);
    expect(layout.height).toBe(HEADER_HEIGHT + 2 * ROW_HEIGHT);
    expect(layout.width).toBe(LABEL_WIDTH + scale.width + 16);
  });

  it("spans the bar from the first to the last milestone and orders markers by date", () => {
    const [row] = layoutRows([item()], scale).rows;
    expect(row?.bar).toEqual({ x1: scale.xOf("2026-11-02"), x2: scale.xOf("2027-10-01") });
    expect(row?.markers.map((m) => `${m.kind}:${m.date}`)).toEqual([
      "milestone:2026-11-02",
      "milestone:2027-03-01",
      "contract_end:2027-09-30",
      "milestone:2027-10-01",
    ]);
    expect(row?.markers[2]).toMatchObject({ label: "ESDH 2019", municipality: "Ringsted Kommune" });
  });

  it("draws no bar without milestones and leaves out dates that do not read", () => {
    const [row] = layoutRows(
      [item({ milestones: [{ kind: "award", label: "Tildeling", date: "2027-02-30", done: false }] })],
      scale,
    ).rows;
    expect(row?.bar).toBeNull();
    expect(row?.markers.map((m) => m.kind)).toEqual(["contract_end"]);
  });

  it("keeps a one-day bar visible", () => {
    const [row] = layoutRows(
      [item({ milestones: [{ kind: "award", label: "Tildeling", date: "2027-02-01", done: false }], contractEnds: [] })],
      scale,
    ).rows;
    expect(row?.bar?.x2).toBe((row?.bar?.x1 ?? 0) + 4);
  });

  it("has room for an empty-state row when nothing matches", () => {
    expect(layoutRows([], scale).height).toBe(HEADER_HEIGHT + ROW_HEIGHT);
  });
});

describe("filters", () => {
  const items = [
    item({ id: "a", status: "planned", municipalities: ["Sorø Kommune", "Ringsted Kommune"] }),
    item({ id: "b", status: "idea", municipalities: ["Næstved Kommune", "Ærø Kommune"] }),
    item({ id: "c", status: "planned", municipalities: ["Næstved Kommune"] }),
  ];

  it("narrows by municipality and status together", () => {
    expect(filterItems(items, { municipality: "", status: "" }).map((i) => i.id)).toEqual(["a", "b", "c"]);
    expect(filterItems(items, { municipality: "Næstved Kommune", status: "" }).map((i) => i.id)).toEqual(["b", "c"]);
    expect(filterItems(items, { municipality: "Næstved Kommune", status: "planned" }).map((i) => i.id)).toEqual(["c"]);
    expect(filterItems(items, { municipality: "Sorø Kommune", status: "idea" })).toEqual([]);
  });

  it("offers each municipality once, in Danish order", () => {
    expect(municipalityChoices(items)).toEqual(["Næstved Kommune", "Ringsted Kommune", "Sorø Kommune", "Ærø Kommune"]);
  });
});

describe("moveFocus", () => {
  const counts = [3, 1, 0];

  it("moves along a row and stops at its ends", () => {
    expect(moveFocus({ row: 0, col: 0 }, "ArrowRight", counts)).toEqual({ row: 0, col: 1 });
    expect(moveFocus({ row: 0, col: 3 }, "ArrowRight", counts)).toEqual({ row: 0, col: 3 });
    expect(moveFocus({ row: 0, col: 0 }, "ArrowLeft", counts)).toEqual({ row: 0, col: 0 });
    expect(moveFocus({ row: 0, col: 2 }, "End", counts)).toEqual({ row: 0, col: 3 });
    expect(moveFocus({ row: 0, col: 2 }, "Home", counts)).toEqual({ row: 0, col: 0 });
  });

  it("moves between rows, keeping the column where the row has one", () => {
    expect(moveFocus({ row: 0, col: 3 }, "ArrowDown", counts)).toEqual({ row: 1, col: 1 });
    expect(moveFocus({ row: 1, col: 1 }, "ArrowDown", counts)).toEqual({ row: 2, col: 0 });
    expect(moveFocus({ row: 2, col: 0 }, "ArrowDown", counts)).toEqual({ row: 2, col: 0 });
    expect(moveFocus({ row: 0, col: 0 }, "ArrowUp", counts)).toEqual({ row: 0, col: 0 });
    expect(moveFocus({ row: 1, col: 0 }, "End", counts, true)).toEqual({ row: 2, col: 0 });
    expect(moveFocus({ row: 2, col: 0 }, "Home", counts, true)).toEqual({ row: 0, col: 0 });
  });

  it("leaves other keys and empty timelines alone", () => {
    expect(moveFocus({ row: 0, col: 0 }, "Enter", counts)).toBeNull();
    expect(moveFocus({ row: 0, col: 0 }, "ArrowDown", [])).toBeNull();
  });
});

describe("todayInDenmark", () => {
  it("is the Copenhagen date, a day ahead of UTC late in the evening", () => {
    expect(todayInDenmark(new Date("2027-06-30T22:30:00Z"))).toBe("2027-07-01");
    expect(todayInDenmark(new Date("2027-12-31T12:00:00Z"))).toBe("2027-12-31");
  });
});
