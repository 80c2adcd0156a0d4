// Creating and editing a contract: every field the API takes, in
// fieldsets; the supplier picked by CVR number (checked client-side, looked
// up, and registered when unknown); IT systems and agreement elements as
// checkboxes; amounts and dates typed the Danish way. Editing sends the ETag
// of the read in If-Match, and a 412 says someone else changed the contract.
// Leaving with unsaved changes asks first.

import { useCallback, useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Contract, ContractInput, ContractTemplateInput, Supplier } from "../../api/types";
import { Combobox, type Suggestion } from "../../components/Combobox";
import { Alert } from "../../components/Alert";
import { OwnerSelect } from "../../components/OwnerSelect";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { DateField, SelectField, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { dateFieldText, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import { readUseForm, templateErrorsByField, templateFieldLabel } from "../templates/templateUse";
import { TemplateUseFields, type TemplateChoice } from "../templates/TemplateUseFields";
import { checkCvr, normaliseCvr } from "./cvr";
import { contractFieldErrors, contractFieldLabel } from "./errors";
import { parseDanishAmount, toDanishAmount } from "./money";
import { CheckboxGroup, InputField, TextAreaField } from "./parts";
import {
  useOptions,
  useOwnContracts,
  useSystems,
  useVersionedContract,
  type OptionName,
  type Options,
  type VersionedContract,
} from "./useContracts";

const TEXTS = [
  "title",
  "reference",
  "description",
  "status",
  "contract_type",
  "parent_id",
  "category",
  "cpv_code",
  "procedure",
  "framework_agreement",
  "annual_value",
  "total_value",
  "payment_model",
  "payment_frequency",
  "price_regulation",
  "signed_on",
  "start_on",
  "end_on",
  "irrevocable_until",
  "option_months",
  "options_total",
  "options_exercised",
  "notice_period_months",
  "notice_to",
  "terminated_on",
  "retender_lead_months",
  "system_owner",
  "owner_user_id",
  "responsible_unit",
  "supplier_contact",
  "criticality",
  "notes",
] as const;
type TextKey = (typeof TEXTS)[number];

const AMOUNTS = ["annual_value", "total_value"] as const;
const WHOLE = ["option_months", "options_total", "options_exercised", "notice_period_months", "retender_lead_months"] as const;
const DATES = ["signed_on", "start_on", "end_on", "irrevocable_until", "terminated_on"] as const;

type Values = Record<TextKey, string> & { system_ids: string[]; agreement_elements: string[]; publishable: boolean };

/** Input ids in page order; the supplier's errors belong to the CVR field. */
const ORDER: readonly string[] = [
  "title",
  "reference",
  "contract_type",
  "parent_id",
  "status",
  "criticality",
  "description",
  "supplier_id",
  "supplier_name",
  "supplier_contact",
  "annual_value",
  "total_value",
  "payment_model",
  "payment_frequency",
  "price_regulation",
  "system_ids",
  "category",
  "cpv_code",
  "agreement_elements",
  "procedure",
  "framework_agreement",
  "publishable",
  "signed_on",
  "start_on",
  "end_on",
  "irrevocable_until",
  "option_months",
  "options_total",
  "options_exercised",
  "notice_period_months",
  "notice_to",
  "terminated_on",
  "retender_lead_months",
  "owner_user_id",
  "system_owner",
  "responsible_unit",
  "notes",
];

function inputId(field: string): string {
  if (field === "supplier_id" || field === "cvr") return "contract-cvr";
  return `contract-${field}`;
}

/** Whether the contract is marked for the open tender data (OCDS) export. */
export function isPublishable(contract: Contract | null | undefined): boolean {
  return contract?.publishable ?? false;
}

function initialValues(contract: Contract | null): Values {
  const c = contract;
  const text = (value: string | number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    title: text(c?.title),
    reference: text(c?.reference),
    description: text(c?.description),
    status: text(c?.status_override),
    contract_type: c?.contract_type ?? "main",
    parent_id: text(c?.parent_id),
    category: text(c?.category),
    cpv_code: text(c?.cpv_code),
    procedure: text(c?.procedure),
    framework_agreement: text(c?.framework_agreement),
    annual_value: toDanishAmount(c?.annual_value),
    total_value: toDanishAmount(c?.total_value),
    payment_model: text(c?.payment_model),
    payment_frequency: text(c?.payment_frequency),
    price_regulation: text(c?.price_regulation),
    signed_on: dateFieldText(c?.signed_on),
    start_on: dateFieldText(c?.start_on),
    end_on: dateFieldText(c?.end_on),
    irrevocable_until: dateFieldText(c?.irrevocable_until),
    option_months: text(c?.option_months),
    options_total: text(c?.options_total),
    options_exercised: text(c?.options_exercised),
    notice_period_months: text(c?.notice_period_months),
    notice_to: c?.notice_to ?? "none",
    terminated_on: dateFieldText(c?.terminated_on),
    retender_lead_months: c ? text(c.retender_lead_months) : "12",
    system_owner: text(c?.system_owner),
    owner_user_id: c?.owner_user?.user_id ?? "",
    responsible_unit: text(c?.responsible_unit),
    supplier_contact: text(c?.supplier_contact),
    criticality: c?.criticality ?? "normal",
    notes: text(c?.notes),
    system_ids: c?.systems.map((s) => s.id) ?? [],
    agreement_elements: c ? [...c.agreement_elements] : [],
    publishable: isPublishable(c),
  };
}

type Errors = Partial<Record<string, string>>;

function cvrError(cvr: string): string | undefined {
  switch (checkCvr(cvr)) {
    case "empty":
      return t("contractErrors.supplierRequired");
    case "format":
      return t("contractErrors.cvrFormat");
    case "checksum":
      return t("contractErrors.cvrChecksum");
    default:
      return undefined;
  }
}

/** The request body, or the fields that could not be read. */
function toInput(values: Values, supplier: Supplier | null): { body: ContractInput } | { errors: Errors } {
  const errors: Errors = {};
  const body: Record<string, unknown> = {};
  const special: readonly string[] = [...AMOUNTS, ...WHOLE, ...DATES];
  for (const key of TEXTS) {
    const value = values[key].trim();
    if (value !== "" && !special.includes(key)) body[key] = value;
  }
  for (const key of AMOUNTS) {
    const parsed = parseDanishAmount(values[key]);
    if (parsed === null) errors[key] = t("contractErrors.amount");
    else if (parsed !== "") body[key] = parsed;
  }
  for (const key of WHOLE) {
    const value = values[key].trim();
    if (value === "") continue;
    if (!/^\d{1,4}$/.test(value)) errors[key] = t("contractErrors.whole");
    else body[key] = Number(value);
  }
  for (const key of DATES) {
    // A date that does not read is an error, never "no date": an emptied
    // end date means running until terminated, a half-typed one does not.
    const parsed = parseDanishDate(values[key]);
    if (parsed === null) errors[key] = t("form.dateInvalid");
    else if (parsed !== "") body[key] = parsed;
  }
  if (values.title.trim() === "") errors.title = t("contractErrors.titleRequired");
  if (values.start_on.trim() === "") errors.start_on = t("contractErrors.startRequired");
  if (supplier) body.supplier_id = supplier.id;
  body.system_ids = values.system_ids;
  body.agreement_elements = values.agreement_elements;
  body.publishable = values.publishable;
  return Object.keys(errors).length > 0 ? { errors } : { body: body as unknown as ContractInput };
}

function optionChoices(options: Options, list: OptionName, empty: string | null) {
  return [
    ...(empty === null ? [] : [{ value: "", label: empty }]),
    // "Ikke startet" follows from the start date; it is not chosen by hand.
    ...options
      .values(list)
      .filter((v) => !(list === "status" && v.code === "not_started"))
      .map((v) => ({ value: v.code, label: v.label })),
  ];
}

/** Picks the supplier by CVR number: look it up, or register it when unknown. */
function SupplierPicker({
  cvr,
  setCvr,
  supplier,
  onSupplier,
  error,
  onError,
}: {
  cvr: string;
  setCvr: (cvr: string) => void;
  supplier: Supplier | null;
  onSupplier: (supplier: Supplier | null) => void;
  error: string | undefined;
  onError: (field: "supplier_id" | "supplier_name", message: string | undefined) => void;
}) {
  const [state, setState] = useState<"idle" | "searching" | "unknown" | "registering">("idle");
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [registered, setRegistered] = useState<string | null>(null);

  /** A name typed instead of a CVR number: the one supplier it matches. */
  async function lookupByName() {
    setState("searching");
    const outcome = await settle(api.GET("/suppliers", { params: { query: { q: cvr.trim(), limit: 20 } } }));
    setState("idle");
    if (!outcome.ok) {
      onError("supplier_id", failureMessage(outcome));
      return;
    }
    const [only, ...others] = outcome.data.items;
    if (only && others.length === 0) {
      pick(only);
    } else {
      onSupplier(null);
      onError(
        "supplier_id",
        only ? t("contractForm.supplierChoose", { text: cvr.trim() }) : t("contractForm.supplierNoMatch", { text: cvr.trim() }),
      );
    }
  }

  function pick(found: Supplier) {
    setCvr(found.cvr);
    setRegistered(null);
    setState("idle");
    onSupplier(found);
    onError("supplier_id", undefined);
  }

  async function lookup() {
    if (/\p{L}/u.test(cvr)) {
      await lookupByName();
      return;
    }
    const problem = cvrError(cvr);
    onError("supplier_id", problem);
    if (problem) return;
    setState("searching");
    const number = normaliseCvr(cvr);
    const outcome = await settle(api.GET("/suppliers", { params: { query: { q: number, limit: 20 } } }));
    if (!outcome.ok) {
      setState("idle");
      onError("supplier_id", failureMessage(outcome));
      return;
    }
    const found = outcome.data.items.find((s) => s.cvr === number);
    if (found) {
      setState("idle");
      onSupplier(found);
    } else {
      setState("unknown");
      onSupplier(null);
    }
  }

  async function register() {
    if (name.trim() === "") {
      setNameError(t("contractErrors.supplierName"));
      return;
    }
    setNameError(undefined);
    setState("registering");
    const outcome = await settle(api.POST("/suppliers", { body: { cvr: normaliseCvr(cvr), name: name.trim() } }));
    if (outcome.ok) {
      setState("idle");
      setRegistered(t("contractForm.supplierRegistered", { name: outcome.data.name, cvr: outcome.data.cvr }));
      onSupplier(outcome.data);
      onError("supplier_id", undefined);
    } else {
      setState("unknown");
      const byField = contractFieldErrors(outcome.problem);
      if (byField.cvr) onError("supplier_id", byField.cvr);
      else setNameError(byField.name ?? failureMessage(outcome));
    }
  }

  return (
    <div className="supplier-picker">
      <div className="supplier-lookup">
        <Combobox<Supplier>
          id="contract-cvr"
          label={`${t("contractForm.supplierSearch")} ${t("contractForm.required")}`}
          hint={t("contractForm.supplierSearchHint")}
          value={cvr}
          inputClassName="input-width-l"
          onChange={(value) => {
            setCvr(value);
            setRegistered(null);
            if (supplier && normaliseCvr(value) !== supplier.cvr) onSupplier(null);
            if (state === "unknown") setState("idle");
          }}
          suggest={async (q, signal) => {
            const outcome = await settle(api.GET("/suppliers", { params: { query: { q, limit: 10 } }, signal }));
            return outcome.ok
              ? outcome.data.items.map((s): Suggestion<Supplier> => ({
                  key: s.id,
                  label: s.name,
                  detail: t("contractForm.cvrDetail", { cvr: s.cvr }),
                  value: s,
                }))
              : [];
          }}
          onPick={(item) => {
            pick(item.value);
          }}
          countText={(count) => (count === 1 ? t("contractForm.suggestionOne") : t("contractForm.suggestions", { count }))}
          minLength={2}
          error={error}
        />
        <div className="form-group supplier-lookup-button">
          <button
            type="button"
            className="button button-secondary"
            disabled={state === "searching"}
            onClick={() => void lookup()}
          >
            {state === "searching" ? t("contractForm.findingSupplier") : t("contractForm.findSupplier")}
          </button>
        </div>
      </div>
      <div role="status" className="supplier-status">
        {registered ? (
          <p className="supplier-found">{registered}</p>
        ) : supplier ? (
          <p className="supplier-found">{t("contractForm.supplierFound", { name: supplier.name, cvr: supplier.cvr })}</p>
        ) : state === "unknown" || state === "registering" ? (
          <p>{t("contractForm.supplierUnknown", { cvr: normaliseCvr(cvr) })}</p>
        ) : null}
      </div>
      {state === "unknown" || state === "registering" ? (
        <div className="supplier-register">
          <TextField
            id="contract-supplier_name"
            label={t("contractForm.supplierName")}
            value={name}
            onChange={setName}
            error={nameError}
            inputClassName="input-width-xl"
          />
          <button
            type="button"
            className="button button-secondary"
            disabled={state === "registering"}
            onClick={() => void register()}
          >
            {state === "registering" ? t("form.saving") : t("contractForm.registerSupplier")}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function ContractFormBody({ current, onReload }: { current: VersionedContract | null; onReload?: () => void }) {
  const navigate = useNavigate();
  const options = useOptions();
  const systems = useSystems();
  const own = useOwnContracts(true);
  const [initial] = useState(() => ({ values: initialValues(current?.contract ?? null), cvr: current?.contract.supplier.cvr ?? "" }));
  const [values, setValues] = useState<Values>(initial.values);
  const [supplier, setSupplier] = useState<Supplier | null>(current?.contract.supplier ?? null);
  const [cvr, setCvr] = useState(initial.cvr);
  const [templateChoice, setTemplateChoice] = useState<TemplateChoice | null>(() => {
    const used = current?.contract.template;
    return used
      ? {
          template_id: used.template_id,
          version_number: used.version_number,
          content: null,
          form: null,
          initial: { values: used.values, deviations: used.deviations },
        }
      : null;
  });
  const [templateTouched, setTemplateTouched] = useState(false);
  const [templateErrors, setTemplateErrors] = useState<Record<string, string>>({});
  const onTemplateChange = useCallback((choice: TemplateChoice | null, byUser: boolean) => {
    setTemplateChoice(choice);
    if (byUser) setTemplateTouched(true);
  }, []);
  const guard = useUnsavedChangesGuard(isChanged({ values, cvr }, initial) || templateTouched);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const editing = current !== null;

  useEffect(() => {
    if (attempt > 0) (stale ? staleRef : summaryRef).current?.focus();
  }, [attempt, stale]);

  function set(key: TextKey) {
    return (value: string) => {
      setValues((v) => ({ ...v, [key]: value }));
    };
  }

  function setError(field: string, message: string | undefined) {
    setErrors((e) => ({ ...e, [field]: message }));
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    setStale(false);
    const read = toInput(values, supplier);
    const local: Errors = "errors" in read ? { ...read.errors } : {};
    // The template section: a published version read, its values and deviations checked.
    let template: ContractTemplateInput | undefined;
    const localTemplate: Record<string, string> = {};
    if (templateChoice) {
      const { content, form, version_number } = templateChoice;
      if (version_number === null || content === null || form === null) {
        localTemplate["template-use-version"] = t("templates.use.versionRequired");
      } else {
        const use = readUseForm(content, form);
        if (use.errors) Object.assign(localTemplate, use.errors);
        else template = { template_id: templateChoice.template_id, version_number, values: use.use.values, deviations: use.use.deviations };
      }
    }
    setTemplateErrors(localTemplate);
    if (!supplier) {
      local.supplier_id =
        checkCvr(cvr) === "empty" ? t("contractErrors.supplierRequired") : (cvrError(cvr) ?? t("contractForm.supplierLookupFirst"));
    }
    if (Object.values(local).some(Boolean) || "errors" in read || Object.keys(localTemplate).length > 0) {
      setErrors(local);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = current
      ? await settle(
          api.PUT("/contracts/{id}", {
            params: { path: { id: current.contract.id }, header: { "If-Match": current.etag } },
            body: { ...read.body, template },
          }),
        )
      : await settle(api.POST("/contracts", { body: { ...read.body, template } }));
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      void navigate(`/kontrakter/${outcome.data.id}`, {
        state: { notice: t(editing ? "contract.saved" : "contract.created") },
      });
      return;
    }
    if (outcome.status === 412 || outcome.status === 428) {
      setStale(true);
      setErrors({});
      setAttempt((n) => n + 1);
      return;
    }
    setTemplateErrors(templateErrorsByField(outcome.problem?.errors ?? [], template?.deviations ?? []));
    const byField = Object.fromEntries(
      Object.entries(contractFieldErrors(outcome.problem)).filter(([field]) => !field.startsWith("template")),
    );
    const known: Errors = {};
    const other: string[] = [];
    for (const [field, message] of Object.entries(byField)) {
      if (ORDER.includes(field)) known[field] = message;
      else other.push(message);
    }
    setErrors(known);
    const templateRefused = (outcome.problem?.errors ?? []).some((e) => e.field.startsWith("template"));
    setFormError(
      (Object.keys(known).length === 0 && !templateRefused) || other.length > 0 ? (other[0] ?? failureMessage(outcome)) : null,
    );
    setAttempt((n) => n + 1);
  }

  const summary: SummaryItem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...ORDER.flatMap((field) => {
      const message = errors[field];
      const name = field === "supplier_name" ? t("contractForm.supplierName") : contractFieldLabel(field);
      return message ? [{ fieldId: inputId(field), label: name, message }] : [];
    }),
    ...Object.entries(templateErrors).map(([fieldId, message]) => ({
      fieldId,
      label: templateFieldLabel(templateChoice?.content ?? null, fieldId),
      message,
    })),
  ];
  const label = (field: string, required = false) =>
    required ? `${contractFieldLabel(field)} ${t("contractForm.required")}` : contractFieldLabel(field);
  const text = (field: TextKey, extra: { hint?: string; required?: boolean; className?: string } = {}) => (
    <InputField
      id={inputId(field)}
      label={label(field, extra.required)}
      hint={extra.hint}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
      inputClassName={extra.className ?? "input-width-xl"}
    />
  );
  const date = (field: TextKey, extra: { hint?: string; required?: boolean } = {}) => (
    <DateField
      id={inputId(field)}
      label={label(field, extra.required)}
      hint={extra.hint}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
    />
  );
  const number = (field: TextKey, hint: string) => (
    <InputField
      id={inputId(field)}
      label={label(field)}
      hint={hint}
      value={values[field]}
      inputMode="numeric"
      onChange={set(field)}
      error={errors[field]}
      inputClassName="input-width-xs"
    />
  );
  const select = (field: TextKey, list: OptionName, empty: string | null, hint?: string) => (
    <SelectField
      id={inputId(field)}
      label={label(field)}
      value={values[field]}
      onChange={set(field)}
      options={optionChoices(options, list, empty)}
      error={errors[field]}
      {...(hint ? { hint } : {})}
    />
  );
  const amount = (field: TextKey) => (
    <InputField
      id={inputId(field)}
      label={label(field)}
      hint={t("contractForm.amountHint")}
      value={values[field]}
      inputMode="decimal"
      onChange={set(field)}
      error={errors[field]}
      inputClassName="input-width-m"
    />
  );
  const parents = (own?.ok ? own.data : []).filter((c) => c.id !== current?.contract.id);

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="contract-form">
      {stale && current ? (
        <Alert variant="error" ref={staleRef}>
          <p>{t("contractForm.stale")}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={onReload}>
              {t("contractForm.reload")}
            </button>
          </p>
        </Alert>
      ) : null}
      <ErrorSummary ref={summaryRef} items={summary} />
      <p>{t("contractForm.intro")}</p>

      <div className="contract-form-sections">
        <fieldset className="contract-fieldset is-wide">
          <legend className="h2">{t("contractForm.basics")}</legend>
          <InputField
            id={inputId("title")}
            label={label("title", true)}
            value={values.title}
            onChange={set("title")}
            error={errors.title}
            inputClassName="input-width-xl"
            required
          />
          {text("reference", { className: "input-width-m" })}
          {select("contract_type", "contract_type", null)}
          <SelectField
            id={inputId("parent_id")}
            label={label("parent_id")}
            hint={t("contractForm.parentHint")}
            value={values.parent_id}
            onChange={set("parent_id")}
            options={[
              { value: "", label: t("contractForm.noParent") },
              ...parents.map((c) => ({ value: c.id, label: c.reference ? `${c.title} (${c.reference})` : c.title })),
            ]}
            error={errors.parent_id}
          />
          {select("status", "status", t("contractForm.statusDerived"), t("contractForm.statusHint"))}
          {select("criticality", "criticality", null)}
          <TextAreaField
            id={inputId("description")}
            label={label("description")}
            value={values.description}
            onChange={set("description")}
            error={errors.description}
          />
        </fieldset>

        <fieldset className="contract-fieldset">
          <legend className="h2">{t("contractForm.supplier")}</legend>
          <SupplierPicker
            cvr={cvr}
            setCvr={setCvr}
            supplier={supplier}
            onSupplier={(s) => {
              setSupplier(s);
              if (s) setError("supplier_id", undefined);
            }}
            error={errors.supplier_id}
            onError={setError}
          />
          {text("supplier_contact")}
        </fieldset>

        <fieldset className="contract-fieldset">
          <legend className="h2">{t("contractForm.economy")}</legend>
          {amount("annual_value")}
          {amount("total_value")}
          {select("payment_model", "payment_model", t("contractForm.chooseValue"))}
          {select("payment_frequency", "payment_frequency", t("contractForm.chooseValue"))}
          {text("price_regulation")}
        </fieldset>

        <fieldset className="contract-fieldset is-wide">
          <legend className="h2">{t("contractForm.systems")}</legend>
          {systems === null ? <Loading text={t("contractForm.loadingSystems")} /> : null}
          {systems && !systems.ok ? <Alert variant="error">{failureMessage(systems)}</Alert> : null}
          {systems?.ok && systems.data.length === 0 ? <p>{t("contractForm.noSystems")}</p> : null}
          {systems?.ok && systems.data.length > 0 ? (
            <CheckboxGroup
              id={inputId("system_ids")}
              legend={label("system_ids")}
              hint={t("contractForm.systemsHint")}
              error={errors.system_ids}
              options={systems.data.map((s) => ({ value: s.id, label: s.name }))}
              selected={values.system_ids}
              onChange={(ids) => {
                setValues((v) => ({ ...v, system_ids: ids }));
              }}
              className="checkbox-columns"
            />
          ) : null}
        </fieldset>

        <fieldset className="contract-fieldset is-wide">
          <legend className="h2">{t("contractForm.procurement")}</legend>
          {text("category", { className: "input-width-l" })}
          {text("cpv_code", { className: "input-width-m" })}
          <CheckboxGroup
            id={inputId("agreement_elements")}
            legend={label("agreement_elements")}
            hint={t("contractForm.agreementHint")}
            error={errors.agreement_elements}
            options={optionChoices(options, "agreement_element", null)}
            selected={values.agreement_elements}
            onChange={(elements) => {
              setValues((v) => ({ ...v, agreement_elements: elements }));
            }}
            className="checkbox-columns"
          />
          {select("procedure", "procedure", t("contractForm.chooseValue"))}
          {text("framework_agreement")}
          <div className={`form-group${errors.publishable ? " form-error" : ""}`}>
            {errors.publishable ? (
              <span className="form-error-message" id="contract-publishable-error">
                <span className="sr-only">{t("form.errorPrefix")} </span>
                {errors.publishable}
              </span>
            ) : null}
            <div className="form-group-checkbox">
              <input
                className="form-checkbox"
                type="checkbox"
                id={inputId("publishable")}
                checked={values.publishable}
                aria-describedby={errors.publishable ? "contract-publishable-hint contract-publishable-error" : "contract-publishable-hint"}
                onChange={(e) => {
                  const checked = e.target.checked;
                  setValues((v) => ({ ...v, publishable: checked }));
                }}
              />
              <label className="form-label" htmlFor={inputId("publishable")}>
                {label("publishable")}
              </label>
              <span className="form-hint" id="contract-publishable-hint">
                {t("contractForm.publishableHint")}
              </span>
            </div>
          </div>
        </fieldset>

        <fieldset className="contract-fieldset">
          <legend className="h2">{t("contractForm.dates")}</legend>
          {date("signed_on")}
          {date("start_on", { required: true })}
          {date("end_on", { hint: t("contractForm.endHint") })}
          {date("irrevocable_until")}
          {number("option_months", t("contractForm.monthsHint"))}
          {number("options_total", t("contractForm.countHint"))}
          {number("options_exercised", t("contractForm.countHint"))}
        </fieldset>

        <fieldset className="contract-fieldset">
          <legend className="h2">{t("contractForm.notice")}</legend>
          {number("notice_period_months", t("contractForm.monthsHint"))}
          {select("notice_to", "notice_to", null)}
          {date("terminated_on")}
          {number("retender_lead_months", t("contractForm.retenderHint"))}
        </fieldset>

        <fieldset className="contract-fieldset is-wide">
          <legend className="h2">{t("contractForm.responsibility")}</legend>
          <OwnerSelect
            id={inputId("owner_user_id")}
            label={t("ownership.contractOwner")}
            hint={t("ownership.contractOwnerHint")}
            noneLabel={t("ownership.noContractOwner")}
            value={values.owner_user_id}
            current={current?.contract.owner_user}
            onChange={set("owner_user_id")}
            error={errors.owner_user_id}
          />
          {text("system_owner")}
          {text("responsible_unit")}
          <TextAreaField id={inputId("notes")} label={label("notes")} value={values.notes} onChange={set("notes")} error={errors.notes} />
        </fieldset>

        <div className="contract-fieldset is-wide">
          <TemplateUseFields choice={templateChoice} onChange={onTemplateChange} errors={templateErrors} />
        </div>
      </div>

      {/* Stays in view at the bottom while the form scrolls; the page keeps room below focused fields. */}
      <div className="form-actions sticky-save-bar" role="group" aria-label={t("contractForm.actions")}>
        <SubmitButton busy={busy} label={editing ? t("contractForm.submitEdit") : t("contractForm.submitCreate")} />
        <Link to={current ? `/kontrakter/${current.contract.id}` : "/kontrakter"} className="button button-secondary">
          {t("contractForm.cancel")}
        </Link>
      </div>
    </form>
  );
}

export function CreateContractPage() {
  return (
    <>
      <PageHeading title={t("contractForm.createTitle")} />
      <ContractFormBody current={null} />
    </>
  );
}

export function EditContractPage() {
  const { id = "" } = useParams();
  const [reload, setReload] = useState(0);
  const outcome = useVersionedContract(id, reload);

  if (outcome === null) return <Loading text={t("contractForm.loading")} />;
  if (!outcome.ok) {
    return (
      <>
        <PageHeading title={t("contractForm.createTitle")} />
        <Alert variant="error">{outcome.status === 404 ? t("contract.notFound") : failureMessage(outcome)}</Alert>
        <p>
          <Link to="/kontrakter">{t("contract.back")}</Link>
        </p>
      </>
    );
  }
  const { contract } = outcome.data;
  if (contract.shared) {
    return (
      <>
        <PageHeading title={t("contractForm.forbiddenTitle")} />
        <p>{t("contractForm.sharedReadOnly", { municipality: contract.owner.name })}</p>
        <p>
          <Link to={`/kontrakter/${contract.id}`}>{contract.title}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading title={t("contractForm.editTitle", { title: contract.title })} />
      <ContractFormBody
        key={outcome.data.etag}
        current={outcome.data}
        onReload={() => {
          setReload((n) => n + 1);
        }}
      />
    </>
  );
}
