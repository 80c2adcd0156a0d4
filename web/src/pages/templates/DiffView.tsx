// The changes between two versions: a count, then each clause that was
// added, removed, moved or changed, its text compared word by word, and a
// table of the parameters that changed. Inserted and deleted words are
// marked with <ins>/<del>, a visible style that does not rely on colour
// alone, and words a screen reader speaks before and after each change.

import { useState } from "react";
import { t } from "../../i18n";
import type { ClauseChange, ContentDiff, ParameterChange, ParameterField } from "./contentDiff";
import type { Clause, Parameter } from "./model";
import { kindLabel } from "./ParameterEditor";
import { formatValue, toDanishDecimal } from "./values";
import { wordDiff } from "./wordDiff";

export function WordDiff({ before, after }: { before: string; after: string }) {
  return (
    <p className="word-diff pre-line">
      {wordDiff(before, after).map((segment, i) =>
        segment.op === "same" ? (
          <span key={i}>{segment.text}</span>
        ) : segment.op === "ins" ? (
          <ins key={i}>
            <span className="sr-only">[{t("templates.diff.inserted")} </span>
            {segment.text}
            <span className="sr-only"> {t("templates.diff.insertedEnd")}]</span>
          </ins>
        ) : (
          <del key={i}>
            <span className="sr-only">[{t("templates.diff.deleted")} </span>
            {segment.text}
            <span className="sr-only"> {t("templates.diff.deletedEnd")}]</span>
          </del>
        ),
      )}
    </p>
  );
}

function statusTag(change: ClauseChange): { label: string; className: string }[] {
  const tags: { label: string; className: string }[] = [];
  if (change.status === "added") tags.push({ label: t("templates.diff.added"), className: "badge-success" });
  if (change.status === "removed") tags.push({ label: t("templates.diff.removed"), className: "badge-error" });
  if (change.status === "changed") tags.push({ label: t("templates.diff.changed"), className: "badge-warning" });
  if (change.moved) tags.push({ label: t("templates.diff.moved"), className: "badge-info" });
  if (tags.length === 0) tags.push({ label: t("templates.diff.unchanged"), className: "badge-secondary" });
  return tags;
}

function clauseTitle(clause: Clause): string {
  return `${clause.number} ${clause.heading}`.trim();
}

function ClauseChangeView({ change }: { change: ClauseChange }) {
  const shown = change.after ?? change.before;
  if (!shown) return null;
  const before = change.before;
  const after = change.after;
  return (
    <li className={`diff-clause diff-clause-${change.status}${change.moved ? " diff-clause-moved" : ""}`}>
      <h4 className="h5 diff-clause-heading">
        {clauseTitle(shown)}{" "}
        {statusTag(change).map((tag) => (
          <span key={tag.label} className={`badge badge-small ${tag.className}`}>
            {tag.label}
          </span>
        ))}
      </h4>
      {change.moved && change.fromPosition !== null && change.toPosition !== null ? (
        <p className="text-muted">{t("templates.diff.movedFrom", { from: change.fromPosition, to: change.toPosition })}</p>
      ) : null}
      {before && after ? (
        <>
          {change.fields.includes("number") ? <p>{t("templates.diff.fieldNumber", { before: before.number, after: after.number })}</p> : null}
          {change.fields.includes("heading") ? <p>{t("templates.diff.fieldHeading", { before: before.heading, after: after.heading })}</p> : null}
          {change.fields.includes("required") ? (
            <p>{after.required ? t("templates.diff.fieldRequiredOn") : t("templates.diff.fieldRequiredOff")}</p>
          ) : null}
          {change.fields.includes("guidance") ? <p>{t("templates.diff.fieldGuidance")}</p> : null}
          {change.fields.includes("text") ? <WordDiff before={before.text} after={after.text} /> : null}
        </>
      ) : change.status === "added" && after ? (
        <WordDiff before="" after={after.text} />
      ) : before ? (
        <WordDiff before={before.text} after="" />
      ) : null}
    </li>
  );
}

function fieldValue(p: Parameter | null, field: ParameterField): string {
  if (!p) return t("templates.diff.empty");
  switch (field) {
    case "label":
      return p.label;
    case "kind":
      return kindLabel(p.kind);
    case "duration_unit":
      return p.duration_unit ? t(`templates.parameters.durationUnits.${p.duration_unit}`) : t("templates.diff.empty");
    case "unit":
      return p.unit ?? t("templates.diff.empty");
    case "required":
      return (p.required ?? true) ? t("templates.diff.yes") : t("templates.diff.no");
    case "default":
      return p.default ? formatValue(p.default, p) : t("templates.diff.empty");
    case "min":
      return p.min != null ? toDanishDecimal(p.min) : t("templates.diff.empty");
    case "max":
      return p.max != null ? toDanishDecimal(p.max) : t("templates.diff.empty");
    case "choices":
      return p.choices?.length ? p.choices.join(", ") : t("templates.diff.empty");
  }
}

function parameterSummary(p: Parameter): string {
  const value = p.default ? ` = ${formatValue(p.default, p)}` : "";
  return `${p.label} (${kindLabel(p.kind)})${value}`;
}

function parameterRows(change: ParameterChange) {
  if (change.status !== "changed") {
    const p = change.after ?? change.before;
    return [
      {
        key: change.name,
        what: change.status === "added" ? t("templates.diff.added") : t("templates.diff.removed"),
        before: change.before ? parameterSummary(change.before) : t("templates.diff.empty"),
        after: change.after ? parameterSummary(change.after) : t("templates.diff.empty"),
        label: p?.label ?? change.name,
      },
    ];
  }
  return change.fields.map((field) => ({
    key: `${change.name}.${field}`,
    what: t(`templates.diff.paramFields.${field}`),
    before: fieldValue(change.before, field),
    after: fieldValue(change.after, field),
    label: change.after?.label ?? change.name,
  }));
}

export function DiffView({ diff, from, to }: { diff: ContentDiff; from: number; to: number }) {
  const [showAll, setShowAll] = useState(false);
  const changed = diff.clauses.filter((c) => c.status !== "unchanged" || c.moved);
  const count = (status: ClauseChange["status"]) => diff.clauses.filter((c) => c.status === status).length;
  const shown = showAll ? diff.clauses : changed;
  const rows = diff.parameters.flatMap(parameterRows);
  return (
    <section className="diff-view" aria-label={t("templates.diff.caption", { from, to })}>
      {changed.length === 0 && rows.length === 0 ? (
        <p>{t("templates.diff.none")}</p>
      ) : (
        <>
          <p className="diff-summary">
            {t("templates.diff.summary", {
              added: count("added"),
              removed: count("removed"),
              moved: diff.clauses.filter((c) => c.moved).length,
              changed: count("changed"),
            })}
          </p>
          <p className="form-hint">{t("templates.diff.legend")}</p>
        </>
      )}
      <div className="form-group-checkbox">
        <input
          id={`diff-all-${String(from)}-${String(to)}`}
          type="checkbox"
          className="form-checkbox"
          checked={showAll}
          onChange={(e) => {
            setShowAll(e.target.checked);
          }}
        />
        <label htmlFor={`diff-all-${String(from)}-${String(to)}`}>{t("templates.diff.showUnchanged")}</label>
      </div>
      <ol className="diff-clauses nobullet-list">
        {shown.map((change) => (
          <ClauseChangeView key={change.key} change={change} />
        ))}
      </ol>
      {rows.length > 0 ? (
        <div className="table--responsive-scroll">
          <table className="table table--compact diff-parameters">
            <caption>{t("templates.diff.parametersCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("templates.diff.colParameter")}</th>
                <th scope="col">{t("templates.diff.colChange")}</th>
                <th scope="col">{t("templates.diff.colBefore")}</th>
                <th scope="col">{t("templates.diff.colAfter")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>{row.what}</td>
                  <td>{row.before}</td>
                  <td>{row.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
