// Editing a client's name, scopes and rate limit (with If-Match, read fresh when the
// dialog opens), rotating its secret and revoking it.

import { useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import type { ApiClient, ClientScope, IssuedApiClient } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Dialog } from "../../components/Dialog";
import { SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { ScopeCheckboxes } from "./ScopeCheckboxes";
import { parseRateLimit, useVersionedClient, type VersionedClient } from "./useApiClients";

export type ClientAction = { kind: "edit" | "rotate" | "revoke"; client: ApiClient };

function isStale(status: number): boolean {
  return status === 412 || status === 428;
}

function Stale({ onReload }: { onReload: () => void }) {
  return (
    <Alert variant="error">
      <p>{t("apiClients.stale")}</p>
      <p>
        <button type="button" className="button button-secondary" onClick={onReload}>
          {t("apiClients.reload")}
        </button>
      </p>
    </Alert>
  );
}

function EditForm({
  current,
  onClose,
  onDone,
  onReload,
}: {
  current: VersionedClient;
  onClose: () => void;
  onDone: (message: string) => void;
  onReload: () => void;
}) {
  const [name, setName] = useState(current.client.name);
  const [scopes, setScopes] = useState<ClientScope[]>(current.client.scopes);
  const [limit, setLimit] = useState(String(current.client.rate_limit_per_minute));
  const guard = useUnsavedChangesGuard(
    isChanged(
      { name, scopes: [...scopes].sort(), limit: limit.trim() },
      {
        name: current.client.name,
        scopes: [...current.client.scopes].sort(),
        limit: String(current.client.rate_limit_per_minute),
      },
    ),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{
    name?: string;
    scopes?: string;
    limit?: string;
    form?: string;
    stale?: boolean;
  }>({});

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const perMinute = parseRateLimit(limit);
    if (name.trim() === "" || scopes.length === 0 || perMinute === null) {
      setError({
        name: name.trim() === "" ? fieldMessage({ field: "name", code: "required", message: "" }) : undefined,
        scopes: scopes.length === 0 ? t("apiClients.scopesRequired") : undefined,
        limit: perMinute === null ? t("apiClients.rateLimitInvalid") : undefined,
      });
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.PATCH("/api-clients/{id}", {
        params: { path: { id: current.client.id }, header: { "If-Match": current.etag } },
        body: { name: name.trim(), scopes, rate_limit_per_minute: perMinute },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onDone(t("apiClients.saved", { name: outcome.data.name }));
      return;
    }
    if (isStale(outcome.status)) {
      setError({ stale: true });
      return;
    }
    const byField = fieldErrors(outcome.problem);
    setError(
      byField.name || byField.scopes || byField.rate_limit_per_minute
        ? {
            name: byField.name,
            scopes: byField.scopes ? t("apiClients.scopesRequired") : undefined,
            limit: byField.rate_limit_per_minute ? t("apiClients.rateLimitInvalid") : undefined,
          }
        : { form: failureMessage(outcome) },
    );
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      {error.stale ? <Stale onReload={onReload} /> : null}
      {error.form ? <Alert variant="error">{error.form}</Alert> : null}
      <TextField
        id="edit-client-name"
        label={t("apiClients.name")}
        value={name}
        onChange={setName}
        error={error.name}
        autoComplete="off"
        required
        inputClassName="input-width-l"
      />
      <ScopeCheckboxes id="edit-client-scopes" selected={scopes} onChange={setScopes} error={error.scopes} />
      <TextField
        id="edit-client-rate-limit"
        label={t("apiClients.rateLimit")}
        hint={t("apiClients.rateLimitHint")}
        value={limit}
        onChange={setLimit}
        error={error.limit}
        autoComplete="off"
        required
        inputClassName="input-width-xs"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("apiClients.saveEdit")} />
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t("apiClients.cancel")}
        </button>
      </div>
    </form>
  );
}

export function EditClientDialog({
  client,
  onClose,
  onDone,
}: {
  client: ApiClient;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [reload, setReload] = useState(0);
  const outcome = useVersionedClient(client.id, reload);
  return (
    <Dialog title={t("apiClients.editTitle", { name: client.name })} onClose={onClose}>
      {outcome === null ? <Loading text={t("app.loading")} /> : null}
      {outcome && !outcome.ok ? <Alert variant="error">{failureMessage(outcome)}</Alert> : null}
      {outcome?.ok ? (
        <EditForm
          key={outcome.data.etag}
          current={outcome.data}
          onClose={onClose}
          onDone={onDone}
          onReload={() => {
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </Dialog>
  );
}

export function RotateDialog({
  client,
  onClose,
  onRotated,
}: {
  client: ApiClient;
  onClose: () => void;
  onRotated: (issued: IssuedApiClient) => void;
}) {
  return (
    <ConfirmDialog
      title={t("apiClients.rotateTitle", { name: client.name })}
      text={t("apiClients.rotateText", { name: client.name })}
      confirmLabel={t("apiClients.rotateConfirm")}
      action={() => settle(api.POST("/api-clients/{id}/rotate-secret", { params: { path: { id: client.id } } }))}
      onClose={onClose}
      onDone={onRotated}
    />
  );
}

export function RevokeDialog({
  client,
  onClose,
  onDone,
}: {
  client: ApiClient;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  return (
    <ConfirmDialog
      title={t("apiClients.revokeTitle", { name: client.name })}
      text={t("apiClients.revokeText", { name: client.name })}
      confirmLabel={t("apiClients.revokeConfirm")}
      action={() => settle(api.DELETE("/api-clients/{id}", { params: { path: { id: client.id } } }))}
      onClose={onClose}
      onDone={() => {
        onDone(t("apiClients.revokedNotice", { name: client.name }));
      }}
    />
  );
}
