// The contract page's template section: the version the contract is based
// on, the parameter values, the deviations with their reasons, and the
// filled contract as a Word file or a printable page.

import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Contract, ContractTemplate } from "../../api/types";
import { Alert } from "../../components/Alert";
import { t } from "../../i18n";
import { fetchDocument, fileName, openHtml, saveBlob } from "./documents";
import { MarkdownPreview } from "./MarkdownEditor";
import { allParameters, type Parameter } from "./model";
import { contentOf, useVersion } from "./useTemplates";
import { formatValue } from "./values";

function FilledDocuments({ contract }: { contract: Pick<Contract, "id" | "title"> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { id: contract.id };
  async function run(kind: "docx" | "html") {
    setBusy(true);
    setError(null);
    const failed =
      kind === "docx"
        ? await fetchDocument(
            () => settle(api.GET("/contracts/{id}/document.docx", { params: { path }, parseAs: "blob" })),
            (blob) => {
              saveBlob(blob, fileName(contract.title, "docx"));
            },
          )
        : await fetchDocument(
            () => settle(api.GET("/contracts/{id}/document.html", { params: { path }, parseAs: "blob" })),
            (blob) => {
              if (!openHtml(blob)) setError(t("templates.page.popupBlocked"));
            },
          );
    setBusy(false);
    if (failed) setError(failureMessage(failed));
  }
  return (
    <div className="document-buttons">
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run("docx")}>
        {t("templates.use.downloadDocx")}
      </button>
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run("html")}>
        {t("templates.use.openHtml")}
      </button>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}

export function ContractTemplateSection({ contract, template }: { contract: Pick<Contract, "id" | "title">; template: ContractTemplate }) {
  // The version's labels and clause headings; a reader who cannot see the template gets names only.
  const version = useVersion(template.template_id, template.version_number);
  const content = version?.ok && version.data ? contentOf(version.data.data) : null;
  const parameters = new Map<string, Parameter>((content ? allParameters(content) : []).map((p) => [p.name, p]));
  const names = content ? allParameters(content).map((p) => p.name) : Object.keys(template.values);
  const clause = (key: string) => content?.clauses.find((c) => c.key === key);
  const name = template.template_name ?? t("templates.list.unknownOwner");
  return (
    <section className="contract-section contract-template" aria-labelledby="contract-template-heading">
      <h2 id="contract-template-heading">{t("templates.use.sectionTitle")}</h2>
      <p>
        {t("templates.use.basedOn", { name, number: template.version_number })}
        {template.template_name ? (
          <>
            {" "}
            <Link to={`/skabeloner/${template.template_id}?version=${String(template.version_number)}`}>{t("templates.use.openTemplate")}</Link>
          </>
        ) : null}
      </p>
      <FilledDocuments contract={contract} />
      {names.length > 0 ? (
        <table className="table table--compact contract-template-values">
          <caption>{t("templates.use.valuesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("templates.use.colParameter")}</th>
              <th scope="col">{t("templates.use.colValue")}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => {
              const value = template.values[n];
              const p = parameters.get(n);
              return (
                <tr key={n}>
                  <th scope="row">{p?.label ?? n}</th>
                  <td>{value ? formatValue(value, p) : t("templates.use.noValue")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <h3 className="h4">{t("templates.use.deviationsCaption")}</h3>
      {template.deviations.length === 0 ? (
        <p>{t("templates.use.noDeviations")}</p>
      ) : (
        <ul className="nobullet-list contract-deviations">
          {template.deviations.map((d) => {
            const c = clause(d.clause_key);
            return (
              <li key={d.clause_key} className="deviation-box">
                <h4 className="h5">{c ? t("templates.use.deviationFor", { number: c.number, heading: c.heading }) : d.clause_key}</h4>
                <MarkdownPreview text={d.text} />
                <p>
                  <strong>{t("templates.use.reason")}</strong> {d.reason}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
