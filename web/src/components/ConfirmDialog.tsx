// Asking before a change: what will happen, the change as one button, and
// the way back focused first so that Enter does no harm.

import { useState } from "react";
import { failureMessage, type Outcome } from "../api/problem";
import { t } from "../i18n";
import { Alert } from "./Alert";
import { Dialog } from "./Dialog";

interface ConfirmDialogProps<T> {
  title: string;
  text: string;
  /** A warning to read before confirming. */
  note?: string | undefined;
  confirmLabel: string;
  /** Warning colours for a change that takes something away. */
  warning?: boolean;
  /** Carries out the change. */
  action: () => Promise<Outcome<T>>;
  onClose: () => void;
  onDone: (data: T) => void;
  /** Takes a refusal over (returning true), e.g. a stale version; otherwise the dialog shows it. */
  onRefused?: (outcome: Outcome<T>) => boolean;
}

export function ConfirmDialog<T>({
  title,
  text,
  note,
  confirmLabel,
  warning = true,
  action,
  onClose,
  onDone,
  onRefused,
}: ConfirmDialogProps<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    const outcome = await action();
    setBusy(false);
    if (outcome.ok) onDone(outcome.data);
    else if (!onRefused?.(outcome)) setError(failureMessage(outcome));
  }

  return (
    <Dialog title={title} onClose={onClose}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <p>{text}</p>
      {note ? <Alert variant="warning">{note}</Alert> : null}
      <div className="form-actions">
        <button
          type="button"
          className={warning ? "button button-warning" : "button button-primary"}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {busy ? t("form.saving") : confirmLabel}
        </button>
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
          {t("form.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
