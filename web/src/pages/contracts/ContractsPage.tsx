// Kontrakter: the municipality's contracts and those shared with it, with
// search, filters, sorting and paging kept in the address under the API's
// own parameter names. Editors choose contracts on the page and act on them
// together (BulkActions).

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { fetchFile } from "../../api/download";
import type { Contract } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ExportMenu } from "../../components/ExportMenu";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { DateField, SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { OwnerTabs } from "../../components/OwnerTabs";
import { PageHeading } from "../../components/PageHeading";
import { PagedList } from "../../components/PagedList";
import { ColumnChooser, DensityToggle } from "../../components/grid/GridTools";
import { SavedViews } from "../../components/grid/SavedViews";
import { readView, savedQuery, withView, writeView, type GridView } from "../../components/grid/view";
import { dateFieldText, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import { usePublishedTemplates } from "../templates/useTemplates";
import { BulkBar } from "./BulkActions";
import { CONTRACT_COLUMN_LIST, CONTRACT_COLUMNS, TitleCell, TotalsRow, columnsOf, filterSummary, type ContractColumn } from "./grid";
import { useCanWrite } from "./parts";
import {
  FILTER_KEYS,
  exportPath,
  isFiltered,
  isOwnerChoice,
  nextSort,
  PAGE_SIZES,
  querySearch,
  readQuery,
  sortDirection,
  type ContractQuery,
  type SortColumn,
} from "./query";
import { useCollaborations, useContractList, useOptions, useSuppliers, useSystems, type Options } from "./useContracts";

const NOTICE_WINDOWS = [30, 60, 90, 180, 365] as const;

/** Filters inside "Flere filtre"; how many are set decides whether it starts open. */
const MORE_FILTERS = FILTER_KEYS.filter((k) => k !== "q" && k !== "scope" && k !== "status");

function FilterForm({ query, options, onSearch }: { query: ContractQuery; options: Options; onSearch: (q: ContractQuery) => void }) {
  const [draft, setDraft] = useState<ContractQuery>(query);
  // The end-date filters as typed (dd.mm.åååå); the query holds ISO dates.
  const [endsAfter, setEndsAfter] = useState(dateFieldText(query.ends_after));
  const [endsBefore, setEndsBefore] = useState(dateFieldText(query.ends_before));
  const [dateErrors, setDateErrors] = useState<{ after?: string; before?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const suppliers = useSuppliers();
  const systems = useSystems();
  const collaborations = useCollaborations();
  const templates = usePublishedTemplates();
  // "Mine kontrakter" is a tab above the form, not a typed owner name.
  const ownerPicked = isOwnerChoice(query.owner);
  const activeMore =
    MORE_FILTERS.filter((k) => query[k] !== "" && !(k === "owner" && ownerPicked)).length + (query.include_archived ? 1 : 0);

  function set<K extends keyof ContractQuery>(key: K) {
    return (value: ContractQuery[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
    };
  }

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const after = parseDanishDate(endsAfter);
    const before = parseDanishDate(endsBefore);
    const errors = {
      after: after === null ? t("form.dateInvalid") : undefined,
      before: before === null ? t("form.dateInvalid") : undefined,
    };
    setDateErrors(errors);
    if (after === null || before === null) {
      setAttempt((n) => n + 1);
      return;
    }
    onSearch({ ...draft, ends_after: after, ends_before: before, page: 1 });
  }

  const summary: SummaryItem[] = [
    ...(dateErrors.after ? [{ fieldId: "contract-ends-after", label: t("contracts.endsAfter"), message: dateErrors.after }] : []),
    ...(dateErrors.before ? [{ fieldId: "contract-ends-before", label: t("contracts.endsBefore"), message: dateErrors.before }] : []),
  ];

  const any = { value: "", label: t("contracts.any") };
  /** The windows to choose from, and one from a link that is not among them. */
  const windowOptions = (current: string) => [
    any,
    ...NOTICE_WINDOWS.map((d) => ({ value: String(d), label: t("contracts.noticeWithinDays", { count: d }) })),
    ...(current && !NOTICE_WINDOWS.some((d) => String(d) === current)
      ? [{ value: current, label: t("contracts.noticeWithinDays", { count: current }) }]
      : []),
  ];
  const optionList = (list: Parameters<Options["values"]>[0]) => [
    any,
    ...options.values(list).map((v) => ({ value: v.code, label: v.label })),
  ];

  return (
    <form role="search" aria-label={t("contracts.searchLegend")} className="contract-search" noValidate onSubmit={onSubmit}>
      <ErrorSummary ref={summaryRef} items={summary} />
      <div className="contract-search-row">
        <TextField
          id="contract-q"
          type="search"
          label={t("contracts.searchLabel")}
          hint={t("contracts.searchHint")}
          value={draft.q}
          onChange={set("q")}
          inputClassName="input-width-xl"
          className="contract-search-text"
        />
        <SelectField
          id="contract-scope"
          label={t("contracts.scope")}
          value={draft.scope}
          onChange={(v) => {
            set("scope")(v as ContractQuery["scope"]);
          }}
          options={[
            { value: "", label: t("contracts.scopeOwn") },
            { value: "all", label: t("contracts.scopeAll") },
            { value: "shared", label: t("contracts.scopeShared") },
          ]}
        />
        <SelectField
          id="contract-status"
          label={t("contracts.status")}
          value={draft.status}
          onChange={set("status")}
          options={optionList("status")}
        />
        <div className="form-group contract-search-submit">
          <button type="submit" className="button button-primary">
            <Icon name="search" />
            {t("contracts.search")}
          </button>
        </div>
      </div>
      <details className="details contract-filters" open={activeMore > 0 ? true : undefined}>
        <summary className="details-summary">
          {activeMore > 0 ? t("contracts.filtersActive", { count: activeMore }) : t("contracts.filters")}
        </summary>
        <div className="details-text">
          <div className="contract-filter-grid">
            <SelectField
              id="contract-supplier"
              label={t("contracts.supplier")}
              value={draft.supplier_id}
              onChange={set("supplier_id")}
              options={[
                any,
                ...(suppliers?.ok ? suppliers.data : []).map((s) => ({
                  value: s.id,
                  label: `${s.name} (${t("contracts.cvr", { cvr: s.cvr })})`,
                })),
              ]}
            />
            <SelectField
              id="contract-system"
              label={t("contracts.system")}
              value={draft.system_id}
              onChange={set("system_id")}
              options={[any, ...(systems?.ok ? systems.data : []).map((s) => ({ value: s.id, label: s.name }))]}
            />
            <TextField id="contract-category" label={t("contracts.category")} value={draft.category} onChange={set("category")} />
            <TextField
              id="contract-cpv"
              label={t("contracts.cpv")}
              hint={t("contracts.cpvHint")}
              value={draft.cpv}
              onChange={set("cpv")}
            />
            <TextField
              id="contract-owner"
              label={t("contracts.owner")}
              value={ownerPicked && draft.owner === query.owner ? "" : draft.owner}
              onChange={set("owner")}
            />
            <SelectField
              id="contract-criticality"
              label={t("contracts.criticality")}
              value={draft.criticality}
              onChange={set("criticality")}
              options={optionList("criticality")}
            />
            <DateField
              id="contract-ends-after"
              label={t("contracts.endsAfter")}
              hint={t("contracts.endsHint")}
              value={endsAfter}
              onChange={setEndsAfter}
              error={dateErrors.after}
            />
            <DateField
              id="contract-ends-before"
              label={t("contracts.endsBefore")}
              hint={t("contracts.endsHint")}
              value={endsBefore}
              onChange={setEndsBefore}
              error={dateErrors.before}
            />
            <SelectField
              id="contract-notice"
              label={t("contracts.noticeWithin")}
              hint={t("contracts.deadlineWindowHint")}
              value={draft.notice_within_days}
              onChange={set("notice_within_days")}
              options={windowOptions(draft.notice_within_days)}
            />
            <SelectField
              id="contract-retender"
              label={t("contracts.retenderWithin")}
              hint={t("contracts.deadlineWindowHint")}
              value={draft.retender_within_days}
              onChange={set("retender_within_days")}
              options={windowOptions(draft.retender_within_days)}
            />
            <fieldset className="contract-overdue">
              <legend className="form-label">{t("contracts.overdueLegend")}</legend>
              <span className="form-hint">{t("contracts.overdueHint")}</span>
              {(["notice_overdue", "retender_overdue"] as const).map((key) => (
                <div className="form-group-checkbox" key={key}>
                  <input
                    className="form-checkbox"
                    type="checkbox"
                    id={`contract-${key.replace("_", "-")}`}
                    checked={draft[key] === "true"}
                    onChange={(e) => {
                      set(key)(e.target.checked ? "true" : "");
                    }}
                  />
                  <label className="form-label" htmlFor={`contract-${key.replace("_", "-")}`}>
                    {t(key === "notice_overdue" ? "contracts.noticeOverdue" : "contracts.retenderOverdue")}
                  </label>
                </div>
              ))}
            </fieldset>
            <SelectField
              id="contract-shared-with"
              label={t("contracts.sharedWith")}
              hint={t("contracts.sharedWithHint")}
              value={draft.shared_with}
              onChange={set("shared_with")}
              options={[any, ...(collaborations?.ok ? collaborations.data : []).map((c) => ({ value: c.id, label: c.name }))]}
            />
            <SelectField
              id="contract-template"
              label={t("templates.use.filterTemplate")}
              value={draft.template_id}
              onChange={set("template_id")}
              options={[any, ...(templates?.ok ? templates.data : []).map((x) => ({ value: x.id, label: `${x.name} (${x.owner.name})` }))]}
            />
            <TextField
              id="contract-template-version"
              label={t("templates.use.filterVersion")}
              value={draft.template_version}
              onChange={set("template_version")}
              inputClassName="input-width-xs"
            />
            <SelectField
              id="contract-deviations"
              label={t("templates.use.filterDeviations")}
              value={draft.has_deviations}
              onChange={set("has_deviations")}
              options={[
                any,
                { value: "true", label: t("templates.use.filterDeviationsYes") },
                { value: "false", label: t("templates.use.filterDeviationsNo") },
              ]}
            />
            <SelectField
              id="contract-page-size"
              label={t("contracts.pageSize")}
              value={String(draft.page_size)}
              onChange={(v) => {
                set("page_size")(Number(v));
              }}
              options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
            />
          </div>
          <div className="form-group-checkbox">
            <input
              className="form-checkbox"
              type="checkbox"
              id="contract-archived"
              checked={draft.include_archived}
              onChange={(e) => {
                set("include_archived")(e.target.checked);
              }}
            />
            <label className="form-label" htmlFor="contract-archived">
              {t("contracts.includeArchived")}
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-secondary">
              <Icon name="search" />
              {t("contracts.search")}
            </button>
          </div>
        </div>
      </details>
    </form>
  );
}

function SortHeader({
  query,
  column,
  label,
  className,
  href,
}: {
  query: ContractQuery;
  column: SortColumn;
  label: string;
  className?: string | undefined;
  href: (query: ContractQuery) => string;
}) {
  const direction = sortDirection(query.sort, column);
  return (
    <th scope="col" aria-sort={direction} className={className}>
      <Link className="sort-link" to={href({ ...query, sort: nextSort(query.sort, column), page: 1 })}>
        {label}
        <span className="sr-only">
          {direction === "ascending" ? `, ${t("contracts.sortedAscending")}` : null}
          {direction === "descending" ? `, ${t("contracts.sortedDescending")}` : null}
        </span>
        <span className={`sort-mark${direction ? " is-sorted" : ""}`} aria-hidden="true">
          {direction === "descending" ? "▼" : direction === "ascending" ? "▲" : "↕"}
        </span>
      </Link>
    </th>
  );
}

const NOTHING_CHOSEN: ReadonlyMap<string, string> = new Map();

/** Only the municipality's own contracts can be chosen for a bulk action. */
function selectable(contract: Contract): boolean {
  return !contract.shared;
}

function ContractRow({
  contract,
  options,
  columns,
  compact,
  selection,
}: {
  contract: Contract;
  options: Options;
  columns: readonly ContractColumn[];
  compact: boolean;
  selection: { checked: boolean; onChange: (checked: boolean) => void } | null;
}) {
  return (
    <tr className={selection?.checked ? "is-selected" : undefined}>
      {selection ? (
        <td className="select-cell" data-title={t("bulk.selectColumn")}>
          {selectable(contract) ? (
            <div className="form-group-checkbox">
              <input
                className="form-checkbox"
                type="checkbox"
                id={`select-${contract.id}`}
                checked={selection.checked}
                onChange={(e) => {
                  selection.onChange(e.target.checked);
                }}
              />
              <label className="form-label" htmlFor={`select-${contract.id}`}>
                <span className="sr-only">{t("bulk.selectOne", { title: contract.title })}</span>
              </label>
            </div>
          ) : null}
        </td>
      ) : null}
      {columns.map((column) =>
        column.key === "title" ? (
          <TitleCell
            key="title"
            contract={contract}
            compact={compact}
            link={<Link to={`/kontrakter/${contract.id}`}>{contract.title}</Link>}
          />
        ) : (
          <td key={column.key} className={column.className} data-title={t(column.label)}>
            {column.cell(contract, options, compact)}
          </td>
        ),
      )}
    </tr>
  );
}

export function ContractsPage() {
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const canWrite = useCanWrite();
  const options = useOptions();
  const [version, setVersion] = useState(0);
  const list = useContractList(query, version);
  // Chosen contracts, by id with their titles (for messages), on this page.
  // A new search or page starts with nothing chosen.
  const pageKey = params.toString();
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlyMap<string, string> }>({
    key: pageKey,
    ids: new Map(),
  });
  const selected = selection.key === pageKey ? selection.ids : NOTHING_CHOSEN;
  function setSelected(change: ReadonlyMap<string, string> | ((current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>)) {
    setSelection((s) => {
      const current = s.key === pageKey ? s.ids : NOTHING_CHOSEN;
      return { key: pageKey, ids: typeof change === "function" ? change(current) : change };
    });
  }
  const [done, setDone] = useState<{ text: string; seq: number } | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const mine = query.owner === "me";
  const view = readView(params, CONTRACT_COLUMNS);
  const columns = columnsOf(view.columns);
  const compact = view.density === "compact";
  const suppliers = useSuppliers();
  const systems = useSystems();
  const filters = filterSummary(query, options, {
    supplier: (id) => (suppliers?.ok ? suppliers.data.find((x) => x.id === id)?.name : undefined),
    system: (id) => (systems?.ok ? systems.data.find((x) => x.id === id)?.name : undefined),
  });
  const shown = list.current ?? list.previous;
  const totals = shown?.ok ? shown.data.totals : null;
  /** The list's address for `q`, keeping the chosen columns and density. */
  const href = (q: ContractQuery) => `/kontrakter${withView(querySearch(q), view, CONTRACT_COLUMNS)}`;
  /** Changes the view in the address as it stands now (a quick second change may come before a render). */
  function setView(change: (view: GridView) => GridView) {
    const current = new URLSearchParams(window.location.search);
    setParams(writeView(current, change(readView(current, CONTRACT_COLUMNS)), CONTRACT_COLUMNS));
  }

  function choose(contract: Contract, checked: boolean) {
    setSelected((current) => {
      const next = new Map(current);
      if (checked) next.set(contract.id, contract.title);
      else next.delete(contract.id);
      return next;
    });
  }

  return (
    <>
      <PageHeading title={t("contracts.title")} />
      <p className="font-lead">{mine ? t("ownership.myContractsIntro") : t("contracts.intro")}</p>
      <OwnerTabs
        mine={mine}
        allLabel={t("ownership.allContracts")}
        mineLabel={t("ownership.myContracts")}
        href={(m) => href({ ...query, owner: m ? "me" : "", page: 1 })}
      />
      <div className="list-actions">
        {canWrite ? (
          <>
            <Link to="/kontrakter/ny" className="button button-primary">
              <Icon name="plus" />
              {t("contracts.create")}
            </Link>
            <Link to="/kontrakter/import" className="button button-secondary">
              <Icon name="upload" />
              {t("imports.open")}
            </Link>
          </>
        ) : null}
        <ExportMenu
          formats={["xlsx", "csv", "ocds"]}
          baseName="kontrakter"
          load={(format) => fetchFile(exportPath(query, format))}
        />
      </div>

      {done ? (
        <Alert key={done.seq} ref={doneRef} variant="success">
          {done.text}
        </Alert>
      ) : null}

      <FilterForm
        key={params.toString()}
        query={query}
        options={options}
        onSearch={(next) => {
          setParams(withView(querySearch(next), view, CONTRACT_COLUMNS));
        }}
      />

      <p className="print-only list-print-filters">
        {filters.length > 0 ? t("grid.printFilters", { filters: filters.join(" · ") }) : t("grid.printNoFilters")}
      </p>

      <div className="grid-tools" role="group" aria-label={t("grid.tools")}>
        <ColumnChooser
          idPrefix="contracts"
          set={CONTRACT_COLUMNS}
          labels={CONTRACT_COLUMN_LIST.map((c) => ({ key: c.key, label: t(c.label) }))}
          view={view}
          onChange={setView}
        />
        <DensityToggle view={view} onChange={setView} />
        <SavedViews page="contracts" listPath="/kontrakter" current={savedQuery(params.toString(), ["page"])} />
      </div>

      <PagedList
        className="contract-list"
        list={list}
        page={query.page}
        pageSize={query.page_size}
        loadingText={t("contracts.loadingList")}
        showingOne={t("contracts.showingOne")}
        showing={(range) => t("contracts.showing", range)}
        empty={
          isFiltered(query) ? (
            <>
              <p>{t("contracts.emptySearch")}</p>
              <p>
                <Link to="/kontrakter">{t("contracts.clearSearch")}</Link>
              </p>
            </>
          ) : (
            <p>{canWrite ? t("contracts.emptyAllEditor") : t("contracts.emptyAllViewer")}</p>
          )
        }
        pageHref={(p) => href({ ...query, page: p })}
      >
        {(items) => {
          const choosable = canWrite ? items.filter(selectable) : [];
          const allChosen = choosable.length > 0 && choosable.every((c) => selected.has(c.id));
          return (
          <div>
            {choosable.length > 0 ? (
              <div className="form-group-checkbox bulk-select-all">
                <input
                  className="form-checkbox"
                  type="checkbox"
                  id="select-all"
                  checked={allChosen}
                  onChange={(e) => {
                    const checked = e.target.checked;
                    setSelected((current) => {
                      const next = new Map(current);
                      for (const c of choosable) {
                        if (checked) next.set(c.id, c.title);
                        else next.delete(c.id);
                      }
                      return next;
                    });
                  }}
                />
                <label className="form-label" htmlFor="select-all">
                  {t("bulk.selectAll")}
                </label>
              </div>
            ) : null}
            {canWrite ? (
              <BulkBar
                ids={[...selected.keys()]}
                titles={selected}
                onClear={() => {
                  setSelected(new Map());
                }}
                onDone={(text) => {
                  setSelected(new Map());
                  setDone((d) => ({ text, seq: (d?.seq ?? 0) + 1 }));
                  setVersion((v) => v + 1);
                }}
              />
            ) : null}
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t("contracts.tableCaption")}>
            <table
              className={`table table--zebra contracts-table table-md-responsive-headers${compact ? " table--compact is-compact" : ""}`}
            >
              <caption className="sr-only">{t("contracts.tableCaption")}</caption>
              <thead>
                <tr>
                  {canWrite ? (
                    <th scope="col" className="select-cell">
                      <span className="sr-only">{t("bulk.selectColumn")}</span>
                    </th>
                  ) : null}
                  {columns.map((c) =>
                    c.sort ? (
                      <SortHeader key={c.key} query={query} column={c.sort} label={t(c.label)} className={c.className} href={href} />
                    ) : (
                      <th key={c.key} scope="col" className={c.className}>
                        {t(c.label)}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((contract) => (
                  <ContractRow
                    key={contract.id}
                    contract={contract}
                    options={options}
                    columns={columns}
                    compact={compact}
                    selection={
                      canWrite
                        ? {
                            checked: selected.has(contract.id),
                            onChange: (checked) => {
                              choose(contract, checked);
                            },
                          }
                        : null
                    }
                  />
                ))}
              </tbody>
              {totals ? (
                <tfoot>
                  <TotalsRow totals={totals} columns={columns} leading={canWrite ? 1 : 0} />
                </tfoot>
              ) : null}
            </table>
            </div>
          </div>
          );
        }}
      </PagedList>
    </>
  );
}
