// The contract form's template section: choose a published version of a
// template, fill in its parameters (prefilled with the defaults) and mark
// the clauses the contract deviates from, each with its text and reason.

import { useEffect } from "react";
import { failureMessage } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { FieldFrame, SelectField, TextField, describedBy } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";
import { MarkdownPreview } from "./MarkdownEditor";
import { allParameters, type Deviation, type ParameterValue, type VersionContent } from "./model";
import { kindLabel } from "./ParameterEditor";
import { deviationReasonId, deviationTextId, initialUseForm, valueFieldId, type TemplateUseForm } from "./templateUse";
import { contentOf, usePublishedTemplates, useVersion } from "./useTemplates";

export interface TemplateChoice {
  template_id: string;
  version_number: number | null;
  /** The chosen version's content, once read. */
  content: VersionContent | null;
  form: TemplateUseForm | null;
  /** What the contract has chosen already, to fill the form from once the version is read. */
  initial?: { values: Record<string, ParameterValue>; deviations: Deviation[] } | undefined;
}

function versionNumbers(latest: number): number[] {
  return Array.from({ length: latest }, (_, i) => latest - i);
}

export function TemplateUseFields({
  choice,
  onChange,
  errors,
}: {
  choice: TemplateChoice | null;
  /** `byUser` is false when the form is only being filled in from the version read. */
  onChange: (choice: TemplateChoice | null, byUser: boolean) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const templates = usePublishedTemplates();
  const list = templates?.ok ? templates.data : [];
  const selected = list.find((x) => x.id === choice?.template_id);
  const version = useVersion(choice?.template_id ?? "", choice?.version_number ?? null);
  const content: VersionContent | null = version?.ok && version.data ? contentOf(version.data.data) : null;

  // A newly read version gets its form: the contract's own choices, else the defaults.
  useEffect(() => {
    if (choice && content && choice.form === null) onChange({ ...choice, content, form: initialUseForm(content, choice.initial) }, false);
  }, [choice, content, onChange]);

  const form = choice?.form ?? null;
  const setValue = (name: string) => (value: string) => {
    if (choice && form) onChange({ ...choice, form: { ...form, values: { ...form.values, [name]: value } } }, true);
  };
  const setDeviation = (key: string, patch: Partial<TemplateUseForm["deviations"][string]>) => {
    if (!choice || !form) return;
    const current = form.deviations[key] ?? { deviates: false, text: "", reason: "" };
    onChange({ ...choice, form: { ...form, deviations: { ...form.deviations, [key]: { ...current, ...patch } } } }, true);
  };

  return (
    <fieldset className="template-use">
      <legend className="h3">{t("templates.use.legend")}</legend>
      <p className="form-hint">{t("templates.use.intro")}</p>
      {templates === null ? <Loading text={t("templates.use.loadingTemplates")} /> : null}
      {templates && !templates.ok ? <Alert variant="error">{failureMessage(templates)}</Alert> : null}
      <div className="version-pick">
        <SelectField
          id="template-use-template"
          label={t("templates.use.template")}
          value={choice?.template_id ?? ""}
          onChange={(id) => {
            const next = list.find((x) => x.id === id);
            onChange(next ? { template_id: next.id, version_number: next.latest_published_number ?? null, content: null, form: null } : null, true);
          }}
          options={[
            { value: "", label: t("templates.use.noTemplate") },
            ...list.map((x) => ({ value: x.id, label: `${x.name} (${x.kind_label}, ${x.owner.name})` })),
          ]}
          error={errors["template-use-template"]}
        />
        {selected?.latest_published_number != null && choice ? (
          <SelectField
            id="template-use-version"
            label={t("templates.use.version")}
            value={String(choice.version_number ?? "")}
            onChange={(v) => {
              onChange({ ...choice, version_number: Number(v), content: null, form: null, initial: undefined }, true);
            }}
            options={versionNumbers(selected.latest_published_number).map((n) => ({ value: String(n), label: t("templates.use.versionOption", { number: n }) }))}
            error={errors["template-use-version"]}
          />
        ) : null}
      </div>
      {choice && version === null ? <Loading text={t("templates.use.loadingVersion")} /> : null}
      {version && !version.ok ? <Alert variant="error">{failureMessage(version)}</Alert> : null}
      {content && form ? (
        <>
          <h3 className="h4">{t("templates.use.valuesTitle")}</h3>
          {allParameters(content).length === 0 ? <p className="text-muted">{t("templates.use.noParameters")}</p> : null}
          <div className="parameter-form-grid">
            {allParameters(content).map((p) =>
              p.kind === "choice" ? (
                <SelectField
                  key={p.name}
                  id={valueFieldId(p.name)}
                  label={p.label}
                  value={form.values[p.name] ?? ""}
                  onChange={setValue(p.name)}
                  options={[{ value: "", label: t("templates.use.chooseValue") }, ...(p.choices ?? []).map((c) => ({ value: c, label: c }))]}
                  error={errors[valueFieldId(p.name)]}
                />
              ) : (
                <TextField
                  key={p.name}
                  id={valueFieldId(p.name)}
                  label={p.unit ? `${p.label} (${p.unit})` : p.label}
                  hint={kindLabel(p.kind)}
                  value={form.values[p.name] ?? ""}
                  onChange={setValue(p.name)}
                  error={errors[valueFieldId(p.name)]}
                  autoComplete="off"
                  inputClassName={p.kind === "text" ? "input-width-l" : "input-width-s"}
                />
              ),
            )}
          </div>
          <h3 className="h4">{t("templates.use.deviationsTitle")}</h3>
          <ol className="nobullet-list">
            {content.clauses.map((c) => {
              const d = form.deviations[c.key] ?? { deviates: false, text: c.text, reason: "" };
              const checkId = `template-deviation-${c.key}`;
              return (
                <li key={c.key} className="template-clause">
                  <h4 className="h5">
                    {c.number} {c.heading}
                  </h4>
                  <MarkdownPreview text={c.text} className="template-clause-text" />
                  {c.guidance ? <p className="form-hint">{c.guidance}</p> : null}
                  <div className="form-group-checkbox">
                    <input
                      id={checkId}
                      type="checkbox"
                      className="form-checkbox"
                      checked={d.deviates}
                      onChange={(e) => {
                        setDeviation(c.key, { deviates: e.target.checked });
                      }}
                    />
                    <label htmlFor={checkId}>{t("templates.use.deviates", { number: c.number })}</label>
                  </div>
                  {d.deviates ? (
                    <div className="deviation-box">
                      <FieldFrame id={deviationTextId(c.key)} label={t("templates.use.deviationText")} error={errors[deviationTextId(c.key)]}>
                        <textarea
                          id={deviationTextId(c.key)}
                          className="form-input input-width-xl"
                          rows={4}
                          value={d.text}
                          onChange={(e) => {
                            setDeviation(c.key, { text: e.target.value });
                          }}
                          aria-invalid={errors[deviationTextId(c.key)] ? true : undefined}
                          aria-describedby={describedBy(deviationTextId(c.key), undefined, errors[deviationTextId(c.key)])}
                        />
                      </FieldFrame>
                      <FieldFrame id={deviationReasonId(c.key)} label={t("templates.use.deviationReason")} error={errors[deviationReasonId(c.key)]}>
                        <textarea
                          id={deviationReasonId(c.key)}
                          className="form-input input-width-xl"
                          rows={2}
                          value={d.reason}
                          onChange={(e) => {
                            setDeviation(c.key, { reason: e.target.value });
                          }}
                          aria-invalid={errors[deviationReasonId(c.key)] ? true : undefined}
                          aria-describedby={describedBy(deviationReasonId(c.key), undefined, errors[deviationReasonId(c.key)])}
                        />
                      </FieldFrame>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </fieldset>
  );
}
