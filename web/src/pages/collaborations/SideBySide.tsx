// The contracts the members share with a collaboration side by side: owner,
// supplier, value and deadlines in one table, filtered, sorted, optionally
// grouped by supplier, category or municipality with subtotals, and the
// totals of every matching contract. Its state lives in the address.

import { Fragment, useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { settle } from "../../api/problem";
import type {
  Collaboration,
  CollaborationContract,
  CollaborationContractPage,
  ContractGroup,
  ContractSubtotal,
} from "../../api/types";
import { useLoad } from "../../api/useLoad";
import { PagedList } from "../../components/PagedList";
import { SelectField, TextField } from "../../components/fields";
import { formatAmount, formatDate } from "../../format";
import { t, type MessageKey } from "../../i18n";
import { currentMembers } from "./members";
import {
  apiQuery,
  GROUPINGS,
  isSideFiltered,
  nextSideSort,
  NOTICE_WINDOWS,
  readSideQuery,
  SIDE_PAGE_SIZE,
  sideSearch,
  sideSortDirection,
  type Grouping,
  type SideQuery,
  type SideSortColumn,
} from "./sideBySideQuery";

const COLUMNS: readonly { column: SideSortColumn; label: MessageKey; numeric?: boolean }[] = [
  { column: "municipality", label: "sideBySide.colMunicipality" },
  { column: "title", label: "sideBySide.colTitle" },
  { column: "supplier", label: "sideBySide.colSupplier" },
  { column: "category", label: "sideBySide.colCategory" },
  { column: "cpv", label: "sideBySide.colCpv" },
  { column: "annual_value", label: "sideBySide.colAnnualValue", numeric: true },
  { column: "total_value", label: "sideBySide.colTotalValue", numeric: true },
  { column: "notice_deadline", label: "sideBySide.colNoticeDeadline" },
  { column: "end", label: "sideBySide.colEnd" },
  { column: "retender_start", label: "sideBySide.colRetenderStart" },
];

const GROUP_LABELS: Record<Grouping, MessageKey> = {
  "": "sideBySide.groupNone",
  supplier: "sideBySide.groupSupplier",
  category: "sideBySide.groupCategory",
  municipality: "sideBySide.groupMunicipality",
};

function useSideBySide(id: string, query: SideQuery) {
  const q = apiQuery(query);
  return useLoad<CollaborationContractPage>(`${id}|${JSON.stringify(q)}`, (signal) =>
    settle(api.GET("/collaborations/{id}/contracts", { params: { path: { id }, query: q }, signal })),
  );
}

/** The suppliers and categories among the shared contracts, for the filters. */
function useFilterChoices(id: string) {
  return useLoad<{ suppliers: ContractGroup[]; categories: ContractGroup[] }>(id, async (signal) => {
    const read = (group_by: "supplier" | "category") =>
      settle(
        api.GET("/collaborations/{id}/contracts", {
          params: { path: { id }, query: { group_by, page_size: 1 } },
          signal,
        }),
      );
    const [suppliers, categories] = await Promise.all([read("supplier"), read("category")]);
    if (!suppliers.ok) return suppliers;
    if (!categories.ok) return categories;
    return {
      ok: true as const,
      data: { suppliers: suppliers.data.groups, categories: categories.data.groups.filter((g) => g.key) },
      response: categories.response,
    };
  });
}

function amount(value: string | undefined): string {
  return formatAmount(value) ?? "";
}

function SortHeader({ query, column, text, numeric, href }: { query: SideQuery; column: SideSortColumn; text: string; numeric?: boolean | undefined; href: (q: SideQuery) => string }) {
  const direction = sideSortDirection(query.sort, column);
  return (
    <th scope="col" aria-sort={direction} className={numeric ? "text-align-right" : undefined}>
      <Link className="sort-link" to={href({ ...query, sort: nextSideSort(query.sort, column), page: 1 })} preventScrollReset>
        {text}
        <span className="sr-only">
          {direction === "ascending" ? `, ${t("sideBySide.sortedAscending")}` : null}
          {direction === "descending" ? `, ${t("sideBySide.sortedDescending")}` : null}
        </span>
        <span className={`sort-mark${direction ? " is-sorted" : ""}`} aria-hidden="true">
          {direction === "descending" ? "▼" : direction === "ascending" ? "▲" : "↕"}
        </span>
      </Link>
    </th>
  );
}

function Row({ contract }: { contract: CollaborationContract }) {
  const end = contract.running ? t("terms.running") : (formatDate(contract.effective_end) ?? "");
  return (
    <tr>
      <td data-title={t("sideBySide.colMunicipality")}>{contract.municipality.name}</td>
      <th scope="row" data-title={t("sideBySide.colTitle")}>
        <Link to={`/kontrakter/${contract.id}`}>{contract.title}</Link>
      </th>
      <td data-title={t("sideBySide.colSupplier")}>
        {contract.supplier.name}
        <span className="supplier-cvr">{t("sideBySide.cvr", { cvr: contract.supplier.cvr })}</span>
      </td>
      <td data-title={t("sideBySide.colCategory")}>{contract.category ?? ""}</td>
      <td className="nowrap" data-title={t("sideBySide.colCpv")}>{contract.cpv_code ?? ""}</td>
      <td className="text-align-right nowrap" data-title={t("sideBySide.colAnnualValue")}>{amount(contract.annual_value)}</td>
      <td className="text-align-right nowrap" data-title={t("sideBySide.colTotalValue")}>{amount(contract.total_value)}</td>
      <td className="nowrap" data-title={t("sideBySide.colNoticeDeadline")}>{formatDate(contract.notice_deadline) ?? ""}</td>
      <td className="nowrap" data-title={t("sideBySide.colEnd")}>{end}</td>
      <td className="nowrap" data-title={t("sideBySide.colRetenderStart")}>{formatDate(contract.retender_start) ?? ""}</td>
    </tr>
  );
}

/** A row of sums: a group's subtotal or the totals. */
function SumRow({ text, sum, className }: { text: string; sum: ContractSubtotal; className: string }) {
  return (
    <tr className={className}>
      <th scope="row" colSpan={5}>
        {text}
      </th>
      <td className="text-align-right nowrap" data-title={t("sideBySide.colAnnualValue")}>{amount(sum.annual_value)}</td>
      <td className="text-align-right nowrap" data-title={t("sideBySide.colTotalValue")}>{amount(sum.total_value)}</td>
      <td colSpan={3} />
    </tr>
  );
}

function groupName(group: ContractGroup): string {
  return group.label ?? t("sideBySide.noCategory");
}

function countText(count: number): string {
  return count === 1 ? t("sideBySide.groupCountOne") : t("sideBySide.groupCount", { count });
}

function Table({ page }: { page: CollaborationContractPage }) {
  const groups = new Map(page.groups.map((g) => [g.key ?? "", g]));
  const segments: { group: ContractGroup | null; items: CollaborationContract[] }[] = [];
  for (const item of page.items) {
    const group = page.group_by ? (groups.get(item.group_key ?? "") ?? null) : null;
    const last = segments[segments.length - 1];
    if (last && last.group === group) last.items.push(item);
    else segments.push({ group, items: [item] });
  }
  return (
    <tbody>
      {segments.map(({ group, items }, index) => (
        <Fragment key={`${group?.key ?? ""}-${String(index)}`}>
          {group ? (
            <tr className="group-row">
              <th scope="rowgroup" colSpan={COLUMNS.length}>
                {groupName(group)}
                {group.cvr ? <span className="weight-normal"> ({t("sideBySide.cvr", { cvr: group.cvr })})</span> : null}
                <span className="weight-normal"> – {countText(group.subtotal.count)}</span>
              </th>
            </tr>
          ) : null}
          {items.map((contract) => (
            <Row key={contract.id} contract={contract} />
          ))}
          {group ? (
            <SumRow className="subtotal-row" text={t("sideBySide.subtotal", { label: groupName(group) })} sum={group.subtotal} />
          ) : null}
        </Fragment>
      ))}
    </tbody>
  );
}

function Filters({ query, collaboration, onSearch }: { query: SideQuery; collaboration: Collaboration; onSearch: (q: SideQuery) => void }) {
  const [draft, setDraft] = useState(query);
  const choices = useFilterChoices(collaboration.id).current;
  const suppliers = choices?.ok ? choices.data.suppliers : [];
  const categories = choices?.ok ? choices.data.categories : [];
  const all = { value: "", label: t("sideBySide.all") };
  const municipalities = currentMembers(collaboration).filter((m) => m.status === "active");
  function set<K extends keyof SideQuery>(key: K) {
    return (value: SideQuery[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
    };
  }
  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch({ ...draft, page: 1 });
  }
  return (
    <form className="side-filters" onSubmit={onSubmit} aria-label={t("sideBySide.filters")}>
      <div className="side-filter-fields">
        <TextField id="side-q" label={t("sideBySide.q")} hint={t("sideBySide.qHint")} value={draft.q} onChange={set("q")} autoComplete="off" />
        <SelectField
          id="side-municipality"
          label={t("sideBySide.municipality")}
          value={draft.municipality}
          onChange={set("municipality")}
          options={[all, ...municipalities.map((m) => ({ value: m.tenant_id, label: m.tenant_name }))]}
        />
        <SelectField
          id="side-supplier"
          label={t("sideBySide.supplier")}
          value={draft.supplier_id}
          onChange={set("supplier_id")}
          options={[all, ...suppliers.map((g) => ({ value: g.key ?? "", label: `${g.label ?? ""} (${g.cvr ?? ""})` }))]}
        />
        <SelectField
          id="side-category"
          label={t("sideBySide.category")}
          value={draft.category}
          onChange={set("category")}
          options={[all, ...categories.map((g) => ({ value: g.key ?? "", label: g.label ?? "" }))]}
        />
        <SelectField
          id="side-notice"
          label={t("sideBySide.noticeWithin")}
          value={draft.notice_within_days}
          onChange={set("notice_within_days")}
          options={NOTICE_WINDOWS.map((d) => ({ value: d, label: d ? t("sideBySide.days", { days: d }) : t("sideBySide.noticeAny") }))}
        />
        <SelectField
          id="side-group"
          label={t("sideBySide.groupBy")}
          value={draft.group_by}
          onChange={(value) => {
            // Grouping applies at once: it changes the table, not the selection.
            const next = { ...draft, group_by: value as Grouping };
            setDraft(next);
            onSearch({ ...query, group_by: next.group_by, page: 1 });
          }}
          options={GROUPINGS.map((g) => ({ value: g, label: t(GROUP_LABELS[g]) }))}
        />
      </div>
      <button type="submit" className="button button-secondary">
        {t("sideBySide.search")}
      </button>
    </form>
  );
}

export function SideBySide({ collaboration, municipality }: { collaboration: Collaboration; municipality: string }) {
  const [params, setParams] = useSearchParams();
  const query = readSideQuery(params);
  const list = useSideBySide(collaboration.id, query);
  const shown = list.current ?? list.previous;
  const data = shown?.ok ? shown.data : null;
  const href = (next: SideQuery) => `/faellesskaber/${collaboration.id}${sideSearch(next)}#side-by-side-heading`;
  return (
    <section className="collaboration-shared side-by-side" aria-labelledby="side-by-side-heading">
      <h2 id="side-by-side-heading">{t("sideBySide.title")}</h2>
      <p>{t("sideBySide.intro")}</p>
      <Filters
        key={params.toString()}
        query={query}
        collaboration={collaboration}
        onSearch={(next) => {
          setParams(sideSearch(next), { preventScrollReset: true });
        }}
      />
      <PagedList
        className="side-by-side-list"
        list={list}
        page={query.page}
        pageSize={SIDE_PAGE_SIZE}
        loadingText={t("sideBySide.loading")}
        showingOne={t("sideBySide.showingOne")}
        showing={(range) => t("sideBySide.showing", range)}
        empty={
          isSideFiltered(query) ? (
            <>
              <p>{t("sideBySide.emptySearch")}</p>
              <p>
                <Link to={`/faellesskaber/${collaboration.id}`}>{t("sideBySide.clearSearch")}</Link>
              </p>
            </>
          ) : (
            <p>{t("sideBySide.empty", { municipality })}</p>
          )
        }
        pageHref={(p) => href({ ...query, page: p })}
      >
        {() =>
          data ? (
            <div className="table-scroll">
              <table className="table table--zebra table-md-responsive-headers side-table">
                <caption className="sr-only">{t("sideBySide.caption", { name: collaboration.name })}</caption>
                <thead>
                  <tr>
                    {COLUMNS.map((c) => (
                      <SortHeader key={c.column} query={query} column={c.column} text={t(c.label)} numeric={c.numeric} href={href} />
                    ))}
                  </tr>
                </thead>
                <Table page={data} />
                <tfoot>
                  <SumRow
                    className="totals-row"
                    text={data.totals.count === 1 ? t("sideBySide.totalsOne") : t("sideBySide.totals", { count: data.totals.count })}
                    sum={data.totals}
                  />
                </tfoot>
              </table>
            </div>
          ) : null
        }
      </PagedList>
    </section>
  );
}
