// The scopes of an API client as checkboxes, each with its Danish meaning.

import type { ClientScope } from "../../api/types";
import { t } from "../../i18n";
import { CLIENT_SCOPES, orderedScopes } from "./useApiClients";

export function ScopeCheckboxes({
  id,
  selected,
  onChange,
  error,
}: {
  id: string;
  selected: readonly ClientScope[];
  onChange: (scopes: ClientScope[]) => void;
  error?: string | undefined;
}) {
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`form-group${error ? " form-error" : ""}`}>
      <fieldset aria-describedby={describedBy}>
        <legend className="form-label">{t("apiClients.scopes")}</legend>
        <span className="form-hint" id={`${id}-hint`}>
          {t("apiClients.scopesHint")}
        </span>
        {error ? (
          <span className="form-error-message" id={`${id}-error`}>
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {error}
          </span>
        ) : null}
        <ul className="nobullet-list scope-list" id={id} tabIndex={-1}>
          {CLIENT_SCOPES.map((scope, i) => {
            const inputId = `${id}-${String(i)}`;
            return (
              <li key={scope}>
                <div className="form-group-checkbox">
                  <input
                    className="form-checkbox"
                    type="checkbox"
                    id={inputId}
                    name={id}
                    value={scope}
                    checked={selected.includes(scope)}
                    onChange={(e) => {
                      onChange(
                        orderedScopes(e.target.checked ? [...selected, scope] : selected.filter((s) => s !== scope)),
                      );
                    }}
                  />
                  <label className="form-label" htmlFor={inputId}>
                    {t(`clientScopes.${scope}`)} <code className="scope-code">{scope}</code>
                  </label>
                </div>
              </li>
            );
          })}
        </ul>
      </fieldset>
    </div>
  );
}
