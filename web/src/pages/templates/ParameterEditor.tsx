// The parameters a clause introduces: a table of them, and a small form to
// add or change one (name, label, type with duration unit or choices,
// default, unit, bounds), with Danish messages beside each field.

import { useRef, useState } from "react";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { FieldFrame, SelectField, TextField, describedBy } from "../../components/fields";
import { t, type MessageKey } from "../../i18n";
import { PARAMETER_KINDS, isBounded, type Parameter, type ParameterKind } from "./model";
import {
  emptyParameterForm,
  formOfParameter,
  readParameter,
  type ParameterErrors,
  type ParameterField,
  type ParameterForm,
} from "./parameters";
import { formatValue, toDanishDecimal } from "./values";

const FIELD_LABELS: Record<ParameterField, MessageKey> = {
  name: "templates.parameters.name",
  label: "templates.parameters.label",
  kind: "templates.parameters.kind",
  duration_unit: "templates.parameters.durationUnit",
  unit: "templates.parameters.unit",
  default: "templates.parameters.default",
  min: "templates.parameters.min",
  max: "templates.parameters.max",
  choices: "templates.parameters.choices",
};

export function kindLabel(kind: ParameterKind): string {
  return t(`templates.parameters.kinds.${kind}`);
}

export function boundsText(p: Parameter): string {
  if (p.min == null && p.max == null) return "";
  return t("templates.parameters.bounds", {
    min: p.min != null ? toDanishDecimal(p.min) : "",
    max: p.max != null ? toDanishDecimal(p.max) : "",
  }).trim();
}

function ParameterFormFields({
  idPrefix,
  initial,
  taken,
  onSave,
  onCancel,
  title,
}: {
  idPrefix: string;
  initial: ParameterForm;
  taken: readonly string[];
  onSave: (p: Parameter) => void;
  onCancel: () => void;
  title: string;
}) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<ParameterErrors>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  const id = (field: ParameterField) => `${idPrefix}-${field}`;
  const set = <K extends keyof ParameterForm>(key: K) => (value: ParameterForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
  };
  const items: SummaryItem[] = (Object.keys(FIELD_LABELS) as ParameterField[])
    .filter((f) => errors[f])
    .map((f) => ({ fieldId: id(f), label: t(FIELD_LABELS[f]), message: errors[f] ?? "" }));

  function save() {
    const result = readParameter(form, taken);
    if (result.errors) {
      setErrors(result.errors);
      setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    onSave(result.parameter);
  }

  // Not a <form>: it sits inside the editor's form, and Enter must not send that.
  return (
    <fieldset className="parameter-form">
      <legend className="h5">{title}</legend>
      <ErrorSummary ref={summaryRef} items={items} />
      <div className="parameter-form-grid">
        <TextField id={id("name")} label={t("templates.parameters.name")} hint={t("templates.parameters.nameHint", { example: "{{oppetid_procent}}" })} value={form.name} onChange={set("name")} error={errors.name} autoComplete="off" inputClassName="input-width-l" />
        <TextField id={id("label")} label={t("templates.parameters.label")} hint={t("templates.parameters.labelHint")} value={form.label} onChange={set("label")} error={errors.label} autoComplete="off" inputClassName="input-width-l" />
        <SelectField
          id={id("kind")}
          label={t("templates.parameters.kind")}
          value={form.kind}
          onChange={(v) => {
            set("kind")(v as ParameterKind);
          }}
          options={PARAMETER_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
          error={errors.kind}
        />
        {form.kind === "duration" ? (
          <SelectField
            id={id("duration_unit")}
            label={t("templates.parameters.durationUnit")}
            value={form.duration_unit}
            onChange={(v) => {
              set("duration_unit")(v === "days" || v === "months" ? v : "");
            }}
            options={[
              { value: "", label: t("templates.parameters.chooseDurationUnit") },
              { value: "days", label: t("templates.parameters.durationUnits.days") },
              { value: "months", label: t("templates.parameters.durationUnits.months") },
            ]}
            error={errors.duration_unit}
          />
        ) : null}
        {form.kind === "choice" ? (
          <FieldFrame id={id("choices")} label={t("templates.parameters.choices")} hint={t("templates.parameters.choicesHint")} error={errors.choices}>
            <textarea
              id={id("choices")}
              className="form-input input-width-l"
              rows={4}
              value={form.choices}
              onChange={(e) => {
                set("choices")(e.target.value);
              }}
              aria-invalid={errors.choices ? true : undefined}
              aria-describedby={describedBy(id("choices"), t("templates.parameters.choicesHint"), errors.choices)}
            />
          </FieldFrame>
        ) : null}
        <TextField id={id("default")} label={t("templates.parameters.default")} hint={t("templates.parameters.defaultHint")} value={form.default} onChange={set("default")} error={errors.default} autoComplete="off" inputClassName="input-width-m" />
        {isBounded(form.kind) ? (
          <>
            <TextField id={id("min")} label={t("templates.parameters.min")} value={form.min} onChange={set("min")} error={errors.min} autoComplete="off" inputClassName="input-width-s" />
            <TextField id={id("max")} label={t("templates.parameters.max")} value={form.max} onChange={set("max")} error={errors.max} autoComplete="off" inputClassName="input-width-s" />
          </>
        ) : null}
        {form.kind !== "percent" && form.kind !== "money" && form.kind !== "duration" ? (
          <TextField id={id("unit")} label={t("templates.parameters.unit")} hint={t("templates.parameters.unitHint")} value={form.unit} onChange={set("unit")} error={errors.unit} autoComplete="off" inputClassName="input-width-s" />
        ) : null}
      </div>
      <div className="form-group-checkbox">
        <input
          id={id("kind") + "-required"}
          type="checkbox"
          className="form-checkbox"
          checked={form.required}
          onChange={(e) => {
            set("required")(e.target.checked);
          }}
        />
        <label htmlFor={id("kind") + "-required"}>{t("templates.parameters.required")}</label>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={save}>
          {t("templates.parameters.save")}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t("templates.parameters.cancel")}
        </button>
      </div>
    </fieldset>
  );
}

function formFor(parameters: readonly Parameter[], index: number): ParameterForm {
  const current = index >= 0 ? parameters[index] : undefined;
  return current ? formOfParameter(current) : emptyParameterForm();
}

/** The parameters of one clause. `otherNames` are the names used by the version's other clauses. */
export function ParameterEditor({
  idPrefix,
  parameters,
  otherNames,
  onChange,
  readOnly = false,
  serverErrors = [],
}: {
  idPrefix: string;
  parameters: readonly Parameter[];
  otherNames: readonly string[];
  onChange: (parameters: Parameter[]) => void;
  readOnly?: boolean;
  /** Messages from the server about these parameters. */
  serverErrors?: readonly string[];
}) {
  // null: no form; -1: adding; otherwise the index being edited.
  const [editing, setEditing] = useState<number | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const taken = (except: number) => [...otherNames, ...parameters.filter((_, i) => i !== except).map((p) => p.name)];

  return (
    <div className="parameter-editor">
      <h4 className="h5">{t("templates.clauses.parameters")}</h4>
      {serverErrors.map((message) => (
        <p key={message} className="form-error-message">
          <span className="sr-only">{t("form.errorPrefix")} </span>
          {message}
        </p>
      ))}
      {parameters.length === 0 ? (
        <p className="text-muted">{t("templates.parameters.none")}</p>
      ) : (
        <div className="table--responsive-scroll" tabIndex={0} role="region" aria-label={t("templates.clauses.parameters")}>
          <table className="table table--compact parameter-table">
            <caption className="sr-only">{t("templates.clauses.parameters")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("templates.parameters.colName")}</th>
                <th scope="col">{t("templates.parameters.colLabel")}</th>
                <th scope="col">{t("templates.parameters.colKind")}</th>
                <th scope="col">{t("templates.parameters.colDefault")}</th>
                <th scope="col">{t("templates.parameters.colBounds")}</th>
                {readOnly ? null : <th scope="col">{t("templates.parameters.colActions")}</th>}
              </tr>
            </thead>
            <tbody>
              {parameters.map((p, i) => (
                <tr key={p.name}>
                  <td>
                    <code>{`{{${p.name}}}`}</code>
                  </td>
                  <td>{p.label}</td>
                  <td>
                    {kindLabel(p.kind)}
                    {p.kind === "duration" && p.duration_unit ? ` (${t(`templates.parameters.durationUnits.${p.duration_unit}`).toLowerCase()})` : ""}
                    {p.kind === "choice" && p.choices?.length ? `: ${p.choices.join(", ")}` : ""}
                  </td>
                  <td>{p.default ? formatValue(p.default, p) : t("templates.parameters.noDefault")}</td>
                  <td>{boundsText(p)}</td>
                  {readOnly ? null : (
                    <td className="nowrap">
                      <button
                        type="button"
                        className="button button-unstyled"
                        aria-label={t("templates.parameters.editNamed", { label: p.label })}
                        onClick={() => {
                          setEditing(i);
                        }}
                      >
                        {t("templates.parameters.edit")}
                      </button>{" "}
                      <button
                        type="button"
                        className="button button-unstyled"
                        aria-label={t("templates.parameters.removeNamed", { label: p.label })}
                        onClick={() => {
                          onChange(parameters.filter((_, j) => j !== i));
                          setEditing(null);
                          addRef.current?.focus();
                        }}
                      >
                        {t("templates.parameters.remove")}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {readOnly ? null : editing === null ? (
        <button
          ref={addRef}
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            setEditing(-1);
          }}
        >
          {t("templates.parameters.add")}
        </button>
      ) : (
        <ParameterFormFields
          key={editing}
          idPrefix={`${idPrefix}-p${String(editing)}`}
          title={editing === -1 ? t("templates.parameters.newTitle") : t("templates.parameters.editTitle")}
          initial={formFor(parameters, editing)}
          taken={taken(editing)}
          onSave={(p) => {
            onChange(editing === -1 ? [...parameters, p] : parameters.map((q, j) => (j === editing ? p : q)));
            setEditing(null);
          }}
          onCancel={() => {
            setEditing(null);
          }}
        />
      )}
    </div>
  );
}
