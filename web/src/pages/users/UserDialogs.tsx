// Changing a user's role, and deactivating or reactivating a user. Each
// dialog first reads the user again for its ETag, so a change made by
// someone else meanwhile is refused (412) instead of overwritten.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, settle, type Outcome } from "../../api/problem";
import { ROLES, type Role, type User } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SelectField, SubmitButton } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { useVersionedUser, type VersionedUser } from "./useUsers";

export type UserAction = { kind: "role" | "deactivate" | "reactivate"; user: User };

interface DialogProps {
  action: UserAction;
  onClose: () => void;
  /** Called after a change went through, with the sentence to show. */
  onDone: (message: string) => void;
}

function failure(outcome: { status: number; problem: Parameters<typeof failureMessage>[0]["problem"] }): string {
  return outcome.status === 412 || outcome.status === 428 ? t("users.stale") : failureMessage(outcome);
}

/** Shown when the user could not be read, or was changed by someone else. */
function StaleOrFailed({ message, onReload }: { message: string; onReload: () => void }) {
  return (
    <Alert variant="error">
      <p>{message}</p>
      <p>
        <button type="button" className="button button-secondary" onClick={onReload}>
          {t("users.reload")}
        </button>
      </p>
    </Alert>
  );
}

function useLoadedUser(id: string) {
  const [reload, setReload] = useState(0);
  const outcome = useVersionedUser(id, reload);
  return {
    outcome,
    reload: () => {
      setReload((n) => n + 1);
    },
  };
}

function ChangeRoleForm({
  current,
  onClose,
  onDone,
  onStale,
}: {
  current: VersionedUser;
  onClose: () => void;
  onDone: (message: string) => void;
  onStale: () => void;
}) {
  const [role, setRole] = useState<Role>(current.user.role);
  const guard = useUnsavedChangesGuard(role !== current.user.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; form?: string; stale?: boolean }>({});
  const select = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    select.current?.focus();
  }, []);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const outcome = await settle(
      api.PATCH("/users/{id}", {
        params: { path: { id: current.user.id }, header: { "If-Match": current.etag } },
        body: { role },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onDone(t("users.roleSaved", { name: outcome.data.name, role: t(`roles.${outcome.data.role}`) }));
      return;
    }
    const byField = fieldErrors(outcome.problem);
    if (outcome.status === 412 || outcome.status === 428) setError({ stale: true });
    else if (byField.role) setError({ field: byField.role });
    else setError({ form: failure(outcome) });
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      {error.stale ? <StaleOrFailed message={t("users.stale")} onReload={onStale} /> : null}
      {error.form ? <Alert variant="error">{error.form}</Alert> : null}
      <SelectField
        ref={select}
        id="change-role"
        label={t("users.newRole")}
        value={role}
        onChange={(value) => {
          setRole(value as Role);
        }}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        hint={t(`roleDescriptions.${role}`)}
        error={error.field}
        required
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("users.saveRole")} />
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t("users.cancel")}
        </button>
      </div>
    </form>
  );
}

export function ChangeRoleDialog({ action, onClose, onDone }: DialogProps) {
  const { outcome, reload } = useLoadedUser(action.user.id);
  return (
    <Dialog title={t("users.changeRoleFor", { name: action.user.name })} onClose={onClose}>
      {outcome === null ? <Loading text={t("app.loading")} /> : null}
      {outcome && !outcome.ok ? <StaleOrFailed message={failure(outcome)} onReload={reload} /> : null}
      {outcome?.ok ? (
        <ChangeRoleForm
          key={outcome.data.etag}
          current={outcome.data}
          onClose={onClose}
          onDone={onDone}
          onStale={reload}
        />
      ) : null}
    </Dialog>
  );
}

async function setActive(current: VersionedUser, active: boolean): Promise<Outcome<unknown>> {
  const params = { path: { id: current.user.id }, header: { "If-Match": current.etag } };
  return active
    ? settle(api.PATCH("/users/{id}", { params, body: { active: true } }))
    : settle(api.DELETE("/users/{id}", { params }));
}

function ConfirmActive({
  current,
  deactivate,
  onClose,
  onDone,
  onStale,
}: {
  current: VersionedUser;
  deactivate: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
  onStale: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ form?: string; stale?: boolean }>({});
  const name = current.user.name;
  const alreadyDone = current.user.active !== deactivate;
  // Focus starts on the choice that changes nothing.
  const safeChoice = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    safeChoice.current?.focus();
  }, []);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const outcome = await setActive(current, !deactivate);
    setBusy(false);
    if (outcome.ok) {
      onDone(t(deactivate ? "users.deactivated" : "users.reactivated", { name }));
    } else if (outcome.status === 412 || outcome.status === 428) {
      setError({ stale: true });
    } else {
      setError({ form: failure(outcome) });
    }
  }

  if (alreadyDone) {
    // Someone else got there first; there is nothing left to confirm.
    return (
      <>
        <Alert variant="info">{t(deactivate ? "users.deactivated" : "users.reactivated", { name })}</Alert>
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            ref={safeChoice}
            onClick={() => {
              onDone(t(deactivate ? "users.deactivated" : "users.reactivated", { name }));
            }}
          >
            {t("dialog.close")}
          </button>
        </div>
      </>
    );
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      {error.stale ? <StaleOrFailed message={t("users.stale")} onReload={onStale} /> : null}
      {error.form ? <Alert variant="error">{error.form}</Alert> : null}
      <p>{t(deactivate ? "users.deactivateText" : "users.reactivateText", { name })}</p>
      <div className="form-actions">
        <SubmitButton
          busy={busy}
          label={t(deactivate ? "users.deactivateConfirm" : "users.reactivateConfirm")}
          className={deactivate ? "button button-warning" : "button button-primary"}
        />
        <button type="button" className="button button-secondary" onClick={onClose} ref={safeChoice}>
          {t("users.cancel")}
        </button>
      </div>
    </form>
  );
}

export function ActiveDialog({ action, onClose, onDone }: DialogProps) {
  const deactivate = action.kind === "deactivate";
  const { outcome, reload } = useLoadedUser(action.user.id);
  const title = t(deactivate ? "users.deactivateTitle" : "users.reactivateTitle", { name: action.user.name });
  return (
    <Dialog title={title} onClose={onClose}>
      {outcome === null ? <Loading text={t("app.loading")} /> : null}
      {outcome && !outcome.ok ? <StaleOrFailed message={failure(outcome)} onReload={reload} /> : null}
      {outcome?.ok ? (
        <ConfirmActive
          key={outcome.data.etag}
          current={outcome.data}
          deactivate={deactivate}
          onClose={onClose}
          onDone={onDone}
          onStale={reload}
        />
      ) : null}
    </Dialog>
  );
}
