// A version's clauses read-only: number, heading, required or optional,
// the text as it will read, guidance and the parameters it introduces.

import { t } from "../../i18n";
import { MarkdownPreview } from "./MarkdownEditor";
import type { VersionContent } from "./model";
import { ParameterEditor } from "./ParameterEditor";

export function VersionContentView({ content, idPrefix }: { content: VersionContent; idPrefix: string }) {
  if (content.clauses.length === 0) return <p className="text-muted">{t("templates.page.noClauses")}</p>;
  return (
    <ol className="nobullet-list template-clauses">
      {content.clauses.map((clause) => (
        <li key={clause.key} className="template-clause">
          <h4 className="h5">
            {clause.number} {clause.heading}{" "}
            <span className={`badge badge-small ${clause.required ? "badge-info" : "badge-secondary"}`}>
              {clause.required ? t("templates.clauses.requiredBadge") : t("templates.clauses.optionalBadge")}
            </span>
          </h4>
          <MarkdownPreview text={clause.text} className="template-clause-text" />
          {clause.guidance ? <p className="form-hint">{clause.guidance}</p> : null}
          {(clause.parameters ?? []).length > 0 ? (
            <ParameterEditor
              idPrefix={`${idPrefix}-${clause.key}`}
              parameters={clause.parameters ?? []}
              otherNames={[]}
              onChange={() => undefined}
              readOnly
            />
          ) : null}
        </li>
      ))}
    </ol>
  );
}
