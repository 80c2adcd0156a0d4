// One template: what it is and whose, the "Ny version fra <ejer>" notice of
// an adopted copy, the actions the user may take (edit the draft, start a
// new one, adopt into our library), the version history with comparison and
// documents, sharing, and how contracts use it.

import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { t } from "../../i18n";
import { useCanWrite } from "../contracts/parts";
import { OriginNotice } from "./OriginNotice";
import { TemplateTags } from "./TemplatesPage";
import { TemplateSharing } from "./TemplateSharing";
import { TemplateUsage } from "./TemplateUsage";
import { TemplateVersions } from "./TemplateVersions";
import { useTemplate } from "./useTemplates";

function Facts({ template }: { template: Template }) {
  const rows: [string, string][] = [
    [t("templates.page.kind"), template.kind_label],
    [t("templates.page.owner"), template.owner.name],
    [
      t("templates.page.latest"),
      template.latest_published_number != null
        ? t("templates.page.versionNumber", { number: template.latest_published_number })
        : t("templates.list.notPublished"),
    ],
  ];
  if (template.editable) {
    rows.push([
      t("templates.page.draftRow"),
      template.draft_number != null ? t("templates.page.versionNumber", { number: template.draft_number }) : t("templates.page.noDraft"),
    ]);
  }
  if (template.origin) {
    rows.push([
      t("templates.page.origin"),
      t("templates.page.originText", {
        owner: template.origin.owner_name ?? t("templates.list.unknownOwner"),
        number: template.origin.version_number,
      }),
    ]);
  }
  return (
    <dl className="template-meta">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Actions({ template, etag, onStale }: { template: Template; etag: string; onStale: () => void }) {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canWrite) return null;
  const canAdopt = (template.shared || template.owner.kind === "collaboration") && template.latest_published_number != null;

  async function newDraft() {
    setBusy(true);
    const outcome = await settle(api.POST("/templates/{id}/versions", { params: { path: { id: template.id }, header: { "If-Match": etag } } }));
    setBusy(false);
    if (outcome.ok) {
      void navigate(`/skabeloner/${template.id}/kladde`, { state: { notice: t("templates.page.draftStarted", { number: outcome.data.number }) } });
    } else {
      if (outcome.status === 412 || outcome.status === 428) onStale();
      setError(outcome.status === 409 ? t("templates.page.draftExists") : failureMessage(outcome));
    }
  }

  async function adopt() {
    setBusy(true);
    const outcome = await settle(api.POST("/templates/{id}/adopt", { params: { path: { id: template.id } } }));
    setBusy(false);
    if (outcome.ok) {
      void navigate(`/skabeloner/${outcome.data.id}`, { state: { notice: t("templates.page.adopted", { name: outcome.data.name }) } });
    } else setError(failureMessage(outcome));
  }

  return (
    <div className="page-actions">
      {template.editable && template.draft_number != null ? (
        <Link to={`/skabeloner/${template.id}/kladde`} className="button button-primary">
          {t("templates.page.editDraftButton", { number: template.draft_number })}
        </Link>
      ) : null}
      {template.editable && template.draft_number == null ? (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void newDraft()}>
          {t("templates.page.startDraft")}
        </button>
      ) : null}
      {template.editable ? (
        <Link to={`/skabeloner/${template.id}/rediger`} className="button button-secondary">
          {t("templates.page.editDetails")}
        </Link>
      ) : null}
      {canAdopt ? (
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void adopt()}>
          {t("templates.page.adopt")}
        </button>
      ) : null}
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}

/** One template's page, anew for each template so that a notice carried to
 * it (an adopted copy opens with one) is not lost when the route stays. */
export function TemplatePage() {
  const { id = "" } = useParams();
  return <TemplateView key={id} id={id} />;
}

function TemplateView({ id }: { id: string }) {
  const location = useLocation();
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const outcome = useTemplate(id, reload);
  const canWrite = useCanWrite();
  const template = outcome?.ok ? outcome.data.data : null;

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const refresh = () => {
    setReload((n) => n + 1);
  };

  return (
    <>
      <PageHeading title={template?.name ?? t("templates.page.title")} />
      {notice ? (
        <Alert ref={noticeRef} variant="success">
          {notice}
        </Alert>
      ) : null}
      {outcome === null ? <Loading text={t("templates.page.loading")} /> : null}
      {outcome && !outcome.ok ? (
        <Alert variant="error">{outcome.status === 404 ? t("templates.page.notFound") : failureMessage(outcome)}</Alert>
      ) : null}
      {template && outcome?.ok ? (
        <>
          <TemplateTags template={template} />
          {template.description ? <p className="font-lead pre-line">{template.description}</p> : null}
          <OriginNotice template={template} etag={outcome.data.etag} canWrite={canWrite} onStale={refresh} />
          <Facts template={template} />
          <Actions template={template} etag={outcome.data.etag} onStale={refresh} />
          <TemplateVersions template={template} />
          {template.editable && canWrite ? (
            <TemplateSharing
              template={template}
              onChanged={(text) => {
                setNotice(text);
                refresh();
              }}
            />
          ) : null}
          {template.editable ? <TemplateUsage id={template.id} /> : null}
          <p>
            <Link to="/skabeloner">{t("templates.page.back")}</Link>
          </p>
        </>
      ) : null}
    </>
  );
}
