// The timeline (Gantt chart) of a tender plan, drawn as our own SVG: one
// row per planned tender with a bar from its first to its last milestone,
// the milestones and the end dates of the contracts it replaces as
// markers, and a line for today. Above it, filters by municipality and
// status and a choice of zoom (quarters or years); below it, the same
// dates as a table in a "Vis som tabel" accordion.
//
// Keyboard: the chart is one tab stop. ↑/↓ move between planned tenders,
// ←/→ between a tender's markers, Home/End to the row's start or end,
// Enter on a row opens the planned tender. Every row and marker has an
// accessible name with its dates; the focused or hovered one is also
// described in a visible tooltip.

import { useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { Link, useNavigate } from "react-router";
import { SelectField } from "../../components/fields";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import {
  createScale,
  filterItems,
  LABEL_WIDTH,
  layoutRows,
  moveFocus,
  municipalityChoices,
  ROW_HEIGHT,
  HEADER_HEIGHT,
  ticks,
  timelineRange,
  todayInDenmark,
  ZOOMS,
  type FocusPosition,
  type PlacedMarker,
  type PlacedRow,
  type TimelineFilter,
  type TimelineItem,
  type Zoom,
} from "./timeline";

export interface TimelineProps {
  items: readonly TimelineItem[];
  /** The status codes with Danish labels, in the order the filter offers them. */
  statuses: readonly { code: string; label: string }[];
  /** Today as an ISO date; Denmark's date when absent. */
  today?: string;
  /** A heading level 2 text naming the chart. */
  heading: string;
}

/** The accessible name and tooltip text of a marker. */
export function markerText(marker: PlacedMarker): string {
  const date = formatDate(marker.date) ?? marker.date;
  if (marker.kind === "contract_end") {
    return t("timeline.contractEnds", { title: marker.label, municipality: marker.municipality ?? "", date });
  }
  return t(marker.done ? "timeline.milestoneDone" : "timeline.milestone", { label: marker.label, date });
}

/** The accessible name of a row: subject, status, lead municipality and its span. */
export function rowText(row: PlacedRow): string {
  const milestones = row.markers.filter((m) => m.kind === "milestone");
  const first = milestones[0];
  const last = milestones.at(-1);
  const base = t("timeline.rowName", {
    subject: row.item.subject,
    status: row.item.statusLabel,
    lead: row.item.leadTenant,
  });
  if (!first || !last) return `${base} ${t("timeline.noMilestones")}`;
  return `${base} ${t("timeline.rowSpan", {
    first: first.label,
    from: formatDate(first.date) ?? first.date,
    last: last.label,
    to: formatDate(last.date) ?? last.date,
  })}`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function Marker({
  marker,
  mid,
  focusable,
  focusKey,
  onFocus,
  onHover,
}: {
  marker: PlacedMarker;
  mid: number;
  focusable: boolean;
  focusKey: string;
  onFocus: () => void;
  onHover: (on: boolean) => void;
}) {
  const name = markerText(marker);
  const className =
    marker.kind === "contract_end"
      ? "timeline-marker timeline-contract-end"
      : `timeline-marker timeline-milestone${marker.done ? " is-done" : ""}${marker.code === "publication" ? " is-publication" : ""}`;
  return (
    <g
      className={className}
      role="img"
      aria-label={name}
      tabIndex={focusable ? 0 : -1}
      data-focus={focusKey}
      onFocus={onFocus}
      onMouseEnter={() => {
        onHover(true);
      }}
      onMouseLeave={() => {
        onHover(false);
      }}
    >
      <title>{name}</title>
      {marker.kind === "contract_end" ? (
        <>
          <line x1={marker.x} x2={marker.x} y1={mid - 14} y2={mid + 14} />
          <path d={`M ${String(marker.x - 6)} ${String(mid - 14)} h 12 l -6 8 z`} />
        </>
      ) : (
        <rect x={marker.x - 6} y={mid - 6} width={12} height={12} transform={`rotate(45 ${String(marker.x)} ${String(mid)})`} />
      )}
    </g>
  );
}

interface Tip {
  text: string;
  x: number;
  y: number;
}

export function Timeline({ items, statuses, today = todayInDenmark(), heading }: TimelineProps) {
  const id = useId();
  const navigate = useNavigate();
  const [zoom, setZoom] = useState<Zoom>("quarter");
  const [filter, setFilter] = useState<TimelineFilter>({ municipality: "", status: "" });
  const [focus, setFocus] = useState<FocusPosition>({ row: 0, col: 0 });
  const [tip, setTip] = useState<Tip | null>(null);
  const chart = useRef<SVGSVGElement>(null);

  const shown = useMemo(() => filterItems(items, filter), [items, filter]);
  // The range follows every item, not only those shown, so filtering does not rescale the axis.
  const scale = useMemo(() => createScale(timelineRange(items, today, zoom), zoom, LABEL_WIDTH), [items, today, zoom]);
  const layout = useMemo(() => layoutRows(shown, scale), [shown, scale]);
  const axisTicks = useMemo(() => ticks(scale), [scale]);
  const todayX = scale.xOf(today);
  const counts = layout.rows.map((r) => r.markers.length);
  // Focus stays inside what is shown when a filter removes rows.
  const at: FocusPosition =
    layout.rows.length === 0
      ? { row: 0, col: 0 }
      : {
          row: Math.min(focus.row, layout.rows.length - 1),
          col: Math.min(focus.col, counts[Math.min(focus.row, layout.rows.length - 1)] ?? 0),
        };

  const municipalities = municipalityChoices(items);

  function showTip(row: PlacedRow, col: number) {
    const marker = col === 0 ? null : row.markers[col - 1];
    if (marker) setTip({ text: markerText(marker), x: marker.x, y: row.y + ROW_HEIGHT });
    else setTip({ text: rowText(row), x: (row.bar?.x1 ?? LABEL_WIDTH) + 0, y: row.y + ROW_HEIGHT });
  }

  function onKeyDown(event: KeyboardEvent<SVGSVGElement>) {
    const row = layout.rows[at.row];
    if (event.key === "Enter" && at.col === 0 && row) {
      event.preventDefault();
      void navigate(row.item.href);
      return;
    }
    if (event.key === "Escape") {
      setTip(null);
      return;
    }
    const next = moveFocus(at, event.key, counts, event.ctrlKey || event.metaKey);
    if (!next) return;
    event.preventDefault();
    setFocus(next);
    chart.current?.querySelector<SVGElement>(`[data-focus="${String(next.row)}-${String(next.col)}"]`)?.focus();
  }

  function openRow(event: MouseEvent, href: string) {
    // An ordinary click stays in the app; a modified one opens a tab as links do.
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    void navigate(href);
  }

  const headingId = `${id}-heading`;
  const helpId = `${id}-help`;
  return (
    <section className="timeline" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <div className="timeline-controls">
        <SelectField
          id={`${id}-municipality`}
          label={t("timeline.filterMunicipality")}
          value={filter.municipality}
          onChange={(municipality) => {
            setFilter((f) => ({ ...f, municipality }));
          }}
          options={[{ value: "", label: t("timeline.all") }, ...municipalities.map((m) => ({ value: m, label: m }))]}
        />
        <SelectField
          id={`${id}-status`}
          label={t("timeline.filterStatus")}
          value={filter.status}
          onChange={(status) => {
            setFilter((f) => ({ ...f, status }));
          }}
          options={[{ value: "", label: t("timeline.all") }, ...statuses.map((s) => ({ value: s.code, label: s.label }))]}
        />
        <div className="form-group timeline-zoom" role="group" aria-labelledby={`${id}-zoom`}>
          <span className="form-label" id={`${id}-zoom`}>
            {t("timeline.zoom")}
          </span>
          <div>
            {ZOOMS.map((z) => (
              <button
                key={z}
                type="button"
                className={z === zoom ? "button button-primary" : "button button-secondary"}
                aria-pressed={z === zoom}
                onClick={() => {
                  setZoom(z);
                  setTip(null);
                }}
              >
                {t(z === "quarter" ? "timeline.zoomQuarter" : "timeline.zoomYear")}
              </button>
            ))}
          </div>
        </div>
      </div>
      <p className="list-status" role="status">
        {shown.length === items.length
          ? t("timeline.showingAll", { count: items.length })
          : t("timeline.showingSome", { count: shown.length, total: items.length })}
      </p>
      <p id={helpId} className="form-hint timeline-help">
        {t("timeline.keyboardHelp")}
      </p>
      <div className="timeline-scroll">
        <svg
          ref={chart}
          className="timeline-chart"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${String(layout.width)} ${String(layout.height)}`}
          role="group"
          aria-labelledby={headingId}
          aria-describedby={helpId}
          onKeyDown={onKeyDown}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget)) setTip(null);
          }}
        >
          <g aria-hidden="true">
            {layout.rows.map((row) => (
              <rect
                key={row.item.id}
                className={row.index % 2 === 0 ? "timeline-stripe" : "timeline-stripe is-odd"}
                x={0}
                y={row.y}
                width={layout.width}
                height={ROW_HEIGHT}
              />
            ))}
          </g>
          <g className="timeline-axis" aria-hidden="true">
            {axisTicks.map((tick) => (
              <g key={tick.day}>
                <line
                  className={tick.major ? "timeline-tick is-major" : "timeline-tick"}
                  x1={tick.x}
                  x2={tick.x}
                  y1={HEADER_HEIGHT - 30}
                  y2={layout.height}
                />
                {tick.label ? (
                  <text x={tick.x + 4} y={HEADER_HEIGHT - 34} className="timeline-tick-label">
                    {tick.label}
                  </text>
                ) : null}
              </g>
            ))}
          </g>
          {layout.rows.length === 0 ? (
            <text x={LABEL_WIDTH} y={HEADER_HEIGHT + ROW_HEIGHT / 2 + 5} className="timeline-empty">
              {t("timeline.empty")}
            </text>
          ) : null}
          {layout.rows.map((row) => {
            const rowFocusable = at.row === row.index && at.col === 0;
            const name = rowText(row);
            return (
              <g key={row.item.id} className={`timeline-row status-${row.item.status}`}>
                <a
                  href={row.item.href}
                  className="timeline-row-link"
                  tabIndex={rowFocusable ? 0 : -1}
                  data-focus={`${String(row.index)}-0`}
                  aria-label={name}
                  onClick={(e) => {
                    openRow(e, row.item.href);
                  }}
                  onFocus={() => {
                    setFocus({ row: row.index, col: 0 });
                    showTip(row, 0);
                  }}
                >
                  <title>{name}</title>
                  <rect x={4} y={row.y + 4} width={LABEL_WIDTH - 12} height={ROW_HEIGHT - 8} className="timeline-row-hit" />
                  <text x={12} y={row.y + 19} className="timeline-subject">
                    {shorten(row.item.subject, 30)}
                  </text>
                  <text x={12} y={row.y + 35} className="timeline-meta">
                    {shorten(`${row.item.statusLabel} · ${row.item.leadTenant}`, 40)}
                  </text>
                  {row.bar ? (
                    <rect
                      className="timeline-bar"
                      x={row.bar.x1}
                      y={row.mid - 5}
                      width={row.bar.x2 - row.bar.x1}
                      height={10}
                      rx={3}
                    />
                  ) : null}
                </a>
                {row.markers.map((marker, i) => (
                  <Marker
                    key={`${marker.code}-${marker.date}-${String(i)}`}
                    marker={marker}
                    mid={row.mid}
                    focusable={at.row === row.index && at.col === i + 1}
                    focusKey={`${String(row.index)}-${String(i + 1)}`}
                    onFocus={() => {
                      setFocus({ row: row.index, col: i + 1 });
                      showTip(row, i + 1);
                    }}
                    onHover={(on) => {
                      if (on) showTip(row, i + 1);
                      else setTip(null);
                    }}
                  />
                ))}
              </g>
            );
          })}
          {todayX !== null ? (
            <g className="timeline-today" aria-hidden="true">
              <line x1={todayX} x2={todayX} y1={HEADER_HEIGHT - 24} y2={layout.height} />
              <text x={todayX + 4} y={HEADER_HEIGHT - 8}>
                {t("timeline.today")}
              </text>
            </g>
          ) : null}
        </svg>
        {tip ? (
          <div className="timeline-tooltip" style={{ left: Math.max(0, tip.x - 20), top: tip.y }} aria-hidden="true">
            {tip.text}
          </div>
        ) : null}
      </div>
      <ul className="timeline-legend unstyled-list" aria-label={t("timeline.legend")}>
        <li>
          <svg width="16" height="16" aria-hidden="true" className="timeline-marker timeline-milestone">
            <rect x="3" y="3" width="10" height="10" transform="rotate(45 8 8)" />
          </svg>
          {t("timeline.legendMilestone")}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true" className="timeline-marker timeline-milestone is-done">
            <rect x="3" y="3" width="10" height="10" transform="rotate(45 8 8)" />
          </svg>
          {t("timeline.legendDone")}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true" className="timeline-marker timeline-contract-end">
            <line x1="8" x2="8" y1="1" y2="15" />
            <path d="M 2 1 h 12 l -6 8 z" />
          </svg>
          {t("timeline.legendContractEnd")}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true" className="timeline-today">
            <line x1="8" x2="8" y1="0" y2="16" />
          </svg>
          {t("timeline.legendToday")}
        </li>
      </ul>
      <TimelineTable items={shown} caption={heading} />
    </section>
  );
}

/** The timeline's dates as a table, for those who cannot see or use the chart. */
export function TimelineTable({ items, caption }: { items: readonly TimelineItem[]; caption: string }) {
  return (
    <details className="details">
      <summary className="details-summary">
        {t("timeline.showAsTable")}
        <span className="sr-only">: {caption}</span>
      </summary>
      <div className="details-text">
        <table className="table table--zebra table-md-responsive-headers timeline-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("timeline.colTender")}</th>
              <th scope="col">{t("timeline.colStatus")}</th>
              <th scope="col">{t("timeline.colLead")}</th>
              <th scope="col">{t("timeline.colMilestones")}</th>
              <th scope="col">{t("timeline.colContractEnds")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row" data-title={t("timeline.colTender")}>
                  <Link to={item.href}>{item.subject}</Link>
                </th>
                <td data-title={t("timeline.colStatus")}>{item.statusLabel}</td>
                <td data-title={t("timeline.colLead")}>{item.leadTenant}</td>
                <td data-title={t("timeline.colMilestones")}>
                  {item.milestones.length === 0 ? (
                    t("timeline.none")
                  ) : (
                    <ul className="unstyled-list timeline-table-list">
                      {[...item.milestones]
                        .sort((a, b) => a.date.localeCompare(b.date))
                        .map((m) => (
                          <li key={`${m.kind}-${m.date}`}>
                            {m.label}: <span className="nowrap">{formatDate(m.date)}</span>
                            {m.done ? ` (${t("timeline.done")})` : ""}
                          </li>
                        ))}
                    </ul>
                  )}
                </td>
                <td data-title={t("timeline.colContractEnds")}>
                  {item.contractEnds.length === 0 ? (
                    t("timeline.none")
                  ) : (
                    <ul className="unstyled-list timeline-table-list">
                      {item.contractEnds.map((c) => (
                        <li key={`${c.title}-${c.date}`}>
                          {c.title} ({c.municipality}): <span className="nowrap">{formatDate(c.date)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
