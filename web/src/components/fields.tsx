// DKFDS form controls: label, hint, error message and input tied together
// with for/id and aria-describedby, as the design system prescribes.

import type { ChangeEvent, ReactNode, Ref } from "react";
import { formatDate, parseDanishDate } from "../format";
import { t } from "../i18n";

export interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  className?: string | undefined;
}

/** The ids of a field's hint and error, for aria-describedby. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** A DKFDS form group: label, hint and error message around `children`. */
export function FieldFrame({ id, label, error, hint, children, className }: FieldProps & { children: ReactNode }) {
  return (
    <div className={`form-group${error ? " form-error" : ""}${className ? ` ${className}` : ""}`}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
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
      {children}
    </div>
  );
}

interface TextFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "email" | "password" | "search";
  autoComplete?: string;
  inputClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

export function TextField(props: TextFieldProps) {
  const { id, value, onChange, type = "text", autoComplete, required, error, hint, inputClassName, ref } = props;
  return (
    <FieldFrame {...props}>
      <input
        ref={ref}
        id={id}
        name={id}
        type={type}
        className={`form-input${inputClassName ? ` ${inputClassName}` : ""}`}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          onChange(e.target.value);
        }}
        autoComplete={autoComplete}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        spellCheck={type === "text" ? undefined : false}
      />
    </FieldFrame>
  );
}

interface DateFieldProps extends FieldProps {
  /** The text as typed; read it with parseDanishDate when the form is sent. */
  value: string;
  onChange: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A date as one text field written dd.mm.åååå, the Danish way whatever the
 * browser's language (a native date input follows the browser and can be
 * left half filled while reporting no value). The hint says how to write it;
 * a date that reads is tidied to dd.mm.åååå when the field is left, and the
 * form decides what an unreadable one means (parseDanishDate gives null).
 */
export function DateField(props: DateFieldProps) {
  const { id, value, onChange, required, error, ref } = props;
  const hint = props.hint ? `${props.hint} ${t("form.dateHint")}` : t("form.dateHint");
  return (
    <FieldFrame {...props} hint={hint}>
      <input
        ref={ref}
        id={id}
        name={id}
        type="text"
        className="form-input input-width-xs"
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          onChange(e.target.value);
        }}
        onBlur={() => {
          const iso = parseDanishDate(value);
          const tidy = iso ? formatDate(iso) : null;
          if (tidy && tidy !== value) onChange(tidy);
        }}
        autoComplete="off"
        spellCheck={false}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

interface SelectFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
  ref?: Ref<HTMLSelectElement>;
}

export function SelectField(props: SelectFieldProps) {
  const { id, value, onChange, options, required, error, hint, ref } = props;
  return (
    <FieldFrame {...props}>
      <select
        ref={ref}
        id={id}
        name={id}
        className="form-select"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A submit button that shows progress and cannot be pressed twice. */
export function SubmitButton({
  busy,
  label,
  busyLabel = t("form.saving"),
  className = "button button-primary",
}: {
  busy: boolean;
  label: string;
  busyLabel?: string;
  className?: string;
}) {
  return (
    <>
      <button type="submit" className={`${className}${busy ? " is-busy" : ""}`} disabled={busy}>
        {busy ? <span className="spinner spinner-small spinner-light button-spinner" aria-hidden="true" /> : null}
        {busy ? busyLabel : label}
      </button>
      <span className="sr-only" role="status">
        {busy ? busyLabel : ""}
      </span>
    </>
  );
}
