// Small pieces shared by the contract pages: status and sharing tags, the
// guard for the writing pages, dates that warn when near, and form controls
// the shared fields module does not have (text area, numbers, checkboxes).

import type { ReactNode, Ref } from "react";
import { Link } from "react-router";
import type { Contract, PrincipalRole } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { describedBy, FieldFrame, type FieldProps } from "../../components/fields";
import { PageHeading } from "../../components/PageHeading";
import { formatDate } from "../../format";
import { t } from "../../i18n";

export const WRITERS: readonly PrincipalRole[] = ["admin", "editor"];

export function useCanWrite(): boolean {
  const { me } = useAuth();
  return me ? WRITERS.includes(me.role) : false;
}

/** The create and edit pages: editors and admins only, others get a page saying why. */
export function RequireWriter({ children }: { children: ReactNode }) {
  if (useCanWrite()) return children;
  return (
    <>
      <PageHeading title={t("contractForm.forbiddenTitle")} />
      <p>{t("contractForm.forbiddenText")}</p>
      <p>
        <Link to="/kontrakter">{t("contractForm.forbiddenBack")}</Link>
      </p>
    </>
  );
}

const STATUS_BADGE: Readonly<Record<string, string>> = {
  active: "badge badge-success",
  draft: "badge badge-info",
  not_started: "badge badge-info",
  expired: "badge",
  terminated: "badge badge-warning",
};

export function StatusBadge({ code, label }: { code: string; label: string }) {
  return <span className={STATUS_BADGE[code] ?? "badge"}>{label}</span>;
}

export function SharedTag({ contract }: { contract: Pick<Contract, "shared" | "owner"> }) {
  if (!contract.shared) return null;
  return <span className="tag tag-shared">{t("contracts.sharedBy", { municipality: contract.owner.name })}</span>;
}

const DAY = 86_400_000;

/** Whole days from today (Copenhagen calendar) to an ISO date; negative when passed. */
export function daysUntil(iso: string, today = new Date()): number {
  const [y, m, d] = iso.split("-").map(Number);
  const local = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen" }).format(today);
  const [ty, tm, td] = local.split("-").map(Number);
  return Math.round((Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) - Date.UTC(ty ?? 0, (tm ?? 1) - 1, td ?? 1)) / DAY);
}

/** How near a derived date is: passed, within 90 days, or later. */
export function nearness(iso: string | null | undefined, today = new Date()): "passed" | "near" | "later" | null {
  if (!iso) return null;
  const days = daysUntil(iso, today);
  if (days < 0) return "passed";
  return days <= 90 ? "near" : "later";
}

/** A derived date with how near it is; `absent` says what no date means (default "Ingen"). */
export function DateWithWarning({ iso, absent }: { iso: string | null | undefined; absent?: string }) {
  const text = formatDate(iso);
  if (!iso || !text) return <>{absent ?? t("contract.noDate")}</>;
  const days = daysUntil(iso);
  const state = nearness(iso);
  return (
    <>
      {text}
      {state === "passed" ? <span className="badge badge-error date-badge">{t("contract.passed")}</span> : null}
      {state === "near" ? (
        <span className="badge badge-warning date-badge">
          {days === 0 ? t("contract.today") : t("contract.soon", { count: days })}
        </span>
      ) : null}
    </>
  );
}

export function TextAreaField(props: FieldProps & { value: string; onChange: (value: string) => void; rows?: number }) {
  const { id, value, onChange, rows = 4, hint, error } = props;
  return (
    <FieldFrame {...props}>
      <textarea
        id={id}
        name={id}
        className="form-input input-width-xl"
        rows={rows}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

/** A plain text input with the frame: numbers and amounts. */
export function InputField(
  props: FieldProps & {
    value: string;
    onChange: (value: string) => void;
    inputMode?: "numeric" | "decimal";
    inputClassName?: string;
    required?: boolean;
    autoComplete?: string;
    ref?: Ref<HTMLInputElement>;
  },
) {
  const { id, value, onChange, inputMode, inputClassName, hint, error, required, autoComplete, ref } = props;
  return (
    <FieldFrame {...props}>
      <input
        ref={ref}
        id={id}
        name={id}
        type="text"
        inputMode={inputMode}
        className={`form-input${inputClassName ? ` ${inputClassName}` : ""}`}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        required={required}
        autoComplete={autoComplete ?? "off"}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

/** A group of checkboxes in a fieldset with a legend, for multiple choices. */
export function CheckboxGroup({
  id,
  legend,
  hint,
  error,
  options,
  selected,
  onChange,
  className,
}: {
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
  className?: string;
}) {
  return (
    <div className={`form-group${error ? " form-error" : ""}`}>
      <fieldset aria-describedby={describedBy(id, hint, error)}>
        <legend className="form-label">{legend}</legend>
        {hint ? (
          <span className="form-hint" id={`${id}-hint`}>
            {hint}
          </span>
        ) : null}
        {error ? (
          <span className="form-error-message" id={`${id}-error`}>
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {error}
          </span>
        ) : null}
        <ul className={`nobullet-list${className ? ` ${className}` : ""}`} id={id} tabIndex={-1}>
          {options.map((o, i) => (
            <li key={o.value}>
              <div className="form-group-checkbox">
                <input
                  className="form-checkbox"
                  type="checkbox"
                  id={`${id}-${String(i)}`}
                  name={id}
                  value={o.value}
                  checked={selected.includes(o.value)}
                  onChange={(e) => {
                    onChange(
                      e.target.checked ? [...selected, o.value] : selected.filter((value) => value !== o.value),
                    );
                  }}
                />
                <label className="form-label" htmlFor={`${id}-${String(i)}`}>
                  {o.label}
                </label>
              </div>
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}
