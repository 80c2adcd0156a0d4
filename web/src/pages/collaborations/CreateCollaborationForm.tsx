// The form that creates a collaboration with the municipality as coordinator.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import type { Collaboration, NewCollaboration } from "../../api/types";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SubmitButton, TextField } from "../../components/fields";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";

type Field = keyof NewCollaboration;

const IDS: Record<Field, string> = { name: "new-collaboration-name", description: "new-collaboration-description" };
const LABELS = { name: "collaborations.name", description: "collaborations.description" } as const;

interface Errors {
  fields: Partial<Record<Field, string>>;
  form?: string;
}

function summary(errors: Errors): SummaryItem[] {
  const items: SummaryItem[] = errors.form ? [{ message: errors.form }] : [];
  for (const field of ["name", "description"] as const) {
    const message = errors.fields[field];
    if (message) items.push({ fieldId: IDS[field], label: t(LABELS[field]), message });
  }
  return items;
}

export function CreateCollaborationForm({ onCreated }: { onCreated: (collaboration: Collaboration) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const guard = useUnsavedChangesGuard(name.trim() !== "" || description.trim() !== "");
  const [errors, setErrors] = useState<Errors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === "") {
      setErrors({ fields: { name: fieldMessage({ field: "name", code: "required", message: "" }) } });
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const body: NewCollaboration = { name: name.trim() };
    if (description.trim() !== "") body.description = description.trim();
    const outcome = await settle(api.POST("/collaborations", { body }));
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onCreated(outcome.data);
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const fields: Errors["fields"] = {};
    if (byField.name) fields.name = byField.name;
    if (byField.description) fields.description = byField.description;
    setErrors({ fields, form: Object.keys(fields).length === 0 ? failureMessage(outcome) : undefined });
    setAttempt((n) => n + 1);
  }

  const descriptionError = errors.fields.description;
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-collaboration-heading">
      <ErrorSummary ref={summaryRef} items={summary(errors)} />
      <TextField
        id={IDS.name}
        label={t("collaborations.name")}
        hint={t("collaborations.nameHint")}
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <div className={`form-group${descriptionError ? " form-error" : ""}`}>
        <label className="form-label" htmlFor={IDS.description}>
          {t("collaborations.description")}
        </label>
        <span className="form-hint" id={`${IDS.description}-hint`}>
          {t("collaborations.descriptionHint")}
        </span>
        {descriptionError ? (
          <span className="form-error-message" id={`${IDS.description}-error`}>
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {descriptionError}
          </span>
        ) : null}
        <textarea
          id={IDS.description}
          name={IDS.description}
          className="form-input input-width-xl"
          rows={3}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
          }}
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby={`${IDS.description}-hint${descriptionError ? ` ${IDS.description}-error` : ""}`}
        />
      </div>
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("collaborations.createSubmit")} />
      </div>
    </form>
  );
}
