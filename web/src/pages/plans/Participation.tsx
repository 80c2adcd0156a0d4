// The municipality's own part in a planned tender, for its editors and
// administrators only: state the estimated value over the whole term
// with options, pick the contracts of its own the tender replaces, and
// confirm, decline or withdraw (declining and withdrawing say why). A
// municipality is never obliged to join, but once confirmed it is bound.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Participant, TenderPlan } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SubmitButton } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { formatAmount, formatDate } from "../../format";
import { t } from "../../i18n";
import { parseDanishAmount, toDanishAmount } from "../contracts/money";
import { CheckboxGroup, InputField, TextAreaField } from "../contracts/parts";
import { useOwnContracts } from "../contracts/useContracts";
import { planFieldErrors } from "./errors";
import { participantStateLabel } from "./model";
import type { VersionedTender } from "./usePlans";

type Answer = "confirm" | "decline" | "withdraw";

interface Values {
  estimated_value: string;
  replaced_contract_ids: string[];
}

function ReasonDialog({
  answer,
  onClose,
  onSend,
}: {
  answer: "decline" | "withdraw";
  onClose: () => void;
  onSend: (reason: string) => Promise<string | null>;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={answer === "decline" ? t("participation.declineTitle") : t("participation.withdrawTitle")} onClose={onClose}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() === "") {
            setError(t("participation.reasonRequired"));
            return;
          }
          setBusy(true);
          void onSend(reason.trim()).then((failure) => {
            setBusy(false);
            if (failure) setError(failure);
          });
        }}
      >
        <p>{answer === "decline" ? t("participation.declineText") : t("participation.withdrawText")}</p>
        <TextAreaField
          id="participation-reason"
          label={t("participation.reason")}
          value={reason}
          onChange={setReason}
          error={error}
          rows={3}
        />
        <div className="form-actions">
          <SubmitButton
            busy={busy}
            className="button button-warning"
            label={answer === "decline" ? t("participation.decline") : t("participation.withdraw")}
          />
          <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
            {t("participation.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function OwnParticipation({
  plan,
  current,
  participant,
  onChanged,
}: {
  plan: TenderPlan;
  current: VersionedTender;
  participant: Participant;
  onChanged: (notice: string) => void;
}) {
  const { tender } = current;
  const own = useOwnContracts(true);
  const [initial] = useState<Values>(() => ({
    estimated_value: toDanishAmount(participant.estimated_value),
    replaced_contract_ids: participant.replaced_contracts.map((c) => c.id),
  }));
  const [values, setValues] = useState<Values>(initial);
  const guard = useUnsavedChangesGuard(isChanged(values, initial));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [asking, setAsking] = useState<"decline" | "withdraw" | null>(null);
  const [answerError, setAnswerError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const path = { id: plan.id, tender_id: tender.id, tenant_id: participant.tenant.id };
  // The participant's own part has its own version; a change quotes it.
  const header = { "If-Match": `"${String(participant.version)}"` };

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const amount = parseDanishAmount(values.estimated_value);
    if (amount === null || amount === "") {
      setErrors({
        estimated_value: amount === null ? t("contractErrors.amount") : t("participation.valueRequired"),
      });
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.PUT("/tender-plans/{id}/tenders/{tender_id}/participants/{tenant_id}", {
        params: { path, header },
        body: { estimated_value: amount, replaced_contract_ids: values.replaced_contract_ids },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onChanged(t("participation.saved"));
      return;
    }
    const byField = planFieldErrors(outcome.problem);
    const known: Record<string, string> = {};
    for (const [field, message] of Object.entries(byField)) {
      if (field === "estimated_value" || field.startsWith("replaced_contract_ids")) {
        known[field.startsWith("replaced") ? "replaced_contract_ids" : field] = message;
      }
    }
    setErrors(known);
    if (Object.keys(known).length === 0) setFormError(failureMessage(outcome));
    setAttempt((n) => n + 1);
  }

  async function answer(kind: Answer, reason?: string): Promise<string | null> {
    const params = { params: { path, header } };
    const outcome = await settle(
      kind === "confirm"
        ? api.POST("/tender-plans/{id}/tenders/{tender_id}/participants/{tenant_id}/confirm", params)
        : kind === "decline"
          ? api.POST("/tender-plans/{id}/tenders/{tender_id}/participants/{tenant_id}/decline", {
              ...params,
              body: { reason: reason ?? "" },
            })
          : api.POST("/tender-plans/{id}/tenders/{tender_id}/participants/{tenant_id}/withdraw", {
              ...params,
              body: { reason: reason ?? "" },
            }),
    );
    if (!outcome.ok) return failureMessage(outcome);
    guard.release();
    setAsking(null);
    onChanged(
      kind === "confirm"
        ? t("participation.confirmed")
        : kind === "decline"
          ? t("participation.declined")
          : t("participation.withdrawn"),
    );
    return null;
  }

  const summary: SummaryItem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...(errors.estimated_value
      ? [{ fieldId: "participation-value", label: t("participation.value"), message: errors.estimated_value }]
      : []),
    ...(errors.replaced_contract_ids
      ? [{ fieldId: "participation-contracts", label: t("participation.contracts"), message: errors.replaced_contract_ids }]
      : []),
  ];
  const open = participant.state === "pending" || participant.state === "confirmed";
  const contracts = own?.ok ? own.data : [];

  return (
    <section aria-labelledby="own-part-heading" className="contract-section own-participation">
      <h2 id="own-part-heading">{t("participation.heading", { municipality: participant.tenant.name })}</h2>
      <p>
        {t("participation.state")}: <strong>{participantStateLabel(participant.state)}</strong>
        {participant.estimated_value ? ` – ${formatAmount(participant.estimated_value) ?? ""}` : ""}
      </p>
      {participant.state === "pending" ? <Alert variant="warning">{t("participation.pendingText")}</Alert> : null}
      {participant.state === "confirmed" ? <p>{t("participation.confirmedText")}</p> : null}
      {!open ? <p>{t("participation.closedText")}</p> : null}
      {open ? (
        <form noValidate onSubmit={(e) => void save(e)}>
          <ErrorSummary ref={summaryRef} items={summary} />
          <InputField
            id="participation-value"
            label={t("participation.value")}
            hint={t("participation.valueHint", { months: tender.term_months + tender.option_months })}
            value={values.estimated_value}
            inputMode="decimal"
            inputClassName="input-width-m"
            onChange={(estimated_value) => {
              setValues((v) => ({ ...v, estimated_value }));
            }}
            error={errors.estimated_value}
          />
          {own === null ? <Loading text={t("participation.loadingContracts")} /> : null}
          {own && !own.ok ? <Alert variant="error">{failureMessage(own)}</Alert> : null}
          {own?.ok && contracts.length === 0 ? <p>{t("participation.noContracts")}</p> : null}
          {contracts.length > 0 ? (
            <CheckboxGroup
              id="participation-contracts"
              legend={t("participation.contracts")}
              hint={t("participation.contractsHint")}
              error={errors.replaced_contract_ids}
              options={contracts.map((c) => ({
                value: c.id,
                label: c.latest_end
                  ? t("participation.contractOption", { title: c.title, date: formatDate(c.latest_end) ?? "" })
                  : c.title,
              }))}
              selected={values.replaced_contract_ids}
              onChange={(ids) => {
                setValues((v) => ({ ...v, replaced_contract_ids: ids }));
              }}
            />
          ) : null}
          <div className="form-actions">
            <SubmitButton busy={busy} label={t("participation.save")} className="button button-secondary" />
          </div>
        </form>
      ) : null}
      {answerError ? <Alert variant="error">{answerError}</Alert> : null}
      <div className="form-actions participation-answers">
        {participant.state === "pending" ? (
          <>
            <button
              type="button"
              className="button button-primary"
              disabled={confirming || isChanged(values, initial)}
              onClick={() => {
                setConfirming(true);
                void answer("confirm").then((failure) => {
                  setConfirming(false);
                  setAnswerError(failure);
                });
              }}
            >
              {confirming ? t("form.saving") : t("participation.confirm")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setAsking("decline");
              }}
            >
              {t("participation.decline")}
            </button>
          </>
        ) : null}
        {participant.state === "confirmed" ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setAsking("withdraw");
            }}
          >
            {t("participation.withdraw")}
          </button>
        ) : null}
      </div>
      {participant.state === "pending" && isChanged(values, initial) ? (
        <p className="form-hint">{t("participation.saveFirst")}</p>
      ) : null}
      {asking ? (
        <ReasonDialog
          answer={asking}
          onClose={() => {
            setAsking(null);
          }}
          onSend={(reason) => answer(asking, reason)}
        />
      ) : null}
    </section>
  );
}
