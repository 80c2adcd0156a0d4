// Handling a contract's deadlines: record that notice was given (the end it
// leads to is computed by the server from the contract's notice terms and
// shown before confirming), exercise an option, let the contract run, or
// start the re-tender; and the list of what was decided. Each decision
// quotes the contract's ETag, so one made on an old reading is refused.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, settle } from "../../api/problem";
import type { Contract, ContractDecision, ContractDecisionInput, NoticePreview } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { DateField, SelectField, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { usePeople } from "../../components/OwnerSelect";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { dateFieldText, formatDate, parseDanishDate } from "../../format";
import { t } from "../../i18n";
import { useLoad } from "../../api/useLoad";
import { useAttachments } from "./useContracts";

type Kind = "notice_given" | "option_exercised" | "continue" | "retender";

/** Which decisions the contract's dates allow now. */
export function possibleDecisions(c: Contract): Kind[] {
  if (c.terminated_on) return [];
  const out: Kind[] = ["notice_given"];
  if (c.end_on && c.options_exercised < c.options_total) out.push("option_exercised");
  if (c.notice_deadline) out.push("continue");
  if (c.retender_start) out.push("retender");
  return out;
}

const TITLES: Record<Kind, "decisions.noticeGivenTitle" | "decisions.optionExercisedTitle" | "decisions.continueTitle" | "decisions.retenderTitle"> = {
  notice_given: "decisions.noticeGivenTitle",
  option_exercised: "decisions.optionExercisedTitle",
  continue: "decisions.continueTitle",
  retender: "decisions.retenderTitle",
};

const BUTTONS: Record<Kind, "decisions.noticeGiven" | "decisions.optionExercised" | "decisions.continue" | "decisions.retender"> = {
  notice_given: "decisions.noticeGiven",
  option_exercised: "decisions.optionExercised",
  continue: "decisions.continue",
  retender: "decisions.retender",
};

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

interface Errors {
  decided_on?: string;
  decided_by?: string;
  decided_by_name?: string;
  reference?: string;
  attachment_id?: string;
  note?: string;
  form?: string;
  stale?: boolean;
}

type Field = "decided_on" | "decided_by" | "decided_by_name" | "reference" | "attachment_id" | "note";

const FIELD_IDS: Record<Field, string> = {
  decided_on: "decision-date",
  decided_by: "decision-by",
  decided_by_name: "decision-by-name",
  reference: "decision-reference",
  attachment_id: "decision-attachment",
  note: "decision-note",
};

function DecisionDialog({
  kind,
  contract,
  etag,
  onClose,
  onDone,
  onReload,
}: {
  kind: Kind;
  contract: Contract;
  etag: string;
  onClose: () => void;
  onDone: (decision: ContractDecision) => void;
  onReload: () => void;
}) {
  const me = useMe();
  const people = usePeople();
  const attachments = useAttachments(contract.id, 0);
  const initial = { date: dateFieldText(today()), by: "", name: "", reference: "", attachment: "", note: "" };
  const [form, setForm] = useState(initial);
  const guard = useUnsavedChangesGuard(isChanged(form, initial));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [preview, setPreview] = useState<NoticePreview | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const set = (key: keyof typeof initial) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
  };

  useEffect(() => {
    // The consequence and its buttons, whole, at the foot of the dialog.
    if (!confirming) return;
    confirmRef.current?.focus({ preventScroll: true });
    confirmRef.current?.scrollIntoView({ block: "end" });
  }, [confirming]);

  const labels: Record<Field, string> = {
    decided_on: kind === "notice_given" ? t("decisions.noticeDate") : t("decisions.decisionDate"),
    decided_by: kind === "notice_given" ? t("decisions.noticeBy") : t("decisions.decidedBy"),
    decided_by_name: t("decisions.decidedByName"),
    reference: t("decisions.reference"),
    attachment_id: t("decisions.attachment"),
    note: t("decisions.note"),
  };

  function show(found: Errors) {
    setErrors(found);
    setConfirming(false);
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  function body(): ContractDecisionInput | null {
    const found: Errors = {};
    const iso = parseDanishDate(form.date);
    if (!iso) found.decided_on = t("decisions.errors.dateRequired");
    if (form.by === "other" && form.name.trim() === "") found.decided_by_name = t("decisions.errors.nameRequired");
    if (Object.keys(found).length > 0 || !iso) {
      show(found);
      return null;
    }
    return {
      kind,
      decided_on: iso,
      ...(form.by !== "" && form.by !== "other" ? { decided_by_user_id: form.by } : {}),
      ...(form.by === "other" ? { decided_by_name: form.name.trim() } : {}),
      ...(form.reference.trim() ? { reference: form.reference.trim() } : {}),
      ...(form.attachment ? { attachment_id: form.attachment } : {}),
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
    };
  }

  function refused(outcome: { status: number; problem: Parameters<typeof fieldErrors>[0] }) {
    if (outcome.status === 412 || outcome.status === 428) {
      show({ stale: true });
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const found: Errors = {};
    for (const [field, message] of Object.entries(byField)) {
      if (field in FIELD_IDS) found[field as Field] = message;
      else found.form = message;
    }
    if (Object.keys(found).length === 0) found.form = failureMessage(outcome);
    show(found);
  }

  async function onNext(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const b = body();
    if (!b) return;
    setErrors({});
    if (kind === "notice_given") {
      setBusy(true);
      const outcome = await settle(
        api.GET("/contracts/{id}/notice-preview", {
          params: { path: { id: contract.id }, query: { given_on: b.decided_on } },
        }),
      );
      setBusy(false);
      if (!outcome.ok) {
        refused(outcome);
        return;
      }
      setPreview(outcome.data);
    }
    setConfirming(true);
  }

  async function onConfirm() {
    const b = body();
    if (!b) return;
    setBusy(true);
    const outcome = await settle(
      api.POST("/contracts/{id}/decisions", {
        params: { path: { id: contract.id }, header: { "If-Match": etag } },
        body: b,
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onDone(outcome.data);
    } else {
      refused(outcome);
    }
  }

  const summary: SummaryItem[] = [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...(Object.keys(FIELD_IDS) as Field[]).flatMap((f) => {
      const message = errors[f];
      return message ? [{ fieldId: FIELD_IDS[f], label: labels[f], message }] : [];
    }),
  ];
  const personOptions = [
    { value: "", label: `${t("decisions.me")} (${me.name})` },
    ...(people?.ok ? people.data.filter((p) => p.user_id !== me.id).map((p) => ({ value: p.user_id, label: p.name })) : []),
    { value: "other", label: t("decisions.someoneElse") },
  ];
  const attachmentOptions = [
    { value: "", label: t("decisions.noAttachment") },
    ...(attachments?.ok ? attachments.data.map((a) => ({ value: a.id, label: a.filename })) : []),
  ];
  const left = contract.options_total - contract.options_exercised;

  function consequence(): string {
    switch (kind) {
      case "notice_given":
        return preview ? t("decisions.ends", { date: formatDate(preview.ends_on) ?? "" }) : "";
      case "option_exercised":
        return t("decisions.optionConsequence", {
          months: contract.option_months,
          end: formatDate(contract.effective_end) ?? "",
        });
      case "continue":
        return t("decisions.continueIntro", { date: formatDate(contract.notice_deadline) ?? "" });
      case "retender":
        return t("decisions.retenderIntro", { date: formatDate(contract.retender_start) ?? "" });
    }
  }

  return (
    <Dialog title={t(TITLES[kind], { title: contract.title })} onClose={onClose}>
      <form noValidate onSubmit={(e) => void onNext(e)}>
        {errors.stale ? (
          <Alert variant="error">
            <p>{t("decisions.stale")}</p>
            <p>
              <button type="button" className="button button-secondary" onClick={onReload}>
                {t("decisions.reload")}
              </button>
            </p>
          </Alert>
        ) : null}
        <ErrorSummary ref={summaryRef} items={summary} />
        <p>
          {kind === "notice_given"
            ? t("decisions.noticeGivenIntro")
            : kind === "option_exercised"
              ? t("decisions.optionExercisedIntro", { left, total: contract.options_total, months: contract.option_months })
              : consequence()}
        </p>
        <fieldset disabled={confirming || busy} className="decision-fields">
          <legend className="sr-only">{t(TITLES[kind], { title: contract.title })}</legend>
          <DateField id={FIELD_IDS.decided_on} label={labels.decided_on} value={form.date} onChange={set("date")} error={errors.decided_on} required />
          <SelectField
            id={FIELD_IDS.decided_by}
            label={labels.decided_by}
            hint={t("decisions.decidedByHint")}
            value={form.by}
            onChange={set("by")}
            options={personOptions}
            error={errors.decided_by}
          />
          {form.by === "other" ? (
            <TextField
              id={FIELD_IDS.decided_by_name}
              label={labels.decided_by_name}
              value={form.name}
              onChange={set("name")}
              error={errors.decided_by_name}
              autoComplete="off"
              required
              inputClassName="input-width-l"
            />
          ) : null}
          <TextField
            id={FIELD_IDS.reference}
            label={labels.reference}
            value={form.reference}
            onChange={set("reference")}
            error={errors.reference}
            autoComplete="off"
            inputClassName="input-width-m"
          />
          {kind === "notice_given" ? (
            <SelectField
              id={FIELD_IDS.attachment_id}
              label={labels.attachment_id}
              hint={t("decisions.attachmentHint")}
              value={form.attachment}
              onChange={set("attachment")}
              options={attachmentOptions}
              error={errors.attachment_id}
            />
          ) : null}
          <div className={`form-group${errors.note ? " form-error" : ""}`}>
            <label className="form-label" htmlFor={FIELD_IDS.note}>
              {labels.note}
            </label>
            {errors.note ? (
              <span className="form-error-message" id={`${FIELD_IDS.note}-error`}>
                {errors.note}
              </span>
            ) : null}
            <textarea
              id={FIELD_IDS.note}
              name={FIELD_IDS.note}
              className="form-input input-width-l"
              rows={3}
              value={form.note}
              aria-invalid={errors.note ? true : undefined}
              aria-describedby={errors.note ? `${FIELD_IDS.note}-error` : undefined}
              onChange={(e) => {
                set("note")(e.target.value);
              }}
            />
          </div>
        </fieldset>
        {confirming ? (
          <div ref={confirmRef} tabIndex={-1} className="decision-confirm" data-testid="decision-confirm">
            <Alert variant={preview?.late ? "warning" : "info"} heading={t("decisions.confirmHeading")}>
              {preview?.late && preview.notice_deadline ? (
                <p>
                  {t("decisions.late", {
                    deadline: formatDate(preview.notice_deadline) ?? "",
                    given: formatDate(preview.given_on) ?? "",
                  })}
                </p>
              ) : null}
              <p className="decision-consequence">{consequence()}</p>
            </Alert>
            <div className="form-actions">
              <button type="button" className={`button button-primary${busy ? " is-busy" : ""}`} disabled={busy} onClick={() => void onConfirm()}>
                {busy ? t("decisions.saving") : t("decisions.confirm")}
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                {t("decisions.back")}
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions">
            <SubmitButton busy={busy} label={t("decisions.next")} busyLabel={t("decisions.previewLoading")} />
            <button type="button" className="button button-secondary" onClick={onClose}>
              {t("decisions.cancel")}
            </button>
          </div>
        )}
      </form>
    </Dialog>
  );
}

/** The "Håndtér frist" panel: the decisions the contract's dates allow now. */
export function HandleDeadline({
  contract,
  etag,
  onDone,
  onReload,
}: {
  contract: Contract;
  etag: string;
  onDone: (text: string) => void;
  onReload: () => void;
}) {
  const [open, setOpen] = useState<Kind | null>(null);
  const possible = possibleDecisions(contract);
  return (
    <section aria-labelledby="handle-deadline-heading" className="contract-section handle-deadline">
      <h2 id="handle-deadline-heading">{t("decisions.panelTitle")}</h2>
      {contract.terminated_on ? (
        <p>{t("decisions.terminated", { date: formatDate(contract.terminated_on) ?? "" })}</p>
      ) : (
        <>
          <p>{t("decisions.panelIntro")}</p>
          {possible.length === 0 ? <p>{t("decisions.nothingToHandle")}</p> : null}
          <ul className="unstyled-list page-actions">
            {possible.map((kind) => (
              <li key={kind}>
                <button
                  type="button"
                  className={`button ${kind === "notice_given" ? "button-primary" : "button-secondary"}`}
                  onClick={() => {
                    setOpen(kind);
                  }}
                >
                  {t(BUTTONS[kind])}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {open ? (
        <DecisionDialog
          kind={open}
          contract={contract}
          etag={etag}
          onClose={() => {
            setOpen(null);
          }}
          onDone={(decision) => {
            setOpen(null);
            onDone(t("decisions.recorded", { summary: decision.summary }));
          }}
          onReload={() => {
            setOpen(null);
            onReload();
          }}
        />
      ) : null}
    </section>
  );
}

/** The decisions on the contract, newest first. */
export function Decisions({ contractId, version }: { contractId: string; version: string }) {
  const found = useLoad<ContractDecision[]>(`decisions|${contractId}|${version}`, async (signal) => {
    const outcome = await settle(api.GET("/contracts/{id}/decisions", { params: { path: { id: contractId } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
  return (
    <section aria-labelledby="decisions-heading" className="contract-section">
      <h2 id="decisions-heading">{t("decisions.listTitle")}</h2>
      <p>{t("decisions.listIntro")}</p>
      {found === null ? <Loading text={t("decisions.listLoading")} /> : null}
      {found && !found.ok ? <Alert variant="error">{failureMessage(found)}</Alert> : null}
      {found?.ok && found.data.length === 0 ? <p className="empty-note">{t("decisions.listEmpty")}</p> : null}
      {found?.ok && found.data.length > 0 ? (
        <ol className="nobullet-list decision-list">
          {found.data.map((d) => (
            <li key={d.id} className="decision-entry">
              <h3 className="h5">
                {t(`decisions.kinds.${d.kind as Kind}`)} – {formatDate(d.decided_on)}
                {d.late ? <span className="badge badge-small decision-late">{t("decisions.lateTag")}</span> : null}
              </h3>
              <p>{d.summary}</p>
              {d.note ? <p className="pre-line decision-note">{d.note}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
