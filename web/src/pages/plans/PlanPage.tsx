// One tender plan: who owns it and the period it covers, its planned
// tenders as a table or as a timeline (the choice kept in the address),
// export to XLSX, and for those who may write it a link to plan another
// tender.

import { useState } from "react";
import { Link, useLocation, useParams, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { PlannedTender, TenderPlan } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatAmount, formatDate } from "../../format";
import { t } from "../../i18n";
import { statusChoices, statusLabel, tenderHref, toTimelineItem } from "./model";
import { Timeline } from "./Timeline";
import { usePlan, usePlannedTenders } from "./usePlans";

type View = "tabel" | "tidslinje";

function readView(params: URLSearchParams): View {
  return params.get("visning") === "tidslinje" ? "tidslinje" : "tabel";
}

async function exportPlan(plan: TenderPlan): Promise<string | null> {
  const outcome = await settle(
    api.GET("/tender-plans/{id}/export.xlsx", { params: { path: { id: plan.id } }, parseAs: "blob" }),
  );
  if (!outcome.ok) return failureMessage(outcome);
  const url = URL.createObjectURL(outcome.data);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${plan.name.replace(/[^\p{L}\p{N} _-]+/gu, "").trim() || "udbudsplan"}.xlsx`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
  return null;
}

function publicationDate(tender: PlannedTender): string | null {
  return tender.milestones.find((m) => m.kind === "publication")?.date ?? null;
}

export function TenderTable({ tenders, caption }: { tenders: readonly PlannedTender[]; caption: string }) {
  return (
    <table className="table table--zebra table-md-responsive-headers tenders-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("plan.colSubject")}</th>
          <th scope="col">{t("plan.colStatus")}</th>
          <th scope="col">{t("plan.colLead")}</th>
          <th scope="col">{t("plan.colPublication")}</th>
          <th scope="col" className="amount">
            {t("plan.colValue")}
          </th>
          <th scope="col">{t("plan.colThreshold")}</th>
          <th scope="col">{t("plan.colWarnings")}</th>
        </tr>
      </thead>
      <tbody>
        {tenders.map((tender) => (
          <tr key={tender.id}>
            <th scope="row" data-title={t("plan.colSubject")}>
              <Link to={tenderHref(tender.plan_id, tender.id)}>{tender.subject}</Link>
              {tender.cpv ? <span className="tender-cpv">{tender.cpv.code}</span> : null}
            </th>
            <td data-title={t("plan.colStatus")}>{statusLabel(tender.status)}</td>
            <td data-title={t("plan.colLead")}>{tender.lead_tenant.name}</td>
            <td className="nowrap" data-title={t("plan.colPublication")}>
              {formatDate(publicationDate(tender)) ?? t("plan.noDate")}
            </td>
            <td className="amount nowrap" data-title={t("plan.colValue")}>
              {formatAmount(tender.aggregate_value)}
            </td>
            <td data-title={t("plan.colThreshold")}>
              {!tender.threshold ? t("plan.noThreshold") : tender.threshold.above ? t("plan.above") : t("plan.below")}
              {tender.threshold?.crosses_only_in_aggregate ? (
                <>
                  {" "}
                  <span className="tag tag-small tag-aggregate">{t("tender.onlyInAggregate")}</span>
                </>
              ) : null}
            </td>
            <td data-title={t("plan.colWarnings")}>
              {tender.warnings.length === 0 ? (
                t("plan.noWarnings")
              ) : (
                <span className="badge badge-warning">
                  {tender.warnings.length === 1
                    ? t("plan.oneWarning")
                    : t("plan.warnings", { count: tender.warnings.length })}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Tenders({ plan }: { plan: TenderPlan }) {
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const tenders = usePlannedTenders(plan.id, 0);
  const choose = (next: View) => {
    setParams(next === "tabel" ? {} : { visning: next }, { replace: true });
  };
  return (
    <section aria-labelledby="tenders-heading" className="plan-tenders">
      <h2 id="tenders-heading">{t("plan.tendersHeading")}</h2>
      <div className="plan-view-choice" role="group" aria-label={t("plan.viewLabel")}>
        {(["tabel", "tidslinje"] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={v === view ? "button button-primary" : "button button-secondary"}
            aria-pressed={v === view}
            onClick={() => {
              choose(v);
            }}
          >
            {v === "tabel" ? t("plan.viewTable") : t("plan.viewTimeline")}
          </button>
        ))}
      </div>
      {tenders === null ? <Loading text={t("plan.loadingTenders")} /> : null}
      {tenders && !tenders.ok ? <Alert variant="error">{failureMessage(tenders)}</Alert> : null}
      {tenders?.ok && tenders.data.length === 0 ? (
        <Alert variant="info">{plan.editable ? t("plan.emptyEditor") : t("plan.empty")}</Alert>
      ) : null}
      {tenders?.ok && tenders.data.length > 0 ? (
        view === "tabel" ? (
          <TenderTable tenders={tenders.data} caption={t("plan.tableCaption", { name: plan.name })} />
        ) : (
          <Timeline
            items={tenders.data.map(toTimelineItem)}
            statuses={statusChoices()}
            heading={t("plan.timelineHeading", { name: plan.name })}
          />
        )
      ) : null}
    </section>
  );
}

export function PlanPage() {
  const { planId = "" } = useParams();
  const location = useLocation();
  const plan = usePlan(planId, 0);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const notice = (location.state as { notice?: string } | null)?.notice;

  if (plan === null) return <Loading text={t("plan.loading")} />;
  if (!plan.ok) {
    return (
      <>
        <PageHeading title={t("plans.title")} />
        <Alert variant="error">{plan.status === 404 ? t("plan.notFound") : failureMessage(plan)}</Alert>
        <p>
          <Link to="/udbudsplaner">{t("plan.back")}</Link>
        </p>
      </>
    );
  }
  const p = plan.data.plan;
  return (
    <>
      <p className="back-link">
        <Link to="/udbudsplaner">{t("plan.back")}</Link>
      </p>
      <PageHeading title={p.name} />
      {notice ? <Alert variant="success">{notice}</Alert> : null}
      <dl className="plan-facts">
        <div>
          <dt>{t("plan.owner")}</dt>
          <dd>
            {p.owner.name} (
            {p.owner.kind === "collaboration" ? t("plans.ownerCollaboration") : t("plans.ownerMunicipality")})
          </dd>
        </div>
        <div>
          <dt>{t("plan.period")}</dt>
          <dd>
            {formatDate(p.period_start)}–{formatDate(p.period_end)}
          </dd>
        </div>
      </dl>
      {p.description ? <p className="pre-line">{p.description}</p> : null}
      <ul className="page-actions unstyled-list">
        {p.editable ? (
          <li>
            <Link to={`/udbudsplaner/${p.id}/udbud/ny`} className="button button-primary">
              {t("plan.addTender")}
            </Link>
          </li>
        ) : null}
        <li>
          <button
            type="button"
            className="button button-secondary"
            disabled={exporting}
            onClick={() => {
              setExporting(true);
              void exportPlan(p).then((error) => {
                setExporting(false);
                setExportError(error);
              });
            }}
          >
            <Icon name="file-download" />
            {exporting ? t("plan.exporting") : t("plan.export")}
          </button>
        </li>
      </ul>
      {exportError ? <Alert variant="error">{exportError}</Alert> : null}
      <Tenders plan={p} />
    </>
  );
}
