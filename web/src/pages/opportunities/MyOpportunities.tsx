// Vores kontrakter: for each of the municipality's own contracts up for
// re-tender in the window, the contracts other municipalities share with
// our collaborations in the same CPV group or category.

import { useId } from "react";
import { Link } from "react-router";
import { failureMessage } from "../../api/problem";
import type { MyOpportunity } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { ContractTable } from "./OpportunityCard";
import { useMyOpportunities } from "./useOpportunities";

function OwnContract({ item }: { item: MyOpportunity }) {
  const headingId = useId();
  const { contract, matches } = item;
  return (
    <article className="card opportunity-card" aria-labelledby={headingId}>
      <div className="card-content">
        <p className="card-subheading">{t("myOpportunities.ownContract")}</p>
        <h3 className="card-heading h3" id={headingId}>
          <Link to={`/kontrakter/${contract.id}`}>{contract.title}</Link>
        </h3>
        <p>
          {[
            contract.supplier_name,
            contract.cpv_code,
            t("myOpportunities.retenderStart", { date: formatDate(contract.retender_start) ?? "" }),
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
        <ContractTable
          caption={t("myOpportunities.matchesCaption", { title: contract.title })}
          contracts={matches.map((m) => m.contract)}
          collaborations={matches.map((m) => m.collaboration.name)}
        />
      </div>
    </article>
  );
}

export function MyOpportunities({ windowMonths }: { windowMonths: number }) {
  const mine = useMyOpportunities(windowMonths);
  return (
    <section aria-labelledby="mine-heading" className="my-opportunities">
      <h2 id="mine-heading">{t("myOpportunities.heading")}</h2>
      <p>{t("myOpportunities.intro")}</p>
      {mine === null ? <Loading text={t("myOpportunities.loading")} /> : null}
      {mine && !mine.ok ? <Alert variant="error">{failureMessage(mine)}</Alert> : null}
      {mine?.ok && mine.data.items.length === 0 ? <Alert variant="info">{t("myOpportunities.empty")}</Alert> : null}
      {mine?.ok && mine.data.items.length > 0 ? (
        <>
          <p role="status">{t("myOpportunities.summary", { count: mine.data.total })}</p>
          {mine.data.items.map((item) => (
            <OwnContract key={item.contract.id} item={item} />
          ))}
        </>
      ) : null}
    </section>
  );
}
