// Creating a template (name, kind, description, and whose: the municipality's
// own or one of its collaborations') and changing those details later.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, fieldMessage, settle, type Outcome } from "../../api/problem";
import type { Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { FieldFrame, SelectField, SubmitButton, TextField, describedBy } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { useCollaborations } from "../contracts/useContracts";
import { KINDS, type TemplateKindCode } from "./query";
import { kindName } from "./TemplatesPage";
import { useTemplate } from "./useTemplates";

interface Values {
  name: string;
  kind: TemplateKindCode;
  description: string;
  collaboration_id: string;
}

type Field = keyof Values;
const IDS: Record<Field, string> = {
  name: "template-name",
  kind: "template-kind-field",
  description: "template-description",
  collaboration_id: "template-owner",
};
const LABELS: Record<Field, () => string> = {
  name: () => t("templates.form.name"),
  kind: () => t("templates.form.kind"),
  description: () => t("templates.form.description"),
  collaboration_id: () => t("templates.form.owner"),
};

function Fields({
  initial,
  creating,
  submitLabel,
  save,
  cancelTo,
}: {
  initial: Values;
  creating: boolean;
  submitLabel: string;
  save: (values: Values) => Promise<Outcome<Template>>;
  cancelTo: string;
}) {
  const navigate = useNavigate();
  const [values, setValues] = useState(initial);
  const guard = useUnsavedChangesGuard(isChanged(values, initial));
  const [errors, setErrors] = useState<{ fields: Partial<Record<Field, string>>; form?: string }>({ fields: {} });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const collaborations = useCollaborations();

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const set = (key: Field) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
  };

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (values.name.trim() === "") {
      setErrors({ fields: { name: t("templates.form.nameRequired") } });
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = await save(values);
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      void navigate(`/skabeloner/${outcome.data.id}${creating ? "/kladde" : ""}`, {
        state: { notice: creating ? t("templates.form.created", { name: outcome.data.name }) : t("templates.form.saved") },
      });
      return;
    }
    const fields: Partial<Record<Field, string>> = {};
    for (const e of outcome.problem?.errors ?? []) {
      if (e.field in IDS) fields[e.field as Field] ??= fieldMessage({ ...e, field: e.field });
    }
    setErrors({ fields, form: Object.keys(fields).length === 0 ? failureMessage(outcome) : undefined });
    setAttempt((n) => n + 1);
  }

  const summary: SummaryItem[] = [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...(Object.keys(IDS) as Field[])
      .filter((f) => errors.fields[f])
      .map((f) => ({ fieldId: IDS[f], label: LABELS[f](), message: errors.fields[f] ?? "" })),
  ];

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      <ErrorSummary ref={summaryRef} items={summary} />
      <TextField id={IDS.name} label={`${t("templates.form.name")} ${t("templates.form.requiredMark")}`} value={values.name} onChange={set("name")} error={errors.fields.name} autoComplete="off" inputClassName="input-width-xl" required />
      <SelectField
        id={IDS.kind}
        label={t("templates.form.kind")}
        hint={t("templates.form.kindHint")}
        value={values.kind}
        onChange={set("kind")}
        options={KINDS.map((k) => ({ value: k, label: kindName(k) }))}
        error={errors.fields.kind}
      />
      {creating ? (
        <SelectField
          id={IDS.collaboration_id}
          label={t("templates.form.owner")}
          hint={t("templates.form.ownerHint")}
          value={values.collaboration_id}
          onChange={set("collaboration_id")}
          options={[
            { value: "", label: t("templates.form.ownerMunicipality") },
            ...(collaborations?.ok ? collaborations.data : []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          error={errors.fields.collaboration_id}
        />
      ) : null}
      <FieldFrame id={IDS.description} label={t("templates.form.description")} error={errors.fields.description}>
        <textarea
          id={IDS.description}
          className="form-input input-width-xl"
          rows={4}
          value={values.description}
          onChange={(e) => {
            set("description")(e.target.value);
          }}
          aria-invalid={errors.fields.description ? true : undefined}
          aria-describedby={describedBy(IDS.description, undefined, errors.fields.description)}
        />
      </FieldFrame>
      <div className="form-actions">
        <SubmitButton busy={busy} label={submitLabel} />
        <Link to={cancelTo} className="button button-secondary">
          {t("form.cancel")}
        </Link>
      </div>
    </form>
  );
}

export function CreateTemplatePage() {
  return (
    <>
      <PageHeading title={t("templates.form.createTitle")} />
      <p>{t("templates.form.createIntro")}</p>
      <Fields
        creating
        initial={{ name: "", kind: "k04", description: "", collaboration_id: "" }}
        submitLabel={t("templates.form.createSubmit")}
        save={(v) =>
          settle(
            api.POST("/templates", {
              body: {
                name: v.name.trim(),
                kind: v.kind,
                description: v.description.trim() || undefined,
                collaboration_id: v.collaboration_id || undefined,
              },
            }),
          )
        }
        cancelTo="/skabeloner"
      />
    </>
  );
}

export function EditTemplatePage() {
  const { id = "" } = useParams();
  const outcome = useTemplate(id, 0);
  const template = outcome?.ok ? outcome.data.data : null;
  return (
    <>
      <PageHeading title={template ? t("templates.form.editTitle", { name: template.name }) : t("templates.form.editTitleShort")} />
      {outcome === null ? <Loading text={t("templates.page.loading")} /> : null}
      {outcome && !outcome.ok ? <Alert variant="error">{failureMessage(outcome)}</Alert> : null}
      {template && outcome?.ok ? (
        <Fields
          creating={false}
          initial={{
            name: template.name,
            kind: template.kind,
            description: template.description ?? "",
            collaboration_id: "",
          }}
          submitLabel={t("templates.form.save")}
          save={(v) =>
            settle(
              api.PUT("/templates/{id}", {
                params: { path: { id }, header: { "If-Match": outcome.data.etag } },
                body: { name: v.name.trim(), kind: v.kind, description: v.description.trim() || undefined },
              }),
            )
          }
          cancelTo={`/skabeloner/${id}`}
        />
      ) : null}
    </>
  );
}
