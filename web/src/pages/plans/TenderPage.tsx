// One planned tender (planlagt udbud): its fields, the aggregated value
// with the EU threshold verdict in Danish, back-planning (the latest
// publication date and the slack left), warnings each with its reason,
// milestones, participants with their state, values and the contracts
// they replace, the status history, inviting a member municipality (for
// those who may write the plan), and the municipality's own part for its
// editors and administrators.

import { useState, type ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { PlannedTender, TenderPlan } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { SelectField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatAmount, formatDate, formatDateTime } from "../../format";
import { t, tOptional } from "../../i18n";
import { useCollaboration } from "../collaborations/useCollaborations";
import { answersFor, milestoneLabel, participantStateLabel, slackText, statusLabel, verdictText } from "./model";
import { OwnParticipation } from "./Participation";
import { usePlan, usePlannedTender, type VersionedTender } from "./usePlans";

function Facts({ items }: { items: readonly [string, ReactNode][] }) {
  return (
    <dl className="contract-facts">
      {items.map(([label, value]) => (
        <div key={label} className="contract-fact">
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? t("contracts.none") : value}</dd>
        </div>
      ))}
    </dl>
  );
}

function months(count: number): string {
  return count === 1 ? t("contract.oneMonth") : t("contract.months", { count });
}

const STATE_BADGE: Readonly<Record<string, string>> = {
  confirmed: "badge badge-success",
  pending: "badge badge-warning",
  declined: "badge",
  withdrawn: "badge",
};

function Verdict({ tender }: { tender: PlannedTender }) {
  const { threshold } = tender;
  if (!threshold) {
    return (
      <section aria-labelledby="verdict-heading" className="contract-section tender-verdict">
        <h2 id="verdict-heading">{t("tender.valueHeading")}</h2>
        <Facts items={[[t("tender.aggregateValue"), formatAmount(tender.aggregate_value)]]} />
        <Alert variant="info" polite>
          <p>{t("tender.noThreshold")}</p>
        </Alert>
      </section>
    );
  }
  return (
    <section aria-labelledby="verdict-heading" className="contract-section tender-verdict">
      <h2 id="verdict-heading">{t("tender.valueHeading")}</h2>
      <Alert variant={threshold.above ? "warning" : "info"} polite className="tender-verdict-alert">
        <p className="tender-verdict-sentence">{verdictText(tender.aggregate_value, threshold)}</p>
        {threshold.crosses_only_in_aggregate ? (
          <p>
            <span className="tag tag-aggregate">{t("tender.onlyInAggregate")}</span> {t("tender.onlyInAggregateText")}
          </p>
        ) : null}
        <p>{threshold.consequence}</p>
      </Alert>
      <Facts
        items={[
          [t("tender.aggregateValue"), formatAmount(tender.aggregate_value)],
          [
            t("tender.thresholdValue"),
            t("tender.thresholdAmounts", {
              dkk: formatAmount(threshold.dkk) ?? threshold.dkk,
              eur: threshold.eur,
            }),
          ],
          [
            t("tender.thresholdPeriod"),
            `${formatDate(threshold.applies_from) ?? ""}–${formatDate(threshold.applies_to) ?? ""}`,
          ],
        ]}
      />
      <p className="form-hint">{t("tender.valueHint")}</p>
    </section>
  );
}

function Backplan({ tender }: { tender: PlannedTender }) {
  const { backplan } = tender;
  return (
    <section aria-labelledby="backplan-heading" className="contract-section">
      <h2 id="backplan-heading">{t("tender.backplanHeading")}</h2>
      <p className="form-hint">{t("tender.backplanIntro")}</p>
      {!backplan ? (
        <p>{t("tender.noBackplan")}</p>
      ) : (
        <Facts
          items={[
            [t("tender.requiredStart"), formatDate(backplan.required_start)],
            [t("tender.latestPublication"), formatDate(backplan.latest_publication)],
            [
              t("tender.slackDays"),
              backplan.slack_days === undefined ? (
                t("tender.slackUnknown")
              ) : (
                <span className={backplan.slack_days < 0 ? "badge badge-error" : undefined}>
                  {slackText(backplan.slack_days)}
                </span>
              ),
            ],
            [t("tender.noticeBy"), formatDate(backplan.notice_by) ?? t("tender.noNotice")],
          ]}
        />
      )}
    </section>
  );
}

function Warnings({ tender }: { tender: PlannedTender }) {
  return (
    <section aria-labelledby="warnings-heading" className="contract-section">
      <h2 id="warnings-heading">{t("tender.warningsHeading")}</h2>
      {tender.warnings.length === 0 ? (
        <p>{t("tender.noWarnings")}</p>
      ) : (
        <ul className="nobullet-list tender-warnings">
          {tender.warnings.map((w) => (
            <li key={`${w.code}-${w.message}`}>
              <Alert variant={w.severity === "critical" ? "error" : w.severity === "info" ? "info" : "warning"} polite>
                <p>
                  <strong>{tOptional(`warningCode.${w.code}`) ?? w.code}</strong>: {w.message}
                </p>
              </Alert>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Milestones({ tender }: { tender: PlannedTender }) {
  const sorted = [...tender.milestones].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <section aria-labelledby="milestones-heading" className="contract-section">
      <h2 id="milestones-heading">{t("tender.milestonesHeading")}</h2>
      {sorted.length === 0 ? (
        <p>{t("tender.noMilestones")}</p>
      ) : (
        <table className="table table--zebra milestones-table">
          <caption className="sr-only">{t("tender.milestonesHeading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("tender.colMilestone")}</th>
              <th scope="col">{t("tender.colDate")}</th>
              <th scope="col">{t("tender.colDone")}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((m) => (
              <tr key={m.kind}>
                <th scope="row">{milestoneLabel(m.kind)}</th>
                <td className="nowrap">{formatDate(m.date)}</td>
                <td>{m.done ? t("tender.done") : t("tender.notDone")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Participants({ tender }: { tender: PlannedTender }) {
  return (
    <table className="table table--zebra table-md-responsive-headers participants-table">
      <caption className="sr-only">{t("tender.participantsHeading")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("tender.colMunicipality")}</th>
          <th scope="col">{t("tender.colState")}</th>
          <th scope="col" className="amount">
            {t("tender.colEstimatedValue")}
          </th>
          <th scope="col">{t("tender.colReplaced")}</th>
          <th scope="col">{t("tender.colAnswer")}</th>
        </tr>
      </thead>
      <tbody>
        {tender.participants.map((p) => (
          <tr key={p.tenant.id}>
            <th scope="row" data-title={t("tender.colMunicipality")}>
              {p.tenant.name}
              {p.tenant.cvr ? (
                <span className="text-muted participant-cvr">{t("tender.cvr", { cvr: p.tenant.cvr })}</span>
              ) : null}
            </th>
            <td data-title={t("tender.colState")}>
              <span className={STATE_BADGE[p.state] ?? "badge"}>{participantStateLabel(p.state)}</span>
            </td>
            <td className="amount nowrap" data-title={t("tender.colEstimatedValue")}>
              {formatAmount(p.estimated_value) ?? t("tender.notStated")}
            </td>
            <td data-title={t("tender.colReplaced")}>
              {p.replaced_contracts.length === 0 ? (
                t("tender.noneReplaced")
              ) : (
                <ul className="unstyled-list timeline-table-list">
                  {p.replaced_contracts.map((c) => (
                    <li key={c.id}>
                      {c.title}
                      {c.end_date ? (
                        <span className="text-muted"> – {t("tender.ends", { date: formatDate(c.end_date) ?? "" })}</span>
                      ) : null}
                      {c.notice_deadline ? (
                        <span className="text-muted">
                          {" "}
                          ({t("tender.noticeDeadline", { date: formatDate(c.notice_deadline) ?? "" })})
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td data-title={t("tender.colAnswer")}>
              {p.responded_at ? (
                <>
                  {formatDateTime(p.responded_at)}
                  {p.responded_by ? ` – ${p.responded_by}` : ""}
                </>
              ) : (
                t("tender.noAnswer")
              )}
              {p.reason ? <span className="participant-reason">{t("tender.reason", { reason: p.reason })}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Inviting a member municipality of the plan's collaboration that does not take part yet. */
function InviteParticipant({
  plan,
  tender,
  onInvited,
}: {
  plan: TenderPlan;
  tender: PlannedTender;
  onInvited: (name: string) => void;
}) {
  const collaboration = useCollaboration(plan.owner.kind === "collaboration" ? plan.owner.id : "", 0).current;
  const [tenantId, setTenantId] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  if (plan.owner.kind !== "collaboration") return null;
  // The lead municipality takes part like the others, so it is invited too.
  const taken = new Set(tender.participants.map((p) => p.tenant.id));
  const members = collaboration?.ok
    ? collaboration.data.collaboration.members.filter((m) => m.status === "active" && !taken.has(m.tenant_id))
    : [];
  if (collaboration?.ok && members.length === 0) return <p>{t("tender.everyoneInvited")}</p>;

  async function invite() {
    const member = members.find((m) => m.tenant_id === tenantId);
    if (!member) {
      setError(t("tender.chooseMunicipality"));
      return;
    }
    setBusy(true);
    setError(undefined);
    const outcome = await settle(
      api.POST("/tender-plans/{id}/tenders/{tender_id}/participants", {
        params: { path: { id: plan.id, tender_id: tender.id } },
        body: { tenant_id: member.tenant_id },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      setTenantId("");
      onInvited(member.tenant_name);
    } else {
      setError(failureMessage(outcome));
    }
  }

  return (
    <div className="invite-participant">
      <h3>{t("tender.inviteHeading")}</h3>
      <SelectField
        id="invite-tenant"
        label={t("tender.inviteLabel")}
        hint={t("tender.inviteHint")}
        value={tenantId}
        onChange={setTenantId}
        error={error}
        options={[
          { value: "", label: t("tender.chooseMunicipalityOption") },
          ...members.map((m) => ({ value: m.tenant_id, label: m.tenant_name })),
        ]}
      />
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => void invite()}>
        {busy ? t("form.saving") : t("tender.invite")}
      </button>
    </div>
  );
}

function StatusHistory({ tender }: { tender: PlannedTender }) {
  return (
    <section aria-labelledby="history-heading" className="contract-section">
      <h2 id="history-heading">{t("tender.historyHeading")}</h2>
      <ol className="status-history">
        {tender.status_history.map((h) => (
          <li key={`${h.status}-${h.changed_at}`}>
            <strong>{statusLabel(h.status)}</strong> – {formatDateTime(h.changed_at)}
            {h.changed_by ? ` (${h.changed_by})` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}

function TenderBody({
  plan,
  current,
  onChanged,
}: {
  plan: TenderPlan;
  current: VersionedTender;
  onChanged: (notice: string) => void;
}) {
  const me = useMe();
  const { tender } = current;
  const own = tender.participants.find((p) => answersFor(me, p)) ?? null;
  return (
    <>
      <Facts
        items={[
          [t("tender.status"), <span className="badge badge-info">{statusLabel(tender.status)}</span>],
          [t("tender.lead"), tender.lead_tenant.name],
          [t("tender.cpv"), tender.cpv ? [tender.cpv.code, tender.cpv.label].filter(Boolean).join(" ") : null],
          [t("tender.category"), tender.category],
          [t("tender.procedure"), tender.procedure_label],
          [t("tender.framework"), tender.framework_agreement],
          [t("tender.contractKind"), tOptional(`contractKind.${tender.contract_kind}`) ?? tender.contract_kind],
          [t("tender.term"), months(tender.term_months)],
          [t("tender.options"), tender.option_months ? months(tender.option_months) : t("tender.noOptions")],
          [t("tender.lateJoining"), tender.allows_late_joining ? t("tender.yes") : t("tender.no")],
          [t("tender.evaluation"), t("tender.days", { count: tender.evaluation_days })],
        ]}
      />
      {tender.description ? <p className="pre-line">{tender.description}</p> : null}
      {own ? <OwnParticipation plan={plan} current={current} participant={own} onChanged={onChanged} /> : null}
      <Verdict tender={tender} />
      <Warnings tender={tender} />
      <Backplan tender={tender} />
      <Milestones tender={tender} />
      <section aria-labelledby="participants-heading" className="contract-section">
        <h2 id="participants-heading">{t("tender.participantsHeading")}</h2>
        <p className="form-hint">{t("tender.participantsIntro")}</p>
        {tender.participants.length === 0 ? <p>{t("tender.noParticipants")}</p> : <Participants tender={tender} />}
        {plan.editable ? (
          <InviteParticipant
            plan={plan}
            tender={tender}
            onInvited={(name) => {
              onChanged(t("tender.invited", { municipality: name }));
            }}
          />
        ) : null}
      </section>
      <StatusHistory tender={tender} />
    </>
  );
}

export function TenderPage() {
  const { planId = "", tenderId = "" } = useParams();
  const location = useLocation();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const plan = usePlan(planId, 0);
  const tender = usePlannedTender(planId, tenderId, version);

  if (plan === null || tender === null) return <Loading text={t("tender.loading")} />;
  const failed = !plan.ok ? plan : !tender.ok ? tender : null;
  if (failed || !plan.ok || !tender.ok) {
    return (
      <>
        <PageHeading title={t("plans.title")} />
        <Alert variant="error">
          {failed?.status === 404 ? t("tender.notFound") : failed ? failureMessage(failed) : t("errors.generic")}
        </Alert>
        <p>
          <Link to={plan.ok ? `/udbudsplaner/${planId}` : "/udbudsplaner"}>{t("plan.back")}</Link>
        </p>
      </>
    );
  }
  const p = plan.data.plan;
  const tn = tender.data.tender;
  return (
    <>
      <p className="back-link">
        <Link to={`/udbudsplaner/${p.id}`}>{t("tender.backToPlan", { name: p.name })}</Link>
      </p>
      <PageHeading title={tn.subject} />
      {notice ? <Alert variant="success">{notice}</Alert> : null}
      {p.editable ? (
        <ul className="page-actions unstyled-list">
          <li>
            <Link to={`/udbudsplaner/${p.id}/udbud/${tn.id}/rediger`} className="button button-secondary">
              {t("tender.edit")}
            </Link>
          </li>
        </ul>
      ) : null}
      <TenderBody
        key={tender.data.etag}
        plan={p}
        current={tender.data}
        onChanged={(text) => {
          setNotice(text);
          setVersion((n) => n + 1);
        }}
      />
    </>
  );
}
