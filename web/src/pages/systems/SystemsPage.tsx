// It-systemer: the municipality's system landscape, with search, status
// filter and paging in the address; editors and administrators can create systems.

import { fetchFile, fileQuery } from "../../api/download";
import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { ItSystem } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { ExportMenu } from "../../components/ExportMenu";
import { OwnerTabs } from "../../components/OwnerTabs";
import { PageHeading } from "../../components/PageHeading";
import { PagedList } from "../../components/PagedList";
import { ColumnChooser, DensityToggle } from "../../components/grid/GridTools";
import { SavedViews } from "../../components/grid/SavedViews";
import { readView, savedQuery, withView, writeView, type ColumnSet, type GridView } from "../../components/grid/view";
import { t } from "../../i18n";
import {
  isFiltered,
  isSystemStatus,
  PAGE_SIZE,
  querySearch,
  readQuery,
  SYSTEM_STATUSES,
  type ListQuery,
} from "./query";
import { useSystemList } from "./useSystems";

/** Whether the logged-in user may create and change IT systems (the API decides; this hides buttons). */
export function useCanWrite(): boolean {
  const me = useMe();
  return me.role === "admin" || me.role === "editor";
}

function SearchForm({ query, onSearch }: { query: ListQuery; onSearch: (query: ListQuery) => void }) {
  const [q, setQ] = useState(query.q);
  const [status, setStatus] = useState<ListQuery["status"]>(query.status);
  const [archived, setArchived] = useState(query.archived);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch({ ...query, q: q.trim(), status, archived, page: 1 });
  }

  return (
    <form role="search" aria-label={t("systems.searchLegend")} className="system-search" onSubmit={onSubmit}>
      <TextField
        id="system-search"
        type="search"
        label={t("systems.searchLabel")}
        value={q}
        onChange={setQ}
        inputClassName="input-width-l"
      />
      <SelectField
        id="system-status"
        label={t("systems.statusLabel")}
        value={status}
        onChange={(v) => {
          setStatus(isSystemStatus(v) ? v : "");
        }}
        options={[
          { value: "", label: t("systems.allStatuses") },
          ...SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`systems.status.${s}`) })),
        ]}
      />
      <div className="form-group system-search-archived">
        <div className="form-group-checkbox">
          <input
            id="system-include-archived"
            type="checkbox"
            className="form-checkbox"
            checked={archived}
            onChange={(e) => {
              setArchived(e.target.checked);
            }}
          />
          <label htmlFor="system-include-archived">{t("systems.includeArchived")}</label>
        </div>
      </div>
      <div className="form-group system-search-submit">
        <button type="submit" className="button button-secondary">
          <Icon name="search" />
          {t("systems.search")}
        </button>
      </div>
    </form>
  );
}

const SYSTEM_COLUMN_LIST = [
  { key: "name", label: "systems.colName" },
  { key: "category", label: "systems.colCategory" },
  { key: "supplier", label: "systems.colSupplier" },
  { key: "owner", label: "systems.colOwner" },
  { key: "status", label: "systems.colStatus" },
] as const;

export const SYSTEM_COLUMNS: ColumnSet = {
  all: SYSTEM_COLUMN_LIST.map((c) => c.key),
  defaults: SYSTEM_COLUMN_LIST.map((c) => c.key),
  fixed: ["name"],
};

function SystemCell({ system, column }: { system: ItSystem; column: string }) {
  const notGiven = <span className="text-muted">{t("systems.notGiven")}</span>;
  switch (column) {
    case "category":
      return system.category ?? notGiven;
    case "supplier":
      return system.supplier?.name ?? notGiven;
    case "owner":
      return system.owner_user?.name ?? system.system_owner ?? notGiven;
    default:
      return isSystemStatus(system.status) ? t(`systems.status.${system.status}`) : system.status;
  }
}

function SystemRow({ system, columns }: { system: ItSystem; columns: readonly (typeof SYSTEM_COLUMN_LIST)[number][] }) {
  return (
    <tr>
      {columns.map((column) =>
        column.key === "name" ? (
          <th scope="row" key="name">
            <Link to={`/it-systemer/${system.id}`}>{system.name}</Link>
            {system.archived_at ? (
              <>
                {" "}
                <span className="badge">{t("systems.archived")}</span>
              </>
            ) : null}
          </th>
        ) : (
          <td key={column.key} data-title={t(column.label)}>
            <SystemCell system={system} column={column.key} />
          </td>
        ),
      )}
    </tr>
  );
}

/** The list's filters in words, for print. */
function systemFilters(query: ListQuery): string[] {
  const parts: string[] = [];
  if (query.mine) parts.push(t("ownership.mySystems"));
  if (query.q) parts.push(`${t("systems.searchLabel")}: »${query.q}«`);
  if (query.status) parts.push(`${t("systems.statusLabel")}: ${t(`systems.status.${query.status}`)}`);
  if (query.archived) parts.push(t("systems.includeArchived"));
  return parts;
}

export function SystemsPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const canWrite = useCanWrite();
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const list = useSystemList(query, 0);
  const view = readView(params, SYSTEM_COLUMNS);
  const columns = SYSTEM_COLUMN_LIST.filter((c) => view.columns.includes(c.key));
  const compact = view.density === "compact";
  const filters = systemFilters(query);
  /** The list's address for `q`, keeping the chosen columns and density. */
  const href = (q: ListQuery) => `/it-systemer${withView(querySearch(q), view, SYSTEM_COLUMNS)}`;
  /** Changes the view in the address as it stands now (a quick second change may come before a render). */
  function setView(change: (view: GridView) => GridView) {
    const current = new URLSearchParams(window.location.search);
    setParams(writeView(current, change(readView(current, SYSTEM_COLUMNS)), SYSTEM_COLUMNS));
  }


  return (
    <>
      <PageHeading title={t("systems.title")} />
      <p className="font-lead">{t("systems.intro", { municipality })}</p>
      <div className="list-actions">
        {canWrite ? (
          <Link to="/it-systemer/ny" className="button button-primary">
            <Icon name="plus" />
            {t("systems.create")}
          </Link>
        ) : null}
        <ExportMenu
          formats={["xlsx", "csv"]}
          baseName="it-systemer"
          load={(format) =>
            fetchFile(
              `/systems/export${fileQuery({ format, owner: query.mine ? "me" : undefined, q: query.q || undefined, status: query.status || undefined, include_archived: query.archived || undefined })}`,
            )
          }
        />
      </div>

      <OwnerTabs
        mine={query.mine}
        allLabel={t("ownership.allSystems")}
        mineLabel={t("ownership.mySystems")}
        href={(mine) => href({ ...query, mine, page: 1 })}
      />

      <SearchForm
        key={params.toString()}
        query={query}
        onSearch={(next) => {
          setParams(withView(querySearch(next), view, SYSTEM_COLUMNS));
        }}
      />

      <p className="print-only list-print-filters">
        {filters.length > 0 ? t("grid.printFilters", { filters: filters.join(" · ") }) : t("grid.printNoSystemFilters")}
      </p>

      <div className="grid-tools" role="group" aria-label={t("grid.tools")}>
        <ColumnChooser
          idPrefix="systems"
          set={SYSTEM_COLUMNS}
          labels={SYSTEM_COLUMN_LIST.map((c) => ({ key: c.key, label: t(c.label) }))}
          view={view}
          onChange={setView}
        />
        <DensityToggle view={view} onChange={setView} />
        <SavedViews page="systems" listPath="/it-systemer" current={savedQuery(params.toString(), ["side"])} />
      </div>

      <PagedList
        className="system-list"
        list={list}
        page={query.page}
        pageSize={PAGE_SIZE}
        loadingText={t("systems.loadingList")}
        showingOne={t("systems.showingOne")}
        showing={(range) => t("systems.showing", range)}
        empty={
          isFiltered(query) ? (
            <>
              <p>{t("systems.emptySearch")}</p>
              <p>
                <Link to="/it-systemer">{t("systems.clearSearch")}</Link>
              </p>
            </>
          ) : (
            <p>{canWrite ? t("systems.emptyAllWriter") : t("systems.emptyAll")}</p>
          )
        }
        pageHref={(p) => href({ ...query, page: p })}
      >
        {(items) => (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("systems.title")}>
          <table
            className={`table table--zebra table-md-responsive-headers systems-table${compact ? " table--compact is-compact" : ""}`}
          >
            <caption className="sr-only">{t("systems.tableCaption", { municipality })}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c.key}>
                    {t(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((system) => (
                <SystemRow key={system.id} system={system} columns={columns} />
              ))}
            </tbody>
          </table>
          </div>
        )}
      </PagedList>
    </>
  );
}
