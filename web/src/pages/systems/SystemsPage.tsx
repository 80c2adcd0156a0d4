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

function SystemRow({ system }: { system: ItSystem }) {
  const notGiven = <span className="text-muted">{t("systems.notGiven")}</span>;
  return (
    <tr>
      <th scope="row">
        <Link to={`/it-systemer/${system.id}`}>{system.name}</Link>
        {system.archived_at ? (
          <>
            {" "}
            <span className="badge">{t("systems.archived")}</span>
          </>
        ) : null}
      </th>
      <td data-title={t("systems.colCategory")}>{system.category ?? notGiven}</td>
      <td data-title={t("systems.colSupplier")}>{system.supplier?.name ?? notGiven}</td>
      <td data-title={t("systems.colOwner")}>{system.owner_user?.name ?? system.system_owner ?? notGiven}</td>
      <td data-title={t("systems.colStatus")}>
        {isSystemStatus(system.status) ? t(`systems.status.${system.status}`) : system.status}
      </td>
    </tr>
  );
}

export function SystemsPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const canWrite = useCanWrite();
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const list = useSystemList(query, 0);


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
        href={(mine) => `/it-systemer${querySearch({ ...query, mine, page: 1 })}`}
      />

      <SearchForm
        key={params.toString()}
        query={query}
        onSearch={(next) => {
          setParams(querySearch(next));
        }}
      />

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
        pageHref={(p) => `/it-systemer${querySearch({ ...query, page: p })}`}
      >
        {(items) => (
          <table className="table table--zebra table-md-responsive-headers systems-table">
            <caption className="sr-only">{t("systems.tableCaption", { municipality })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("systems.colName")}</th>
                <th scope="col">{t("systems.colCategory")}</th>
                <th scope="col">{t("systems.colSupplier")}</th>
                <th scope="col">{t("systems.colOwner")}</th>
                <th scope="col">{t("systems.colStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((system) => (
                <SystemRow key={system.id} system={system} />
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </>
  );
}
