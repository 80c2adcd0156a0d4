// The draft of a template: its clauses and parameters, saved with the
// draft's ETag in If-Match (a change made by someone else meanwhile is
// refused, not overwritten), and published with a change note. A published
// version is read-only; "Start ny kladde" copies the newest into a new draft.

import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle, withETag, type Outcome } from "../../api/problem";
import type { ApiVersionContent, Template } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { FieldFrame, describedBy } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { isChanged, useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { t } from "../../i18n";
import { useCanWrite } from "../contracts/parts";
import { ClauseListEditor } from "./ClauseListEditor";
import { clauseIndex, draftErrors } from "./draftErrors";
import { apiContent, type VersionContent } from "./model";
import { contentOf, useTemplate, useVersion, type Versioned } from "./useTemplates";

interface Failure {
  byPath: Record<string, string>;
  other: string[];
  stale: boolean;
}

const NO_FAILURE: Failure = { byPath: {}, other: [], stale: false };

function failureOf(outcome: Outcome<unknown> & { ok: false }): Failure {
  if (outcome.status === 412 || outcome.status === 428) return { byPath: {}, other: [], stale: true };
  const { byPath, other } = draftErrors(outcome.problem);
  if (Object.keys(byPath).length === 0 && other.length === 0) other.push(failureMessage(outcome));
  return { byPath, other, stale: false };
}

function DraftEditor({
  template,
  number,
  initial,
  initialEtag,
  onReload,
}: {
  template: Template;
  number: number;
  initial: VersionContent;
  initialEtag: string;
  onReload: () => void;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const [content, setContent] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [etag, setEtag] = useState(initialEtag);
  const guard = useUnsavedChangesGuard(isChanged(content, saved));
  const [failure, setFailure] = useState<Failure>(NO_FAILURE);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt === 0) return;
    if (failure.stale) staleRef.current?.focus();
    else summaryRef.current?.focus();
  }, [attempt, failure.stale]);

  async function save(): Promise<string | null> {
    const outcome = withETag(
      await settle(
        api.PUT("/templates/{id}/versions/{number}", {
          params: { path: { id: template.id, number }, header: { "If-Match": etag } },
          body: { content: apiContent(content) as ApiVersionContent },
        }),
      ),
      (_, tag) => tag,
    );
    if (!outcome.ok) {
      setFailure(failureOf(outcome));
      setAttempt((n) => n + 1);
      return null;
    }
    setEtag(outcome.data);
    setSaved(content);
    setFailure(NO_FAILURE);
    return outcome.data;
  }

  async function onSave() {
    setBusy("save");
    const ok = await save();
    setBusy(null);
    if (ok) setNotice(t("templates.editor.saved", { number }));
  }

  async function onPublish() {
    if (note.trim() === "") {
      setNoteError(t("templates.editor.noteRequired"));
      setFailure(NO_FAILURE);
      setAttempt((n) => n + 1);
      return;
    }
    setNoteError(null);
    setBusy("publish");
    const current = isChanged(content, saved) ? await save() : etag;
    if (current === null) {
      setBusy(null);
      return;
    }
    const outcome = await settle(
      api.POST("/templates/{id}/versions/{number}/publish", {
        params: { path: { id: template.id, number }, header: { "If-Match": current } },
        body: { change_note: note.trim() },
      }),
    );
    setBusy(null);
    if (outcome.ok) {
      guard.release();
      void navigate(`/skabeloner/${template.id}?version=${String(number)}`, { state: { notice: t("templates.editor.published", { number }) } });
      return;
    }
    setFailure(failureOf(outcome));
    setAttempt((n) => n + 1);
  }

  const summary: SummaryItem[] = [
    ...failure.other.map((message) => ({ message })),
    ...Object.entries(failure.byPath).map(([path, message]) => {
      const index = clauseIndex(path) ?? 0;
      const clause = content.clauses[index];
      return { message: `${t("templates.editor.clauseError", { number: clause?.number ?? String(index + 1) })}: ${message}` };
    }),
    ...(noteError ? [{ fieldId: "publish-note", label: t("templates.editor.note"), message: noteError }] : []),
  ];

  return (
    <>
      {notice ? (
        <Alert variant="success" polite>
          {notice}
        </Alert>
      ) : null}
      {failure.stale ? (
        <Alert ref={staleRef} variant="error">
          <p>{t("templates.editor.stale")}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={onReload}>
              {t("templates.editor.reload")}
            </button>
          </p>
        </Alert>
      ) : null}
      <ErrorSummary ref={summaryRef} items={summary} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <ClauseListEditor clauses={content.clauses} onChange={(clauses) => { setContent({ clauses }); }} errors={failure.byPath} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy !== null}>
            {busy === "save" ? t("form.saving") : t("templates.editor.save")}
          </button>
          <Link to={`/skabeloner/${template.id}`} className="button button-secondary">
            {t("templates.editor.back")}
          </Link>
          <span className="form-hint editor-dirty" role="status">
            {isChanged(content, saved) ? t("templates.editor.unsaved") : t("templates.editor.allSaved")}
          </span>
        </div>
      </form>
      <section className="template-section publish-section" aria-labelledby="publish-heading">
        <h2 id="publish-heading">{t("templates.editor.publishTitle", { number })}</h2>
        <p>{t("templates.editor.publishIntro")}</p>
        <FieldFrame id="publish-note" label={t("templates.editor.note")} hint={t("templates.editor.noteHint")} error={noteError ?? undefined}>
          <textarea
            id="publish-note"
            className="form-input input-width-xl"
            rows={3}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
            }}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={describedBy("publish-note", t("templates.editor.noteHint"), noteError ?? undefined)}
          />
        </FieldFrame>
        <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void onPublish()}>
          {busy === "publish" ? t("templates.editor.publishing") : t("templates.editor.publish", { number })}
        </button>
      </section>
    </>
  );
}

function NoDraft({ template, etag }: { template: Template; etag: string }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function start() {
    setBusy(true);
    const outcome = await settle(api.POST("/templates/{id}/versions", { params: { path: { id: template.id }, header: { "If-Match": etag } } }));
    setBusy(false);
    if (outcome.ok) void navigate(0);
    else setError(failureMessage(outcome));
  }
  return (
    <>
      <p>{t("templates.editor.noDraft", { number: template.latest_published_number ?? 0 })}</p>
      <p>
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>
          {t("templates.page.startDraft")}
        </button>
      </p>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </>
  );
}

export function TemplateEditorPage() {
  const { id = "" } = useParams();
  const canWrite = useCanWrite();
  const [reload, setReload] = useState(0);
  const outcome = useTemplate(id, reload);
  const template = outcome?.ok ? outcome.data.data : null;
  const draft = template?.editable ? (template.draft_number ?? null) : null;
  const version = useVersion(id, draft, reload);
  const loaded: Versioned<unknown> | null = version?.ok ? version.data : null;

  return (
    <>
      <PageHeading
        title={template ? t("templates.editor.title", { name: template.name, number: draft ?? template.latest_published_number ?? 0 }) : t("templates.editor.titleShort")}
      />
      {outcome === null ? <Loading text={t("templates.page.loading")} /> : null}
      {outcome && !outcome.ok ? <Alert variant="error">{failureMessage(outcome)}</Alert> : null}
      {template && (!template.editable || !canWrite) ? <Alert variant="info">{t("templates.editor.readOnly")}</Alert> : null}
      {template?.editable && canWrite && draft === null ? <NoDraft template={template} etag={outcome?.ok ? outcome.data.etag : ""} /> : null}
      {template && draft !== null && version && !version.ok ? <Alert variant="error">{failureMessage(version)}</Alert> : null}
      {template && draft !== null && version?.ok && version.data && loaded ? (
        <DraftEditor
          key={version.data.etag}
          template={template}
          number={draft}
          initial={contentOf(version.data.data)}
          initialEtag={version.data.etag}
          onReload={() => {
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
