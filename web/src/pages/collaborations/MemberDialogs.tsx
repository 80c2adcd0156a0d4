// Confirmations for removing a member (or withdrawing its invitation) and for
// leaving the collaboration. Focus starts on the choice that changes nothing.

import { useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Collaboration, CollaborationMember } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SubmitButton } from "../../components/fields";
import { t } from "../../i18n";

function Confirm({
  text,
  warning,
  confirm,
  onConfirm,
  onClose,
}: {
  text: string;
  warning?: string | undefined;
  confirm: string;
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const failure = await onConfirm();
    setBusy(false);
    setError(failure);
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <p>{text}</p>
      {warning ? <Alert variant="warning">{warning}</Alert> : null}
      <div className="form-actions">
        <SubmitButton busy={busy} label={confirm} className="button button-warning" />
        <button type="button" className="button button-secondary" onClick={onClose} ref={cancel} data-autofocus>
          {t("collaborations.cancel")}
        </button>
      </div>
    </form>
  );
}

export function RemoveMemberDialog({
  collaboration,
  member,
  onClose,
  onDone,
}: {
  collaboration: Collaboration;
  member: CollaborationMember;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const invited = member.status === "invited";
  const name = member.tenant_name;
  return (
    <Dialog
      title={t(invited ? "collaborations.withdrawTitle" : "collaborations.removeTitle", { name })}
      onClose={onClose}
    >
      <Confirm
        text={t(invited ? "collaborations.withdrawText" : "collaborations.removeText", { name })}
        confirm={t(invited ? "collaborations.withdrawConfirm" : "collaborations.removeConfirm")}
        onClose={onClose}
        onConfirm={async () => {
          const outcome = await settle(
            api.DELETE("/collaborations/{id}/members/{tenant_id}", {
              params: { path: { id: collaboration.id, tenant_id: member.tenant_id } },
            }),
          );
          if (!outcome.ok) return failureMessage(outcome);
          onDone(t(invited ? "collaborations.withdrawn" : "collaborations.removed", { name }));
          return null;
        }}
      />
    </Dialog>
  );
}

export function LeaveDialog({
  collaboration,
  municipality,
  lastCoordinator,
  onClose,
  onDone,
}: {
  collaboration: Collaboration;
  municipality: string;
  /** The API lets the only coordinator leave, which leaves no one to invite or remove. */
  lastCoordinator: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const name = collaboration.name;
  return (
    <Dialog title={t("collaborations.leaveTitle", { name })} onClose={onClose}>
      <Confirm
        text={t("collaborations.leaveText", { municipality })}
        warning={lastCoordinator ? t("collaborations.leaveLastCoordinator", { municipality }) : undefined}
        confirm={t("collaborations.leaveConfirm")}
        onClose={onClose}
        onConfirm={async () => {
          const outcome = await settle(
            api.POST("/collaborations/{id}/leave", { params: { path: { id: collaboration.id } } }),
          );
          if (!outcome.ok) return failureMessage(outcome);
          onDone(t("collaborations.left", { municipality, name }));
          return null;
        }}
      />
    </Dialog>
  );
}
