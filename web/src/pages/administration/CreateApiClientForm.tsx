// The form that creates an API client; the answer carries its secret, once.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import type { ClientScope, IssuedApiClient } from "../../api/types";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SubmitButton, TextField } from "../../components/fields";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { ScopeCheckboxes } from "./ScopeCheckboxes";
import { parseRateLimit } from "./useApiClients";

const NAME_ID = "new-client-name";
const SCOPES_ID = "new-client-scopes";
const LIMIT_ID = "new-client-rate-limit";
const DEFAULT_LIMIT = "600";

interface Errors {
  name?: string;
  scopes?: string;
  limit?: string;
  form?: string;
}

function summary(errors: Errors): SummaryItem[] {
  const items: SummaryItem[] = errors.form ? [{ message: errors.form }] : [];
  if (errors.name) items.push({ fieldId: NAME_ID, label: t("apiClients.name"), message: errors.name });
  if (errors.scopes) items.push({ fieldId: `${SCOPES_ID}-0`, label: t("apiClients.scopes"), message: errors.scopes });
  if (errors.limit) items.push({ fieldId: LIMIT_ID, label: t("apiClients.rateLimit"), message: errors.limit });
  return items;
}

export function CreateApiClientForm({ onCreated }: { onCreated: (issued: IssuedApiClient) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ClientScope[]>([]);
  const [limit, setLimit] = useState(DEFAULT_LIMIT);
  const guard = useUnsavedChangesGuard(name.trim() !== "" || scopes.length > 0 || limit.trim() !== DEFAULT_LIMIT);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  function fail(next: Errors) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: Errors = {};
    if (name.trim() === "") local.name = fieldMessage({ field: "name", code: "required", message: "" });
    if (scopes.length === 0) local.scopes = t("apiClients.scopesRequired");
    const perMinute = parseRateLimit(limit);
    if (perMinute === null) local.limit = t("apiClients.rateLimitInvalid");
    if (local.name || local.scopes || perMinute === null) {
      fail(local);
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.POST("/api-clients", { body: { name: name.trim(), scopes, rate_limit_per_minute: perMinute } }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      setName("");
      setScopes([]);
      setLimit(DEFAULT_LIMIT);
      setErrors({});
      onCreated(outcome.data);
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const next: Errors = {};
    if (byField.name) next.name = byField.name;
    if (byField.scopes) next.scopes = t("apiClients.scopesRequired");
    if (byField.rate_limit_per_minute) next.limit = t("apiClients.rateLimitInvalid");
    if (!next.name && !next.scopes && !next.limit) next.form = failureMessage(outcome);
    fail(next);
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-client-heading">
      <ErrorSummary ref={summaryRef} items={summary(errors)} />
      <TextField
        id={NAME_ID}
        label={t("apiClients.name")}
        hint={t("apiClients.nameHint")}
        value={name}
        onChange={setName}
        error={errors.name}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <ScopeCheckboxes id={SCOPES_ID} selected={scopes} onChange={setScopes} error={errors.scopes} />
      <TextField
        id={LIMIT_ID}
        label={t("apiClients.rateLimit")}
        hint={t("apiClients.rateLimitHint")}
        value={limit}
        onChange={setLimit}
        error={errors.limit}
        autoComplete="off"
        required
        inputClassName="input-width-xs"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("apiClients.createSubmit")} />
      </div>
    </form>
  );
}
