// What the members share with a collaboration: the municipality's own
// contracts and the other members', each with its owner, the first
// SHARED_LIMIT by title and a link to all of them in the contract list.

import { Link } from "react-router";
import { failureMessage } from "../../api/problem";
import type { Collaboration } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { SHARED_LIMIT, useSharedContracts } from "./useCollaborations";

export function SharedContracts({ collaboration, municipality }: { collaboration: Collaboration; municipality: string }) {
  const shared = useSharedContracts(collaboration.id, 0).current;
  const page = shared?.ok ? shared.data : null;
  return (
    <section className="collaboration-shared" aria-labelledby="shared-heading">
      <h2 id="shared-heading">{t("collaborations.sharedTitle")}</h2>
      <p>{t("collaborations.sharedIntro")}</p>
      {shared === null ? <Loading text={t("collaborations.loadingShared")} /> : null}
      {shared && !shared.ok ? <Alert variant="error">{failureMessage(shared)}</Alert> : null}
      {page && page.total === 0 ? (
        <Alert variant="info">
          <p>{t("collaborations.sharedEmpty", { municipality })}</p>
        </Alert>
      ) : null}
      {page && page.total > 0 ? (
        <>
          <table className="table table--zebra table-md-responsive-headers shared-table">
            <caption className="sr-only">
              {t("collaborations.sharedCaption", { name: collaboration.name })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("collaborations.colContract")}</th>
                <th scope="col">{t("collaborations.colOwner")}</th>
                <th scope="col">{t("collaborations.colSupplier")}</th>
                <th scope="col">{t("collaborations.colEnd")}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((contract) => (
                <tr key={contract.id}>
                  <th scope="row">
                    <Link to={`/kontrakter/${contract.id}`}>{contract.title}</Link>
                  </th>
                  <td data-title={t("collaborations.colOwner")}>{contract.owner.name}</td>
                  <td data-title={t("collaborations.colSupplier")}>{contract.supplier.name}</td>
                  <td className="nowrap" data-title={t("collaborations.colEnd")}>
                    {formatDate(contract.effective_end) ?? t("terms.running")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.total > page.items.length ? (
            <p>{t("collaborations.sharedMore", { shown: Math.min(SHARED_LIMIT, page.items.length), total: page.total })}</p>
          ) : null}
        </>
      ) : null}
      {page && page.total > 0 ? (
        <p>
          <Link to={`/kontrakter?scope=all&shared_with=${encodeURIComponent(collaboration.id)}`}>
            {t("collaborations.sharedAll")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
