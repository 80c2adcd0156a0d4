// Sharing a template with a collaboration, so its members see the published
// versions and can adopt them; and stopping a share.

import { useState } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { SelectField } from "../../components/fields";
import { t } from "../../i18n";
import { useCollaborations } from "../contracts/useContracts";

export function TemplateSharing({ template, onChanged }: { template: Template; onChanged: (notice: string) => void }) {
  const collaborations = useCollaborations();
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sharedIds = new Set(template.shares.map((s) => s.collaboration_id));
  const ownerId = template.owner.kind === "collaboration" ? template.owner.id : null;
  const available = (collaborations?.ok ? collaborations.data : []).filter((c) => !sharedIds.has(c.id) && c.id !== ownerId);

  async function share() {
    if (choice === "") {
      setError(t("templates.sharing.choose"));
      return;
    }
    setBusy(true);
    const outcome = await settle(api.POST("/templates/{id}/shares", { params: { path: { id: template.id } }, body: { collaboration_id: choice } }));
    setBusy(false);
    if (!outcome.ok) {
      setError(failureMessage(outcome));
      return;
    }
    const name = available.find((c) => c.id === choice)?.name ?? "";
    setChoice("");
    setError(null);
    onChanged(t("templates.sharing.shared", { name }));
  }

  async function unshare(id: string, name: string) {
    setBusy(true);
    const outcome = await settle(
      api.DELETE("/templates/{id}/shares/{collaboration_id}", { params: { path: { id: template.id, collaboration_id: id } } }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(failureMessage(outcome));
      return;
    }
    onChanged(t("templates.sharing.unshared", { name }));
  }

  return (
    <section className="template-section" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">{t("templates.sharing.title")}</h2>
      <p>{t("templates.sharing.intro")}</p>
      {template.shares.length === 0 ? (
        <p className="text-muted">{t("templates.sharing.none")}</p>
      ) : (
        <ul className="nobullet-list">
          {template.shares.map((s) => (
            <li key={s.collaboration_id} className="row-actions">
              <span>{s.collaboration_name}</span>{" "}
              <button
                type="button"
                className="button button-unstyled"
                disabled={busy}
                aria-label={t("templates.sharing.unshareNamed", { name: s.collaboration_name })}
                onClick={() => void unshare(s.collaboration_id, s.collaboration_name)}
              >
                {t("templates.sharing.unshare")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {available.length > 0 ? (
        <div className="version-pick">
          <SelectField
            id="share-collaboration"
            label={t("templates.sharing.collaboration")}
            value={choice}
            onChange={setChoice}
            options={[{ value: "", label: t("templates.sharing.chooseOption") }, ...available.map((c) => ({ value: c.id, label: c.name }))]}
            error={error ?? undefined}
          />
          <div className="form-group">
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => void share()}>
              {t("templates.sharing.share")}
            </button>
          </div>
        </div>
      ) : error ? (
        <Alert variant="error">{error}</Alert>
      ) : null}
    </section>
  );
}
