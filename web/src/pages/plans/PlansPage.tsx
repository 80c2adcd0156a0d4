// Udbudsplaner: the tender plans the municipality can see (its own and
// those of the collaborations it is a member of) and, for editors and
// administrators, a form to create one for the municipality or for a
// collaboration.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { DateField, SelectField, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { formatDate, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import { TextAreaField, useCanWrite } from "../contracts/parts";
import { useCollaborations } from "../contracts/useContracts";
import { planFieldErrors, planFieldLabel } from "./errors";
import { usePlanList } from "./usePlans";

const FIELDS = ["name", "period_start", "period_end", "collaboration_id", "description"] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;
const EMPTY: Values = { name: "", period_start: "", period_end: "", collaboration_id: "", description: "" };

function CreatePlanForm() {
  const navigate = useNavigate();
  const collaborations = useCollaborations();
  const [values, setValues] = useState<Values>(EMPTY);
  const guard = useUnsavedChangesGuard(isChanged(values, EMPTY));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const set = (field: Field) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
  };

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const local: Record<string, string> = {};
    const start = parseDanishDate(values.period_start);
    const end = parseDanishDate(values.period_end);
    if (values.name.trim() === "") local.name = t("planForm.nameRequired");
    if (start === "") local.period_start = t("planForm.startRequired");
    else if (start === null) local.period_start = t("form.dateInvalid");
    if (end === "") local.period_end = t("planForm.endRequired");
    else if (end === null) local.period_end = t("form.dateInvalid");
    if (start && end && end < start) local.period_end = t("planForm.endBeforeStart");
    if (Object.keys(local).length > 0 || !start || !end) {
      setErrors(local);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.POST("/tender-plans", {
        body: {
          name: values.name.trim(),
          period_start: start,
          period_end: end,
          ...(values.description.trim() ? { description: values.description.trim() } : {}),
          ...(values.collaboration_id ? { collaboration_id: values.collaboration_id } : {}),
        },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      void navigate(`/udbudsplaner/${outcome.data.id}`, { state: { notice: t("plan.created") } });
      return;
    }
    const byField = planFieldErrors(outcome.problem);
    const known = Object.fromEntries(Object.entries(byField).filter(([f]) => (FIELDS as readonly string[]).includes(f)));
    setErrors(known);
    if (Object.keys(known).length === 0) setFormError(failureMessage(outcome));
    setAttempt((n) => n + 1);
  }

  const summary: SummaryItem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...FIELDS.flatMap((f) => {
      const message = errors[f];
      return message ? [{ fieldId: `plan-${f}`, label: planFieldLabel(f), message }] : [];
    }),
  ];
  const own = collaborations?.ok ? collaborations.data : [];

  return (
    <section aria-labelledby="create-plan-heading" className="create-plan">
      <h2 id="create-plan-heading">{t("plans.createHeading")}</h2>
      <form noValidate onSubmit={(e) => void onSubmit(e)}>
        <ErrorSummary ref={summaryRef} items={summary} />
        <TextField
          id="plan-name"
          label={`${planFieldLabel("name")} ${t("contractForm.required")}`}
          value={values.name}
          onChange={set("name")}
          error={errors.name}
          hint={t("planForm.nameHint")}
          inputClassName="input-width-xl"
        />
        <DateField
          id="plan-period_start"
          label={`${planFieldLabel("period_start")} ${t("contractForm.required")}`}
          value={values.period_start}
          onChange={set("period_start")}
          error={errors.period_start}
        />
        <DateField
          id="plan-period_end"
          label={`${planFieldLabel("period_end")} ${t("contractForm.required")}`}
          value={values.period_end}
          onChange={set("period_end")}
          error={errors.period_end}
        />
        <SelectField
          id="plan-collaboration_id"
          label={planFieldLabel("collaboration_id")}
          hint={t("planForm.ownerHint")}
          value={values.collaboration_id}
          onChange={set("collaboration_id")}
          error={errors.collaboration_id}
          options={[
            { value: "", label: t("planForm.ownerMunicipality") },
            ...own.map((c) => ({ value: c.id, label: c.name })),
          ]}
        />
        <TextAreaField
          id="plan-description"
          label={planFieldLabel("description")}
          value={values.description}
          onChange={set("description")}
          error={errors.description}
        />
        <div className="form-actions">
          <SubmitButton busy={busy} label={t("plans.create")} />
        </div>
      </form>
    </section>
  );
}

export function PlansPage() {
  const canWrite = useCanWrite();
  const plans = usePlanList(0);
  return (
    <>
      <PageHeading title={t("plans.title")} />
      <p className="font-lead">{t("plans.intro")}</p>
      {plans === null ? <Loading text={t("plans.loading")} /> : null}
      {plans && !plans.ok ? <Alert variant="error">{failureMessage(plans)}</Alert> : null}
      {plans?.ok && plans.data.length === 0 ? (
        <Alert variant="info">{canWrite ? t("plans.emptyEditor") : t("plans.empty")}</Alert>
      ) : null}
      {plans?.ok && plans.data.length > 0 ? (
        <table className="table table--zebra table-md-responsive-headers plans-table">
          <caption>{t("plans.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plans.colName")}</th>
              <th scope="col">{t("plans.colOwner")}</th>
              <th scope="col">{t("plans.colPeriod")}</th>
              <th scope="col">{t("plans.colTenders")}</th>
            </tr>
          </thead>
          <tbody>
            {plans.data.map((plan) => (
              <tr key={plan.id}>
                <th scope="row" data-title={t("plans.colName")}>
                  <Link to={`/udbudsplaner/${plan.id}`}>{plan.name}</Link>
                </th>
                <td data-title={t("plans.colOwner")}>
                  {plan.owner.name}
                  <span className="text-muted">
                    {" "}
                    ({plan.owner.kind === "collaboration" ? t("plans.ownerCollaboration") : t("plans.ownerMunicipality")})
                  </span>
                </td>
                <td className="nowrap" data-title={t("plans.colPeriod")}>
                  {formatDate(plan.period_start)}–{formatDate(plan.period_end)}
                </td>
                <td data-title={t("plans.colTenders")}>{plan.tender_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canWrite ? <CreatePlanForm /> : null}
    </>
  );
}
