// A horizontal bar chart of annual spend (Chart.js on a canvas), with its
// numbers also as a table in a "Vis som tabel" accordion for those who
// cannot see the chart. The table shows the API's exact amount strings.

import { lazy, Suspense, useId } from "react";
import type { Spend } from "../../api/types";
import { formatAmount } from "../../format";
import { t } from "../../i18n";
import { chartBoxClass } from "./period";

const BarChart = lazy(() => import("./BarChart"));

export function SpendChart({
  rows,
  heading,
  chartName,
  caption,
  labelHeader,
}: {
  rows: readonly Spend[];
  heading: string;
  chartName: string;
  caption: string;
  labelHeader: string;
}) {
  const id = useId();
  const headingId = `${id}-heading`;
  return (
    <section className="spend-block" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <Suspense fallback={<div className={chartBoxClass(rows)} />}>
        <BarChart rows={rows} name={chartName} />
      </Suspense>
      <details className="details">
        <summary className="details-summary">
          {t("overview.showAsTable")}
          <span className="sr-only">: {caption}</span>
        </summary>
        <div className="details-text">
          <table className="table table--zebra spend-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{labelHeader}</th>
                <th scope="col" className="amount">
                  {t("overview.colAnnualValue")}
                </th>
                <th scope="col" className="amount">
                  {t("overview.colContracts")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  <td className="amount nowrap">{formatAmount(r.annual_value)}</td>
                  <td className="amount">{r.contracts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
