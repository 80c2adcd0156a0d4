// Importér kontrakter: a wizard from a spreadsheet to contracts in the
// register. The file is read first (columns with sample values and a
// suggested field each), the user maps the columns, tries the import (a
// report of errors and duplicates, nothing saved), then imports all or
// nothing or only the valid rows while a progress bar follows the job, and
// ends with the counts and the rejected rows to download. The mapping is
// kept when the user steps back, and carried over to another sheet.

import { useEffect, useRef, useState, type DragEvent, type ReactNode, type Ref, type SubmitEvent } from "react";
import { Link } from "react-router";
import { failureMessage } from "../../../api/problem";
import { saveDownload } from "../../../api/download";
import { Alert } from "../../../components/Alert";
import { SelectField } from "../../../components/fields";
import { Icon } from "../../../components/Icon";
import { PageHeading } from "../../../components/PageHeading";
import { useUnsavedChangesGuard } from "../../../components/UnsavedChanges";
import { t, tOptional } from "../../../i18n";
import { formatSize } from "../Attachments";
import {
  createImport,
  fetchRejectedRows,
  followImport,
  runImport,
  type ContractImport,
  type ImportColumn,
  type ImportReport,
} from "./importApi";
import {
  carryChoices,
  hasProblems,
  IMPORT_ACCEPT,
  IMPORT_FIELDS,
  IMPORT_MAX_BYTES,
  importFileKind,
  mappingBody,
  mappingProblems,
  progressFraction,
  type Choices,
  type ImportField,
} from "./model";

const STEPS = ["upload", "columns", "mapping", "dryRun", "run", "result"] as const;
type StepName = (typeof STEPS)[number];
type RunMode = "all_or_nothing" | "valid_rows";

/** The Danish name of a field a column can fill. */
export function importFieldLabel(field: string): string {
  return tOptional(`importFields.${field}`) ?? tOptional(`contractFields.${field}`) ?? field;
}

function headerText(column: ImportColumn): string {
  return column.header.trim() || t("imports.emptyHeader");
}

function StepIndicator({
  current,
  reached,
  locked,
  onGo,
}: {
  current: number;
  reached: number;
  locked: boolean;
  onGo: (step: number) => void;
}) {
  return (
    <nav aria-label={t("imports.stepsLabel")} className="import-steps">
      <ol className="step-indicator">
        {STEPS.map((name, index) => {
          const isCurrent = index === current;
          const done = index < reached || (locked && index < current);
          const reachable = !isCurrent && !locked && index <= reached;
          const state = isCurrent ? t("imports.stepCurrent") : done ? t("imports.stepDone") : t("imports.stepLater");
          const content = (
            <>
              {done && !isCurrent ? (
                <span className="step-icon">
                  <Icon name="check" />
                </span>
              ) : (
                <span className="step-number">
                  <span>{index + 1}</span>
                </span>
              )}
              <div>
                <span className="step-title">{t(`imports.steps.${name}`)}</span>
                <span className="sr-only">, {state}</span>
              </div>
            </>
          );
          return (
            <li
              key={name}
              className={isCurrent ? "current" : reachable ? undefined : "disabled"}
              aria-current={isCurrent ? "step" : undefined}
            >
              {reachable ? (
                <button
                  type="button"
                  className="step step-button"
                  onClick={() => {
                    onGo(index);
                  }}
                >
                  {content}
                </button>
              ) : (
                <span className="step">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function StepFrame({ step, headingRef, children }: { step: StepName; headingRef: Ref<HTMLHeadingElement>; children: ReactNode }) {
  const index = STEPS.indexOf(step);
  return (
    <section className="import-step" aria-labelledby="import-step-heading">
      <p className="step-subheading">{t("imports.stepOf", { step: index + 1, count: STEPS.length })}</p>
      <h2 id="import-step-heading" ref={headingRef} tabIndex={-1}>
        {t(`imports.steps.${step}`)}
      </h2>
      {children}
    </section>
  );
}

function checkImportFile(file: File): string | null {
  if (!importFileKind(file.name)) return t("imports.wrongType", { name: file.name });
  if (file.size > IMPORT_MAX_BYTES) return t("imports.tooBig", { name: file.name, size: formatSize(file.size) });
  return null;
}

function UploadStep({
  file,
  onFile,
  analysis,
  sheet,
  onSheet,
  busy,
  uploadFraction,
  error,
  onRead,
}: {
  file: File | null;
  onFile: (file: File | null) => void;
  analysis: ContractImport | null;
  sheet: string;
  onSheet: (sheet: string) => void;
  busy: boolean;
  uploadFraction: number | null;
  error: string | null;
  onRead: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const sheets = analysis?.format.sheets ?? [];
  const shownError = fileError ?? error;

  function choose(chosen: File | null) {
    if (chosen) {
      const problem = checkImportFile(chosen);
      setFileError(problem);
      onFile(problem ? null : chosen);
    } else {
      onFile(null);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) choose(dropped);
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setFileError(t("imports.noFile"));
      input.current?.focus();
      return;
    }
    onRead();
  }

  return (
    <form noValidate onSubmit={onSubmit}>
      <div
        className={`import-drop${dragging ? " is-dragging" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => {
          setDragging(false);
        }}
        onDrop={onDrop}
      >
        <div className={`form-group${shownError ? " form-error" : ""}`}>
          <label className="form-label" htmlFor="import-file">
            {t("imports.fileLabel")}
          </label>
          <span className="form-hint" id="import-file-hint">
            {t("imports.fileHint")}
          </span>
          {shownError ? (
            <span className="form-error-message" id="import-file-error" role="alert">
              <span className="sr-only">{t("form.errorPrefix")} </span>
              {shownError}
            </span>
          ) : null}
          <input
            ref={input}
            id="import-file"
            name="file"
            type="file"
            className="form-file-input"
            accept={IMPORT_ACCEPT}
            aria-invalid={shownError ? true : undefined}
            aria-describedby={shownError ? "import-file-hint import-file-error" : "import-file-hint"}
            onChange={(event) => {
              choose(event.target.files?.[0] ?? null);
            }}
          />
        </div>
        <p className="import-drop-text" aria-hidden="true">
          <Icon name="upload" />
          {dragging ? t("imports.dropActive") : t("imports.dropZone")}
        </p>
        <p role="status" className="import-chosen">
          {file ? t("imports.chosenFile", { name: file.name, size: formatSize(file.size) }) : ""}
        </p>
      </div>
      {sheets.length > 1 && file ? (
        <SelectField
          id="import-sheet"
          label={t("imports.sheetLabel")}
          hint={t("imports.sheetHint")}
          value={sheet || analysis?.format.sheet || sheets[0] || ""}
          onChange={onSheet}
          options={sheets.map((s) => ({ value: s, label: s }))}
        />
      ) : null}
      {uploadFraction !== null ? (
        <div className="upload-progress">
          <label htmlFor="import-upload-progress">
            {t("imports.uploading", { percent: Math.round(uploadFraction * 100) })}
          </label>
          <progress id="import-upload-progress" max={100} value={Math.round(uploadFraction * 100)}>
            {Math.round(uploadFraction * 100)} %
          </progress>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t("imports.reading") : t("imports.read")}
        </button>
      </div>
      <span className="sr-only" role="status">
        {busy ? t("imports.reading") : ""}
      </span>
    </form>
  );
}

function FormatLine({ analysis }: { analysis: ContractImport }) {
  const { format } = analysis;
  return (
    <p className="import-format">
      {format.kind === "xlsx"
        ? t("imports.formatXlsx", { sheet: format.sheet ?? format.sheets[0] ?? "" })
        : t("imports.formatCsv", { delimiter: format.delimiter ?? ";", encoding: format.encoding ?? "UTF-8" })}
    </p>
  );
}

function ColumnsStep({ analysis }: { analysis: ContractImport }) {
  if (analysis.columns.length === 0) return <Alert variant="warning">{t("imports.noColumns")}</Alert>;
  return (
    <>
      <p>
        {t("imports.columnsIntro", { file: analysis.file_name, count: analysis.columns.length, row: analysis.header_row })}
      </p>
      <FormatLine analysis={analysis} />
      <table className="table table--zebra table-md-responsive-headers import-columns">
        <caption>{t("imports.columnsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("imports.colHeader")}</th>
            <th scope="col">{t("imports.colSamples")}</th>
            <th scope="col">{t("imports.colSuggested")}</th>
          </tr>
        </thead>
        <tbody>
          {analysis.columns.map((column) => (
            <tr key={column.index}>
              <th scope="row">{headerText(column)}</th>
              <td data-title={t("imports.colSamples")}>
                {column.samples.length > 0 ? (
                  <ul className="import-samples">
                    {column.samples.slice(0, 3).map((sample, i) => (
                      <li key={i}>{sample}</li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-muted">{t("imports.noSamples")}</span>
                )}
              </td>
              <td data-title={t("imports.colSuggested")}>
                {column.suggested_field ? importFieldLabel(column.suggested_field) : t("imports.noSuggestion")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function MappingStep({
  analysis,
  choices,
  onChoice,
  showProblems,
}: {
  analysis: ContractImport;
  choices: Choices;
  onChoice: (index: number, field: ImportField | "") => void;
  showProblems: boolean;
}) {
  const problems = mappingProblems(analysis.columns, choices);
  const options = [
    { value: "", label: t("imports.ignore") },
    ...IMPORT_FIELDS.map((field) => ({ value: field, label: importFieldLabel(field) })),
  ];
  return (
    <>
      <p>{t("imports.mappingIntro")}</p>
      {showProblems && problems.missing.length > 0 ? (
        <Alert variant="error" heading={t("imports.mappingErrors")}>
          <ul className="nobullet-list">
            {problems.missing.map((field) => (
              <li key={field}>{t("imports.missing", { field: importFieldLabel(field) })}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <fieldset className="import-mapping">
        <legend className="sr-only">{t("imports.mappingLegend")}</legend>
        {analysis.columns.map((column) => {
          const duplicate = problems.duplicates.get(column.index);
          const samples = column.samples.slice(0, 3).filter((s) => s.trim() !== "");
          return (
            <SelectField
              key={column.index}
              id={`import-map-${String(column.index)}`}
              className="import-mapping-row"
              label={t("imports.mappingField", { header: headerText(column) })}
              hint={samples.length > 0 ? t("imports.mappingSamples", { samples: samples.join(" · ") }) : t("imports.noSamples")}
              value={choices[column.index] ?? ""}
              onChange={(value) => {
                onChoice(column.index, value as ImportField | "");
              }}
              options={options}
              error={
                duplicate
                  ? t("imports.duplicate", {
                      field: importFieldLabel(duplicate.field),
                      columns: duplicate.others.map((c) => `»${headerText(c)}«`).join(", "),
                    })
                  : undefined
              }
            />
          );
        })}
      </fieldset>
    </>
  );
}

const SHOWN_ERRORS = 200;

function ReportCounts({ report, imported }: { report: ImportReport; imported: boolean }) {
  return (
    <dl className="import-counts">
      {imported ? (
        <div>
          <dt>{t("imports.rowsImported")}</dt>
          <dd>{report.rows_imported}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t("imports.rowsTotal")}</dt>
        <dd>{report.rows_total}</dd>
      </div>
      <div>
        <dt>{t("imports.rowsValid")}</dt>
        <dd>{report.rows_valid}</dd>
      </div>
      <div>
        <dt>{t("imports.rowsRejected")}</dt>
        <dd>{report.rows_rejected}</dd>
      </div>
      <div>
        <dt>{t("imports.duplicatesCount")}</dt>
        <dd>{report.duplicates.length}</dd>
      </div>
    </dl>
  );
}

function ReportTables({ report }: { report: ImportReport }) {
  const errors = report.errors.slice(0, SHOWN_ERRORS);
  return (
    <>
      {report.errors.length === 0 ? (
        <Alert variant="success" polite>
          {t("imports.noErrors")}
        </Alert>
      ) : (
        <>
          {report.errors.length > SHOWN_ERRORS ? (
            <p>{t("imports.errorsShown", { shown: SHOWN_ERRORS, count: report.errors.length })}</p>
          ) : null}
          <table className="table table--zebra table-md-responsive-headers import-errors">
            <caption>{t("imports.errorsCaption", { count: report.errors.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("imports.colRow")}</th>
                <th scope="col">{t("imports.colColumn")}</th>
                <th scope="col">{t("imports.colValue")}</th>
                <th scope="col">{t("imports.colReason")}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((error, i) => (
                <tr key={i}>
                  <th scope="row">{error.row}</th>
                  <td data-title={t("imports.colColumn")}>{error.column || (error.field ? importFieldLabel(error.field) : "")}</td>
                  <td data-title={t("imports.colValue")}>{error.value ? error.value : t("imports.noValue")}</td>
                  <td data-title={t("imports.colReason")}>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report.duplicates.length > 0 ? (
        <>
          <p>{t("imports.duplicatesHint")}</p>
          <table className="table table--zebra table-md-responsive-headers import-duplicates">
            <caption>{t("imports.duplicatesCaption", { count: report.duplicates.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("imports.colRow")}</th>
                <th scope="col">{t("imports.colReference")}</th>
                <th scope="col">{t("imports.colDuplicateOf")}</th>
              </tr>
            </thead>
            <tbody>
              {report.duplicates.map((duplicate) => (
                <tr key={`${String(duplicate.row)}-${duplicate.reference}`}>
                  <th scope="row">{duplicate.row}</th>
                  <td data-title={t("imports.colReference")}>{duplicate.reference}</td>
                  <td data-title={t("imports.colDuplicateOf")}>
                    {duplicate.existing_contract_id ? (
                      <Link to={`/kontrakter/${duplicate.existing_contract_id}`}>{t("imports.openExisting")}</Link>
                    ) : duplicate.first_row ? (
                      t("imports.duplicateOfRow", { row: duplicate.first_row })
                    ) : (
                      t("contracts.none")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

function JobProgress({ job }: { job: ContractImport | null }) {
  const fraction = job ? progressFraction(job) : null;
  const text =
    job?.progress && job.progress.rows_total > 0
      ? t("imports.progress", { done: job.progress.rows_done, total: job.progress.rows_total })
      : t("imports.progressStarting");
  return (
    <div className="upload-progress import-progress">
      <label htmlFor="import-job-progress">{t("imports.progressLabel")}</label>
      <progress
        id="import-job-progress"
        max={100}
        value={fraction === null ? undefined : Math.round(fraction * 100)}
        aria-describedby="import-job-progress-text"
      >
        {fraction === null ? "" : `${String(Math.round(fraction * 100))} %`}
      </progress>
      <p id="import-job-progress-text" aria-live="polite" className="import-progress-text">
        {text}
      </p>
    </div>
  );
}

function CreatedList({ label, items }: { label: string; items: readonly string[] }) {
  return (
    <div className="import-created">
      <h3 className="h4">{label}</h3>
      {items.length === 0 ? (
        <p>{t("imports.noneCreated")}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RejectedDownloads({ job }: { job: ContractImport }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function download(format: "csv" | "xlsx") {
    setBusy(true);
    const outcome = await fetchRejectedRows(job.id, format);
    setBusy(false);
    const problem = saveDownload(outcome, `afviste-raekker.${format}`);
    setError(problem ? t("exports.failed", { message: problem }) : null);
  }
  return (
    <div className="import-rejected">
      <h3>{t("imports.rejectedHeading")}</h3>
      <p>
        {(job.report?.rows_rejected ?? 0) === 1
          ? t("imports.rejectedIntroOne")
          : t("imports.rejectedIntro", { count: job.report?.rows_rejected ?? 0 })}
      </p>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <div className="button-row">
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void download("xlsx")}>
          <Icon name="download" />
          {t("imports.rejectedXlsx")}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void download("csv")}>
          <Icon name="download" />
          {t("imports.rejectedCsv")}
        </button>
      </div>
    </div>
  );
}

function ResultStep({ job, onStartOver }: { job: ContractImport; onStartOver: () => void }) {
  const report = job.report;
  const imported = report?.rows_imported ?? 0;
  const failed = job.state === "failed";
  return (
    <>
      {failed ? (
        <Alert variant="error">{job.failure ?? t("imports.jobFailed")}</Alert>
      ) : imported > 0 ? (
        <Alert variant="success">
          {imported === 1 ? t("imports.resultOne") : t("imports.resultDone", { count: imported })}
        </Alert>
      ) : (
        <Alert variant="warning">
          {job.mode === "all_or_nothing" && (report?.rows_rejected ?? 0) > 0
            ? t("imports.resultNoneAllOrNothing")
            : t("imports.resultNone")}
        </Alert>
      )}
      {report ? (
        <>
          <ReportCounts report={report} imported />
          <div className="import-created-lists">
            <CreatedList
              label={t("imports.createdSuppliers")}
              items={report.created_suppliers.map((s) => `${s.name} (${t("contracts.cvr", { cvr: s.cvr })})`)}
            />
            <CreatedList label={t("imports.createdSystems")} items={report.created_systems} />
          </div>
          {report.rows_rejected > 0 || report.duplicates.length > 0 ? <RejectedDownloads job={job} /> : null}
          {report.errors.length > 0 ? <ReportTables report={report} /> : null}
        </>
      ) : null}
      <div className="form-actions">
        <Link to="/kontrakter" className="button button-primary">
          {t("imports.toRegister")}
        </Link>
        <button type="button" className="button button-secondary" onClick={onStartOver}>
          {t("imports.startOver")}
        </button>
      </div>
    </>
  );
}

export function ImportPage() {
  const [step, setStep] = useState(0);
  /** The furthest step the user may go to with what has been done so far. */
  const [reached, setReached] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState("");
  const [analysis, setAnalysis] = useState<ContractImport | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const [showProblems, setShowProblems] = useState(false);
  const [trial, setTrial] = useState<ContractImport | null>(null);
  const [mode, setMode] = useState<RunMode>("all_or_nothing");
  const [job, setJob] = useState<ContractImport | null>(null);
  const [result, setResult] = useState<ContractImport | null>(null);
  const [busy, setBusy] = useState<null | "read" | "trial" | "run">(null);
  const [uploadFraction, setUploadFraction] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const following = useRef<AbortController | null>(null);
  const moved = useRef(false);
  useUnsavedChangesGuard(analysis !== null && result === null);

  useEffect(() => {
    // The first step is the page itself; later ones take focus to their heading.
    if (moved.current) heading.current?.focus();
  }, [step]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  useEffect(
    () => () => {
      following.current?.abort();
    },
    [],
  );

  function go(next: number) {
    moved.current = true;
    setError(null);
    setStep(next);
    setReached((r) => Math.max(r, next));
  }

  async function follow(started: ContractImport): Promise<ContractImport | null> {
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    try {
      const outcome = await followImport(started, controller.signal, setJob);
      if (!outcome.ok) {
        setError(failureMessage(outcome));
        return null;
      }
      return outcome.data;
    } catch {
      return null;
    }
  }

  async function read(chosenSheet?: string) {
    if (!file) return;
    setBusy("read");
    setError(null);
    setUploadFraction(0);
    const started = await createImport(file, { mode: "analyse", sheet: chosenSheet || undefined }, setUploadFraction);
    setUploadFraction(null);
    if (!started.ok) {
      setBusy(null);
      setError(started.status === 413 ? t("imports.tooBig", { name: file.name, size: formatSize(file.size) }) : failureMessage(started));
      return;
    }
    const done = await follow(started.data);
    setBusy(null);
    setJob(null);
    if (!done) return;
    if (done.state === "failed") {
      setError(done.failure ?? t("imports.readFailed"));
      return;
    }
    setChoices((previous) => carryChoices(analysis ? { columns: analysis.columns, choices: previous } : null, done.columns));
    setAnalysis(done);
    setSheet(done.format.sheet ?? "");
    setTrial(null);
    setShowProblems(false);
    // A new reading invalidates any trial; the user goes on from the columns.
    setReached(1);
    moved.current = true;
    setStep(1);
  }

  async function tryImport() {
    if (!analysis) return;
    const problems = mappingProblems(analysis.columns, choices);
    if (hasProblems(problems)) {
      setShowProblems(true);
      heading.current?.focus();
      return;
    }
    setBusy("trial");
    setError(null);
    const started = await runImport(analysis.id, "dry_run", mappingBody(analysis.columns, choices));
    if (!started.ok) {
      setBusy(null);
      setError(failureMessage(started));
      return;
    }
    const done = await follow(started.data);
    setBusy(null);
    setJob(null);
    if (!done) return;
    if (done.state === "failed") {
      setError(done.failure ?? t("imports.jobFailed"));
      return;
    }
    setTrial(done);
    go(3);
  }

  async function runForReal() {
    if (!analysis) return;
    setBusy("run");
    setError(null);
    setJob(null);
    const started = await runImport(analysis.id, mode, mappingBody(analysis.columns, choices));
    if (!started.ok) {
      setBusy(null);
      setError(failureMessage(started));
      return;
    }
    const done = await follow(started.data);
    setBusy(null);
    if (!done) return;
    setResult(done);
    go(5);
  }

  function startOver() {
    following.current?.abort();
    setFile(null);
    setSheet("");
    setAnalysis(null);
    setChoices({});
    setTrial(null);
    setJob(null);
    setResult(null);
    setMode("all_or_nothing");
    setShowProblems(false);
    setReached(0);
    go(0);
  }

  const locked = result !== null || busy === "run";
  const name = STEPS[step] ?? "upload";
  const problems = analysis ? mappingProblems(analysis.columns, choices) : null;
  const trialReport = trial?.report ?? null;

  let body: ReactNode = null;
  let actions: ReactNode = null;
  switch (name) {
    case "upload":
      body = (
        <UploadStep
          file={file}
          onFile={(chosen) => {
            setFile(chosen);
            if (chosen !== file) setSheet("");
          }}
          analysis={analysis && file && analysis.file_name === file.name ? analysis : null}
          sheet={sheet}
          onSheet={(value) => {
            setSheet(value);
            void read(value);
          }}
          busy={busy === "read"}
          uploadFraction={uploadFraction}
          error={null}
          onRead={() => void read(sheet)}
        />
      );
      if (analysis) {
        actions = (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              go(1);
            }}
          >
            {t("imports.next")}
          </button>
        );
      }
      break;
    case "columns":
      body = analysis ? <ColumnsStep analysis={analysis} /> : null;
      actions = (
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              go(0);
            }}
          >
            {t("imports.previous")}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!analysis || analysis.columns.length === 0}
            onClick={() => {
              go(2);
            }}
          >
            {t("imports.next")}
          </button>
        </>
      );
      break;
    case "mapping":
      body = analysis ? (
        <MappingStep
          analysis={analysis}
          choices={choices}
          showProblems={showProblems}
          onChoice={(index, field) => {
            setChoices((c) => ({ ...c, [index]: field }));
            // A trial with another mapping says nothing about this one.
            setTrial(null);
            setReached(2);
          }}
        />
      ) : null;
      if (busy === "trial") body = <>{body}<JobProgress job={job} /></>;
      actions = (
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              go(1);
            }}
          >
            {t("imports.previous")}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={() => void tryImport()}
          >
            {busy === "trial" ? t("imports.dryRunning") : t("imports.dryRun")}
          </button>
        </>
      );
      if (problems && problems.duplicates.size > 0) {
        actions = (
          <>
            {actions}
            <p className="form-hint import-actions-hint">{t("imports.mappingErrors")}</p>
          </>
        );
      }
      break;
    case "dryRun":
      body = trialReport ? (
        <>
          <p>{t("imports.dryRunIntro")}</p>
          <ReportCounts report={trialReport} imported={false} />
          <ReportTables report={trialReport} />
        </>
      ) : null;
      actions = (
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              go(2);
            }}
          >
            {t("imports.previous")}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy !== null}
            onClick={() => void tryImport()}
          >
            {busy === "trial" ? t("imports.dryRunning") : t("imports.dryRunAgain")}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              go(4);
            }}
          >
            {t("imports.next")}
          </button>
        </>
      );
      break;
    case "run":
      body = (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void runForReal();
          }}
        >
          <fieldset>
            <legend className="form-label">{t("imports.modeLegend")}</legend>
            {(
              [
                ["all_or_nothing", "imports.modeAll", "imports.modeAllHint"],
                ["valid_rows", "imports.modeValid", "imports.modeValidHint"],
              ] as const
            ).map(([value, label, hint]) => (
              <div className="form-group-radio" key={value}>
                <input
                  className="form-radio"
                  type="radio"
                  id={`import-mode-${value}`}
                  name="import-mode"
                  value={value}
                  checked={mode === value}
                  disabled={busy === "run"}
                  aria-describedby={`import-mode-${value}-hint`}
                  onChange={() => {
                    setMode(value);
                  }}
                />
                <label className="form-label" htmlFor={`import-mode-${value}`}>
                  {t(label)}
                </label>
                <span className="form-hint" id={`import-mode-${value}-hint`}>
                  {t(hint)}
                </span>
              </div>
            ))}
          </fieldset>
          {mode === "all_or_nothing" && (trialReport?.rows_rejected ?? 0) > 0 ? (
            <Alert variant="warning" polite>
              {t("imports.allOrNothingBlocked")}
            </Alert>
          ) : null}
          {busy === "run" ? <JobProgress job={job} /> : null}
          <div className="form-actions">
            <button
              type="button"
              className="button button-secondary"
              disabled={busy === "run"}
              onClick={() => {
                go(3);
              }}
            >
              {t("imports.previous")}
            </button>
            <button type="submit" className="button button-primary" disabled={busy !== null}>
              {busy === "run" ? t("imports.running") : t("imports.runImport")}
            </button>
          </div>
        </form>
      );
      break;
    case "result":
      body = result ? <ResultStep job={result} onStartOver={startOver} /> : null;
      break;
  }

  return (
    <>
      <Link to="/kontrakter" className="back-link">
        <Icon name="chevron-left" />
        {t("imports.back")}
      </Link>
      <PageHeading title={t("imports.title")} />
      <p className="font-lead">{t("imports.intro")}</p>
      <div className="import-wizard">
        <StepIndicator
          current={step}
          reached={Math.min(reached, trial ? 4 : 2, analysis ? 5 : 0)}
          locked={locked}
          onGo={go}
        />
        <div className="import-body">
          <StepFrame step={name} headingRef={heading}>
            {error ? (
              <Alert variant="error" ref={errorRef}>
                {error}
              </Alert>
            ) : null}
            {body}
            {actions ? <div className="form-actions">{actions}</div> : null}
          </StepFrame>
        </div>
      </div>
    </>
  );
}
