// Inviting a municipality by its three-digit code (coordinators' admins).

import { useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Collaboration, ProblemField } from "../../api/types";
import { ErrorSummary } from "../../components/ErrorSummary";
import { SubmitButton, TextField } from "../../components/fields";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { normaliseCode } from "./members";

const INPUT_ID = "invite-code";

/** The Danish sentence for the server's objection to a code. */
export function codeMessage(error: ProblemField | undefined, code: string): string | null {
  switch (error?.code) {
    case "unknown":
      return t("collaborations.codeUnknown", { code });
    case "taken":
      return t("collaborations.codeTaken", { code });
    case "out_of_range":
      return t("collaborations.codeOutOfRange");
    case "invalid":
      return t("collaborations.codeInvalid");
    case "required":
      return t("collaborations.codeRequired");
    default:
      return null;
  }
}

export function InviteForm({
  collaboration,
  onInvited,
}: {
  collaboration: Collaboration;
  onInvited: (updated: Collaboration, municipality: string) => void;
}) {
  const [code, setCode] = useState("");
  const guard = useUnsavedChangesGuard(code.trim() !== "");
  const [error, setError] = useState<{ field?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  function fail(next: { field?: string; form?: string }) {
    setError(next);
    // Wait for the summary to render before moving focus to it.
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const valid = normaliseCode(code);
    if (valid === null) {
      fail({ field: t(code.trim() === "" ? "collaborations.codeRequired" : "collaborations.codeInvalid") });
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.POST("/collaborations/{id}/invitations", {
        params: { path: { id: collaboration.id } },
        body: { municipality_code: valid },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      const invited = outcome.data.members.find((m) => m.municipality_code === valid);
      setCode("");
      setError({});
      onInvited(outcome.data, invited?.tenant_name ?? valid);
      return;
    }
    const fieldError = outcome.problem?.errors?.find((e) => e.field === "municipality_code");
    const message = codeMessage(fieldError, valid);
    fail(message ? { field: message } : { form: failureMessage(outcome) });
  }

  const items = [
    ...(error.form ? [{ message: error.form }] : []),
    ...(error.field ? [{ fieldId: INPUT_ID, label: t("collaborations.code"), message: error.field }] : []),
  ];
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="invite-heading">
      <ErrorSummary ref={summaryRef} items={items} />
      <TextField
        id={INPUT_ID}
        label={t("collaborations.code")}
        value={code}
        onChange={setCode}
        error={error.field}
        autoComplete="off"
        required
        inputClassName="input-width-xs"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("collaborations.inviteSubmit")} />
      </div>
    </form>
  );
}
