// Skabeloner: the template library — the municipality's own templates, its
// collaborations', those shared with it and the copies it has adopted —
// with filters kept in the address.

import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { TemplateSummary } from "../../api/types";
import { SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { PageHeading } from "../../components/PageHeading";
import { PagedList } from "../../components/PagedList";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { useCanWrite } from "../contracts/parts";
import { useCollaborations } from "../contracts/useContracts";
import { isFiltered, KINDS, ORIGINS, PAGE_SIZE, querySearch, readQuery, type TemplateQuery } from "./query";
import { useTemplateList } from "./useTemplates";

export function kindName(code: string): string {
  return t(`templates.kinds.${code as (typeof KINDS)[number]}`);
}

function Filters({ query, onSearch }: { query: TemplateQuery; onSearch: (q: TemplateQuery) => void }) {
  const [draft, setDraft] = useState(query);
  const collaborations = useCollaborations();
  const set =
    <K extends keyof TemplateQuery>(key: K) =>
    (value: TemplateQuery[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
    };
  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch({ ...draft, page: 1 });
  }
  const any = { value: "", label: t("templates.list.any") };
  return (
    <form role="search" aria-label={t("templates.list.searchLegend")} className="template-search" noValidate onSubmit={onSubmit}>
      <div className="contract-search-row">
        <TextField id="template-q" type="search" label={t("templates.list.searchLabel")} value={draft.q} onChange={set("q")} inputClassName="input-width-l" />
        <SelectField
          id="template-kind"
          label={t("templates.list.kind")}
          value={draft.kind}
          onChange={(v) => {
            set("kind")(v as TemplateQuery["kind"]);
          }}
          options={[any, ...KINDS.map((k) => ({ value: k, label: kindName(k) }))]}
        />
        <SelectField
          id="template-origin"
          label={t("templates.list.origin")}
          value={draft.origin}
          onChange={(v) => {
            set("origin")(v as TemplateQuery["origin"]);
          }}
          options={[any, ...ORIGINS.map((o) => ({ value: o, label: t(`templates.list.origins.${o}`) }))]}
        />
        <SelectField
          id="template-collaboration"
          label={t("templates.list.collaboration")}
          value={draft.collaboration_id}
          onChange={set("collaboration_id")}
          options={[any, ...(collaborations?.ok ? collaborations.data : []).map((c) => ({ value: c.id, label: c.name }))]}
        />
      </div>
      <div className="form-group-checkbox">
        <input
          id="template-newer"
          type="checkbox"
          className="form-checkbox"
          checked={draft.has_newer_origin}
          onChange={(e) => {
            set("has_newer_origin")(e.target.checked);
          }}
        />
        <label className="form-label" htmlFor="template-newer">
          {t("templates.list.newerOrigin")}
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          <Icon name="search" />
          {t("templates.list.search")}
        </button>
      </div>
    </form>
  );
}

export function TemplateTags({ template }: { template: TemplateSummary }) {
  return (
    <span className="contract-row-tags">
      {template.shared ? <span className="tag tag-shared">{t("templates.list.sharedWithUs", { owner: template.owner.name })}</span> : null}
      {template.origin ? (
        <span className="badge badge-small">{t("templates.list.adoptedFrom", { owner: template.origin.owner_name ?? t("templates.list.unknownOwner") })}</span>
      ) : null}
      {template.origin?.newer_version_number != null ? (
        <span className="badge badge-small badge-warning">
          {t("templates.list.newerFrom", { owner: template.origin.owner_name ?? t("templates.list.unknownOwner") })}
        </span>
      ) : null}
      {template.draft_number != null && template.editable ? (
        <span className="badge badge-small badge-info">{t("templates.list.draft", { number: template.draft_number })}</span>
      ) : null}
      {template.archived ? <span className="badge badge-small">{t("templates.list.archived")}</span> : null}
    </span>
  );
}

function Row({ template }: { template: TemplateSummary }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/skabeloner/${template.id}`}>{template.name}</Link>
        <TemplateTags template={template} />
      </th>
      <td data-title={t("templates.list.colKind")}>{template.kind_label}</td>
      <td data-title={t("templates.list.colOwner")}>{template.owner.name}</td>
      <td data-title={t("templates.list.colVersion")}>
        {template.latest_published_number != null
          ? t("templates.list.versionNumber", { number: template.latest_published_number })
          : t("templates.list.notPublished")}
      </td>
      <td className="nowrap" data-title={t("templates.list.colUpdated")}>
        {formatDate(template.updated_at)}
      </td>
    </tr>
  );
}

export function TemplatesPage() {
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const canWrite = useCanWrite();
  const list = useTemplateList(query);
  return (
    <>
      <PageHeading title={t("templates.list.title")} />
      <p className="font-lead">{t("templates.list.intro")}</p>
      {canWrite ? (
        <p>
          <Link to="/skabeloner/ny" className="button button-primary">
            <Icon name="plus" />
            {t("templates.list.create")}
          </Link>
        </p>
      ) : null}
      <Filters
        key={params.toString()}
        query={query}
        onSearch={(next) => {
          setParams(querySearch(next));
        }}
      />
      <PagedList
        className="template-list"
        list={list}
        page={query.page}
        pageSize={PAGE_SIZE}
        loadingText={t("templates.list.loading")}
        showingOne={t("templates.list.showingOne")}
        showing={(range) => t("templates.list.showing", range)}
        empty={
          isFiltered(query) ? (
            <>
              <p>{t("templates.list.emptySearch")}</p>
              <p>
                <Link to="/skabeloner">{t("templates.list.clearSearch")}</Link>
              </p>
            </>
          ) : (
            <p>{canWrite ? t("templates.list.emptyWriter") : t("templates.list.empty")}</p>
          )
        }
        pageHref={(p) => `/skabeloner${querySearch({ ...query, page: p })}`}
      >
        {(items) => (
          <table className="table table--zebra table-md-responsive-headers templates-table">
            <caption className="sr-only">{t("templates.list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("templates.list.colName")}</th>
                <th scope="col">{t("templates.list.colKind")}</th>
                <th scope="col">{t("templates.list.colOwner")}</th>
                <th scope="col">{t("templates.list.colVersion")}</th>
                <th scope="col">{t("templates.list.colUpdated")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((template) => (
                <Row key={template.id} template={template} />
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </>
  );
}
