// One action on the contracts chosen in the list: a sticky bar with the
// count and the actions, each asking in a modal how it applies to how many
// contracts before it is carried out, all or nothing, by the server.

import { useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle, type Outcome } from "../../api/problem";
import type { BulkContractAction, BulkContractResult } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Dialog } from "../../components/Dialog";
import { SelectField, SubmitButton, TextField } from "../../components/fields";
import { t, type MessageKey } from "../../i18n";
import { useCollaborations } from "./useContracts";

export type BulkKind = BulkContractAction["kind"];

const ACTIONS: readonly { kind: BulkKind; label: MessageKey }[] = [
  { kind: "share", label: "bulk.share" },
  { kind: "unshare", label: "bulk.unshare" },
  { kind: "archive", label: "bulk.archive" },
  { kind: "restore", label: "bulk.restore" },
  { kind: "set_category", label: "bulk.setCategory" },
  { kind: "set_responsible_unit", label: "bulk.setResponsibleUnit" },
];

const TITLES: Readonly<Record<BulkKind, MessageKey>> = {
  share: "bulk.shareTitle",
  unshare: "bulk.unshareTitle",
  archive: "bulk.archiveTitle",
  restore: "bulk.restoreTitle",
  set_category: "bulk.setCategoryTitle",
  set_responsible_unit: "bulk.setResponsibleUnitTitle",
};

/** "1 kontrakt" or "N kontrakter". */
export function contractCount(n: number): string {
  return n === 1 ? t("bulk.oneContract") : t("bulk.contracts", { count: n });
}

/** What the server's answer says, as the success message. */
export function resultMessage(result: BulkContractResult): string {
  const changed = t("bulk.changed", { count: contractCount(result.changed) });
  return result.unchanged === 0 ? changed : `${changed} ${t("bulk.unchanged", { count: contractCount(result.unchanged) })}`;
}

/**
 * The titles of the refused contracts, from the field errors naming them
 * by their place in the request (`contract_ids[3]`).
 */
export function refusedTitles(outcome: Outcome<unknown>, ids: readonly string[], titles: ReadonlyMap<string, string>): string[] {
  if (outcome.ok) return [];
  const found: string[] = [];
  for (const error of outcome.problem?.errors ?? []) {
    const match = /^contract_ids\[(\d+)\]$/.exec(error.field);
    const id = match ? ids[Number(match[1])] : undefined;
    if (id) found.push(titles.get(id) ?? id);
  }
  return found;
}

function BulkDialog({
  kind,
  ids,
  titles,
  onClose,
  onDone,
}: {
  kind: BulkKind;
  ids: readonly string[];
  titles: ReadonlyMap<string, string>;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const collaborations = useCollaborations();
  const [collaboration, setCollaboration] = useState("");
  const [withAttachments, setWithAttachments] = useState(false);
  const [text, setText] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; refused: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const known = collaborations?.ok ? collaborations.data : [];

  function action(): BulkContractAction | null {
    switch (kind) {
      case "share":
      case "unshare":
        if (!collaboration) {
          setFieldError(t("contractErrors.required", { field: t("sharing.collaboration").toLowerCase() }));
          return null;
        }
        return kind === "share"
          ? { kind, collaboration_id: collaboration, include_attachments: withAttachments }
          : { kind, collaboration_id: collaboration };
      case "set_category":
        if (!text.trim()) {
          setFieldError(t("contractErrors.required", { field: t("contracts.category").toLowerCase() }));
          return null;
        }
        return { kind, category: text.trim() };
      case "set_responsible_unit":
        return text.trim() ? { kind, responsible_unit: text.trim() } : { kind };
      case "archive":
      case "restore":
        // The generated type reads "no other fields" as fields of type never.
        return { kind } as BulkContractAction;
    }
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = action();
    if (!chosen) return;
    setBusy(true);
    const outcome = await settle(api.POST("/contracts/bulk", { body: { contract_ids: [...ids], action: chosen } }));
    setBusy(false);
    if (outcome.ok) {
      onDone(resultMessage(outcome.data));
      return;
    }
    const refused = refusedTitles(outcome, ids, titles);
    setFailure({ message: refused.length > 0 ? t("bulk.refused") : failureMessage(outcome), refused });
  }

  return (
    <Dialog title={t(TITLES[kind])} onClose={onClose}>
      {failure ? (
        <Alert variant="error">
          <p>{failure.message}</p>
          {failure.refused.length > 0 ? (
            <ul>
              {failure.refused.map((title, i) => (
                <li key={`${title}-${String(i)}`}>{title}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <form noValidate onSubmit={(e) => void onSubmit(e)}>
        <p className="bulk-affects">{t("bulk.affects", { count: contractCount(ids.length) })}</p>
        {kind === "share" || kind === "unshare" ? (
          known.length === 0 && collaborations?.ok ? (
            <p>{t("sharing.noCollaborations")}</p>
          ) : (
            <SelectField
              id="bulk-collaboration"
              label={t("sharing.collaboration")}
              value={collaboration}
              onChange={(v) => {
                setCollaboration(v);
                setFieldError(null);
              }}
              options={[{ value: "", label: t("sharing.choose") }, ...known.map((c) => ({ value: c.id, label: c.name }))]}
              error={fieldError ?? undefined}
            />
          )
        ) : null}
        {kind === "share" ? (
          <div className="form-group-checkbox">
            <input
              className="form-checkbox"
              type="checkbox"
              id="bulk-attachments"
              checked={withAttachments}
              onChange={(e) => {
                setWithAttachments(e.target.checked);
              }}
            />
            <label className="form-label" htmlFor="bulk-attachments">
              {t("sharing.withAttachments")}
            </label>
          </div>
        ) : null}
        {kind === "set_category" || kind === "set_responsible_unit" ? (
          <TextField
            id="bulk-text"
            label={kind === "set_category" ? t("contracts.category") : t("bulk.responsibleUnit")}
            hint={kind === "set_responsible_unit" ? t("bulk.responsibleUnitHint") : undefined}
            value={text}
            onChange={(v) => {
              setText(v);
              setFieldError(null);
            }}
            error={fieldError ?? undefined}
          />
        ) : null}
        {kind === "archive" ? <p>{t("bulk.archiveText")}</p> : null}
        {kind === "restore" ? <p>{t("bulk.restoreText")}</p> : null}
        <div className="form-actions">
          <SubmitButton busy={busy} label={t(ACTIONS.find((a) => a.kind === kind)?.label ?? "bulk.apply")} />
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t("form.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The bar over the list while contracts are chosen. */
export function BulkBar({
  ids,
  titles,
  onClear,
  onDone,
}: {
  ids: readonly string[];
  titles: ReadonlyMap<string, string>;
  onClear: () => void;
  onDone: (message: string) => void;
}) {
  const [open, setOpen] = useState<BulkKind | null>(null);
  if (ids.length === 0 && open === null) return null;
  return (
    <div className="bulk-bar" role="region" aria-label={t("bulk.region")}>
      <p className="bulk-count" aria-live="polite">
        <strong>{t("bulk.selected", { count: ids.length })}</strong>
      </p>
      <ul className="unstyled-list bulk-actions">
        {ACTIONS.map((a) => (
          <li key={a.kind}>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setOpen(a.kind);
              }}
            >
              {t(a.label)}
            </button>
          </li>
        ))}
        <li>
          <button type="button" className="function-link" onClick={onClear}>
            {t("bulk.clear")}
          </button>
        </li>
      </ul>
      {open ? (
        <BulkDialog
          kind={open}
          ids={ids}
          titles={titles}
          onClose={() => {
            setOpen(null);
          }}
          onDone={(message) => {
            setOpen(null);
            onDone(message);
          }}
        />
      ) : null}
    </div>
  );
}
