// "Kontraktark": one contract's key facts and dates on one or two A4 pages,
// for a meeting or a folder. On screen it shows with a print button; the
// print stylesheet leaves only the sheet (app.css, @media print).

import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { failureMessage } from "../../api/problem";
import type { Contract } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatAmount, formatDate } from "../../format";
import { t } from "../../i18n";
import { useOptions, useVersionedContract, type Options } from "./useContracts";

/** Today as an ISO date in the user's own time zone. */
function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type Fact = [string, ReactNode];

function FactList({ id, title, facts }: { id: string; title: string; facts: readonly Fact[] }) {
  return (
    <section className="sheet-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl className="sheet-facts">
        {facts.map(([label, value]) => (
          <div key={label} className="sheet-fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function months(count: number): string {
  return count === 1 ? t("contract.oneMonth") : t("contract.months", { count });
}

function sheetFacts(contract: Contract, options: Options) {
  const none = t("contract.noDate");
  const text = (value: string | null | undefined) => (value && value.trim() !== "" ? value : none);
  const date = (iso: string | null | undefined, absent = none) => formatDate(iso) ?? absent;
  const label = (list: Parameters<Options["label"]>[0], code: string | null | undefined) =>
    code ? options.label(list, code) : none;
  const optionsText =
    contract.options_total > 0
      ? t("contract.options", {
          total: contract.options_total,
          months: contract.option_months,
          exercised: contract.options_exercised,
        })
      : t("contract.noOptions");
  const notice =
    contract.notice_period_months > 0
    ? `${months(contract.notice_period_months)}${contract.notice_to && contract.notice_to !== "none" ? ` · ${t("contractFields.notice_to")}: ${options.label("notice_to", contract.notice_to)}` : ""}`
    : none;

  const basics: Fact[] = [
    [t("sheet.municipality"), contract.owner.name],
    [t("contractFields.reference"), text(contract.reference)],
    [t("contractFields.status"), options.label("status", contract.status)],
    [t("contractFields.contract_type"), label("contract_type", contract.contract_type)],
    [t("contractFields.category"), text(contract.category)],
    [t("contractFields.cpv_code"), text(contract.cpv_code)],
    [t("contractFields.criticality"), label("criticality", contract.criticality)],
    [
      t("contractFields.supplier"),
      `${contract.supplier.name} (${t("contracts.cvr", { cvr: contract.supplier.cvr })})`,
    ],
    [t("contractFields.supplier_contact"), text(contract.supplier_contact)],
  ];
  const values: Fact[] = [
    [t("contractFields.annual_value"), formatAmount(contract.annual_value) ?? none],
    [t("contractFields.total_value"), formatAmount(contract.total_value) ?? none],
    [t("contractFields.payment_model"), label("payment_model", contract.payment_model)],
    [t("contractFields.payment_frequency"), label("payment_frequency", contract.payment_frequency)],
    [t("contractFields.price_regulation"), text(contract.price_regulation)],
  ];
  const dates: Fact[] = [
    [t("contractFields.signed_on"), date(contract.signed_on)],
    [t("contractFields.start_on"), date(contract.start_on)],
    [t("contractFields.end_on"), date(contract.end_on, t("terms.running"))],
    [t("contractFields.option_years"), optionsText],
    [t("contractFields.irrevocable_until"), date(contract.irrevocable_until)],
    [t("contractFields.notice_period_months"), notice],
    ...(contract.terminated_on ? ([[t("contractFields.terminated_on"), date(contract.terminated_on)]] as Fact[]) : []),
    [t("contract.noticeDeadline"), date(contract.notice_deadline)],
    [t("contract.retenderStart"), date(contract.retender_start)],
    [t("contract.effectiveEnd"), date(contract.effective_end, t("terms.running"))],
    [t("contract.latestEnd"), date(contract.latest_end, t("terms.running"))],
  ];
  const procurement: Fact[] = [
    [t("contractFields.procedure"), label("procedure", contract.procedure)],
    [t("contractFields.framework_agreement"), text(contract.framework_agreement)],
    [
      t("contractFields.agreement_elements"),
      contract.agreement_elements.length > 0
        ? contract.agreement_elements.map((e) => options.label("agreement_element", e)).join(", ")
        : none,
    ],
  ];
  const responsibility: Fact[] = [
    [t("contractFields.owner_user"), contract.owner_user?.name ?? none],
    [t("contractFields.system_owner"), text(contract.system_owner)],
    [t("contractFields.responsible_unit"), text(contract.responsible_unit)],
  ];
  return { basics, values, dates, procurement, responsibility };
}

export function ContractSheetPage() {
  const { id = "" } = useParams();
  const outcome = useVersionedContract(id, 0);
  const options = useOptions();

  if (outcome === null || !options.loaded) return <Loading text={t("contract.loading")} />;
  if (!outcome.ok) {
    return (
      <>
        <PageHeading title={t("sheet.title")} />
        <Alert variant="error">{outcome.status === 404 ? t("contract.notFound") : failureMessage(outcome)}</Alert>
      </>
    );
  }
  const { contract } = outcome.data;
  const facts = sheetFacts(contract, options);
  const systems = contract.systems;

  return (
    <article className="contract-sheet">
      <div className="sheet-screen-actions">
        <p className="back-link-row">
          <Link to={`/kontrakter/${contract.id}`} className="back-link">
            {t("sheet.back")}
          </Link>
        </p>
        <p className="form-hint">{t("sheet.hint")}</p>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            window.print();
          }}
        >
          <Icon name="print" />
          {t("sheet.printNow")}
        </button>
      </div>
      <header className="sheet-header">
        <p className="sheet-kind">
          {t("sheet.title")} · {contract.owner.name}
        </p>
        <PageHeading title={contract.title} />
      </header>
      <div className="sheet-grid">
        <FactList id="sheet-basics" title={t("sheet.keyFacts")} facts={facts.basics} />
        <FactList id="sheet-dates" title={t("sheet.dates")} facts={facts.dates} />
        <FactList id="sheet-values" title={t("sheet.values")} facts={facts.values} />
        <FactList id="sheet-procurement" title={t("sheet.procurement")} facts={facts.procurement} />
        <FactList id="sheet-responsibility" title={t("sheet.responsibility")} facts={facts.responsibility} />
        <section className="sheet-section" aria-labelledby="sheet-systems">
          <h2 id="sheet-systems">{t("sheet.systems")}</h2>
          {systems.length > 0 ? (
            <ul className="sheet-systems">
              {systems.map((s) => (
                <li key={s.id}>{s.name}</li>
              ))}
            </ul>
          ) : (
            <p>{t("contract.noSystems")}</p>
          )}
        </section>
      </div>
      <p className="sheet-printed">{t("sheet.printed", { date: formatDate(todayIso()) ?? todayIso() })}</p>
    </article>
  );
}
