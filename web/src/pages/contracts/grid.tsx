// Kontrakter as a grid: the columns a user can choose between, their cells,
// the totals row over everything the filters match, and the filters in
// words for a printed list.

import type { ReactNode } from "react";
import type { Contract, ContractPage } from "../../api/types";
import type { ColumnSet } from "../../components/grid/view";
import { formatAmount, formatDate } from "../../format";
import { t, type MessageKey } from "../../i18n";
import { DateWithWarning, SharedTag, StatusBadge } from "./parts";
import type { ContractQuery, SortColumn } from "./query";
import type { Options } from "./useContracts";

export type Totals = ContractPage["totals"];

export interface ContractColumn {
  key: string;
  label: MessageKey;
  /** The API's sort for the column, when it sorts. */
  sort?: SortColumn;
  className?: string;
  cell: (contract: Contract, options: Options, compact: boolean) => ReactNode;
}

const none = () => t("contracts.none");

export const CONTRACT_COLUMN_LIST: readonly ContractColumn[] = [
  { key: "title", label: "contracts.colTitle", sort: "title", cell: () => null },
  {
    key: "reference",
    label: "contractFields.reference",
    sort: "reference",
    cell: (c) => c.reference ?? none(),
  },
  {
    key: "supplier",
    label: "contracts.colSupplier",
    sort: "supplier",
    cell: (c, _o, compact) => (
      <>
        {c.supplier.name}
        {compact ? null : <span className="contract-reference">{t("contracts.cvr", { cvr: c.supplier.cvr })}</span>}
      </>
    ),
  },
  { key: "owner", label: "ownership.colContractOwner", cell: (c) => c.owner_user?.name ?? none() },
  {
    key: "status",
    label: "contracts.colStatus",
    sort: "status",
    cell: (c, o) => <StatusBadge code={c.status} label={o.label("status", c.status)} />,
  },
  { key: "category", label: "contractFields.category", sort: "category", cell: (c) => c.category ?? none() },
  {
    key: "start_on",
    label: "contractFields.start_on",
    sort: "start_on",
    className: "nowrap",
    cell: (c) => formatDate(c.start_on) ?? none(),
  },
  {
    key: "end_on",
    label: "contractFields.end_on",
    sort: "end_on",
    className: "nowrap",
    cell: (c) => formatDate(c.end_on) ?? t("terms.running"),
  },
  {
    key: "effective_end",
    label: "contracts.colEffectiveEnd",
    sort: "effective_end",
    className: "nowrap",
    cell: (c) => formatDate(c.effective_end) ?? t("terms.running"),
  },
  {
    key: "notice_deadline",
    label: "contracts.colNoticeDeadline",
    sort: "notice_deadline",
    className: "nowrap",
    cell: (c) => (c.notice_deadline ? <DateWithWarning iso={c.notice_deadline} /> : none()),
  },
  {
    key: "retender_start",
    label: "contract.retenderStart",
    sort: "retender_start",
    className: "nowrap",
    cell: (c) => formatDate(c.retender_start) ?? none(),
  },
  {
    key: "annual_value",
    label: "contracts.colAnnualValue",
    sort: "annual_value",
    className: "nowrap text-align-right",
    cell: (c) => formatAmount(c.annual_value) ?? none(),
  },
  {
    key: "total_value",
    label: "contractFields.total_value",
    sort: "total_value",
    className: "nowrap text-align-right",
    cell: (c) => formatAmount(c.total_value) ?? none(),
  },
];

export const CONTRACT_COLUMNS: ColumnSet = {
  all: CONTRACT_COLUMN_LIST.map((c) => c.key),
  defaults: ["title", "supplier", "owner", "status", "effective_end", "notice_deadline", "annual_value"],
  fixed: ["title"],
};

export function columnsOf(keys: readonly string[]): ContractColumn[] {
  return CONTRACT_COLUMN_LIST.filter((c) => keys.includes(c.key));
}

/** The title cell: the link, and (in normal rows) the reference and tags under it. */
export function TitleCell({ contract, compact, link }: { contract: Contract; compact: boolean; link: ReactNode }) {
  return (
    <th scope="row">
      {link}
      {contract.reference && !compact ? <span className="contract-reference">{contract.reference}</span> : null}
      {contract.shared || contract.archived_at ? (
        <span className="contract-row-tags">
          <SharedTag contract={contract} />
          {contract.archived_at ? <span className="badge">{t("contracts.archived")}</span> : null}
        </span>
      ) : null}
    </th>
  );
}

/**
 * The totals row: the count under the first column, the sums under their
 * columns, and the sums of hidden money columns spelled out beside the count.
 */
export function TotalsRow({ totals, columns, leading }: { totals: Totals; columns: readonly ContractColumn[]; leading: number }) {
  const keys = columns.map((c) => c.key);
  const hidden = [
    ...(keys.includes("annual_value") ? [] : [{ label: t("grid.totalsAnnual"), value: totals.annual_value }]),
    ...(keys.includes("total_value") ? [] : [{ label: t("grid.totalsTotal"), value: totals.total_value }]),
  ];
  return (
    <tr className="totals-row">
      {leading > 0 ? <td className="select-cell" /> : null}
      {columns.map((column, i) => {
        if (i === 0) {
          return (
            <th scope="row" key={column.key}>
              {totals.count === 1 ? t("grid.totalsCountOne") : t("grid.totalsCount", { count: totals.count })}
              {hidden.map((h) => (
                <span key={h.label} className="totals-hidden">
                  {t("grid.totalsHidden", { label: h.label, amount: formatAmount(h.value) ?? h.value })}
                </span>
              ))}
            </th>
          );
        }
        if (column.key === "annual_value" || column.key === "total_value") {
          const label = column.key === "annual_value" ? t("grid.totalsAnnual") : t("grid.totalsTotal");
          const value = column.key === "annual_value" ? totals.annual_value : totals.total_value;
          return (
            <td key={column.key} className="nowrap text-align-right" data-title={label}>
              <span className="sr-only">{label}: </span>
              {formatAmount(value) ?? value}
            </td>
          );
        }
        return <td key={column.key} aria-hidden="true" className="totals-empty" />;
      })}
    </tr>
  );
}

/** The list's filters in words ("Status: Aktiv · Kategori: it-drift"), for print. */
export function filterSummary(
  query: ContractQuery,
  options: Options,
  names: { supplier: (id: string) => string | undefined; system: (id: string) => string | undefined },
): string[] {
  const parts: string[] = [];
  const add = (label: MessageKey, value: string) => {
    parts.push(`${t(label)}: ${value}`);
  };
  if (query.q) add("contracts.searchLabel", `»${query.q}«`);
  if (query.scope === "own") add("contracts.scope", t("contracts.scopeOwn"));
  if (query.scope === "shared") add("contracts.scope", t("contracts.scopeShared"));
  if (query.status) add("contracts.status", options.label("status", query.status));
  if (query.supplier_id) add("contracts.supplier", names.supplier(query.supplier_id) ?? query.supplier_id);
  if (query.system_id) add("contracts.system", names.system(query.system_id) ?? query.system_id);
  if (query.category) add("contracts.category", query.category);
  if (query.cpv) add("contracts.cpv", query.cpv);
  if (query.owner === "me") parts.push(t("ownership.myContracts"));
  else if (query.owner) add("contracts.owner", query.owner);
  if (query.ends_after) add("contracts.endsAfter", formatDate(query.ends_after) ?? query.ends_after);
  if (query.ends_before) add("contracts.endsBefore", formatDate(query.ends_before) ?? query.ends_before);
  if (query.notice_within_days) {
    add("contracts.noticeWithin", t("contracts.noticeWithinDays", { count: query.notice_within_days }));
  }
  if (query.criticality) add("contracts.criticality", options.label("criticality", query.criticality));
  if (query.include_archived) parts.push(t("contracts.includeArchived"));
  return parts;
}
