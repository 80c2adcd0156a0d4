// Whose contracts the digest or the calendar follows: only those the user
// owns, or all the municipality's. Shown as the choice that applies now.

import { useId } from "react";
import type { ContractCoverage } from "../../api/types";
import { t } from "../../i18n";

const COVERAGES: readonly ContractCoverage[] = ["owned", "all"];

export function CoverageChoice({
  name,
  hint,
  value,
  onChange,
}: {
  name: string;
  hint: string;
  value: ContractCoverage;
  onChange: (value: ContractCoverage) => void;
}) {
  const hintId = `${useId()}-hint`;
  return (
    <div className="form-group">
      <fieldset aria-describedby={hintId}>
        <legend className="form-label">{t("ownership.coverageLegend")}</legend>
        <span className="form-hint" id={hintId}>
          {hint}
        </span>
        <ul className="nobullet-list">
          {COVERAGES.map((c) => (
            <li key={c}>
              <div className="form-group-radio">
                <input
                  className="form-radio"
                  type="radio"
                  id={`${name}-${c}`}
                  name={name}
                  value={c}
                  checked={value === c}
                  onChange={() => {
                    onChange(c);
                  }}
                />
                <label className="form-label" htmlFor={`${name}-${c}`}>
                  {t(`ownership.coverage.${c}`)}
                </label>
              </div>
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}
