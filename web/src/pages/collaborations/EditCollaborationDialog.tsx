// Renaming or describing a collaboration (coordinators). The change quotes
// the ETag of the last read, so one made by someone else meanwhile is
// refused (412) instead of overwritten.

import { useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SubmitButton, TextField } from "../../components/fields";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import type { VersionedCollaboration } from "./useCollaborations";

export function EditCollaborationDialog({
  current,
  onClose,
  onDone,
  onReload,
}: {
  current: VersionedCollaboration;
  onClose: () => void;
  onDone: (message: string) => void;
  onReload: () => void;
}) {
  const { collaboration, etag } = current;
  const [name, setName] = useState(collaboration.name);
  const [description, setDescription] = useState(collaboration.description ?? "");
  const guard = useUnsavedChangesGuard(
    isChanged({ name, description }, { name: collaboration.name, description: collaboration.description ?? "" }),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ name?: string; form?: string; stale?: boolean }>({});

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === "") {
      setError({ name: fieldMessage({ field: "name", code: "required", message: "" }) });
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.PATCH("/collaborations/{id}", {
        params: { path: { id: collaboration.id }, header: { "If-Match": etag } },
        body: { name: name.trim(), description: description.trim() },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onDone(t("collaborations.saved", { name: outcome.data.name }));
    } else if (outcome.status === 412 || outcome.status === 428) {
      setError({ stale: true });
    } else {
      const byField = fieldErrors(outcome.problem);
      setError(byField.name ? { name: byField.name } : { form: byField.description ?? failureMessage(outcome) });
    }
  }

  return (
    <Dialog title={t("collaborations.editTitle", { name: collaboration.name })} onClose={onClose}>
      <form noValidate onSubmit={(e) => void onSubmit(e)}>
        {error.stale ? (
          <Alert variant="error">
            <p>{t("collaborations.stale")}</p>
            <p>
              <button type="button" className="button button-secondary" onClick={onReload}>
                {t("collaborations.reload")}
              </button>
            </p>
          </Alert>
        ) : null}
        {error.form ? <Alert variant="error">{error.form}</Alert> : null}
        <TextField
          id="edit-collaboration-name"
          label={t("collaborations.name")}
          value={name}
          onChange={setName}
          error={error.name}
          autoComplete="off"
          required
          inputClassName="input-width-l"
        />
        <div className="form-group">
          <label className="form-label" htmlFor="edit-collaboration-description">
            {t("collaborations.description")}
          </label>
          <textarea
            id="edit-collaboration-description"
            name="edit-collaboration-description"
            className="form-input input-width-l"
            rows={3}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
            }}
          />
        </div>
        <div className="form-actions">
          <SubmitButton busy={busy} label={t("collaborations.saveEdit")} />
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t("collaborations.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
