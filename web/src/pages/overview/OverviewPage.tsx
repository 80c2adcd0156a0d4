// Overblik, the start page of a municipality's users: deadlines coming up in
// a chosen period (kept in the address), deadline counts, contracts that lack
// an owner or an end date, and annual spend by supplier and by category.

import { fetchFile, fileQuery } from "../../api/download";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { failureMessage } from "../../api/problem";
import type { ContractRef, Deadline, Overview } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { ExportMenu } from "../../components/ExportMenu";
import { PageHeading } from "../../components/PageHeading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { PendingParticipations } from "../plans/CommitmentsPage";
import { longerPeriod, PERIODS, readPeriod, type Period } from "./period";
import { SpendChart } from "./SpendChart";
import { useDeadlines, useOverview } from "./useOverview";

function periodHref(days: Period): string {
  return days === 90 ? "/overblik" : `/overblik?dage=${String(days)}`;
}

type Counts = Overview["deadlines"];

/**
 * One key figure: the number, what it counts, and a link to the contract
 * list with exactly the filters that give the same number.
 */
interface Figure {
  key: string;
  count: number;
  label: string;
  href: string;
  overdue: boolean;
}

function figures(counts: Counts, period: Period, owner: string): Figure[] {
  const within = (kind: "notice" | "retender") =>
    period === 90
      ? counts[`${kind}_within_90_days`]
      : period === 180
        ? counts[`${kind}_within_180_days`]
        : counts[`${kind}_within_365_days`];
  const list = (filter: string) => `/kontrakter?${filter}${owner ? `&owner=${owner}` : ""}`;
  return [
    {
      key: "notice-overdue",
      count: counts.notice_overdue,
      label: t("overview.noticeOverdue"),
      href: list("notice_overdue=true"),
      overdue: true,
    },
    {
      key: "retender-overdue",
      count: counts.retender_overdue,
      label: t("overview.retenderOverdue"),
      href: list("retender_overdue=true"),
      overdue: true,
    },
    {
      key: "notice-within",
      count: within("notice"),
      label: t("overview.noticeWithin", { days: period }),
      href: list(`notice_within_days=${String(period)}`),
      overdue: false,
    },
    {
      key: "retender-within",
      count: within("retender"),
      label: t("overview.retenderWithin", { days: period }),
      href: list(`retender_within_days=${String(period)}`),
      overdue: false,
    },
  ];
}

function FigureList({ items, id }: { items: Figure[]; id: string }) {
  return (
    <ul className="unstyled-list no-max-width key-figures" aria-labelledby={id}>
      {items.map((f) => {
        const alarm = f.overdue && f.count > 0;
        return (
          <li key={f.key} className={alarm ? "key-figure is-overdue" : "key-figure"} data-figure={f.key}>
            <Link to={f.href}>
              {alarm ? (
                <span className="key-figure-alarm">
                  <Icon name="error" />
                  {t("overview.overdueMark")}
                </span>
              ) : null}
              <span className="key-figure-number">{f.count}</span>
              <span className="key-figure-label">{f.label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function KeyFigures({ overview, period }: { overview: Overview; period: Period }) {
  return (
    <section aria-labelledby="key-figures-heading">
      <h2 id="key-figures-heading" className="sr-only">
        {t("overview.keyFiguresHeading")}
      </h2>
      <p className="key-figures-intro">{t("overview.keyFiguresIntro")}</p>
      <h3 className="key-figures-heading" id="municipality-figures">
        {t("ownership.municipalityDeadlines")}
      </h3>
      <FigureList id="municipality-figures" items={figures(overview.deadlines, period, "")} />
      <h3 className="key-figures-heading" id="my-figures">
        {t("ownership.myDeadlines")}
      </h3>
      <FigureList id="my-figures" items={figures(overview.my_deadlines, period, "me")} />
    </section>
  );
}

function PeriodChoice({ period }: { period: Period }) {
  return (
    <nav aria-label={t("overview.periodLabel")} className="period-choice">
      <span className="period-choice-label" aria-hidden="true">
        {t("overview.periodLabel")}
      </span>
      <ul className="unstyled-list">
        {PERIODS.map((days) => (
          <li key={days}>
            <Link
              to={periodHref(days)}
              className={days === period ? "button button-primary" : "button button-secondary"}
              aria-current={days === period ? "true" : undefined}
              replace
            >
              {t("overview.period", { days })}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function daysLeftText(days: number): string {
  if (days < 0) return days === -1 ? t("overview.overdueOneDay") : t("overview.overdueDays", { count: -days });
  if (days === 0) return t("overview.today");
  return days === 1 ? t("overview.oneDay") : t("overview.days", { count: days });
}

function DeadlineTable({ deadlines, period }: { deadlines: readonly Deadline[]; period: Period }) {
  return (
    <table className="table table--zebra table-md-responsive-headers deadlines-table">
      <caption className="sr-only">{t("overview.deadlinesCaption", { days: period })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("overview.colDate")}</th>
          <th scope="col">{t("overview.colContract")}</th>
          <th scope="col">{t("overview.colKind")}</th>
          <th scope="col">{t("overview.colDaysLeft")}</th>
          <th scope="col">{t("overview.colSupplier")}</th>
          <th scope="col">{t("overview.colOwner")}</th>
        </tr>
      </thead>
      <tbody>
        {deadlines.map((d) => (
          <tr key={`${d.contract_id}-${d.kind}`} className={d.overdue ? "deadline-overdue" : undefined}>
            <td className="nowrap" data-title={t("overview.colDate")}>
              {formatDate(d.date)}
            </td>
            <th scope="row" data-title={t("overview.colContract")}>
              <Link to={`/kontrakter/${d.contract_id}`}>{d.title}</Link>
              {d.criticality === "high" ? (
                <>
                  {" "}
                  <span className="tag tag-small">{t("overview.highCriticality")}</span>
                </>
              ) : null}
            </th>
            <td data-title={t("overview.colKind")}>
              {d.kind === "notice_deadline" ? t("overview.kindNotice") : t("overview.kindRetender")}
            </td>
            <td className="nowrap" data-title={t("overview.colDaysLeft")}>
              {d.overdue ? (
                <strong className="deadline-overdue-text">
                  <Icon name="error" />
                  {daysLeftText(d.days_left)}
                </strong>
              ) : (
                daysLeftText(d.days_left)
              )}
            </td>
            <td data-title={t("overview.colSupplier")}>{d.supplier}</td>
            <td data-title={t("overview.colOwner")}>{d.owner ?? t("overview.noOwner")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Deadlines({ period }: { period: Period }) {
  const list = useDeadlines(period);
  const shown = list.current ?? list.previous;
  // While another period loads, the texts describe the deadlines still shown.
  const shownPeriod = list.current ? period : readPeriod(new URLSearchParams({ dage: list.previousKey ?? "" }));
  const longer = longerPeriod(shownPeriod);
  return (
    <section aria-labelledby="deadlines-heading" className="overview-section">
      <h2 id="deadlines-heading">{t("overview.deadlinesHeading")}</h2>
      <div className="list-actions">
        <PeriodChoice period={period} />
        <ExportMenu
          formats={["xlsx", "csv"]}
          baseName="frister"
          load={(format) => fetchFile(`/deadlines/export${fileQuery({ format, within_days: period })}`)}
        />
      </div>
      <div aria-busy={list.current === null}>
        {shown === null ? <Loading text={t("overview.loadingDeadlines")} /> : null}
        {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
        {shown?.ok ? (
          <>
            <p className="list-status" role="status">
              {shown.data.length === 1
                ? t("overview.deadlinesCountOne", { days: shownPeriod })
                : shown.data.length > 1
                  ? t("overview.deadlinesCount", { count: shown.data.length, days: shownPeriod })
                  : null}
            </p>
            {shown.data.length === 0 ? (
              <Alert variant="info">
                <p>{t("overview.emptyDeadlines", { days: shownPeriod })}</p>
                {longer ? (
                  <p>
                    {t("overview.emptyDeadlinesLonger")}{" "}
                    <Link to={periodHref(longer)}>{t("overview.longerLink", { days: longer })}</Link>
                  </p>
                ) : (
                  <p>{t("overview.emptyDeadlinesLongest")}</p>
                )}
              </Alert>
            ) : (
              <DeadlineTable deadlines={shown.data} period={shownPeriod} />
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}

function ContractList({ items, empty, labelledBy }: { items: readonly ContractRef[]; empty: string; labelledBy: string }) {
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <ul className="contract-ref-list" aria-labelledby={labelledBy}>
      {items.map((c) => (
        <li key={c.id}>
          <Link to={`/kontrakter/${c.id}`}>{c.title}</Link>
        </li>
      ))}
    </ul>
  );
}

function MissingInformation({ overview }: { overview: Overview }) {
  return (
    <section aria-labelledby="missing-heading" className="overview-section">
      <h2 id="missing-heading">{t("overview.missingHeading")}</h2>
      <div className="row">
        <div className="col-12 col-md-6">
          <h3 id="without-owner-heading">
            {t("overview.withoutOwnerHeading")} <span className="badge">{overview.without_owner.length}</span>
          </h3>
          <p>{t("overview.withoutOwnerIntro")}</p>
          <ContractList
            items={overview.without_owner}
            empty={t("overview.withoutOwnerEmpty")}
            labelledBy="without-owner-heading"
          />
        </div>
        <div className="col-12 col-md-6">
          <h3 id="without-end-heading">
            {t("overview.withoutEndHeading")} <span className="badge">{overview.without_end.length}</span>
          </h3>
          <p>{t("overview.withoutEndIntro")}</p>
          <ContractList
            items={overview.without_end}
            empty={t("overview.withoutEndEmpty")}
            labelledBy="without-end-heading"
          />
        </div>
      </div>
    </section>
  );
}

function Spending({ overview }: { overview: Overview }) {
  const empty = overview.spend_by_supplier.length === 0 && overview.spend_by_category.length === 0;
  // Kept between renders so the chart is not redrawn when the period changes.
  const byCategory = useMemo(
    () => overview.spend_by_category.map((r) => (r.label ? r : { ...r, label: t("overview.noCategory") })),
    [overview.spend_by_category],
  );
  return (
    <section aria-labelledby="spend-heading" className="overview-section">
      <h2 id="spend-heading">{t("overview.spendHeading")}</h2>
      <p>{t("overview.spendIntro")}</p>
      {empty ? (
        <Alert variant="info">{t("overview.spendEmpty")}</Alert>
      ) : (
        <div className="row">
          <div className="col-12 col-lg-6">
            <SpendChart
              rows={overview.spend_by_supplier}
              heading={t("overview.bySupplierHeading")}
              chartName={t("overview.bySupplierChart")}
              caption={t("overview.bySupplierCaption")}
              labelHeader={t("overview.colSupplierName")}
            />
          </div>
          <div className="col-12 col-lg-6">
            <SpendChart
              rows={byCategory}
              heading={t("overview.byCategoryHeading")}
              chartName={t("overview.byCategoryChart")}
              caption={t("overview.byCategoryCaption")}
              labelHeader={t("overview.colCategory")}
            />
          </div>
        </div>
      )}
    </section>
  );
}

export function OverviewPage() {
  const me = useMe();
  const [params] = useSearchParams();
  const period = readPeriod(params);
  const overview = useOverview();
  return (
    <>
      <PageHeading title={t("overview.title")} />
      <p className="font-lead">{t("overview.intro", { municipality: me.tenant?.name ?? "" })}</p>
      <PendingParticipations />
      {overview?.ok ? <KeyFigures overview={overview.data} period={period} /> : null}
      <Deadlines period={period} />
      {overview === null ? <Loading text={t("overview.loading")} /> : null}
      {overview && !overview.ok ? <Alert variant="error">{failureMessage(overview)}</Alert> : null}
      {overview?.ok ? (
        <>
          <MissingInformation overview={overview.data} />
          <Spending overview={overview.data} />
        </>
      ) : null}
    </>
  );
}
