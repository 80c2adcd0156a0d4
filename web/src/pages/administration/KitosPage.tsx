// Administration → Kitos: the connection to the municipality's OS2Kitos
// (address, API user, password kept sealed), a preview of what an import
// would do, the import itself with its progress, and the latest imports
// with their conflicts.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, settle } from "../../api/problem";
import type {
  KitosConnection,
  KitosCounts,
  KitosFieldDifference,
  KitosItem,
  KitosOutcome,
  KitosReport,
  KitosRun,
  KitosRunList,
} from "../../api/types";
import { useLoad } from "../../api/useLoad";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SubmitButton, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { formatDateTime } from "../../format";
import { t, tOptional } from "../../i18n";

const URL_ID = "kitos-base-url";
const EMAIL_ID = "kitos-email";
const PASSWORD_ID = "kitos-password";
const ORGANIZATION_ID = "kitos-organization";

const OUTCOMES: readonly KitosOutcome[] = ["new", "updated", "unchanged", "conflict", "archived", "rejected"];
const KINDS = ["contract", "it_system", "supplier"] as const;
type Kind = (typeof KINDS)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function kindOf(item: KitosItem): Kind {
  return (KINDS as readonly string[]).includes(item.kind) ? (item.kind as Kind) : "contract";
}

/** A field's name as the register calls it; the server's label otherwise. */
function fieldLabel(item: KitosItem, d: KitosFieldDifference): string {
  if (kindOf(item) === "contract") return tOptional(`contractFields.${d.field}`) ?? d.label;
  return d.label;
}

interface FormErrors {
  base_url?: string;
  email?: string;
  password?: string;
  organization?: string;
  form?: string;
}

function ConnectionForm({ current, onSaved }: { current: KitosConnection | null; onSaved: () => void }) {
  const [baseUrl, setBaseUrl] = useState(current?.base_url ?? "");
  const [email, setEmail] = useState(current?.email ?? "");
  const [password, setPassword] = useState("");
  const [organization, setOrganization] = useState(current?.organization_uuid ?? "");
  const dirty =
    baseUrl !== (current?.base_url ?? "") ||
    email !== (current?.email ?? "") ||
    password !== "" ||
    organization !== (current?.organization_uuid ?? "");
  const guard = useUnsavedChangesGuard(dirty);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  function fail(next: FormErrors) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  const items: SummaryItem[] = [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...(errors.base_url ? [{ fieldId: URL_ID, label: t("kitos.baseUrl"), message: errors.base_url }] : []),
    ...(errors.email ? [{ fieldId: EMAIL_ID, label: t("kitos.email"), message: errors.email }] : []),
    ...(errors.password ? [{ fieldId: PASSWORD_ID, label: t("kitos.password"), message: errors.password }] : []),
    ...(errors.organization
      ? [{ fieldId: ORGANIZATION_ID, label: t("kitos.organization"), message: errors.organization }]
      : []),
  ];

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const org = organization.trim();
    if (org !== "" && !UUID.test(org)) {
      fail({ organization: t("kitos.organizationInvalid") });
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.PUT("/kitos/connection", {
        body: {
          base_url: baseUrl.trim(),
          email: email.trim(),
          ...(password !== "" ? { password } : {}),
          ...(org !== "" ? { organization_uuid: org } : {}),
        },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      setPassword("");
      setErrors({});
      onSaved();
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const next: FormErrors = {};
    if (byField.base_url) next.base_url = byField.base_url;
    if (byField.email) next.email = byField.email;
    if (byField.password) next.password = byField.password;
    if (byField.organization_uuid) next.organization = byField.organization_uuid;
    if (!next.base_url && !next.email && !next.password && !next.organization) next.form = failureMessage(outcome);
    fail(next);
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="kitos-connection-heading">
      <ErrorSummary ref={summaryRef} items={items} />
      <TextField
        id={URL_ID}
        label={t("kitos.baseUrl")}
        hint={t("kitos.baseUrlHint")}
        value={baseUrl}
        onChange={setBaseUrl}
        error={errors.base_url}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <TextField
        id={EMAIL_ID}
        label={t("kitos.email")}
        hint={t("kitos.emailHint")}
        value={email}
        onChange={setEmail}
        error={errors.email}
        type="email"
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <TextField
        id={PASSWORD_ID}
        label={t("kitos.password")}
        hint={current?.password_stored ? t("kitos.passwordStored") : t("kitos.passwordHint")}
        value={password}
        onChange={setPassword}
        error={errors.password}
        type="password"
        autoComplete="new-password"
        required={!current?.password_stored}
        inputClassName="input-width-l"
      />
      <TextField
        id={ORGANIZATION_ID}
        label={t("kitos.organization")}
        hint={t("kitos.organizationHint")}
        value={organization}
        onChange={setOrganization}
        error={errors.organization}
        autoComplete="off"
        inputClassName="input-width-xl"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("kitos.save")} />
      </div>
    </form>
  );
}

function CountsTable({ report }: { report: KitosReport }) {
  const counts: Record<Kind, KitosCounts> = {
    contract: report.contracts,
    it_system: report.systems,
    supplier: report.suppliers,
  };
  return (
    <table className="table table--compact table-md-responsive-headers">
      <caption>{t("kitos.countsCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("kitos.kind")}</th>
          {OUTCOMES.map((o) => (
            <th scope="col" key={o}>
              {t(`kitos.outcomes.${o}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {KINDS.map((kind) => (
          <tr key={kind}>
            <th scope="row">{t(`kitos.kinds.${kind}`)}</th>
            {OUTCOMES.map((o) => (
              <td key={o} data-title={t(`kitos.outcomes.${o}`)}>
                {counts[kind][o]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function shownValue(value: string): string {
  return value === "" ? t("kitos.empty") : value;
}

function Details({ item }: { item: KitosItem }) {
  const lines: string[] = [
    ...item.conflicts.map((d) =>
      t("kitos.conflict", { label: fieldLabel(item, d), local: shownValue(d.local), kitos: shownValue(d.kitos) }),
    ),
    ...item.changes.map((d) =>
      t("kitos.change", { label: fieldLabel(item, d), from: shownValue(d.local), to: shownValue(d.kitos) }),
    ),
    ...item.problems,
  ];
  if (item.not_transferred.length > 0) {
    lines.push(
      t("kitos.notTransferred", { items: item.not_transferred.map((n) => `${n.label}: ${n.value}`).join("; ") }),
    );
  }
  if (lines.length === 0) return null;
  return (
    <ul className="kitos-details">
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

function ReportView({ report }: { report: KitosReport }) {
  const changing = report.items.filter((i) => i.outcome !== "unchanged");
  const unchanged = report.items.length - changing.length;
  return (
    <>
      <CountsTable report={report} />
      {changing.length === 0 ? (
        <Alert variant="info">
          <p>{t("kitos.nothingChanges")}</p>
        </Alert>
      ) : (
        <table className="table table--zebra table-md-responsive-headers">
          <caption>{t("kitos.itemsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("kitos.colTitle")}</th>
              <th scope="col">{t("kitos.colKind")}</th>
              <th scope="col">{t("kitos.colOutcome")}</th>
              <th scope="col">{t("kitos.colDetails")}</th>
            </tr>
          </thead>
          <tbody>
            {changing.map((item, i) => (
              <tr key={`${item.kind}-${item.kitos_uuid ?? item.title}-${String(i)}`}>
                <th scope="row">{item.title}</th>
                <td data-title={t("kitos.colKind")}>{t(`kitos.kindOne.${kindOf(item)}`)}</td>
                <td data-title={t("kitos.colOutcome")}>
                  <span className={`badge${item.outcome === "conflict" || item.outcome === "rejected" ? " badge-warning" : ""}`}>
                    {t(`kitos.outcomes.${item.outcome}`)}
                  </span>
                </td>
                <td data-title={t("kitos.colDetails")}>
                  <Details item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unchanged > 0 ? <p className="form-hint">{t("kitos.unchangedHidden", { count: String(unchanged) })}</p> : null}
    </>
  );
}

function RunsTable({ runs }: { runs: KitosRun[] }) {
  if (runs.length === 0) return <p>{t("kitos.runsEmpty")}</p>;
  return (
    <>
      <table className="table table--zebra table-md-responsive-headers">
        <caption className="sr-only">{t("kitos.runsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("kitos.colStarted")}</th>
            <th scope="col">{t("kitos.colType")}</th>
            <th scope="col">{t("kitos.colState")}</th>
            <th scope="col">{t("kitos.colResult")}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const c = run.report?.contracts;
            return (
              <tr key={run.id}>
                <th scope="row" className="nowrap">
                  {formatDateTime(run.created_at)}
                </th>
                <td data-title={t("kitos.colType")}>{run.incremental ? t("kitos.incremental") : t("kitos.full")}</td>
                <td data-title={t("kitos.colState")}>
                  {t(`kitos.states.${run.state}`)}
                  {run.failure ? <div className="form-hint">{run.failure}</div> : null}
                </td>
                <td data-title={t("kitos.colResult")}>
                  {c
                    ? t("kitos.result", {
                        new: String(c.new),
                        updated: String(c.updated),
                        conflict: String(c.conflict),
                        archived: String(c.archived),
                        rejected: String(c.rejected),
                      })
                    : "–"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {runs
        .filter((run) => run.report?.items.some((i) => i.conflicts.length > 0))
        .map((run) => (
          <details key={run.id} className="kitos-conflicts">
            <summary>{t("kitos.conflictsOf", { date: formatDateTime(run.created_at) ?? "" })}</summary>
            <ul>
              {run.report?.items
                .filter((i) => i.conflicts.length > 0)
                .map((item) => (
                  <li key={`${run.id}-${item.kitos_uuid ?? item.title}`}>
                    <strong>{item.title}</strong>
                    <Details item={{ ...item, changes: [], problems: [], not_transferred: [] }} />
                  </li>
                ))}
            </ul>
          </details>
        ))}
    </>
  );
}

export function KitosPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const [version, setVersion] = useState(0);
  const connection = useLoad<KitosConnection>(String(version), (signal) =>
    settle(api.GET("/kitos/connection", { signal })),
  );
  const runs = useLoad<KitosRunList>(String(version), (signal) => settle(api.GET("/kitos/runs", { signal })));
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [report, setReport] = useState<KitosReport | null>(null);
  // Whether the report shown is a preview (nothing written) or what an import did.
  const [reportOf, setReportOf] = useState<"preview" | "import">("preview");
  const [running, setRunning] = useState<KitosRun | null>(null);

  // Follows a run until it ends.
  useEffect(() => {
    if (!running || running.state === "done" || running.state === "failed") return;
    const timer = window.setTimeout(() => {
      void settle(api.GET("/kitos/runs/{id}", { params: { path: { id: running.id } } })).then((outcome) => {
        if (!outcome.ok) {
          setError(failureMessage(outcome));
          setRunning(null);
          return;
        }
        setRunning(outcome.data);
        if (outcome.data.state === "done") {
          setNotice(t("kitos.imported"));
          setReport(outcome.data.report ?? null);
          setReportOf("import");
          setVersion((v) => v + 1);
        } else if (outcome.data.state === "failed") {
          setError(t("kitos.importFailed", { reason: outcome.data.failure ?? "" }));
          setVersion((v) => v + 1);
        }
      });
    }, 1000);
    return () => {
      window.clearTimeout(timer);
    };
  }, [running]);

  async function preview() {
    setError(null);
    setNotice(null);
    setPreviewing(true);
    const outcome = await settle(api.POST("/kitos/preview", {}));
    setPreviewing(false);
    if (outcome.ok) {
      setReport(outcome.data);
      setReportOf("preview");
    } else setError(failureMessage(outcome));
  }

  async function start() {
    setError(null);
    setNotice(null);
    const outcome = await settle(api.POST("/kitos/import", {}));
    if (outcome.ok) setRunning(outcome.data);
    else setError(failureMessage(outcome));
  }

  const loaded = connection.current ?? connection.previous;
  const current = loaded?.ok ? loaded.data : null;
  const missing = loaded && !loaded.ok && loaded.status === 404;
  const busy = previewing || (running !== null && running.state !== "done" && running.state !== "failed");
  const shownRuns = runs.current ?? runs.previous;

  return (
    <>
      <PageHeading title={t("kitos.title")} />
      <p className="font-lead">{t("kitos.intro", { municipality })}</p>
      {notice ? (
        <Alert variant="success" polite>
          <p>{notice}</p>
        </Alert>
      ) : null}
      {error ? <Alert variant="error">{error}</Alert> : null}

      <h2 id="kitos-connection-heading">{t("kitos.connectionTitle")}</h2>
      {loaded === null ? <Loading text={t("kitos.loadingConnection")} /> : null}
      {loaded && !loaded.ok && !missing ? <Alert variant="error">{failureMessage(loaded)}</Alert> : null}
      {missing ? <p>{t("kitos.noConnection", { municipality })}</p> : null}
      {current ? (
        <p>
          {current.last_run_at
            ? t("kitos.lastRun", { date: formatDateTime(current.last_run_at) ?? "" })
            : t("kitos.neverRun")}
        </p>
      ) : null}
      {loaded && (current || missing) ? (
        <ConnectionForm
          key={current?.updated_at ?? "new"}
          current={current}
          onSaved={() => {
            setNotice(t("kitos.saved"));
            setVersion((v) => v + 1);
          }}
        />
      ) : null}

      {current ? (
        <section aria-labelledby="kitos-preview-heading">
          <h2 id="kitos-preview-heading">{t("kitos.previewTitle")}</h2>
          <p>{t("kitos.previewIntro")}</p>
          <p className="kitos-actions">
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => void preview()}>
              {t("kitos.previewButton")}
            </button>{" "}
            <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>
              {t("kitos.importButton")}
            </button>
          </p>
          {previewing ? <Loading text={t("kitos.previewing")} /> : null}
          {running && busy ? (
            <p role="status">
              {t("kitos.importing", { done: String(running.objects_done), total: String(running.objects_total) })}
            </p>
          ) : null}
          {report ? (
            <>
              <p className="kitos-report-of">
                <strong>{t(reportOf === "preview" ? "kitos.reportIsPreview" : "kitos.reportIsImport")}</strong>
              </p>
              <ReportView report={report} />
            </>
          ) : null}
        </section>
      ) : null}

      <h2>{t("kitos.runsTitle")}</h2>
      {shownRuns?.ok ? <RunsTable runs={shownRuns.data.items} /> : null}
      {shownRuns && !shownRuns.ok && shownRuns.status !== 404 ? (
        <Alert variant="error">{failureMessage(shownRuns)}</Alert>
      ) : null}
    </>
  );
}
