// The ordered clauses of a draft. A clause moves by dragging its handle, by
// the "Flyt op"/"Flyt ned" buttons, or with Alt+↑/Alt+↓ anywhere in it;
// each move is announced in a live region and focus stays with the clause.

import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { TextField } from "../../components/fields";
import { t } from "../../i18n";
import { dropIndex, emptyClause, keyMove, moveAnnouncement, moveItem } from "./clauses";
import { referencedNames } from "./markdown";
import { MarkdownEditor } from "./MarkdownEditor";
import { allParameters, type Clause } from "./model";
import { ParameterEditor } from "./ParameterEditor";

/** Server messages about the draft, keyed by the field path ("clauses[2].heading"). */
export type ClauseErrors = Readonly<Record<string, string>>;

function title(clause: Clause): string {
  return clause.heading.trim() || t("templates.clauses.untitled");
}

function errorsUnder(errors: ClauseErrors, prefix: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path.startsWith(prefix))
    .map(([, message]) => message);
}

export function ClauseListEditor({
  clauses,
  onChange,
  errors = {},
}: {
  clauses: readonly Clause[];
  onChange: (clauses: Clause[]) => void;
  errors?: ClauseErrors;
}) {
  const [announcement, setAnnouncement] = useState("");
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [dragging, setDragging] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<{ index: number; after: boolean } | null>(null);
  // After a move, focus goes back to the control that moved the clause.
  const focusAfter = useRef<{ key: string; control: string } | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    const item = items.current.get(target.key);
    const control = item?.querySelector<HTMLElement>(`[data-control="${target.control}"]`);
    (control && !control.hasAttribute("disabled") ? control : item?.querySelector<HTMLElement>("[data-control='handle']"))?.focus();
  });

  const allNames = allParameters({ clauses: [...clauses] }).map((p) => p.name);

  function move(from: number, to: number, control: string) {
    const next = moveItem(clauses, from, to);
    const clause = clauses[from];
    if (!clause || next.indexOf(clause) === from) return;
    focusAfter.current = { key: clause.key, control };
    onChange(next);
    setAnnouncement(moveAnnouncement(clause.heading, next.indexOf(clause) + 1, next.length));
  }

  function update(index: number, patch: Partial<Clause>) {
    onChange(clauses.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  }

  function toggle(key: string) {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number) {
    const step = keyMove(event);
    if (step === 0) return;
    event.preventDefault();
    const control = (event.target as HTMLElement).dataset.control ?? "handle";
    move(index, index + step, control);
  }

  function onDragOver(event: DragEvent<HTMLLIElement>, index: number) {
    if (dragging === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const rect = event.currentTarget.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    if (dropAt?.index !== index || dropAt.after !== after) setDropAt({ index, after });
  }

  function onDrop(event: DragEvent<HTMLLIElement>, index: number) {
    event.preventDefault();
    if (dragging !== null) {
      const rect = event.currentTarget.getBoundingClientRect();
      move(dragging, dropIndex(dragging, index, event.clientY > rect.top + rect.height / 2), "handle");
    }
    setDragging(null);
    setDropAt(null);
  }

  return (
    <section className="clause-list-editor" aria-labelledby="clauses-heading">
      <h2 id="clauses-heading" className="h3">
        {t("templates.clauses.legend")}
      </h2>
      <p className="form-hint">{t("templates.clauses.intro")}</p>
      <div className="sr-only" role="status" aria-live="polite">
        {announcement}
      </div>
      {clauses.length === 0 ? <p className="text-muted">{t("templates.clauses.empty")}</p> : null}
      <ol className="clause-list nobullet-list">
        {clauses.map((clause, index) => {
          const prefix = `clauses[${String(index)}]`;
          const id = `clause-${clause.key}`;
          const isOpen = open.has(clause.key) || errorsUnder(errors, `${prefix}.`).length > 0;
          const clauseErrors = errorsUnder(errors, prefix);
          const own = (clause.parameters ?? []).map((p) => p.name);
          const unknown = referencedNames(clause.text).filter((n) => !allNames.includes(n));
          const dropClass =
            dropAt?.index === index && dragging !== null && dragging !== index ? (dropAt.after ? " drop-after" : " drop-before") : "";
          return (
            <li
              key={clause.key}
              ref={(el) => {
                if (el) items.current.set(clause.key, el);
                else items.current.delete(clause.key);
              }}
              className={`clause-item${clauseErrors.length > 0 ? " clause-item-error" : ""}${dragging === index ? " is-dragging" : ""}${dropClass}`}
              aria-label={t("templates.clauses.itemLabel", { number: clause.number, heading: title(clause) })}
              onKeyDown={(e) => {
                onKeyDown(e, index);
              }}
              onDragOver={(e) => {
                onDragOver(e, index);
              }}
              onDrop={(e) => {
                onDrop(e, index);
              }}
              onDragEnd={() => {
                setDragging(null);
                setDropAt(null);
              }}
            >
              <div className="clause-bar">
                <button
                  type="button"
                  className="clause-handle"
                  draggable
                  data-control="handle"
                  aria-label={t("templates.clauses.dragHandle", { heading: title(clause) })}
                  title={t("templates.clauses.dragHandle", { heading: title(clause) })}
                  onDragStart={(e) => {
                    e.dataTransfer.effectAllowed = "move";
                    e.dataTransfer.setData("text/plain", clause.key);
                    setDragging(index);
                  }}
                >
                  <span aria-hidden="true">⠿</span>
                </button>
                <span className="clause-number">{clause.number}</span>
                <span className="clause-title">{title(clause)}</span>
                <span className={`badge badge-small ${clause.required ? "badge-info" : "badge-secondary"}`}>
                  {clause.required ? t("templates.clauses.requiredBadge") : t("templates.clauses.optionalBadge")}
                </span>
                {clauseErrors.length > 0 ? <span className="badge badge-small badge-error">{t("alert.error")}</span> : null}
                <span className="clause-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    data-control="up"
                    disabled={index === 0}
                    aria-label={t("templates.clauses.moveUpNamed", { heading: title(clause) })}
                    aria-keyshortcuts="Alt+ArrowUp"
                    onClick={() => {
                      move(index, index - 1, "up");
                    }}
                  >
                    {t("templates.clauses.moveUp")}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    data-control="down"
                    disabled={index === clauses.length - 1}
                    aria-label={t("templates.clauses.moveDownNamed", { heading: title(clause) })}
                    aria-keyshortcuts="Alt+ArrowDown"
                    onClick={() => {
                      move(index, index + 1, "down");
                    }}
                  >
                    {t("templates.clauses.moveDown")}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-expanded={isOpen}
                    aria-controls={`${id}-body`}
                    onClick={() => {
                      toggle(clause.key);
                    }}
                  >
                    {isOpen ? t("templates.clauses.collapse") : t("templates.clauses.expand")}
                  </button>
                </span>
              </div>
              <div id={`${id}-body`} className="clause-body" hidden={!isOpen}>
                {isOpen ? (
                  <>
                    <div className="clause-head-fields">
                      <TextField
                        id={`${id}-number`}
                        label={t("templates.clauses.number")}
                        hint={t("templates.clauses.numberHint")}
                        value={clause.number}
                        onChange={(v) => {
                          update(index, { number: v });
                        }}
                        error={errors[`${prefix}.number`]}
                        autoComplete="off"
                        inputClassName="input-width-xs"
                      />
                      <TextField
                        id={`${id}-heading`}
                        label={t("templates.clauses.heading")}
                        value={clause.heading}
                        onChange={(v) => {
                          update(index, { heading: v });
                        }}
                        error={errors[`${prefix}.heading`]}
                        autoComplete="off"
                        inputClassName="input-width-xl"
                      />
                    </div>
                    <MarkdownEditor
                      id={`${id}-text`}
                      label={t("templates.clauses.text")}
                      hint={t("templates.clauses.textHint", { example: "{{oppetid_procent}}" })}
                      value={clause.text}
                      onChange={(v) => {
                        update(index, { text: v });
                      }}
                      error={
                        errors[`${prefix}.text`] ??
                        (unknown.length > 0 ? t("templates.clauses.unknownReference", { names: unknown.join(", ") }) : undefined)
                      }
                    />
                    <div className="form-group-checkbox">
                      <input
                        id={`${id}-required`}
                        type="checkbox"
                        className="form-checkbox"
                        checked={clause.required}
                        aria-describedby={`${id}-required-hint`}
                        onChange={(e) => {
                          update(index, { required: e.target.checked });
                        }}
                      />
                      <label htmlFor={`${id}-required`}>{t("templates.clauses.required")}</label>
                      <span id={`${id}-required-hint`} className="form-hint">
                        {t("templates.clauses.requiredHint")}
                      </span>
                    </div>
                    <TextField
                      id={`${id}-guidance`}
                      label={t("templates.clauses.guidance")}
                      hint={t("templates.clauses.guidanceHint")}
                      value={clause.guidance ?? ""}
                      onChange={(v) => {
                        update(index, { guidance: v === "" ? null : v });
                      }}
                      error={errors[`${prefix}.guidance`]}
                      autoComplete="off"
                      inputClassName="input-width-xl"
                    />
                    <ParameterEditor
                      idPrefix={id}
                      parameters={clause.parameters ?? []}
                      otherNames={allNames.filter((n) => !own.includes(n))}
                      onChange={(parameters) => {
                        update(index, { parameters });
                      }}
                      serverErrors={errorsUnder(errors, `${prefix}.parameters`)}
                    />
                    <button
                      type="button"
                      className="button button-secondary button-small clause-remove"
                      aria-label={t("templates.clauses.removeNamed", { heading: title(clause) })}
                      onClick={() => {
                        onChange(clauses.filter((_, i) => i !== index));
                        setAnnouncement(t("templates.clauses.removed", { heading: title(clause) }));
                      }}
                    >
                      {t("templates.clauses.remove")}
                    </button>
                  </>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          const clause = emptyClause(clauses);
          setOpen((s) => new Set(s).add(clause.key));
          onChange([...clauses, clause]);
        }}
      >
        {t("templates.clauses.add")}
      </button>
    </section>
  );
}
