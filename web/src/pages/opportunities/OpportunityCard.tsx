// One opportunity: the group's name and CPV code or category, why its
// contracts are grouped, the municipalities and their contracts, the
// combined value against the EU threshold, and whether a planned tender
// already covers it.

import { useId } from "react";
import { Link } from "react-router";
import type { OpportunityContract, OpportunityGroup } from "../../api/types";
import { Alert } from "../../components/Alert";
import { formatAmount, formatDate, formatWhole } from "../../format";
import { t } from "../../i18n";
import { tenderPath } from "./model";

const DASH = t("opportunities.none");

function amount(value: string | null | undefined): string {
  return formatAmount(value) ?? DASH;
}

function date(value: string | null | undefined): string {
  return formatDate(value) ?? DASH;
}

/** The contracts of a group (or the matches of a contract), one row each. */
export function ContractTable({
  caption,
  contracts,
  collaborations,
}: {
  caption: string;
  contracts: readonly OpportunityContract[];
  /** For matches: the collaboration each contract is shared with, by row. */
  collaborations?: readonly string[];
}) {
  return (
    <div className="table-responsive-wrapper">
      <table className="table table--zebra table-md-responsive-headers opportunity-contracts">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("opportunities.colMunicipality")}</th>
            <th scope="col">{t("opportunities.colTitle")}</th>
            <th scope="col">{t("opportunities.colSupplier")}</th>
            <th scope="col" className="text-align-right">
              {t("opportunities.colAnnual")}
            </th>
            <th scope="col" className="text-align-right">
              {t("opportunities.colTotal")}
            </th>
            <th scope="col">{t("opportunities.colNoticeDeadline")}</th>
            <th scope="col">{t("opportunities.colRetenderStart")}</th>
            {collaborations ? <th scope="col">{t("opportunities.colCollaboration")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {contracts.map((c, i) => (
            <tr key={`${c.id}-${String(i)}`}>
              <td data-title={t("opportunities.colMunicipality")}>
                {c.tenant.name}
                {c.own ? <span className="text-muted"> {t("opportunities.own")}</span> : null}
              </td>
              <th scope="row" data-title={t("opportunities.colTitle")}>
                {c.own ? <Link to={`/kontrakter/${c.id}`}>{c.title}</Link> : c.title}
              </th>
              <td data-title={t("opportunities.colSupplier")}>{c.supplier_name ?? DASH}</td>
              <td className="nowrap text-align-right" data-title={t("opportunities.colAnnual")}>
                {amount(c.annual_value)}
              </td>
              <td className="nowrap text-align-right" data-title={t("opportunities.colTotal")}>
                {amount(c.total_value)}
              </td>
              <td className="nowrap" data-title={t("opportunities.colNoticeDeadline")}>
                {date(c.notice_deadline)}
              </td>
              <td className="nowrap" data-title={t("opportunities.colRetenderStart")}>
                {date(c.retender_start)}
              </td>
              {collaborations ? (
                <td data-title={t("opportunities.colCollaboration")}>{collaborations[i] ?? DASH}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OpportunityCard({
  group,
  canCreate,
  onCreate,
}: {
  group: OpportunityGroup;
  canCreate: boolean;
  onCreate: (group: OpportunityGroup) => void;
}) {
  const headingId = useId();
  const valueId = useId();
  const covered = group.covered_by.length > 0;
  const { threshold } = group;
  const span =
    group.earliest_retender_start === group.latest_retender_start
      ? date(group.earliest_retender_start)
      : `${date(group.earliest_retender_start)}–${date(group.latest_retender_start)}`;
  return (
    <article
      className={`card opportunity-card${covered ? " opportunity-covered" : ""}`}
      aria-labelledby={headingId}
      data-group-key={group.key}
    >
      <div className="card-content">
        <h3 className="card-heading h3" id={headingId}>
          {group.label}
        </h3>
        <p className="card-subheading">
          {group.cpv ? (
            <>
              {t("opportunities.cpv")} {group.cpv.code}
              {group.cpv.label && group.cpv.label !== group.label ? ` ${group.cpv.label}` : ""}
            </>
          ) : (
            t("opportunities.levels.category")
          )}
        </p>
        <p className="opportunity-reason">{group.reason}</p>
        {covered ? (
          <div className="opportunity-covered-by">
            {group.covered_by.map((c) => (
              <p key={c.tender_id} className="mb-2">
                <Link to={tenderPath(c.plan_id, c.tender_id)}>
                  {t("opportunities.coveredBy", { subject: c.subject, plan: c.plan_name })}
                </Link>
              </p>
            ))}
          </div>
        ) : null}
        <dl className="opportunity-facts">
          <dt>{t("opportunities.municipalities")}</dt>
          <dd>{group.municipalities.map((m) => m.name).join(", ")}</dd>
          <dt>{t("opportunities.retenderSpan")}</dt>
          <dd>{span}</dd>
        </dl>
        <ContractTable
          caption={t("opportunities.contractsCaption", { label: group.label })}
          contracts={group.contracts}
        />
        <section aria-labelledby={valueId} className="opportunity-value">
          <h4 id={valueId}>{t("opportunities.combinedHeading")}</h4>
          <dl className="opportunity-facts">
            <dt>{t("opportunities.combinedAnnual")}</dt>
            <dd>{amount(group.annual_value)}</dd>
            <dt>{t("opportunities.combinedTotal")}</dt>
            <dd>{amount(group.total_value)}</dd>
            {threshold ? (
              <>
                <dt>{t("opportunities.threshold")}</dt>
                <dd>
                  {t("opportunities.thresholdValue", {
                    dkk: amount(threshold.dkk),
                    eur: formatWhole(threshold.eur) ?? threshold.eur,
                    from: date(threshold.applies_from),
                    to: date(threshold.applies_to),
                  })}
                </dd>
              </>
            ) : null}
          </dl>
          {threshold ? (
            <Alert variant={threshold.above ? "warning" : "info"} polite className="opportunity-threshold">
              <p>
                <strong>{threshold.above ? t("opportunities.aboveThreshold") : t("opportunities.belowThreshold")}:</strong>{" "}
                {threshold.consequence}
              </p>
              {threshold.crosses_only_in_aggregate ? (
                <p>
                  <span className="tag tag-small tag-aggregate">{t("tender.onlyInAggregate")}</span>
                </p>
              ) : null}
            </Alert>
          ) : (
            <p>{t("opportunities.noThreshold")}</p>
          )}
        </section>
        {canCreate && !covered ? (
          <div className="card-actions">
            <button
              type="button"
              className="button button-primary"
              aria-describedby={headingId}
              onClick={() => {
                onCreate(group);
              }}
            >
              {t("opportunities.create")}
            </button>
          </div>
        ) : null}
      </div>
    </article>
  );
}
