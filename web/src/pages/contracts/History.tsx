// The contract's history: who changed what and when, with the value of each
// changed field before and after, newest first.

import type { AuditEvent } from "../../api/types";
import { failureMessage } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { formatAmount, formatDate, formatDateTime } from "../../format";
import { t, tOptional } from "../../i18n";
import { contractFieldLabel } from "./errors";
import { changedFields } from "./history";
import { useCollaborations, useHistory, type OptionName, type Options } from "./useContracts";

const AMOUNTS = new Set(["annual_value", "total_value"]);
const DATES = new Set([
  "signed_on",
  "start_on",
  "end_on",
  "irrevocable_until",
  "terminated_on",
  "archived_at",
  "notice_deadline",
]);
const LISTS: Readonly<Record<string, OptionName>> = {
  status: "status",
  status_override: "status",
  contract_type: "contract_type",
  procedure: "procedure",
  payment_model: "payment_model",
  payment_frequency: "payment_frequency",
  notice_to: "notice_to",
  criticality: "criticality",
};

function named(value: unknown): string | null {
  if (typeof value === "object" && value !== null && "name" in value) {
    const name = (value).name;
    return typeof name === "string" ? name : null;
  }
  return null;
}

/** One field's value as the detail page would show it. */
export function showValue(field: string, value: unknown, options: Options): string {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return t("history.empty_value");
  }
  if (AMOUNTS.has(field) && typeof value === "string") return formatAmount(value) ?? value;
  if (DATES.has(field) && typeof value === "string") return formatDate(value) ?? value;
  const list = LISTS[field];
  if (list && typeof value === "string") return options.label(list, value);
  if (field === "agreement_elements" && Array.isArray(value)) {
    return value.map((v) => options.label("agreement_element", String(v))).join(", ");
  }
  if (field === "supplier") {
    const cvr = (value as { cvr?: unknown }).cvr;
    return `${named(value) ?? ""}${typeof cvr === "string" ? ` (CVR ${cvr})` : ""}`;
  }
  if (Array.isArray(value)) return value.map((v) => named(v) ?? String(v)).join(", ");
  if (typeof value === "object") return named(value) ?? JSON.stringify(value);
  return typeof value === "number" || typeof value === "boolean" || typeof value === "string" ? String(value) : JSON.stringify(value);
}

function actionLabel(action: string): string {
  return tOptional(`history.actions.${action.replace(/\./g, "_")}`) ?? action;
}

function field(snapshot: unknown, key: string): string | null {
  if (typeof snapshot !== "object" || snapshot === null) return null;
  const value = (snapshot as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}

/** For sharing and attachment events: what they were about, in one line. */
function subject(event: AuditEvent, collaborationName: (id: string) => string): string | null {
  const snapshot = event.after ?? event.before;
  const collaboration = field(snapshot, "collaboration_id");
  if (collaboration) {
    const about = t("history.collaboration", { name: collaborationName(collaboration) });
    const files = (snapshot as Record<string, unknown> | null | undefined)?.["include_attachments"];
    if (files === true) return `${about}, ${t("sharing.includesAttachments")}`;
    if (files === false && event.action === "contract.share_changed") return `${about}, ${t("sharing.withoutAttachments")}`;
    return about;
  }
  const file = field(snapshot, "filename");
  return file ? t("history.file", { name: file }) : null;
}

const DECISION_EVENTS = new Set([
  "contract.decision_notice_given",
  "contract.decision_option_exercised",
  "contract.decision_continue",
  "contract.decision_retender",
]);

const FIELD_EVENTS = new Set(["contract.updated", "contract.archived", "contract.restored", ...DECISION_EVENTS]);

/** A decision's own sentence ("Opsigelse afgivet 03.02.2027 af Jens Hansen (j.nr. 2027-123)"). */
function decisionSummary(event: AuditEvent): string | null {
  if (!DECISION_EVENTS.has(event.action)) return null;
  const after = event.after as { decision?: { summary?: unknown } } | null | undefined;
  const summary = after?.decision?.summary;
  return typeof summary === "string" ? summary : null;
}

function HistoryEntry({
  event,
  options,
  collaborationName,
}: {
  event: AuditEvent;
  options: Options;
  collaborationName: (id: string) => string;
}) {
  // A creation "changes" every field (the page above shows them); sharing and
  // attachment events are about another object, named in one line instead.
  const changes = FIELD_EVENTS.has(event.action) ? changedFields(event.before, event.after) : [];
  const about = decisionSummary(event) ?? (FIELD_EVENTS.has(event.action) ? null : subject(event, collaborationName));
  const when = formatDateTime(event.occurred_at) ?? "";
  return (
    <li className="history-entry">
      <h3 className="h5 history-heading">
        {actionLabel(event.action)}
        <span className="history-meta"> – {t("history.by", { when, who: event.actor_name ?? event.actor })}</span>
      </h3>
      {about ? <p className="history-subject">{about}</p> : null}
      {changes.length === 0 ? null : (
        <div>
          <table className="table table--compact history-table table-md-responsive-headers">
            <caption className="sr-only">{t("history.caption", { when })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("history.field")}</th>
                <th scope="col">{t("history.before")}</th>
                <th scope="col">{t("history.after")}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.field}>
                  <th scope="row">{contractFieldLabel(c.field)}</th>
                  <td className="text-break history-before">{showValue(c.field, c.before, options)}</td>
                  <td className="text-break">{showValue(c.field, c.after, options)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

export function History({ contractId, version, options }: { contractId: string; version: string; options: Options }) {
  const history = useHistory(contractId, version);
  const collaborations = useCollaborations();
  const collaborationName = (id: string) =>
    (collaborations?.ok ? collaborations.data.find((c) => c.id === id)?.name : undefined) ??
    t("sharing.unknownCollaboration");
  return (
    <section aria-labelledby="history-heading" className="contract-section">
      <h2 id="history-heading">{t("history.title")}</h2>
      <p>{t("history.intro")}</p>
      {history === null ? <Loading text={t("history.loading")} /> : null}
      {history && !history.ok ? <Alert variant="error">{failureMessage(history)}</Alert> : null}
      {history?.ok && history.data.length === 0 ? <p className="empty-note">{t("history.empty")}</p> : null}
      {history?.ok && history.data.length > 0 ? (
        <ol className="nobullet-list history-list">
          {history.data.map((event) => (
            <HistoryEntry key={event.id} event={event} options={options} collaborationName={collaborationName} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
