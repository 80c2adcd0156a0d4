// Creating and editing a planned tender: subject, CPV code (picked by code
// or Danish text), procedure, the threshold column it falls under, the
// lead municipality, status, term and options, joining and evaluation, and
// the six milestones with their dates. Editing sends the ETag of the read
// in If-Match; a 412 says someone else changed it. Leaving with unsaved
// changes asks first.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { PlannedTender, PlannedTenderInput, TenderPlan } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { DateField, SelectField, SubmitButton } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { dateFieldText, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import { useCollaboration } from "../collaborations/useCollaborations";
import { InputField, TextAreaField } from "../contracts/parts";
import { useOptions } from "../contracts/useContracts";
import type { CpvOption } from "./cpv";
import { CpvPicker } from "./CpvPicker";
import { planFieldErrors, planFieldLabel } from "./errors";
import { MILESTONE_KINDS, milestoneLabel, statusChoices } from "./model";
import { searchCpv, usePlan, usePlannedTender, type VersionedTender } from "./usePlans";

const TEXTS = [
  "subject",
  "description",
  "category",
  "procedure",
  "framework_agreement",
  "contract_kind",
  "lead_tenant_id",
  "status",
  "term_months",
  "option_months",
  "evaluation_days",
] as const;
type TextKey = (typeof TEXTS)[number];
type MilestoneKind = (typeof MILESTONE_KINDS)[number];
const WHOLE = ["term_months", "option_months", "evaluation_days"] as const;

interface Values {
  text: Record<TextKey, string>;
  cpv: CpvOption | null;
  allows_late_joining: boolean;
  milestones: Record<MilestoneKind, { date: string; done: boolean }>;
}

/** Input ids in page order, for the error summary. */
const ORDER = [
  "subject",
  "cpv_code",
  "category",
  "description",
  "procedure",
  "framework_agreement",
  "contract_kind",
  "lead_tenant_id",
  "status",
  "term_months",
  "option_months",
  "allows_late_joining",
  "evaluation_days",
  ...MILESTONE_KINDS.map((k) => `milestones.${k}`),
  "milestones",
];

function inputId(field: string): string {
  return `tender-${field.replace(/\./g, "-")}`;
}

function initialValues(tender: PlannedTender | null, lead: string): Values {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  const milestones = Object.fromEntries(
    MILESTONE_KINDS.map((kind) => {
      const m = tender?.milestones.find((x) => x.kind === kind);
      return [kind, { date: dateFieldText(m?.date), done: m?.done ?? false }];
    }),
  ) as Values["milestones"];
  return {
    text: {
      subject: text(tender?.subject),
      description: text(tender?.description),
      category: text(tender?.category),
      procedure: tender?.procedure ?? "open",
      framework_agreement: text(tender?.framework_agreement),
      contract_kind: tender?.contract_kind ?? "supplies_services",
      lead_tenant_id: tender?.lead_tenant.id ?? lead,
      status: tender?.status ?? "idea",
      term_months: tender ? text(tender.term_months) : "48",
      option_months: tender ? text(tender.option_months) : "0",
      evaluation_days: tender ? text(tender.evaluation_days) : "30",
    },
    cpv: tender?.cpv ? { code: tender.cpv.code, label: tender.cpv.label ?? "" } : null,
    allows_late_joining: tender?.allows_late_joining ?? false,
    milestones,
  };
}

type Errors = Partial<Record<string, string>>;

function toInput(values: Values): { body: PlannedTenderInput } | { errors: Errors } {
  const errors: Errors = {};
  const body: Record<string, unknown> = {};
  for (const key of TEXTS) {
    const value = values.text[key].trim();
    if (value === "" || (WHOLE as readonly string[]).includes(key)) continue;
    body[key] = value;
  }
  for (const key of WHOLE) {
    const value = values.text[key].trim();
    if (!/^\d{1,4}$/.test(value)) errors[key] = value === "" ? t("tenderForm.wholeRequired") : t("contractErrors.whole");
    else body[key] = Number(value);
  }
  if (values.text.subject.trim() === "") errors.subject = t("tenderForm.subjectRequired");
  if (values.cpv) body.cpv_code = values.cpv.code;
  body.allows_late_joining = values.allows_late_joining;
  const milestones: { kind: MilestoneKind; date: string; done: boolean }[] = [];
  for (const kind of MILESTONE_KINDS) {
    const m = values.milestones[kind];
    const parsed = parseDanishDate(m.date);
    if (parsed === null) errors[`milestones.${kind}`] = t("form.dateInvalid");
    else if (parsed !== "") milestones.push({ kind, date: parsed, done: m.done });
  }
  body.milestones = milestones;
  return Object.keys(errors).length > 0 ? { errors } : { body: body as unknown as PlannedTenderInput };
}

function TenderFormBody({ plan, current, onReload }: { plan: TenderPlan; current: VersionedTender | null; onReload?: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const options = useOptions();
  const collaboration = useCollaboration(plan.owner.kind === "collaboration" ? plan.owner.id : "", 0).current;
  const [initial] = useState(() => initialValues(current?.tender ?? null, me.tenant?.id ?? ""));
  const [values, setValues] = useState<Values>(initial);
  const guard = useUnsavedChangesGuard(isChanged(values, initial));
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

  const set = (key: TextKey) => (value: string) => {
    setValues((v) => ({ ...v, text: { ...v.text, [key]: value } }));
  };
  const setMilestone = (kind: MilestoneKind, change: Partial<{ date: string; done: boolean }>) => {
    setValues((v) => ({ ...v, milestones: { ...v.milestones, [kind]: { ...v.milestones[kind], ...change } } }));
  };

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    setStale(false);
    const read = toInput(values);
    if ("errors" in read) {
      setErrors(read.errors);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = current
      ? await settle(
          api.PUT("/tender-plans/{id}/tenders/{tender_id}", {
            params: { path: { id: plan.id, tender_id: current.tender.id }, header: { "If-Match": current.etag } },
            body: read.body,
          }),
        )
      : await settle(api.POST("/tender-plans/{id}/tenders", { params: { path: { id: plan.id } }, body: read.body }));
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      void navigate(`/udbudsplaner/${plan.id}/udbud/${outcome.data.id}`, {
        state: { notice: t(editing ? "tenderForm.saved" : "tenderForm.created") },
      });
      return;
    }
    if (outcome.status === 412 || outcome.status === 428) {
      setStale(true);
      setErrors({});
      setAttempt((n) => n + 1);
      return;
    }
    const byField = planFieldErrors(outcome.problem);
    const known: Errors = {};
    const other: string[] = [];
    for (const [field, message] of Object.entries(byField)) {
      // Milestone errors may name the list entry ("milestones[2].date"); they belong to the list.
      const key = field === "cpv" ? "cpv_code" : field.startsWith("milestones") && !ORDER.includes(field) ? "milestones" : field;
      if (ORDER.includes(key)) known[key] ??= message;
      else other.push(message);
    }
    setErrors(known);
    setFormError(Object.keys(known).length === 0 || other.length > 0 ? (other[0] ?? failureMessage(outcome)) : null);
    setAttempt((n) => n + 1);
  }

  const label = (field: string, required = false) =>
    required ? `${planFieldLabel(field)} ${t("contractForm.required")}` : planFieldLabel(field);
  const summary: SummaryItem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...ORDER.flatMap((field) => {
      const message = errors[field];
      if (!message) return [];
      const kind = field.startsWith("milestones.") ? field.slice("milestones.".length) : null;
      const fieldId = field === "milestones" ? inputId(`milestones.${MILESTONE_KINDS[0]}`) : inputId(field);
      return [{ fieldId, label: kind ? milestoneLabel(kind) : planFieldLabel(field), message }];
    }),
  ];
  const number = (field: (typeof WHOLE)[number], hint: string) => (
    <InputField
      id={inputId(field)}
      label={label(field, true)}
      hint={hint}
      value={values.text[field]}
      inputMode="numeric"
      onChange={set(field)}
      error={errors[field]}
      inputClassName="input-width-xs"
    />
  );
  const leads =
    plan.owner.kind === "collaboration"
      ? collaboration?.ok
        ? collaboration.data.collaboration.members
            .filter((m) => m.status === "active")
            .map((m) => ({ value: m.tenant_id, label: m.tenant_name }))
        : []
      : [{ value: me.tenant?.id ?? "", label: me.tenant?.name ?? "" }];

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="contract-form tender-form">
      {stale && current ? (
        <Alert variant="error" ref={staleRef}>
          <p>{t("tenderForm.stale")}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={onReload}>
              {t("contractForm.reload")}
            </button>
          </p>
        </Alert>
      ) : null}
      <ErrorSummary ref={summaryRef} items={summary} />
      <fieldset className="contract-fieldset">
        <legend className="h2">{t("tenderForm.basics")}</legend>
        <InputField
          id={inputId("subject")}
          label={label("subject", true)}
          hint={t("tenderForm.subjectHint")}
          value={values.text.subject}
          onChange={set("subject")}
          error={errors.subject}
          inputClassName="input-width-xl"
        />
        <CpvPicker
          id={inputId("cpv_code")}
          label={label("cpv_code")}
          value={values.cpv}
          onChange={(cpv) => {
            setValues((v) => ({ ...v, cpv }));
          }}
          error={errors.cpv_code}
          search={searchCpv}
        />
        <InputField
          id={inputId("category")}
          label={label("category")}
          value={values.text.category}
          onChange={set("category")}
          error={errors.category}
          inputClassName="input-width-l"
        />
        <TextAreaField
          id={inputId("description")}
          label={label("description")}
          value={values.text.description}
          onChange={set("description")}
          error={errors.description}
        />
        <SelectField
          id={inputId("lead_tenant_id")}
          label={label("lead_tenant_id", true)}
          hint={t("tenderForm.leadHint")}
          value={values.text.lead_tenant_id}
          onChange={set("lead_tenant_id")}
          error={errors.lead_tenant_id}
          options={[{ value: "", label: t("tenderForm.chooseLead") }, ...leads]}
        />
        <SelectField
          id={inputId("status")}
          label={label("status", true)}
          value={values.text.status}
          onChange={set("status")}
          error={errors.status}
          options={statusChoices().map((s) => ({ value: s.code, label: s.label }))}
        />
      </fieldset>
      <fieldset className="contract-fieldset">
        <legend className="h2">{t("tenderForm.procurement")}</legend>
        <SelectField
          id={inputId("procedure")}
          label={label("procedure", true)}
          value={values.text.procedure}
          onChange={set("procedure")}
          error={errors.procedure}
          options={options.values("procedure").map((o) => ({ value: o.code, label: o.label }))}
        />
        <InputField
          id={inputId("framework_agreement")}
          label={label("framework_agreement")}
          hint={t("tenderForm.frameworkHint")}
          value={values.text.framework_agreement}
          onChange={set("framework_agreement")}
          error={errors.framework_agreement}
          inputClassName="input-width-l"
        />
        <SelectField
          id={inputId("contract_kind")}
          label={label("contract_kind", true)}
          hint={t("tenderForm.kindHint")}
          value={values.text.contract_kind}
          onChange={set("contract_kind")}
          error={errors.contract_kind}
          options={(["supplies_services", "works", "light_regime"] as const).map((k) => ({
            value: k,
            label: t(`contractKind.${k}`),
          }))}
        />
        {number("term_months", t("tenderForm.termHint"))}
        {number("option_months", t("tenderForm.optionHint"))}
        {number("evaluation_days", t("tenderForm.evaluationHint"))}
        <div className={`form-group${errors.allows_late_joining ? " form-error" : ""}`}>
          <div className="form-group-checkbox">
            <input
              className="form-checkbox"
              type="checkbox"
              id={inputId("allows_late_joining")}
              checked={values.allows_late_joining}
              onChange={(e) => {
                setValues((v) => ({ ...v, allows_late_joining: e.target.checked }));
              }}
            />
            <label className="form-label" htmlFor={inputId("allows_late_joining")}>
              {t("tenderForm.lateJoining")}
            </label>
          </div>
        </div>
      </fieldset>
      <fieldset className="contract-fieldset">
        <legend className="h2">{t("tenderForm.milestones")}</legend>
        <p className="form-hint">{t("tenderForm.milestonesHint")}</p>
        {errors.milestones ? <Alert variant="error">{errors.milestones}</Alert> : null}
        {MILESTONE_KINDS.map((kind) => (
          <div key={kind} className="tender-milestone-field">
            <DateField
              id={inputId(`milestones.${kind}`)}
              label={milestoneLabel(kind)}
              value={values.milestones[kind].date}
              onChange={(date) => {
                setMilestone(kind, { date });
              }}
              error={errors[`milestones.${kind}`]}
            />
            <div className="form-group-checkbox">
              <input
                className="form-checkbox"
                type="checkbox"
                id={`${inputId(`milestones.${kind}`)}-done`}
                checked={values.milestones[kind].done}
                onChange={(e) => {
                  setMilestone(kind, { done: e.target.checked });
                }}
              />
              <label className="form-label" htmlFor={`${inputId(`milestones.${kind}`)}-done`}>
                {t("tenderForm.milestoneDone", { label: milestoneLabel(kind).toLowerCase() })}
              </label>
            </div>
          </div>
        ))}
      </fieldset>
      <div className="form-actions">
        <SubmitButton busy={busy} label={editing ? t("tenderForm.submitEdit") : t("tenderForm.submitCreate")} />
        <Link
          to={current ? `/udbudsplaner/${plan.id}/udbud/${current.tender.id}` : `/udbudsplaner/${plan.id}`}
          className="button button-secondary"
        >
          {t("contractForm.cancel")}
        </Link>
      </div>
    </form>
  );
}

function PlanMissing({ status, failure }: { status: number; failure: string }) {
  return (
    <>
      <PageHeading title={t("plans.title")} />
      <Alert variant="error">{status === 404 ? t("plan.notFound") : failure}</Alert>
      <p>
        <Link to="/udbudsplaner">{t("plan.back")}</Link>
      </p>
    </>
  );
}

function NotEditable({ plan }: { plan: TenderPlan }) {
  return (
    <>
      <PageHeading title={t("contractForm.forbiddenTitle")} />
      <p>{t("tenderForm.notEditable", { owner: plan.owner.name })}</p>
      <p>
        <Link to={`/udbudsplaner/${plan.id}`}>{plan.name}</Link>
      </p>
    </>
  );
}

export function CreateTenderPage() {
  const { planId = "" } = useParams();
  const plan = usePlan(planId, 0);
  if (plan === null) return <Loading text={t("plan.loading")} />;
  if (!plan.ok) return <PlanMissing status={plan.status} failure={failureMessage(plan)} />;
  if (!plan.data.plan.editable) return <NotEditable plan={plan.data.plan} />;
  return (
    <>
      <PageHeading title={t("tenderForm.createTitle", { plan: plan.data.plan.name })} />
      <TenderFormBody plan={plan.data.plan} current={null} />
    </>
  );
}

export function EditTenderPage() {
  const { planId = "", tenderId = "" } = useParams();
  const [reload, setReload] = useState(0);
  const plan = usePlan(planId, 0);
  const tender = usePlannedTender(planId, tenderId, reload);
  if (plan === null || tender === null) return <Loading text={t("tender.loading")} />;
  if (!plan.ok) return <PlanMissing status={plan.status} failure={failureMessage(plan)} />;
  if (!tender.ok) return <PlanMissing status={tender.status} failure={failureMessage(tender)} />;
  if (!plan.data.plan.editable) return <NotEditable plan={plan.data.plan} />;
  return (
    <>
      <PageHeading title={t("tenderForm.editTitle", { subject: tender.data.tender.subject })} />
      <TenderFormBody
        key={tender.data.etag}
        plan={plan.data.plan}
        current={tender.data}
        onReload={() => {
          setReload((n) => n + 1);
        }}
      />
    </>
  );
}
