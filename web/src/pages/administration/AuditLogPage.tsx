// Administration → Log: the municipality's audit trail, newest first, with
// its filters and page in the address and each event's changed fields.

import { fetchFile, fileQuery, saveDownload, type DownloadProgress } from "../../api/download";
import { Fragment, useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { settle } from "../../api/problem";
import type { AuditEvent, AuditEventPage } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { ErrorSummary } from "../../components/ErrorSummary";
import { DateField, SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { ExportMenu } from "../../components/ExportMenu";
import { PageHeading } from "../../components/PageHeading";
import { PagedList } from "../../components/PagedList";
import { formatDate, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import {
  ACTIONS,
  actionLabel,
  actorText,
  type Lookups,
  whenParts,
  kindLabel,
  objectHref,
  apiParams,
  changedFields,
  displayValue,
  fieldLabel,
  isFiltered,
  KINDS,
  PAGE_SIZE,
  querySearch,
  readQuery,
  type AuditQuery,
} from "./audit";
import { progressAnnouncement, progressPercent, progressText } from "./archive";
import { useLoad } from "../../api/useLoad";
import { useCollaborations, useOptions, useOwnContracts, type OptionName } from "../contracts/useContracts";

function useAuditEvents(query: AuditQuery) {
  return useLoad<AuditEventPage>(JSON.stringify(query), (signal) =>
    settle(api.GET("/audit-events", { params: { query: apiParams(query) }, signal })),
  );
}

/**
 * Everything of the municipality in one archive, for its admins to keep or
 * take elsewhere. A large municipality's archive takes a while to stream:
 * the bytes received (and the share, when the length is known) are shown as
 * they arrive, and told to screen readers in steps.
 */
function ArchiveDownload({ municipality }: { municipality: string }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const percent = progress ? progressPercent(progress) : null;
  return (
    <section className="archive-download" aria-labelledby="archive-heading">
      <h2 id="archive-heading">{t("archive.heading")}</h2>
      <p>{t("archive.intro", { municipality })}</p>
      {error && (
        <p className="text-error" role="alert">
          {error}
        </p>
      )}
      {busy && progress ? (
        <div className="upload-progress">
          <label htmlFor="archive-progress">{t("archive.progressLabel")}</label>
          {/* Without a known length the bar shows activity only. */}
          <progress id="archive-progress" max={100} value={percent ?? undefined}>
            {percent === null ? null : `${percent} %`}
          </progress>
          <p>{progressText(progress)}</p>
          <span className="sr-only" role="status" aria-live="polite">
            {progressAnnouncement(progress)}
          </span>
        </div>
      ) : null}
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          setProgress(null);
          void fetchFile("/tenant/archive", setProgress).then((outcome) => {
            setBusy(false);
            setProgress(null);
            setError(saveDownload(outcome, t("archive.fallbackName")));
          });
        }}
      >
        {busy ? t("archive.preparing") : t("archive.download")}
      </button>
    </section>
  );
}

function FilterForm({ query, onFilter }: { query: AuditQuery; onFilter: (query: AuditQuery) => void }) {
  const [kind, setKind] = useState(query.kind);
  const [action, setAction] = useState(query.action);
  const [actor, setActor] = useState(query.actor);
  const [from, setFrom] = useState(formatDate(query.from) ?? "");
  const [to, setTo] = useState(formatDate(query.to) ?? "");
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const known = KINDS.find((k) => k === kind);
  const kindActions = known ? ACTIONS[known].map((a) => `${known}.${a}`) : [];
  const allActions = KINDS.flatMap((k) => ACTIONS[k].map((a) => `${k}.${a}`));

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const fromIso = parseDanishDate(from);
    const toIso = parseDanishDate(to);
    const next = {
      from: fromIso === null ? t("form.dateInvalid") : undefined,
      to: toIso === null ? t("form.dateInvalid") : undefined,
    };
    setErrors(next);
    if (fromIso === null || toIso === null) {
      setAttempt((n) => n + 1);
      return;
    }
    // An action chosen under another kind no longer fits; drop it rather than find nothing.
    const keepAction = action === "" || kind === "" || action.startsWith(`${kind}.`);
    onFilter({ kind, action: keepAction ? action : "", actor, from: fromIso, to: toIso, page: 1 });
  }

  const summary = [
    ...(errors.from ? [{ fieldId: "audit-from", label: t("auditLog.from"), message: errors.from }] : []),
    ...(errors.to ? [{ fieldId: "audit-to", label: t("auditLog.to"), message: errors.to }] : []),
  ];

  return (
    <form role="search" aria-label={t("auditLog.filterLegend")} className="audit-filters" noValidate onSubmit={onSubmit}>
      <ErrorSummary ref={summaryRef} items={summary} />
      <div className="audit-filter-fields">
        <SelectField
          id="audit-kind"
          label={t("auditLog.kind")}
          value={kind}
          onChange={(value) => {
            setKind(value);
            if (value && action && !action.startsWith(`${value}.`)) setAction("");
          }}
          options={[{ value: "", label: t("auditLog.allKinds") }, ...KINDS.map((k) => ({ value: k, label: kindLabel(k) }))]}
        />
        <SelectField
          id="audit-action"
          label={t("auditLog.action")}
          value={action}
          onChange={setAction}
          options={[
            { value: "", label: t("auditLog.allActions") },
            ...(kind ? kindActions : allActions).map((a) => ({ value: a, label: actionLabel(a) })),
          ]}
        />
        <TextField
          id="audit-actor"
          type="search"
          label={t("auditLog.actor")}
          hint={t("auditLog.actorHint")}
          value={actor}
          onChange={setActor}
          inputClassName="input-width-m"
        />
        <DateField id="audit-from" label={t("auditLog.from")} value={from} onChange={setFrom} error={errors.from} />
        <DateField id="audit-to" label={t("auditLog.to")} value={to} onChange={setTo} error={errors.to} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          <Icon name="search" />
          {t("auditLog.filter")}
        </button>
        {isFiltered(query) ? (
          <Link to="/administration/log" className="button button-tertiary">
            {t("auditLog.clear")}
          </Link>
        ) : null}
      </div>
    </form>
  );
}

/** Names for the ids the entries hold: the municipality's fellowships, their members and its contracts. */
function useLookups(): Lookups {
  const collaborations = useCollaborations();
  const contracts = useOwnContracts(true);
  const options = useOptions();
  const collaborationNames = new Map<string, string>();
  const municipalities = new Map<string, string>();
  for (const collaboration of collaborations?.ok ? collaborations.data : []) {
    collaborationNames.set(collaboration.id, collaboration.name);
    for (const member of collaboration.members) municipalities.set(member.tenant_id, member.tenant_name);
  }
  const contractTitles = new Map<string, string>();
  for (const contract of contracts?.ok ? contracts.data : []) contractTitles.set(contract.id, contract.title);
  return {
    collaborations: collaborationNames,
    municipalities,
    contracts: contractTitles,
    option: (list, code) => {
      const label = options.label(list as OptionName, code);
      return label && label !== code ? label : null;
    },
  };
}

function Changes({ event, lookups }: { event: AuditEvent; lookups: Lookups }) {
  const changes = changedFields(event.before, event.after);
  if (changes.length === 0) return <span className="weight-normal">{t("auditLog.noChanges")}</span>;
  const words = { yes: t("auditLog.yes"), no: t("auditLog.no"), unknown: t("auditLog.unknown") };
  const empty = t("auditLog.empty_value");
  return (
    <details className="details audit-details">
      <summary className="details-summary">
        {t("auditLog.showChanges", { count: changes.length })}
        <span className="sr-only">: {actionLabel(event.action)}</span>
      </summary>
      <div className="details-text audit-scroll">
        <table className="table table--compact audit-changes">
          <caption className="sr-only">{t("auditLog.changesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("auditLog.field")}</th>
              <th scope="col">{t("auditLog.before")}</th>
              <th scope="col">{t("auditLog.after")}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.field}>
                <th scope="row">{fieldLabel(change.field)}</th>
                <td className="text-break" data-title={t("auditLog.before")}>
                  {displayValue(change.field, change.before, lookups, words) ?? empty}
                </td>
                <td className="text-break" data-title={t("auditLog.after")}>
                  {displayValue(change.field, change.after, lookups, words) ?? empty}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** A short name for the object, from its after (or before) state when it has one, or else from the lookups. */
function objectName(event: AuditEvent, lookups: Lookups): string | null {
  for (const state of [event.after, event.before]) {
    if (typeof state === "object" && state !== null && !Array.isArray(state)) {
      const record = state as Record<string, unknown>;
      for (const key of ["name", "title", "collaboration", "email"]) {
        const value = record[key];
        if (typeof value === "string" && value !== "") return value;
      }
    }
  }
  if (event.object_kind === "contract") return lookups.contracts.get(event.object_id) ?? null;
  if (event.object_kind === "collaboration") return lookups.collaborations.get(event.object_id) ?? null;
  return null;
}

export function AuditLogPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const list = useAuditEvents(query);
  const lookups = useLookups();

  return (
    <>
      <PageHeading title={t("auditLog.title")} />
      <p className="font-lead">{t("auditLog.intro", { municipality })}</p>
      <div className="list-actions">
        <ExportMenu
          formats={["xlsx", "csv"]}
          baseName="log"
          load={(format) => {
            const filters: Record<string, unknown> = { ...apiParams(query) };
            delete filters.page;
            delete filters.page_size;
            return fetchFile(`/audit-events/export${fileQuery({ format, ...filters })}`);
          }}
        />
      </div>
      <ArchiveDownload municipality={municipality} />
      <FilterForm
        key={params.toString()}
        query={query}
        onFilter={(next) => {
          setParams(querySearch(next));
        }}
      />
      <PagedList
        className="audit-list"
        list={list}
        page={query.page}
        pageSize={PAGE_SIZE}
        loadingText={t("auditLog.loadingList")}
        showingOne={t("auditLog.showingOne")}
        showing={(range) => t("auditLog.showing", range)}
        empty={<p>{isFiltered(query) ? t("auditLog.emptyFiltered") : t("auditLog.empty")}</p>}
        pageHref={(p) => `/administration/log${querySearch({ ...query, page: p })}`}
      >
        {(items) => (
          <table className="table table--zebra table-md-responsive-headers audit-table">
            <caption className="sr-only">{t("auditLog.tableCaption", { municipality })}</caption>
            <thead>
              <tr>
                <th scope="col" className="audit-col-when">
                  {t("auditLog.colWhen")}
                </th>
                <th scope="col" className="audit-col-who">
                  {t("auditLog.colWho")}
                </th>
                <th scope="col" className="audit-col-what">
                  {t("auditLog.colWhat")}
                </th>
                <th scope="col">{t("auditLog.colChanges")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => {
                const name = objectName(event, lookups);
                const href = objectHref(event.object_kind, event.object_id);
                return (
                  <tr key={event.id}>
                    <td data-title={t("auditLog.colWhen")}>
                      <time dateTime={event.occurred_at}>
                        {whenParts(event.occurred_at).map((part, i) => (
                          <Fragment key={part}>
                            {i > 0 ? " " : null}
                            <span className="nowrap audit-when-part">{part}</span>
                          </Fragment>
                        ))}
                      </time>
                    </td>
                    <td className="audit-who" data-title={t("auditLog.colWho")}>
                      <span title={event.actor_name ? event.actor : undefined}>
                        {actorText(event, t("auditLog.system"))}
                      </span>
                    </td>
                    <th scope="row" className="weight-normal" data-title={t("auditLog.colWhat")}>
                      <span className="weight-semibold">{actionLabel(event.action)}</span>
                      {name ? (
                        <span className="audit-object">
                          {href ? <Link to={href}>{name}</Link> : name}
                        </span>
                      ) : null}
                    </th>
                    <td data-title={t("auditLog.colChanges")}>
                      <Changes event={event} lookups={lookups} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </PagedList>
    </>
  );
}
