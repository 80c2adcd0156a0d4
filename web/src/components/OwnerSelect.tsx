// Picking the owner of a contract or an IT system among the municipality's
// active users (GET /people). A deactivated owner stays in the list while
// they are the current owner, so that saving does not drop them unasked.

import { api } from "../api/client";
import { failureMessage, settle } from "../api/problem";
import { useLoad } from "../api/useLoad";
import type { OwnerUser, Person } from "../api/types";
import { t } from "../i18n";
import { Alert } from "./Alert";
import { SelectField } from "./fields";
import { Loading } from "./Loading";

/** The municipality's active users by name (at most 200, the API's page limit). */
export function usePeople() {
  return useLoad<Person[]>("people", async (signal) => {
    const outcome = await settle(api.GET("/people", { params: { query: { page_size: 200 } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

export function OwnerSelect({
  id,
  label,
  hint,
  noneLabel,
  value,
  current,
  onChange,
  error,
}: {
  id: string;
  label: string;
  hint: string;
  noneLabel: string;
  value: string;
  current?: OwnerUser;
  onChange: (value: string) => void;
  error?: string;
}) {
  const people = usePeople();
  if (people === null) return <Loading text={t("ownership.loadingPeople")} />;
  if (!people.ok) return <Alert variant="error">{failureMessage(people)}</Alert>;
  const options = [
    { value: "", label: noneLabel },
    ...people.data.map((p) => ({ value: p.user_id, label: `${p.name} (${p.email})` })),
  ];
  if (current && !people.data.some((p) => p.user_id === current.user_id)) {
    options.push({ value: current.user_id, label: t("ownership.inactive", { name: current.name }) });
  }
  return (
    <SelectField id={id} label={label} hint={hint} value={value} onChange={onChange} options={options} error={error} />
  );
}
