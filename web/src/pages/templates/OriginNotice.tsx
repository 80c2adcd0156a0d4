// "Ny version fra <ejer>": an adopted copy whose origin has published a
// newer version shows what changed there since the copy's content came
// from it, and offers to put that content into our draft in one step.

import { useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";
import { diffContents } from "./contentDiff";
import { DiffView } from "./DiffView";
import { useTwoVersions } from "./useTemplates";

export function OriginNotice({ template, etag, canWrite, onStale }: { template: Template; etag: string; canWrite: boolean; onStale: () => void }) {
  const navigate = useNavigate();
  const origin = template.origin;
  const newer = origin?.newer_version_number ?? null;
  const pair = useTwoVersions(origin?.template_id ?? "", newer === null ? null : (origin?.version_number ?? null), newer);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!origin || newer === null) return null;
  const owner = origin.owner_name ?? t("templates.list.unknownOwner");

  async function update() {
    setBusy(true);
    setError(null);
    const outcome = await settle(
      api.POST("/templates/{id}/update-from-origin", { params: { path: { id: template.id }, header: { "If-Match": etag } } }),
    );
    setBusy(false);
    if (outcome.ok) {
      void navigate(`/skabeloner/${template.id}/kladde`, { state: { notice: t("templates.origin.updated", { owner, number: newer ?? 0 }) } });
      return;
    }
    if (outcome.status === 412 || outcome.status === 428) onStale();
    setError(failureMessage(outcome));
  }

  return (
    <Alert variant="warning" heading={t("templates.origin.title", { owner })} className="origin-notice">
      <p>{t("templates.origin.text", { owner, from: origin.version_number, to: newer })}</p>
      <details className="details">
        <summary className="details-summary">{t("templates.origin.showChanges", { from: origin.version_number, to: newer })}</summary>
        <div className="details-text">
          {pair === null ? <Loading text={t("templates.page.loadingCompare")} /> : null}
          {pair && !pair.ok ? <p>{failureMessage(pair)}</p> : null}
          {pair?.ok && pair.data ? <DiffView diff={diffContents(pair.data[0], pair.data[1])} from={origin.version_number} to={newer} /> : null}
        </div>
      </details>
      {canWrite && template.editable ? (
        <p>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void update()}>
            {t("templates.origin.update")}
          </button>
          <span className="form-hint">{t("templates.origin.updateHint")}</span>
        </p>
      ) : null}
      {error ? <p className="form-error-message">{error}</p> : null}
    </Alert>
  );
}
