import { useEffect, useRef, useState, type SubmitEvent, type Ref } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import { ROLES, type NewUser, type Role, type User } from "../../api/types";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SelectField, SubmitButton, TextField } from "../../components/fields";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t, type MessageKey } from "../../i18n";

type Field = keyof NewUser;

/** The form's fields in page order, with their input ids and labels. */
const FIELDS: readonly { field: Field; id: string; label: MessageKey }[] = [
  { field: "name", id: "new-user-name", label: "users.name" },
  { field: "email", id: "new-user-email", label: "users.email" },
  { field: "role", id: "new-user-role", label: "users.role" },
  { field: "password", id: "new-user-password", label: "users.password" },
];

interface Values {
  name: string;
  email: string;
  role: Role | "";
  password: string;
}

const EMPTY: Values = { name: "", email: "", role: "", password: "" };

interface Errors {
  fields: Partial<Record<Field, string>>;
  form?: string;
}

function summary(errors: Errors): SummaryItem[] {
  const items: SummaryItem[] = errors.form ? [{ message: errors.form }] : [];
  for (const { field, id, label } of FIELDS) {
    const message = errors.fields[field];
    if (message) items.push({ fieldId: id, label: t(label), message });
  }
  return items;
}

function required(values: Values): Errors {
  const fields: Errors["fields"] = {};
  for (const { field } of FIELDS) {
    if (values[field].trim() === "") fields[field] = fieldMessage({ field, code: "required", message: "" });
  }
  return { fields };
}

export function CreateUserForm({
  onCreated,
  nameRef,
}: {
  onCreated: (user: User) => void;
  nameRef?: Ref<HTMLInputElement>;
}) {
  const [values, setValues] = useState<Values>(EMPTY);
  const guard = useUnsavedChangesGuard(isChanged(values, EMPTY));
  const [errors, setErrors] = useState<Errors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  function set(key: keyof Values) {
    return (value: string) => {
      setValues((v) => ({ ...v, [key]: value }));
    };
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = required(values);
    if (Object.keys(local.fields).length > 0 || values.role === "") {
      setErrors(local);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const body: NewUser = {
      name: values.name.trim(),
      email: values.email.trim(),
      role: values.role,
      password: values.password,
    };
    const outcome = await settle(api.POST("/users", { body }));
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      setValues(EMPTY);
      setErrors({ fields: {} });
      onCreated(outcome.data);
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const fields: Errors["fields"] = {};
    const other: string[] = [];
    for (const [field, message] of Object.entries(byField)) {
      if (FIELDS.some((f) => f.field === field)) fields[field as Field] = message;
      else other.push(message);
    }
    const form = Object.keys(fields).length === 0 || other.length > 0 ? (other[0] ?? failureMessage(outcome)) : undefined;
    setErrors({ fields, form });
    setAttempt((n) => n + 1);
  }

  const label = (field: Field) => t(FIELDS.find((f) => f.field === field)?.label ?? "users.name");
  const id = (field: Field) => FIELDS.find((f) => f.field === field)?.id ?? field;

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-user-heading">
      <ErrorSummary ref={summaryRef} items={summary(errors)} />
      <TextField
        ref={nameRef}
        id={id("name")}
        label={label("name")}
        value={values.name}
        onChange={set("name")}
        error={errors.fields.name}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <TextField
        id={id("email")}
        label={label("email")}
        type="email"
        value={values.email}
        onChange={set("email")}
        error={errors.fields.email}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <SelectField
        id={id("role")}
        label={label("role")}
        value={values.role}
        onChange={set("role")}
        options={[
          { value: "", label: t("users.chooseRole") },
          ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
        ]}
        hint={values.role ? t(`roleDescriptions.${values.role}`) : undefined}
        error={errors.fields.role}
        required
      />
      <TextField
        id={id("password")}
        label={label("password")}
        type="password"
        value={values.password}
        onChange={set("password")}
        error={errors.fields.password}
        hint={t("users.passwordHint")}
        autoComplete="new-password"
        required
        inputClassName="input-width-xl"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("users.createSubmit")} />
      </div>
    </form>
  );
}
