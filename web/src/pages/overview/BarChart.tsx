// The canvas bar chart of annual spend. Chart.js is the app's largest
// dependency, so this module is loaded only when Overblik draws a chart.

import { useEffect, useRef } from "react";
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import type { Spend } from "../../api/types";
import { formatAmount } from "../../format";
import { axisKroner, chartBoxClass, chartNumber } from "./period";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

// The chart draws on a canvas, which page CSS does not reach: DKFDS's
// primary blue, text colour and typeface are given here.
const BAR_COLOUR = "#0059b3";
const TEXT_COLOUR = "#1a1a1a";
const FONT = { family: '"IBM Plex Sans", system-ui, sans-serif', size: 13 };

function shortLabel(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1).trimEnd()}…` : label;
}

export default function BarChart({ rows, name }: { rows: readonly Spend[]; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    // Narrow screens leave less room beside the bars for names.
    const labelLength = element.parentElement && element.parentElement.clientWidth < 500 ? 20 : 32;
    const chart = new Chart(element, {
      type: "bar",
      data: {
        labels: rows.map((r) => r.label),
        datasets: [{ data: rows.map((r) => chartNumber(r.annual_value)), backgroundColor: BAR_COLOUR }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "da-DK",
        scales: {
          x: {
            beginAtZero: true,
            ticks: {
              callback: (value) => axisKroner(Number(value)),
              maxTicksLimit: 5,
              maxRotation: 0,
              autoSkipPadding: 16,
              color: TEXT_COLOUR,
              font: FONT,
            },
          },
          y: {
            ticks: {
              // Long names are shortened on the axis; the tooltip and the table have them whole.
              callback: (_value, index) => shortLabel(rows[index]?.label ?? "", labelLength),
              autoSkip: false,
              color: TEXT_COLOUR,
              font: FONT,
            },
          },
        },
        plugins: {
          tooltip: {
            bodyFont: FONT,
            titleFont: FONT,
            callbacks: {
              label: (item) => {
                const row = rows[item.dataIndex];
                return formatAmount(row?.annual_value) ?? axisKroner(item.parsed.x ?? 0);
              },
              title: (items) => rows[items[0]?.dataIndex ?? -1]?.label ?? "",
            },
          },
        },
      },
    });
    // Labels are measured when the chart is drawn; measure again once the
    // page's typeface has loaded, or long labels are cut off.
    let live = true;
    void document.fonts.ready.then(() => {
      if (live) chart.update();
    });
    return () => {
      live = false;
      chart.destroy();
    };
  }, [rows]);

  // The canvas is an image with a name; the table below carries the numbers.
  return (
    <div className={chartBoxClass(rows)}>
      <canvas ref={canvas} role="img" aria-label={name} />
    </div>
  );
}
