// Mine forpligtelser: the municipality's participations in planned tenders
// across every plan it can see, with its state, its stated value, the
// contracts it replaces and the next milestone; those waiting for an
// answer first.

import { Link } from "react-router";
import { failureMessage } from "../../api/problem";
import type { Commitment } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatAmount, formatDate } from "../../format";
import { t } from "../../i18n";
import { participantStateLabel, statusLabel, tenderHref } from "./model";
import { useCommitments } from "./usePlans";

/** Pending participations first, then by the next milestone's date. */
export function sortCommitments(items: readonly Commitment[]): Commitment[] {
  const rank = (c: Commitment) => (c.state === "pending" ? 0 : c.state === "confirmed" ? 1 : 2);
  return [...items].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.next_milestone?.date ?? "9999").localeCompare(b.next_milestone?.date ?? "9999") ||
      a.tender.subject.localeCompare(b.tender.subject, "da"),
  );
}

export function CommitmentsPage() {
  const me = useMe();
  const commitments = useCommitments(0);
  return (
    <>
      <PageHeading title={t("commitments.title")} />
      <p className="font-lead">{t("commitments.intro", { municipality: me.tenant?.name ?? "" })}</p>
      {commitments === null ? <Loading text={t("commitments.loading")} /> : null}
      {commitments && !commitments.ok ? <Alert variant="error">{failureMessage(commitments)}</Alert> : null}
      {commitments?.ok && commitments.data.length === 0 ? <Alert variant="info">{t("commitments.empty")}</Alert> : null}
      {commitments?.ok && commitments.data.length > 0 ? (
        <table className="table table--zebra table-md-responsive-headers commitments-table">
          <caption>{t("commitments.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("commitments.colTender")}</th>
              <th scope="col">{t("commitments.colPlan")}</th>
              <th scope="col">{t("commitments.colState")}</th>
              <th scope="col" className="amount">
                {t("commitments.colValue")}
              </th>
              <th scope="col">{t("commitments.colReplaced")}</th>
              <th scope="col">{t("commitments.colNext")}</th>
            </tr>
          </thead>
          <tbody>
            {sortCommitments(commitments.data).map((c) => (
              <tr key={c.tender.id}>
                <th scope="row" data-title={t("commitments.colTender")}>
                  <Link to={tenderHref(c.plan.id, c.tender.id)}>{c.tender.subject}</Link>
                  <span className="text-muted commitment-status">{statusLabel(c.tender.status)}</span>
                </th>
                <td data-title={t("commitments.colPlan")}>
                  <Link to={`/udbudsplaner/${c.plan.id}`}>{c.plan.name}</Link>
                </td>
                <td data-title={t("commitments.colState")}>
                  <span className={c.state === "pending" ? "badge badge-warning" : c.state === "confirmed" ? "badge badge-success" : "badge"}>
                    {participantStateLabel(c.state)}
                  </span>
                </td>
                <td className="amount nowrap" data-title={t("commitments.colValue")}>
                  {formatAmount(c.estimated_value) ?? t("tender.notStated")}
                </td>
                <td data-title={t("commitments.colReplaced")}>
                  {c.replaced_contracts.length === 0
                    ? t("tender.noneReplaced")
                    : c.replaced_contracts.map((r) => r.title).join(", ")}
                </td>
                <td data-title={t("commitments.colNext")}>
                  {c.next_milestone
                    ? `${c.next_milestone.label}: ${formatDate(c.next_milestone.date) ?? ""}`
                    : t("commitments.noNext")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** The notice on Overblik: participations waiting for the municipality's answer, each a link to answer. */
export function PendingParticipations() {
  const commitments = useCommitments(0);
  if (!commitments?.ok) return null;
  const pending = sortCommitments(commitments.data.filter((c) => c.state === "pending"));
  if (pending.length === 0) return null;
  return (
    <Alert
      variant="warning"
      polite
      heading={pending.length === 1 ? t("commitments.pendingOne") : t("commitments.pending", { count: pending.length })}
      className="pending-participations"
    >
      <p>{t("commitments.pendingText")}</p>
      <ul>
        {pending.map((c) => (
          <li key={c.tender.id}>
            <Link to={tenderHref(c.plan.id, c.tender.id)}>
              {t("commitments.confirmLink", { subject: c.tender.subject, plan: c.plan.name })}
            </Link>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/mine-forpligtelser">{t("commitments.allLink")}</Link>
      </p>
    </Alert>
  );
}
