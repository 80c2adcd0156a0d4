// Inviting a municipality found by its name or its three-digit code
// (coordinators' admins): suggestions come from the platform's
// municipalities as the admin types, and a name or code that matches one
// municipality is enough without picking it.

import { useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Collaboration, MunicipalityRef, ProblemField } from "../../api/types";
import { Combobox, type Suggestion } from "../../components/Combobox";
import { ErrorSummary } from "../../components/ErrorSummary";
import { SubmitButton } from "../../components/fields";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { normaliseCode } from "./members";

const INPUT_ID = "invite-municipality";

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

async function findMunicipalities(q: string, signal?: AbortSignal): Promise<MunicipalityRef[] | null> {
  const outcome = await settle(api.GET("/municipalities", { params: { query: { q, limit: 10 } }, ...(signal ? { signal } : {}) }));
  return outcome.ok ? outcome.data.items : null;
}

/** The one municipality `text` names: an exact code or name, or the only match. */
export function chooseMunicipality(text: string, found: MunicipalityRef[]): MunicipalityRef | null {
  const wanted = text.trim().toLocaleLowerCase("da");
  const exact = found.filter(
    (m) =>
      m.municipality_code === wanted ||
      m.name.toLocaleLowerCase("da") === wanted ||
      m.name.toLocaleLowerCase("da") === `${wanted} kommune`,
  );
  if (exact.length === 1) return exact[0] ?? null;
  return found.length === 1 ? (found[0] ?? null) : null;
}

export function InviteForm({
  collaboration,
  onInvited,
}: {
  collaboration: Collaboration;
  onInvited: (updated: Collaboration, municipality: string) => void;
}) {
  const [text, setText] = useState("");
  const [picked, setPicked] = useState<MunicipalityRef | null>(null);
  const guard = useUnsavedChangesGuard(text.trim() !== "");
  const [error, setError] = useState<{ field?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  function fail(next: { field?: string; form?: string }) {
    setError(next);
    // Wait for the summary to render before moving focus to it.
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  async function target(): Promise<MunicipalityRef | { message: string } | null> {
    if (picked && picked.name === text) return picked;
    const found = await findMunicipalities(text.trim());
    if (found === null) return null;
    const one = chooseMunicipality(text, found);
    if (one) return one;
    return {
      message:
        found.length === 0
          ? t("collaborations.municipalityUnknown", { text: text.trim() })
          : t("collaborations.municipalityAmbiguous", { text: text.trim() }),
    };
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim() === "") {
      fail({ field: t("collaborations.municipalityRequired") });
      return;
    }
    setBusy(true);
    const chosen = await target();
    if (chosen === null || "message" in chosen) {
      setBusy(false);
      // Without the search, a three-digit code still invites by code.
      const code = normaliseCode(text);
      if (chosen === null && code) {
        await inviteBy({ municipality_code: code }, code);
        return;
      }
      fail(chosen ? { field: chosen.message } : { form: t("collaborations.municipalitySearchFailed") });
      return;
    }
    await inviteBy({ tenant_id: chosen.id }, chosen.municipality_code);
  }

  async function inviteBy(body: { tenant_id: string } | { municipality_code: string }, code: string) {
    setBusy(true);
    const outcome = await settle(
      api.POST("/collaborations/{id}/invitations", {
        params: { path: { id: collaboration.id } },
        body,
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      const invited = outcome.data.members.find((m) => m.municipality_code === code);
      setText("");
      setPicked(null);
      setError({});
      onInvited(outcome.data, invited?.tenant_name ?? code);
      return;
    }
    const fieldError = outcome.problem?.errors?.find((e) => e.field === "municipality_code" || e.field === "tenant_id");
    const message = codeMessage(fieldError, code);
    fail(message ? { field: message } : { form: failureMessage(outcome) });
  }

  const items = [
    ...(error.form ? [{ message: error.form }] : []),
    ...(error.field ? [{ fieldId: INPUT_ID, label: t("collaborations.municipalityField"), message: error.field }] : []),
  ];
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="invite-heading">
      <ErrorSummary ref={summaryRef} items={items} />
      <Combobox<MunicipalityRef>
        id={INPUT_ID}
        label={t("collaborations.municipalityField")}
        hint={t("collaborations.municipalityHint")}
        value={text}
        onChange={(value) => {
          setText(value);
          if (picked && value !== picked.name) setPicked(null);
        }}
        suggest={async (q, signal) =>
          ((await findMunicipalities(q, signal)) ?? []).map(
            (m): Suggestion<MunicipalityRef> => ({
              key: m.id,
              label: m.name,
              detail: t("collaborations.codeDetail", { code: m.municipality_code }),
              value: m,
            }),
          )
        }
        onPick={(item) => {
          setPicked(item.value);
          setText(item.value.name);
        }}
        countText={(count) => (count === 1 ? t("collaborations.suggestionOne") : t("collaborations.suggestions", { count }))}
        error={error.field}
        required
        inputClassName="input-width-l"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("collaborations.inviteSubmit")} />
      </div>
    </form>
  );
}
