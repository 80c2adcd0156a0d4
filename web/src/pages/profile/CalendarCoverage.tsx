// The calendar's own choice of contracts: only those the user owns, or all
// the municipality's. Saved with the reminder settings, which it leaves as
// they are.

import { useState, type SubmitEvent } from "react";
import { failureMessage } from "../../api/problem";
import type { ContractCoverage, ReminderSettings } from "../../api/types";
import { Alert } from "../../components/Alert";
import { SubmitButton } from "../../components/fields";
import { t } from "../../i18n";
import { CoverageChoice } from "./CoverageChoice";
import { saveReminderSettings, useReminderSettings } from "./useProfile";

function CoverageForm({ initial }: { initial: ReminderSettings }) {
  const [coverage, setCoverage] = useState<ContractCoverage>(initial.effective_calendar_contracts);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    const outcome = await saveReminderSettings(initial.frequency, initial.horizon_days, { calendar_contracts: coverage });
    setBusy(false);
    setStatus(outcome.ok ? { ok: true, text: t("ownership.calendarChoiceSaved") } : { ok: false, text: failureMessage(outcome) });
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="calendar-coverage">
      {status ? <Alert variant={status.ok ? "success" : "error"}>{status.text}</Alert> : null}
      <CoverageChoice
        name="calendar-contracts"
        hint={t("ownership.calendarCoverageHint")}
        value={coverage}
        onChange={setCoverage}
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("ownership.saveCalendarChoice")} />
      </div>
    </form>
  );
}

export function CalendarCoverage() {
  const settings = useReminderSettings();
  if (settings === null) return null;
  if (!settings.ok) return <Alert variant="error">{failureMessage(settings)}</Alert>;
  return <CoverageForm initial={settings.data} />;
}
