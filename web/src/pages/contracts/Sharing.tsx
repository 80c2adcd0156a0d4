// Sharing a contract read-only with one of the municipality's
// collaborations, with or without its attachments, and stopping it. Editors
// and admins change shares; viewers see them.

import { useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SelectField, SubmitButton } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { useCanWrite } from "./parts";
import { useCollaborations, useShares } from "./useContracts";

function UnshareDialog({
  contractId,
  collaboration,
  onClose,
  onDone,
}: {
  contractId: string;
  collaboration: { id: string; name: string };
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  return (
    <ConfirmDialog
      title={t("sharing.unshareTitle", { name: collaboration.name })}
      text={t("sharing.unshareText", { name: collaboration.name })}
      confirmLabel={t("sharing.unshareConfirm")}
      action={() =>
        settle(
          api.DELETE("/contracts/{id}/shares/{collaboration_id}", {
            params: { path: { id: contractId, collaboration_id: collaboration.id } },
          }),
        )
      }
      onClose={onClose}
      onDone={() => {
        onDone(t("sharing.unshared", { name: collaboration.name }));
      }}
    />
  );
}

export function Sharing({ contractId, onChange }: { contractId: string; onChange: (message: string) => void }) {
  const canShare = useCanWrite();
  const [version, setVersion] = useState(0);
  const shares = useShares(contractId, version);
  const collaborations = useCollaborations();
  const [choice, setChoice] = useState("");
  const [withAttachments, setWithAttachments] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unsharing, setUnsharing] = useState<{ id: string; name: string } | null>(null);

  const known = collaborations?.ok ? collaborations.data : [];
  const nameOf = (id: string) => known.find((c) => c.id === id)?.name ?? t("sharing.unknownCollaboration");
  const sharedIds = new Set(shares?.ok ? shares.data.map((s) => s.collaboration_id) : []);
  const available = known.filter((c) => !sharedIds.has(c.id));

  function changed(message: string) {
    setVersion((v) => v + 1);
    onChange(message);
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!choice) {
      setError(t("contractErrors.required", { field: t("sharing.collaboration").toLowerCase() }));
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.POST("/contracts/{id}/shares", {
        params: { path: { id: contractId } },
        body: { collaboration_id: choice, include_attachments: withAttachments },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      setError(null);
      setChoice("");
      setWithAttachments(false);
      changed(t("sharing.shared", { name: nameOf(choice) }));
    } else {
      setError(failureMessage(outcome));
    }
  }

  async function setAttachments(collaborationId: string, include: boolean) {
    const name = nameOf(collaborationId);
    const outcome = await settle(
      api.PATCH("/contracts/{id}/shares/{collaboration_id}", {
        params: { path: { id: contractId, collaboration_id: collaborationId } },
        body: { include_attachments: include },
      }),
    );
    if (outcome.ok) {
      setToggleError(null);
      changed(include ? t("sharing.attachmentsShared", { name }) : t("sharing.attachmentsUnshared", { name }));
    } else {
      setToggleError(failureMessage(outcome));
    }
  }

  return (
    <section aria-labelledby="sharing-heading" className="contract-section">
      <h2 id="sharing-heading">{t("sharing.title")}</h2>
      <p>{t("sharing.intro")}</p>
      {shares === null ? <Loading text={t("sharing.loading")} /> : null}
      {shares && !shares.ok ? <Alert variant="error">{failureMessage(shares)}</Alert> : null}
      {shares?.ok ? (
        shares.data.length === 0 ? (
          <p className="empty-note">{t("sharing.none")}</p>
        ) : (
          <>
            <h3 className="h5">{t("sharing.sharedWith")}</h3>
            <ul className="nobullet-list share-list">
              {shares.data.map((s) => (
                <li key={s.collaboration_id}>
                  <span className="tag">{nameOf(s.collaboration_id)}</span>{" "}
                  <span className="form-hint-inline">
                    {t("sharing.since", { date: formatDate(s.created_at) ?? "" })},{" "}
                    {s.include_attachments ? t("sharing.includesAttachments") : t("sharing.withoutAttachments")}
                  </span>
                  {canShare ? (
                    <button
                      type="button"
                      className="function-link share-attachments"
                      onClick={() => void setAttachments(s.collaboration_id, !s.include_attachments)}
                    >
                      {s.include_attachments
                        ? t("sharing.attachmentsOff", { name: nameOf(s.collaboration_id) })
                        : t("sharing.attachmentsOn", { name: nameOf(s.collaboration_id) })}
                    </button>
                  ) : null}
                  {canShare ? (
                    <button
                      type="button"
                      className="function-link share-remove"
                      onClick={() => {
                        setUnsharing({ id: s.collaboration_id, name: nameOf(s.collaboration_id) });
                      }}
                    >
                      {t("sharing.unshare")}
                      <span className="sr-only"> {t("sharing.unshareWith", { name: nameOf(s.collaboration_id) })}</span>
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
      {toggleError ? <Alert variant="error">{toggleError}</Alert> : null}
      {!canShare ? <p className="form-hint">{t("sharing.editorsOnly")}</p> : null}
      {canShare && collaborations?.ok && shares?.ok ? (
        known.length === 0 ? (
          <p>{t("sharing.noCollaborations")}</p>
        ) : available.length === 0 ? (
          <p>{t("sharing.allShared")}</p>
        ) : (
          <form noValidate onSubmit={(e) => void onSubmit(e)} className="share-form">
            <SelectField
              id="share-collaboration"
              label={t("sharing.collaboration")}
              value={choice}
              onChange={(v) => {
                setChoice(v);
                setError(null);
              }}
              options={[
                { value: "", label: t("sharing.choose") },
                ...available.map((c) => ({ value: c.id, label: c.name })),
              ]}
              error={error ?? undefined}
            />
            <div className="form-group-checkbox">
              <input
                className="form-checkbox"
                type="checkbox"
                id="share-attachments"
                checked={withAttachments}
                aria-describedby="share-attachments-hint"
                onChange={(e) => {
                  setWithAttachments(e.target.checked);
                }}
              />
              <label className="form-label" htmlFor="share-attachments">
                {t("sharing.withAttachments")}
              </label>
              <span className="form-hint" id="share-attachments-hint">
                {t("sharing.withAttachmentsHint")}
              </span>
            </div>
            <div className="form-actions">
              <SubmitButton busy={busy} label={t("sharing.share")} className="button button-secondary" />
            </div>
          </form>
        )
      ) : null}
      {unsharing ? (
        <UnshareDialog
          contractId={contractId}
          collaboration={unsharing}
          onClose={() => {
            setUnsharing(null);
          }}
          onDone={(message) => {
            setUnsharing(null);
            changed(message);
          }}
        />
      ) : null}
    </section>
  );
}
