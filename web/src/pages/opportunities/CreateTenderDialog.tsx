// "Opret planlagt udbud" from an opportunity: choose one of the
// collaboration's tender plans the municipality may edit, optionally change
// the subject, and the server builds the planned tender from the group as
// it finds it now (every municipality invited, pending).

import { useState, type SubmitEvent } from "react";
import { Link, useNavigate } from "react-router";
import { failureMessage } from "../../api/problem";
import type { OpportunityGroup } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SelectField, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";
import { usePlanList } from "../plans/usePlans";
import { tenderPath, type Level } from "./model";
import { createTenderFromOpportunity } from "./useOpportunities";

export function CreateTenderDialog({
  group,
  collaborationId,
  level,
  windowMonths,
  from,
  onClose,
  onGone,
}: {
  group: OpportunityGroup;
  collaborationId: string;
  level: Level;
  windowMonths: number;
  from: string;
  onClose: () => void;
  /** The group no longer exists as shown: the dialog is done and the list should be read again. */
  onGone: () => void;
}) {
  const navigate = useNavigate();
  const plans = usePlanList(0);
  const writable = plans?.ok
    ? plans.data.filter((p) => p.editable && p.owner.kind === "collaboration" && p.owner.id === collaborationId)
    : [];
  const [chosen, setChosen] = useState("");
  const planId = chosen || (writable.length === 1 ? (writable[0]?.id ?? "") : "");
  const [subject, setSubject] = useState("");
  const [planError, setPlanError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!planId) {
      setPlanError(t("opportunityCreate.planRequired"));
      return;
    }
    setPlanError(undefined);
    setBusy(true);
    const outcome = await createTenderFromOpportunity({
      collaborationId,
      groupKey: group.key,
      level,
      windowMonths,
      from,
      planId,
      subject,
    });
    setBusy(false);
    if (outcome.ok) {
      void navigate(tenderPath(planId, outcome.data.id), { state: { notice: t("opportunityCreate.created") } });
      return;
    }
    if (outcome.status === 409) {
      onGone();
      return;
    }
    const fieldError = outcome.problem?.errors?.find((e) => e.field === "subject" || e.field === "plan_id");
    setFormError(fieldError ? fieldError.message : failureMessage(outcome));
  }

  return (
    <Dialog title={t("opportunityCreate.title")} onClose={onClose}>
      <p className="font-lead">{group.label}</p>
      <p>{t("opportunityCreate.intro")}</p>
      {plans === null ? <Loading text={t("opportunityCreate.loadingPlans")} /> : null}
      {plans && !plans.ok ? <Alert variant="error">{failureMessage(plans)}</Alert> : null}
      {plans?.ok && writable.length === 0 ? (
        <>
          <Alert variant="info">{t("opportunityCreate.noPlans")}</Alert>
          <p>
            <Link to="/udbudsplaner">{t("opportunityCreate.plansLink")}</Link>
          </p>
        </>
      ) : null}
      {plans?.ok && writable.length > 0 ? (
        <form noValidate onSubmit={(e) => void onSubmit(e)}>
          {formError ? <Alert variant="error">{formError}</Alert> : null}
          <SelectField
            id="opportunity-plan"
            label={t("opportunityCreate.plan")}
            hint={t("opportunityCreate.planHint")}
            value={planId}
            onChange={setChosen}
            error={planError}
            options={[
              ...(writable.length > 1 ? [{ value: "", label: t("opportunityCreate.choosePlan") }] : []),
              ...writable.map((p) => ({ value: p.id, label: p.name })),
            ]}
          />
          <TextField
            id="opportunity-subject"
            label={t("opportunityCreate.subject")}
            hint={t("opportunityCreate.subjectHint")}
            value={subject}
            onChange={setSubject}
            inputClassName="input-width-xl"
          />
          <div className="form-actions">
            <SubmitButton busy={busy} label={t("opportunityCreate.submit")} />
            <button type="button" className="button button-secondary" onClick={onClose}>
              {t("form.cancel")}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
