// One IT system: its facts, the contracts that cover it, and for editors
// and administrators the way to edit, archive and restore it.

import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { ItSystem } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SubmitButton } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatDate, formatDateTime } from "../../format";
import { t } from "../../i18n";
import { isSystemStatus } from "./query";
import { useCanWrite } from "./SystemsPage";
import { useCoveringContracts, useOptionLabels, useVersionedSystem, type VersionedSystem } from "./useSystems";

export function statusText(status: string): string {
  return isSystemStatus(status) ? t(`systems.status.${status}`) : status;
}

function Facts({ system }: { system: ItSystem }) {
  const notGiven = <span className="text-muted">{t("systems.notGiven")}</span>;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t("systems.factsHeading")}</h2>
      <dl className="system-facts">
        <dt>{t("systems.category")}</dt>
        <dd>{system.category ?? notGiven}</dd>
        <dt>{t("systems.supplier")}</dt>
        <dd>
          {system.supplier
            ? t("systems.supplierCvr", { name: system.supplier.name, cvr: system.supplier.cvr })
            : notGiven}
        </dd>
        <dt>{t("systems.systemOwner")}</dt>
        <dd>{system.system_owner ?? notGiven}</dd>
        <dt>{t("ownership.systemOwnerUser")}</dt>
        <dd>{system.owner_user ? `${system.owner_user.name} (${system.owner_user.email})` : notGiven}</dd>
        <dt>{t("systems.statusLabel")}</dt>
        <dd>{statusText(system.status)}</dd>
        <dt>{t("systems.description")}</dt>
        <dd className="pre-line">{system.description ?? notGiven}</dd>
        <dt>{t("systems.created")}</dt>
        <dd>{formatDateTime(system.created_at)}</dd>
        <dt>{t("systems.updated")}</dt>
        <dd>{formatDateTime(system.updated_at)}</dd>
      </dl>
    </section>
  );
}

function CoveringContracts({ system }: { system: ItSystem }) {
  const contracts = useCoveringContracts(system.id);
  const statusLabels = useOptionLabels("status");
  const name = system.name;
  return (
    <section aria-labelledby="contracts-heading" className="system-contracts">
      <h2 id="contracts-heading">{t("systems.contractsHeading")}</h2>
      {contracts === null ? <Loading text={t("systems.contractsLoading")} /> : null}
      {contracts && !contracts.ok ? <Alert variant="error">{failureMessage(contracts)}</Alert> : null}
      {contracts?.ok && contracts.data.length === 0 ? <p>{t("systems.contractsEmpty", { name })}</p> : null}
      {contracts?.ok && contracts.data.length > 0 ? (
        <>
          <table className="table table--zebra table-md-responsive-headers covering-table">
            <caption className="sr-only">{t("systems.contractsCaption", { name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("systems.colContract")}</th>
                <th scope="col">{t("systems.colSupplier")}</th>
                <th scope="col">{t("systems.colContractStatus")}</th>
                <th scope="col">{t("systems.colEnd")}</th>
              </tr>
            </thead>
            <tbody>
              {contracts.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row" data-title={t("systems.colContract")}>
                    <Link to={`/kontrakter/${c.id}`}>{c.title}</Link>
                  </th>
                  <td data-title={t("systems.colSupplier")}>{c.supplier}</td>
                  <td data-title={t("systems.colContractStatus")}>{statusLabels.get(c.status) ?? c.status}</td>
                  <td className="nowrap" data-title={t("systems.colEnd")}>
                    {formatDate(c.effective_end) ?? t("terms.running")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link to={`/kontrakter?system_id=${system.id}`}>{t("systems.contractsAll", { name })}</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}

type Change = "archive" | "restore";

function ArchiveDialog({
  change,
  current,
  onClose,
  onDone,
  onStale,
}: {
  change: Change;
  current: VersionedSystem;
  onClose: () => void;
  onDone: (message: string) => void;
  onStale: () => void;
}) {
  const { system } = current;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ form?: string; stale?: boolean }>({});
  const archive = change === "archive";
  const name = system.name;

  async function confirm() {
    setBusy(true);
    // The version read is quoted: a change made meanwhile is not archived unseen.
    const params = { path: { id: system.id }, header: { "If-Match": current.etag } };
    const outcome = archive
      ? await settle(api.DELETE("/systems/{id}", { params }))
      : await settle(api.POST("/systems/{id}/restore", { params }));
    setBusy(false);
    if (outcome.ok) onDone(t(archive ? "systems.archivedDone" : "systems.restoredDone", { name }));
    else if (outcome.status === 412 || outcome.status === 428) setError({ stale: true });
    else setError({ form: failureMessage(outcome) });
  }

  return (
    <Dialog title={t(archive ? "systems.archiveTitle" : "systems.restoreTitle", { name })} onClose={onClose}>
      {error.stale ? (
        <Alert variant="error">
          <p>{t("systems.stale")}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={onStale}>
              {t("systems.reload")}
            </button>
          </p>
        </Alert>
      ) : null}
      {error.form ? <Alert variant="error">{error.form}</Alert> : null}
      <p>{t(archive ? "systems.archiveText" : "systems.restoreText", { name })}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <div className="form-actions">
          <SubmitButton
            busy={busy}
            label={t(archive ? "systems.archiveConfirm" : "systems.restoreConfirm")}
            className={archive ? "button button-warning" : "button button-primary"}
          />
          <button type="button" className="button button-secondary" onClick={onClose} data-autofocus>
            {t("systems.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Actions({ system, onChange }: { system: ItSystem; onChange: (change: Change) => void }) {
  const archived = Boolean(system.archived_at);
  return (
    <ul className="unstyled-list page-actions">
      {!archived ? (
        <li>
          <Link to={`/it-systemer/${system.id}/rediger`} className="button button-secondary">
            <Icon name="edit" />
            {t("systems.edit")}
          </Link>
        </li>
      ) : null}
      <li>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            onChange(archived ? "restore" : "archive");
          }}
        >
          <Icon name={archived ? "refresh" : "folder"} />
          {t(archived ? "systems.restore" : "systems.archive")}
        </button>
      </li>
    </ul>
  );
}

export function SystemPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const canWrite = useCanWrite();
  const [reload, setReload] = useState(0);
  const outcome = useVersionedSystem(id, reload);
  const [change, setChange] = useState<Change | null>(null);
  const arrival = (location.state as { notice?: string } | null)?.notice;
  const [notice, setNotice] = useState<{ text: string; seq: number } | null>(
    arrival ? { text: arrival, seq: 0 } : null,
  );
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice && notice.seq > 0) noticeRef.current?.focus();
  }, [notice]);

  const current = outcome?.ok ? outcome.data : null;
  const system = current?.system;

  return (
    <>
      <Link to="/it-systemer" className="back-link">
        <Icon name="chevron-left" />
        {t("systems.back")}
      </Link>
      <PageHeading title={system?.name ?? t("systems.title")} />
      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant="success">
          {notice.text}
        </Alert>
      ) : null}
      {outcome === null ? <Loading text={t("systems.loading")} /> : null}
      {outcome && !outcome.ok ? (
        <Alert variant="error">{outcome.status === 404 ? t("systems.notFound") : failureMessage(outcome)}</Alert>
      ) : null}
      {system ? (
        <>
          {system.archived_at ? (
            <Alert variant="warning" polite>
              {t("systems.archivedNotice", { date: formatDate(system.archived_at) ?? "" })}
            </Alert>
          ) : null}
          {canWrite ? <Actions system={system} onChange={setChange} /> : null}
          <Facts system={system} />
          <CoveringContracts system={system} />
        </>
      ) : null}
      {change && current ? (
        <ArchiveDialog
          key={current.etag}
          change={change}
          current={current}
          onClose={() => {
            setChange(null);
          }}
          onDone={(text) => {
            setChange(null);
            setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
            setReload((n) => n + 1);
          }}
          onStale={() => {
            setChange(null);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
