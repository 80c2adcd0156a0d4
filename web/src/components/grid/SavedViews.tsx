// "Gemte visninger": the user's own named views of a list. Choosing one
// opens the list at its address; the current view can be saved under a new
// name or written over an existing one; views can be renamed and deleted.
// Only their user sees them (GET/POST/PUT/DELETE /me/views).

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle, type Outcome } from "../../api/problem";
import type { components } from "../../api/schema";
import { useLoad } from "../../api/useLoad";
import { t } from "../../i18n";
import { Alert } from "../Alert";
import { ConfirmDialog } from "../ConfirmDialog";
import { Dialog } from "../Dialog";
import { TextField } from "../fields";
import { isChanged, useUnsavedChangesGuard } from "../UnsavedChanges";
import { Popover } from "./Popover";

type SavedView = components["schemas"]["SavedView"];
type Page = components["schemas"]["SavedViewPage"];

/** The name's error in Danish, from the answer to a save or rename. */
function nameError(outcome: Outcome<unknown>): { message: string; taken: boolean } {
  if (outcome.ok) return { message: "", taken: false };
  const field = outcome.problem?.errors?.find((e) => e.field === "name");
  if (outcome.status === 409) return { message: t("savedViews.nameTaken"), taken: true };
  if (field?.code === "required") return { message: t("savedViews.nameRequired"), taken: false };
  if (field?.code === "too_long") return { message: t("savedViews.nameTooLong"), taken: false };
  return { message: failureMessage(outcome), taken: false };
}

function NameDialog({
  title,
  text,
  initial,
  onClose,
  submit,
  onTaken,
}: {
  title: string;
  text?: string;
  initial: string;
  onClose: () => void;
  submit: (name: string) => Promise<Outcome<unknown>>;
  /** Offered when the name is taken: write the view over the one with that name. */
  onTaken?: (name: string) => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<{ message: string; taken: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const guard = useUnsavedChangesGuard(isChanged({ name }, { name: initial }));

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === "") {
      setError({ message: t("savedViews.nameRequired"), taken: false });
      return;
    }
    setBusy(true);
    const outcome = await submit(name.trim());
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      onClose();
    } else setError(nameError(outcome));
  }

  return (
    <Dialog title={title} onClose={onClose}>
      {text ? <p>{text}</p> : null}
      <form noValidate onSubmit={(e) => void onSubmit(e)}>
        <TextField
          id="saved-view-name"
          label={t("savedViews.name")}
          hint={t("savedViews.nameHint")}
          value={name}
          onChange={setName}
          error={error?.message}
          inputClassName="input-width-l"
        />
        {error?.taken && onTaken ? (
          <p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                guard.release();
                onTaken(name.trim());
              }}
            >
              {t("savedViews.overwriteTaken", { name: name.trim() })}
            </button>
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("form.saving") : t("savedViews.saveButton")}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t("form.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Open =
  | { kind: "save" }
  | { kind: "rename"; view: SavedView }
  | { kind: "delete"; view: SavedView }
  | null;

export function SavedViews({ page, listPath, current }: { page: Page; listPath: string; current: string }) {
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Open>(null);
  const [message, setMessage] = useState<{ text: string; seq: number } | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const list = useLoad(`${page}|${String(version)}`, (signal) =>
    settle(api.GET("/me/views", { params: { query: { page } }, signal })),
  );
  const views = list.current?.ok ? list.current.data.items : list.previous?.ok ? list.previous.data.items : [];
  const failed = list.current !== null && !list.current.ok;

  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  function done(text: string) {
    setVersion((v) => v + 1);
    setMessage((m) => ({ text, seq: (m?.seq ?? 0) + 1 }));
  }

  async function overwrite(view: SavedView | undefined, name: string): Promise<Outcome<unknown>> {
    const target = view ?? views.find((v) => v.name === name);
    if (!target) return { ok: false, status: 404, problem: null, response: null };
    const outcome = await settle(
      api.PUT("/me/views/{id}", { params: { path: { id: target.id } }, body: { name: target.name, query: current } }),
    );
    if (outcome.ok) done(t("savedViews.overwritten", { name: target.name }));
    return outcome;
  }

  return (
    <div className="saved-views">
      <Popover
        className="saved-views-menu"
        icon="bookmarks"
        label={views.length > 0 ? t("savedViews.menuCount", { count: views.length }) : t("savedViews.menu")}
        open={open}
        onOpenChange={setOpen}
      >
        {failed ? <Alert variant="error">{t("savedViews.loadFailed")}</Alert> : null}
        {views.length === 0 && !failed ? <p className="saved-views-none">{t("savedViews.none")}</p> : null}
        {views.length > 0 ? (
          <ul className="nobullet-list saved-views-list">
            {views.map((view) => {
              const isCurrent = view.query === current;
              return (
                <li key={view.id}>
                  <Link
                    className="saved-view-link"
                    to={`${listPath}${view.query ? `?${view.query}` : ""}`}
                    aria-current={isCurrent ? "page" : undefined}
                    onClick={() => {
                      setOpen(false);
                    }}
                  >
                    {view.name}
                  </Link>
                  {isCurrent ? <span className="badge saved-view-current">{t("savedViews.current")}</span> : null}
                  <span className="saved-view-actions">
                    <button
                      type="button"
                      className="button button-tertiary"
                      aria-label={t("savedViews.renameFor", { name: view.name })}
                      onClick={() => {
                        setDialog({ kind: "rename", view });
                      }}
                    >
                      {t("savedViews.rename")}
                    </button>
                    {isCurrent ? null : (
                      <button
                        type="button"
                        className="button button-tertiary"
                        aria-label={t("savedViews.overwriteFor", { name: view.name })}
                        onClick={() => void overwrite(view, view.name)}
                      >
                        {t("savedViews.overwrite")}
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button-tertiary"
                      aria-label={t("savedViews.deleteFor", { name: view.name })}
                      onClick={() => {
                        setDialog({ kind: "delete", view });
                      }}
                    >
                      {t("savedViews.delete")}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
        <button
          type="button"
          className="button button-primary saved-views-save"
          onClick={() => {
            setDialog({ kind: "save" });
          }}
        >
          {t("savedViews.save")}
        </button>
      </Popover>
      {message ? (
        <Alert key={message.seq} ref={messageRef} variant="success">
          {message.text}
        </Alert>
      ) : null}
      {dialog?.kind === "save" ? (
        <NameDialog
          title={t("savedViews.saveTitle")}
          text={t("savedViews.saveText")}
          initial=""
          onClose={() => {
            setDialog(null);
          }}
          submit={async (name) => {
            const outcome = await settle(api.POST("/me/views", { body: { page, name, query: current } }));
            if (outcome.ok) done(t("savedViews.saved", { name }));
            return outcome;
          }}
          onTaken={(name) => {
            setDialog(null);
            void overwrite(undefined, name);
          }}
        />
      ) : null}
      {dialog?.kind === "rename" ? (
        <NameDialog
          title={t("savedViews.renameTitle")}
          initial={dialog.view.name}
          onClose={() => {
            setDialog(null);
          }}
          submit={async (name) => {
            const outcome = await settle(
              api.PUT("/me/views/{id}", {
                params: { path: { id: dialog.view.id } },
                body: { name, query: dialog.view.query },
              }),
            );
            if (outcome.ok) done(t("savedViews.renamed", { name }));
            return outcome;
          }}
        />
      ) : null}
      {dialog?.kind === "delete" ? (
        <ConfirmDialog
          title={t("savedViews.deleteTitle")}
          text={t("savedViews.deleteText", { name: dialog.view.name })}
          confirmLabel={t("savedViews.delete")}
          action={() => settle(api.DELETE("/me/views/{id}", { params: { path: { id: dialog.view.id } } }))}
          onClose={() => {
            setDialog(null);
          }}
          onDone={() => {
            const name = dialog.view.name;
            setDialog(null);
            done(t("savedViews.deleted", { name }));
          }}
        />
      ) : null}
    </div>
  );
}
