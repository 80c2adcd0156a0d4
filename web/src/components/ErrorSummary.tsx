import type { MouseEvent, Ref } from "react";
import { t } from "../i18n";
import { Icon } from "./Icon";
import { summaryText } from "./summary";

export interface SummaryItem {
  /** The id of the input the error is about; absent for errors about the whole form. */
  fieldId?: string;
  /** The field's label, so the entry says which field it is about. */
  label?: string;
  message: string;
}

/** Focuses the input and scrolls its label into view rather than jumping to the bare input. */
function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string) {
  const input = document.getElementById(fieldId);
  if (!input) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(fieldId)}"]`);
  (label ?? input).scrollIntoView({ block: "start" });
  input.focus({ preventScroll: true });
}

/**
 * The DKFDS error summary: one link per problem, above the form, each naming
 * its field and leading to it. Focus it when it appears.
 */
export function ErrorSummary({ items, ref }: { items: readonly SummaryItem[]; ref?: Ref<HTMLDivElement> }) {
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="alert alert-error error-summary" role="alert" tabIndex={-1} data-module="error-summary">
      <Icon name="error" className="alert-icon" />
      <div className="alert-body">
        <h2 className="alert-heading h3">{t("form.errorSummaryTitle")}</h2>
        <ul className="alert-text nobullet-list">
          {items.map((item) => (
            <li key={`${item.fieldId ?? ""}:${item.message}`}>
              {item.fieldId ? (
                <a
                  href={`#${item.fieldId}`}
                  onClick={(e) => {
                    focusField(e, item.fieldId ?? "");
                  }}
                >
                  {summaryText(item.label, item.message)}
                </a>
              ) : (
                item.message
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
