// A template's version history with change notes, one version's content
// with its documents, and the comparison of any two versions.

import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { SelectField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";
import { diffContents } from "./contentDiff";
import { DiffView } from "./DiffView";
import { fetchDocument, fileName, openHtml, saveBlob } from "./documents";
import { contentOf, useTwoVersions, useVersion } from "./useTemplates";
import { VersionContentView } from "./VersionContentView";

function numberParam(params: URLSearchParams, key: string): number | null {
  const n = Number(params.get(key) ?? "");
  return Number.isInteger(n) && n >= 1 ? n : null;
}

export function DocumentButtons({ template, number }: { template: Pick<Template, "id" | "name">; number: number }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { id: template.id, number };
  async function run(kind: "docx" | "html") {
    setBusy(true);
    setError(null);
    const failed =
      kind === "docx"
        ? await fetchDocument(
            () => settle(api.GET("/templates/{id}/versions/{number}/document.docx", { params: { path }, parseAs: "blob" })),
            (blob) => {
              saveBlob(blob, fileName(`${template.name} version ${String(number)}`, "docx"));
            },
          )
        : await fetchDocument(
            () => settle(api.GET("/templates/{id}/versions/{number}/document.html", { params: { path }, parseAs: "blob" })),
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
        {t("templates.page.downloadDocx")}
      </button>
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run("html")}>
        {t("templates.page.openHtml")}
      </button>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}

function VersionShown({ template, number }: { template: Template; number: number }) {
  const version = useVersion(template.id, number);
  return (
    <section className="template-section" aria-labelledby="version-heading">
      <h2 id="version-heading">{t("templates.page.versionTitle", { number })}</h2>
      {version === null ? <Loading text={t("templates.page.loadingVersion")} /> : null}
      {version && !version.ok ? <Alert variant="error">{failureMessage(version)}</Alert> : null}
      {version?.ok && version.data ? (
        <>
          {version.data.data.status === "published" ? (
            <>
              <p>{t("templates.page.publishedReadOnly")}</p>
              <DocumentButtons template={template} number={number} />
            </>
          ) : (
            <p>
              {t("templates.page.draftShown")}{" "}
              {template.editable ? <Link to={`/skabeloner/${template.id}/kladde`}>{t("templates.page.editDraft")}</Link> : null}
            </p>
          )}
          <VersionContentView content={contentOf(version.data.data)} idPrefix={`v${String(number)}`} />
        </>
      ) : null}
    </section>
  );
}

function Compare({ template }: { template: Template }) {
  const [params, setParams] = useSearchParams();
  const numbers = template.versions.map((v) => v.number);
  const last = numbers[numbers.length - 1] ?? null;
  const before = numbers[numbers.length - 2] ?? null;
  const from = numberParam(params, "fra") ?? before;
  const to = numberParam(params, "til") ?? last;
  const pair = useTwoVersions(template.id, from, to);
  const options = template.versions.map((v) => ({
    value: String(v.number),
    label:
      v.status === "draft"
        ? t("templates.page.versionOptionDraft", { number: v.number })
        : t("templates.page.versionOption", { number: v.number }),
  }));
  const choose = (key: "fra" | "til") => (value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    if (key === "fra" && !next.has("til") && to !== null) next.set("til", String(to));
    if (key === "til" && !next.has("fra") && from !== null) next.set("fra", String(from));
    setParams(next, { replace: true, preventScrollReset: true });
  };
  if (numbers.length < 2) return null;
  return (
    <section className="template-section" aria-labelledby="compare-heading">
      <h2 id="compare-heading">{t("templates.page.compareTitle")}</h2>
      <div className="version-pick">
        <SelectField id="compare-from" label={t("templates.page.compareFrom")} value={String(from ?? "")} onChange={choose("fra")} options={options} />
        <SelectField id="compare-to" label={t("templates.page.compareTo")} value={String(to ?? "")} onChange={choose("til")} options={options} />
      </div>
      {pair === null ? <Loading text={t("templates.page.loadingCompare")} /> : null}
      {pair && !pair.ok ? <Alert variant="error">{failureMessage(pair)}</Alert> : null}
      {pair?.ok && pair.data && from !== null && to !== null ? (
        <DiffView diff={diffContents(pair.data[0], pair.data[1])} from={from} to={to} />
      ) : null}
    </section>
  );
}

export function TemplateVersions({ template }: { template: Template }) {
  const [params] = useSearchParams();
  const shown = numberParam(params, "version") ?? template.latest_published_number ?? template.draft_number ?? null;
  const versionLink = (number: number) => {
    const next = new URLSearchParams(params);
    next.set("version", String(number));
    return `?${next.toString()}#version-heading`;
  };
  return (
    <>
      <section className="template-section" aria-labelledby="history-heading">
        <h2 id="history-heading">{t("templates.page.historyTitle")}</h2>
        {template.versions.length === 0 ? (
          <p>{t("templates.page.noVersions")}</p>
        ) : (
          <div className="table--responsive-scroll">
            <table className="table table--compact template-history">
              <caption className="sr-only">{t("templates.page.historyTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("templates.page.colVersion")}</th>
                  <th scope="col">{t("templates.page.colStatus")}</th>
                  <th scope="col">{t("templates.page.colNote")}</th>
                  <th scope="col">{t("templates.page.colPublished")}</th>
                </tr>
              </thead>
              <tbody>
                {[...template.versions].reverse().map((v) => (
                  <tr key={v.number} aria-current={v.number === shown ? "true" : undefined}>
                    <th scope="row">
                      <Link to={versionLink(v.number)} preventScrollReset>
                        {t("templates.page.versionNumber", { number: v.number })}
                      </Link>
                      {v.number === shown ? <span className="sr-only"> {t("templates.page.shownNow")}</span> : null}
                    </th>
                    <td>
                      <span className={`badge badge-small ${v.status === "published" ? "badge-success" : "badge-info"}`}>
                        {v.status === "published" ? t("templates.page.published") : t("templates.page.draft")}
                      </span>
                    </td>
                    <td>{v.change_note ?? t("templates.page.noNote")}</td>
                    <td>
                      {v.published_at
                        ? t("templates.page.publishedBy", { when: formatDateTime(v.published_at) ?? "", who: v.published_by ?? t("templates.list.unknownOwner") })
                        : t("templates.page.notYet")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Compare template={template} />
      {shown !== null ? <VersionShown template={template} number={shown} /> : null}
    </>
  );
}
