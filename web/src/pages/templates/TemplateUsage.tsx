// How the template is used: contracts per version and, per clause, how many
// contracts deviate from it and why — counting only contracts the user may see.

import { failureMessage } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";
import { useUsage } from "./useTemplates";

export function TemplateUsage({ id }: { id: string }) {
  const usage = useUsage(id, true);
  return (
    <section className="template-section" aria-labelledby="usage-heading">
      <h2 id="usage-heading">{t("templates.usage.title")}</h2>
      <p>{t("templates.usage.intro")}</p>
      {usage === null ? <Loading text={t("templates.usage.loading")} /> : null}
      {usage && !usage.ok ? <Alert variant="error">{failureMessage(usage)}</Alert> : null}
      {usage?.ok && usage.data ? (
        usage.data.contracts === 0 ? (
          <p className="text-muted">{t("templates.usage.none")}</p>
        ) : (
          <>
            <p>{usage.data.contracts === 1 ? t("templates.usage.totalOne") : t("templates.usage.total", { count: usage.data.contracts })}</p>
            <table className="table table--compact usage-versions">
              <caption>{t("templates.usage.versionsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("templates.page.colVersion")}</th>
                  <th scope="col" className="text-align-right">
                    {t("templates.usage.colContracts")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {usage.data.versions.map((v) => (
                  <tr key={v.number}>
                    <th scope="row">{t("templates.page.versionNumber", { number: v.number })}</th>
                    <td className="text-align-right">{v.contracts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {usage.data.clauses.length > 0 ? (
              <table className="table table--compact usage-clauses">
                <caption>{t("templates.usage.clausesCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("templates.usage.colClause")}</th>
                    <th scope="col" className="text-align-right">
                      {t("templates.usage.colDeviations")}
                    </th>
                    <th scope="col">{t("templates.usage.colReasons")}</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.data.clauses.map((c) => (
                    <tr key={c.clause_key}>
                      <th scope="row">
                        {c.number} {c.heading}
                      </th>
                      <td className="text-align-right">{c.deviations}</td>
                      <td>
                        <ul className="usage-reasons">
                          {c.reasons.map((r, i) => (
                            <li key={i}>{r}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>{t("templates.usage.noDeviations")}</p>
            )}
          </>
        )
      ) : null}
    </section>
  );
}
