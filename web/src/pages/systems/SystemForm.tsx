// Creating and editing an IT system. Editing replaces all fields (PUT) and
// quotes the ETag of the version the form was filled from, so a change made
// by someone else meanwhile is refused (412) instead of overwritten.
// Leaving with unsaved changes asks first.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle, type Outcome } from "../../api/problem";
import type { ItSystem, ItSystemInput, Problem, Supplier } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SelectField, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { OwnerSelect } from "../../components/OwnerSelect";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t, tOptional, type MessageKey } from "../../i18n";
import { isSystemStatus, SYSTEM_STATUSES, type SystemStatus } from "./query";
import { useSuppliers, useVersionedSystem, type VersionedSystem } from "./useSystems";

type Field = keyof ItSystemInput;

/** The form's fields in page order, with their input ids, labels and names in sentences. */
const FIELDS: readonly { field: Field; id: string; label: MessageKey; word: MessageKey }[] = [
  { field: "name", id: "system-name", label: "systems.name", word: "systems.fieldName" },
  { field: "category", id: "system-category", label: "systems.category", word: "systems.fieldCategory" },
  { field: "supplier_id", id: "system-supplier", label: "systems.supplier", word: "systems.fieldSupplier" },
  { field: "system_owner", id: "system-owner", label: "systems.systemOwner", word: "systems.fieldSystemOwner" },
  { field: "owner_user_id", id: "system-owner-user", label: "ownership.systemOwnerUser", word: "ownership.systemOwnerUser" },
  { field: "status", id: "system-status", label: "systems.statusLabel", word: "systems.fieldStatus" },
  { field: "description", id: "system-description", label: "systems.description", word: "systems.fieldDescription" },
];

interface Values {
  name: string;
  category: string;
  supplier_id: string;
  system_owner: string;
  owner_user_id: string;
  status: SystemStatus;
  description: string;
}

const EMPTY: Values = { name: "", category: "", supplier_id: "", system_owner: "", owner_user_id: "", status: "in_use", description: "" };

function valuesOf(system: ItSystem): Values {
  return {
    name: system.name,
    category: system.category ?? "",
    supplier_id: system.supplier?.id ?? "",
    system_owner: system.system_owner ?? "",
    owner_user_id: system.owner_user?.user_id ?? "",
    status: isSystemStatus(system.status) ? system.status : "in_use",
    description: system.description ?? "",
  };
}

function bodyOf(values: Values): ItSystemInput {
  const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    name: values.name.trim(),
    category: optional(values.category),
    supplier_id: optional(values.supplier_id),
    system_owner: optional(values.system_owner),
    owner_user_id: optional(values.owner_user_id),
    status: values.status,
    description: optional(values.description),
  };
}

interface Errors {
  fields: Partial<Record<Field, string>>;
  form?: string;
  stale?: boolean;
}

/** Fields chosen from a list: a missing one asks to choose, not to fill in. */
const SELECTS = new Set<Field>(["supplier_id", "status"]);

function fieldText(field: Field, code: string, serverMessage: string): string {
  const spec = FIELDS.find((f) => f.field === field);
  const word = spec ? t(spec.word) : field;
  if (field === "supplier_id" && code === "unknown") return t("systems.supplierUnknown");
  if (field === "owner_user_id") return t("ownership.unknownOwner");
  if (code === "required" && SELECTS.has(field)) return t("fieldErrors.choose", { field: word });
  return tOptional(`fieldErrors.${code}`, { field: word }) ?? serverMessage;
}

/** Sorts a refusal into messages beside fields and one for the whole form. */
function errorsOf(outcome: { status: number; problem: Problem | null }): Errors {
  if (outcome.status === 412 || outcome.status === 428) return { fields: {}, stale: true };
  const fields: Errors["fields"] = {};
  const other: string[] = [];
  for (const e of outcome.problem?.errors ?? []) {
    const spec = FIELDS.find((f) => f.field === e.field);
    if (spec) fields[spec.field] ??= fieldText(spec.field, e.code, e.message);
    else other.push(e.message);
  }
  const form = Object.keys(fields).length === 0 || other.length > 0 ? (other[0] ?? failureMessage(outcome)) : undefined;
  return { fields, form };
}

function summary(errors: Errors): SummaryItem[] {
  const items: SummaryItem[] = errors.form ? [{ message: errors.form }] : [];
  for (const { field, id, label } of FIELDS) {
    const message = errors.fields[field];
    if (message) items.push({ fieldId: id, label: t(label), message });
  }
  return items;
}

function supplierOptions(suppliers: readonly Supplier[], current: ItSystem["supplier"]) {
  const list = current && !suppliers.some((s) => s.id === current.id) ? [current, ...suppliers] : suppliers;
  return [
    { value: "", label: t("systems.chooseSupplier") },
    ...list.map((s) => ({ value: s.id, label: t("systems.supplierCvr", { name: s.name, cvr: s.cvr }) })),
  ];
}

function SystemFields({
  initial,
  current,
  submitLabel,
  save,
  onSaved,
  onReload,
  cancelTo,
}: {
  initial: Values;
  current?: ItSystem;
  submitLabel: string;
  save: (body: ItSystemInput) => Promise<Outcome<ItSystem>>;
  onSaved: (system: ItSystem) => void;
  onReload?: () => void;
  cancelTo: string;
}) {
  const [values, setValues] = useState<Values>(initial);
  const guard = useUnsavedChangesGuard(isChanged(values, initial));
  const [errors, setErrors] = useState<Errors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const suppliers = useSuppliers();

  useEffect(() => {
    if (attempt === 0) return;
    if (errors.stale) staleRef.current?.focus();
    else summaryRef.current?.focus();
  }, [attempt, errors.stale]);

  function set(key: keyof Values) {
    return (value: string) => {
      setValues((v) => ({ ...v, [key]: value }));
    };
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (values.name.trim() === "") {
      setErrors({ fields: { name: fieldText("name", "required", "") } });
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = await save(bodyOf(values));
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onSaved(outcome.data);
      return;
    }
    setErrors(errorsOf(outcome));
    setAttempt((n) => n + 1);
  }

  const spec = (field: Field) => FIELDS.find((f) => f.field === field) ?? { id: field, label: "systems.name" as const };

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="system-form">
      {errors.stale ? (
        <Alert ref={staleRef} variant="error">
          <p>{t("systems.stale")}</p>
          {onReload ? (
            <p>
              <button type="button" className="button button-secondary" onClick={onReload}>
                {t("systems.reload")}
              </button>
            </p>
          ) : null}
        </Alert>
      ) : null}
      <ErrorSummary ref={summaryRef} items={summary(errors)} />
      <p>{t("systems.formIntro")}</p>
      <TextField
        id={spec("name").id}
        label={`${t(spec("name").label)} ${t("systems.requiredMark")}`}
        value={values.name}
        onChange={set("name")}
        error={errors.fields.name}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <TextField
        id={spec("category").id}
        label={t(spec("category").label)}
        value={values.category}
        onChange={set("category")}
        error={errors.fields.category}
        hint={t("systems.categoryHint")}
        autoComplete="off"
        inputClassName="input-width-xl"
      />
      {suppliers === null ? <Loading text={t("systems.loadingSuppliers")} /> : null}
      {suppliers && !suppliers.ok ? <Alert variant="error">{failureMessage(suppliers)}</Alert> : null}
      {suppliers?.ok ? (
        <SelectField
          id={spec("supplier_id").id}
          label={t(spec("supplier_id").label)}
          value={values.supplier_id}
          onChange={set("supplier_id")}
          options={supplierOptions(suppliers.data, current?.supplier)}
          hint={t("systems.supplierHint")}
          error={errors.fields.supplier_id}
        />
      ) : null}
      <TextField
        id={spec("system_owner").id}
        label={t(spec("system_owner").label)}
        value={values.system_owner}
        onChange={set("system_owner")}
        error={errors.fields.system_owner}
        hint={t("systems.ownerHint")}
        autoComplete="off"
        inputClassName="input-width-xl"
      />
      <OwnerSelect
        id={spec("owner_user_id").id}
        label={t("ownership.systemOwnerUser")}
        hint={t("ownership.systemOwnerUserHint")}
        noneLabel={t("ownership.noSystemOwner")}
        value={values.owner_user_id}
        current={current?.owner_user}
        onChange={set("owner_user_id")}
        error={errors.fields.owner_user_id}
      />
      <SelectField
        id={spec("status").id}
        label={t(spec("status").label)}
        value={values.status}
        onChange={set("status")}
        options={SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`systems.status.${s}`) }))}
        error={errors.fields.status}
      />
      <div className={`form-group${errors.fields.description ? " form-error" : ""}`}>
        <label className="form-label" htmlFor={spec("description").id}>
          {t(spec("description").label)}
        </label>
        {errors.fields.description ? (
          <span className="form-error-message" id={`${spec("description").id}-error`}>
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {errors.fields.description}
          </span>
        ) : null}
        <textarea
          id={spec("description").id}
          name={spec("description").id}
          className="form-input input-width-xl"
          rows={5}
          value={values.description}
          onChange={(e) => {
            set("description")(e.target.value);
          }}
          aria-invalid={errors.fields.description ? true : undefined}
          aria-describedby={errors.fields.description ? `${spec("description").id}-error` : undefined}
        />
      </div>
      <div className="form-actions">
        <SubmitButton busy={busy} label={submitLabel} />
        <Link to={cancelTo} className="button button-secondary">
          {t("systems.cancel")}
        </Link>
      </div>
    </form>
  );
}

export function CreateSystemPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeading title={t("systems.createTitle")} />
      <SystemFields
        initial={EMPTY}
        submitLabel={t("systems.createSubmit")}
        save={(body) => settle(api.POST("/systems", { body }))}
        onSaved={(system) => {
          void navigate(`/it-systemer/${system.id}`, {
            state: { notice: t("systems.createdDone", { name: system.name }) },
          });
        }}
        cancelTo="/it-systemer"
      />
    </>
  );
}

function EditForm({ current, onReload }: { current: VersionedSystem; onReload: () => void }) {
  const navigate = useNavigate();
  const { system, etag } = current;
  return (
    <SystemFields
      initial={valuesOf(system)}
      current={system}
      submitLabel={t("systems.save")}
      save={(body) =>
        settle(api.PUT("/systems/{id}", { params: { path: { id: system.id }, header: { "If-Match": etag } }, body }))
      }
      onSaved={(saved) => {
        void navigate(`/it-systemer/${saved.id}`, { state: { notice: t("systems.savedDone", { name: saved.name }) } });
      }}
      onReload={onReload}
      cancelTo={`/it-systemer/${system.id}`}
    />
  );
}

export function EditSystemPage() {
  const { id = "" } = useParams();
  const [reload, setReload] = useState(0);
  const outcome = useVersionedSystem(id, reload);
  const name = outcome?.ok ? outcome.data.system.name : "";
  return (
    <>
      <PageHeading title={name ? t("systems.editTitle", { name }) : t("systems.edit")} />
      {outcome === null ? <Loading text={t("systems.loading")} /> : null}
      {outcome && !outcome.ok ? (
        <Alert variant="error">{outcome.status === 404 ? t("systems.notFound") : failureMessage(outcome)}</Alert>
      ) : null}
      {outcome?.ok ? (
        <EditForm
          key={outcome.data.etag}
          current={outcome.data}
          onReload={() => {
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
