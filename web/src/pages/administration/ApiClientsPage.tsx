// Administration → API-klienter: the municipality's API clients, creating
// one (its secret shown once), editing, rotating the secret and revoking.

import { useEffect, useRef, useState } from "react";
import { failureMessage } from "../../api/problem";
import type { ApiClient, IssuedApiClient } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatDate, formatDateTime } from "../../format";
import { t } from "../../i18n";
import { EditClientDialog, RevokeDialog, RotateDialog, type ClientAction } from "./ApiClientDialogs";
import { CreateApiClientForm } from "./CreateApiClientForm";
import { SecretPanel } from "./SecretPanel";
import { useApiClientList } from "./useApiClients";

function ClientRow({ client, onAction }: { client: ApiClient; onAction: (action: ClientAction) => void }) {
  const revoked = client.revoked_at !== undefined;
  const action = (kind: ClientAction["kind"], icon: string, label: string) => (
    <li>
      <button
        type="button"
        className="function-link"
        onClick={() => {
          onAction({ kind, client });
        }}
      >
        <Icon name={icon} />
        {label}
        <span className="sr-only"> {t("apiClients.forName", { name: client.name })}</span>
      </button>
    </li>
  );
  return (
    <tr className={revoked ? "client-revoked" : undefined}>
      <th scope="row">{client.name}</th>
      <td data-title={t("apiClients.colClientId")}>
        <code className="text-break">{client.client_id}</code>
      </td>
      <td data-title={t("apiClients.colScopes")}>
        <ul className="unstyled-list scope-tags">
          {client.scopes.map((scope) => (
            <li key={scope}>
              <abbr title={t(`clientScopes.${scope}`)} className="scope-code">
                {scope}
              </abbr>
            </li>
          ))}
        </ul>
      </td>
      <td className="nowrap" data-title={t("apiClients.colRateLimit")}>
        {t("apiClients.perMinute", { count: String(client.rate_limit_per_minute) })}
      </td>
      <td className="nowrap" data-title={t("apiClients.colCreated")}>
        {formatDate(client.created_at)}
      </td>
      <td className="nowrap" data-title={t("apiClients.colLastUsed")}>
        {formatDateTime(client.last_used_at) ?? t("apiClients.neverUsed")}
      </td>
      <td data-title={t("apiClients.colStatus")}>
        {revoked ? (
          <span className="badge">{t("apiClients.revoked", { date: formatDate(client.revoked_at) ?? "" })}</span>
        ) : (
          <span className="badge badge-success">{t("apiClients.active")}</span>
        )}
      </td>
      <td data-title={t("apiClients.colActions")}>
        {revoked ? null : (
          <ul className="unstyled-list row-actions">
            {action("edit", "edit", t("apiClients.edit"))}
            {action("rotate", "refresh", t("apiClients.rotate"))}
            {action("revoke", "delete", t("apiClients.revoke"))}
          </ul>
        )}
      </td>
    </tr>
  );
}

interface Shown {
  issued: IssuedApiClient;
  intro: string;
}

export function ApiClientsPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const [version, setVersion] = useState(0);
  const list = useApiClientList(version);
  const [action, setAction] = useState<ClientAction | null>(null);
  const [notice, setNotice] = useState<{ text: string; seq: number } | null>(null);
  // The secret lives only in this state: gone on reload or when dismissed.
  const [secret, setSecret] = useState<Shown | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const secretRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  useEffect(() => {
    if (secret) {
      secretRef.current?.scrollIntoView({ block: "start" });
      secretRef.current?.focus({ preventScroll: true });
    }
  }, [secret]);

  function showSecret(issued: IssuedApiClient, intro: string) {
    setNotice(null);
    setAction(null);
    setSecret({ issued, intro });
    setVersion((v) => v + 1);
  }

  function announce(text: string) {
    setAction(null);
    setSecret(null);
    setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
    setVersion((v) => v + 1);
  }

  const shown = list.current ?? list.previous;
  const clients = shown?.ok ? shown.data.items : null;
  const close = () => {
    setAction(null);
  };

  return (
    <>
      <PageHeading title={t("apiClients.title")} />
      <p className="font-lead">{t("apiClients.intro", { municipality })}</p>
      <p>
        <a href="#create-client-heading" className="button button-secondary">
          <Icon name="plus" />
          {t("apiClients.createTitle")}
        </a>
      </p>

      {secret ? (
        <SecretPanel
          ref={secretRef}
          issued={secret.issued}
          intro={secret.intro}
          onDismiss={() => {
            setSecret(null);
          }}
        />
      ) : null}
      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant="success">
          {notice.text}
        </Alert>
      ) : null}

      <div className="client-list" aria-busy={list.current === null}>
        {shown === null ? <Loading text={t("apiClients.loadingList")} /> : null}
        {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
        {clients && clients.length === 0 ? (
          <Alert variant="info">
            <p>{t("apiClients.emptyAll", { municipality })}</p>
          </Alert>
        ) : null}
        {clients && clients.length > 0 ? (
          <table className="table table--zebra table-md-responsive-headers clients-table">
            <caption className="sr-only">{t("apiClients.tableCaption", { municipality })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("apiClients.colName")}</th>
                <th scope="col">{t("apiClients.colClientId")}</th>
                <th scope="col">{t("apiClients.colScopes")}</th>
                <th scope="col">{t("apiClients.colRateLimit")}</th>
                <th scope="col">{t("apiClients.colCreated")}</th>
                <th scope="col">{t("apiClients.colLastUsed")}</th>
                <th scope="col">{t("apiClients.colStatus")}</th>
                <th scope="col">{t("apiClients.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <ClientRow key={client.id} client={client} onAction={setAction} />
              ))}
            </tbody>
          </table>
        ) : null}
      </div>

      <section className="create-client" aria-labelledby="create-client-heading">
        <h2 id="create-client-heading">{t("apiClients.createTitle")}</h2>
        <p>{t("apiClients.createIntro")}</p>
        <CreateApiClientForm
          onCreated={(issued) => {
            showSecret(issued, t("apiClients.secretCreated", { name: issued.client.name }));
          }}
        />
      </section>

      {action?.kind === "edit" ? <EditClientDialog client={action.client} onClose={close} onDone={announce} /> : null}
      {action?.kind === "rotate" ? (
        <RotateDialog
          client={action.client}
          onClose={close}
          onRotated={(issued) => {
            showSecret(issued, t("apiClients.secretRotated", { name: issued.client.name }));
          }}
        />
      ) : null}
      {action?.kind === "revoke" ? (
        <RevokeDialog client={action.client} onClose={close} onDone={announce} />
      ) : null}
    </>
  );
}
