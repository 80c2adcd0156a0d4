// Påmindelser på e-mail: how often (off, daily, weekly) and how many days
// ahead, what applies now after the role's default, and a preview of the
// next digest.

import { useEffect, useId, useState, type SubmitEvent } from "react";
import { failureMessage } from "../../api/problem";
import type {
  ContractCoverage,
  ReminderDigestPreview,
  ReminderFrequency,
  ReminderFrequencyChoice,
  ReminderSettings,
} from "../../api/types";
import { Alert } from "../../components/Alert";
import { describedBy, SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { formatDate, formatDateTime } from "../../format";
import { CoverageChoice } from "./CoverageChoice";
import { t } from "../../i18n";
import { parseHorizon } from "./model";
import { previewReminders, saveReminderSettings, useReminderSettings } from "./useProfile";

const FREQUENCIES: readonly ReminderFrequencyChoice[] = ["default", "off", "daily", "weekly"];

function frequencyLabel(frequency: ReminderFrequencyChoice): string {
  return t(`reminders.frequencies.${frequency}`);
}

function effectiveLabel(frequency: ReminderFrequency): string {
  return t(`reminders.frequencies.${frequency}`);
}

function Preview({ preview }: { preview: ReminderDigestPreview }) {
  return (
    <section aria-labelledby="preview-heading" className="reminder-preview">
      <h3 id="preview-heading" tabIndex={-1}>
        {t("reminders.previewHeading")}
      </h3>
      <p>
        {t("reminders.previewPeriod", { from: formatDate(preview.from) ?? "", until: formatDate(preview.until) ?? "" })}
        {preview.send_on ? ` ${t("reminders.nextSend", { date: formatDate(preview.send_on) ?? "" })}` : ""}
      </p>
      {preview.subject ? (
        <p>
          <strong>{t("reminders.previewSubject")}:</strong> {preview.subject}
        </p>
      ) : null}
      {preview.items.length === 0 ? (
        <Alert variant="info">{t("reminders.previewEmpty")}</Alert>
      ) : (
        <table className="table table--zebra table-md-responsive-headers reminder-preview-table">
          <caption>{t("reminders.previewCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("reminders.colDate")}</th>
              <th scope="col">{t("reminders.colKind")}</th>
              <th scope="col">{t("reminders.colTitle")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.items.map((item, i) => (
              <tr key={`${item.kind}-${item.date}-${String(i)}`}>
                <td className="nowrap" data-title={t("reminders.colDate")}>
                  {formatDate(item.date)}
                </td>
                <td data-title={t("reminders.colKind")}>{item.label}</td>
                <th scope="row" data-title={t("reminders.colTitle")}>
                  <a href={item.link}>{item.title}</a>
                </th>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ReminderForm({ initial }: { initial: ReminderSettings }) {
  const groupId = useId();
  const [settings, setSettings] = useState(initial);
  const [frequency, setFrequency] = useState<ReminderFrequencyChoice>(initial.frequency);
  const [horizon, setHorizon] = useState(String(initial.horizon_days));
  const [coverage, setCoverage] = useState<ContractCoverage>(initial.effective_contracts);
  const [horizonError, setHorizonError] = useState<string | undefined>();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ReminderDigestPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewBusy, setPreviewBusy] = useState(false);

  useEffect(() => {
    if (preview) document.getElementById("preview-heading")?.focus();
  }, [preview]);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus(null);
    const days = parseHorizon(horizon);
    if (days === null) {
      setHorizonError(t("reminders.horizonInvalid"));
      document.getElementById("reminders-horizon")?.focus();
      return;
    }
    setHorizonError(undefined);
    setBusy(true);
    const outcome = await saveReminderSettings(frequency, days, { contracts: coverage });
    setBusy(false);
    if (outcome.ok) {
      setSettings(outcome.data);
      setHorizon(String(outcome.data.horizon_days));
      setStatus({ ok: true, text: t("reminders.saved") });
      setPreview(null);
    } else {
      const horizonProblem = outcome.problem?.errors?.find((e) => e.field === "horizon_days");
      if (horizonProblem) setHorizonError(t("reminders.horizonInvalid"));
      else setStatus({ ok: false, text: failureMessage(outcome) });
    }
  }

  async function showPreview() {
    setPreviewBusy(true);
    setPreviewError(null);
    const outcome = await previewReminders();
    setPreviewBusy(false);
    if (outcome.ok) setPreview(outcome.data);
    else setPreviewError(failureMessage(outcome));
  }

  return (
    <>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="reminder-form">
        {status ? <Alert variant={status.ok ? "success" : "error"}>{status.text}</Alert> : null}
        <div className="form-group">
          <fieldset aria-describedby={describedBy(groupId, t("reminders.roleDefault"))}>
            <legend className="form-label">{t("reminders.frequency")}</legend>
            <span className="form-hint" id={`${groupId}-hint`}>
              {t("reminders.roleDefault")}
            </span>
            <ul className="nobullet-list">
              {FREQUENCIES.map((f) => (
                <li key={f}>
                  <div className="form-group-radio">
                    <input
                      className="form-radio"
                      type="radio"
                      id={`reminders-frequency-${f}`}
                      name="reminders-frequency"
                      value={f}
                      checked={frequency === f}
                      onChange={() => {
                        setFrequency(f);
                      }}
                    />
                    <label className="form-label" htmlFor={`reminders-frequency-${f}`}>
                      {frequencyLabel(f)}
                    </label>
                  </div>
                </li>
              ))}
            </ul>
          </fieldset>
        </div>
        <CoverageChoice
          name="reminders-contracts"
          hint={t("ownership.digestCoverageHint")}
          value={coverage}
          onChange={setCoverage}
        />
        <TextField
          id="reminders-horizon"
          label={t("reminders.horizon")}
          hint={t("reminders.horizonHint")}
          value={horizon}
          onChange={setHorizon}
          error={horizonError}
          inputClassName="input-width-xs"
        />
        <div className="reminder-status">
          <p className="reminder-effective">{t("reminders.effective", { frequency: effectiveLabel(settings.effective).toLowerCase() })}</p>
          <p>
            {settings.last_sent_at
              ? t("reminders.lastSent", { time: formatDateTime(settings.last_sent_at) ?? "" })
              : t("reminders.neverSent")}
            {settings.next_send_on ? ` ${t("reminders.nextSend", { date: formatDate(settings.next_send_on) ?? "" })}` : ""}
          </p>
        </div>
        <div className="form-actions">
          <SubmitButton busy={busy} label={t("reminders.save")} />
          <button
            type="button"
            className="button button-secondary"
            disabled={previewBusy}
            onClick={() => void showPreview()}
          >
            {t("reminders.preview")}
          </button>
        </div>
      </form>
      {previewBusy ? <Loading text={t("reminders.previewLoading")} /> : null}
      {previewError ? <Alert variant="error">{previewError}</Alert> : null}
      {preview ? <Preview preview={preview} /> : null}
    </>
  );
}

export function ReminderSettingsSection() {
  const settings = useReminderSettings();
  return (
    <section aria-labelledby="reminders-heading" className="profile-section">
      <h2 id="reminders-heading">{t("reminders.heading")}</h2>
      <p>{t("reminders.intro")}</p>
      {settings === null ? <Loading text={t("reminders.loading")} /> : null}
      {settings && !settings.ok ? <Alert variant="error">{failureMessage(settings)}</Alert> : null}
      {settings?.ok ? <ReminderForm initial={settings.data} /> : null}
    </section>
  );
}
