// Administration → Webhooks: the municipality's webhook receivers, creating
// one (its secret shown once), switching it on and off, renewing the secret,
// removing it, and each receiver's delivery log with "send again".

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, fieldErrors, fieldMessage, settle } from "../../api/problem";
import type {
  IssuedWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEventType,
} from "../../api/types";
import { useLoad } from "../../api/useLoad";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type SummaryItem } from "../../components/ErrorSummary";
import { SubmitButton, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { useUnsavedChangesGuard } from "../../components/UnsavedChanges";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";

/** Every event a receiver can subscribe to, in the form's order (the spec's enum). */
const EVENT_TYPES: readonly WebhookEventType[] = [
  "contract.created",
  "contract.updated",
  "contract.archived",
  "contract.shared",
  "deadline.approaching",
  "template.created",
  "template.updated",
  "template.published",
  "template.shared",
  "template.archived",
  "tender_plan.created",
  "tender_plan.updated",
  "tender_plan.archived",
  "planned_tender.created",
  "planned_tender.updated",
];

const URL_ID = "new-webhook-url";
const DESCRIPTION_ID = "new-webhook-description";
const EVENTS_ID = "new-webhook-events";
const DAYS_ID = "new-webhook-days";

type Action = { kind: "rotate" | "remove" | "toggle"; endpoint: WebhookEndpoint };

function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small copy-button"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => {
              setState("copied");
            },
            () => {
              setState("failed");
            },
          );
        }}
      >
        <Icon name="copy" />
        {t("webhooks.copySecret")}
      </button>
      <span className="copy-status" role="status">
        {state === "copied" ? t("webhooks.copied") : state === "failed" ? t("webhooks.copyFailed") : ""}
      </span>
    </>
  );
}

function EventCheckboxes({
  selected,
  onChange,
  error,
}: {
  selected: readonly WebhookEventType[];
  onChange: (types: WebhookEventType[]) => void;
  error?: string | undefined;
}) {
  const describedBy = [`${EVENTS_ID}-hint`, error ? `${EVENTS_ID}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`form-group${error ? " form-error" : ""}`}>
      <fieldset aria-describedby={describedBy}>
        <legend className="form-label">{t("webhooks.events")}</legend>
        <span className="form-hint" id={`${EVENTS_ID}-hint`}>
          {t("webhooks.eventsHint")}
        </span>
        {error ? (
          <span className="form-error-message" id={`${EVENTS_ID}-error`}>
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {error}
          </span>
        ) : null}
        <ul className="nobullet-list" id={EVENTS_ID} tabIndex={-1}>
          {EVENT_TYPES.map((type, i) => {
            const inputId = `${EVENTS_ID}-${String(i)}`;
            return (
              <li key={type}>
                <div className="form-group-checkbox">
                  <input
                    className="form-checkbox"
                    type="checkbox"
                    id={inputId}
                    name={EVENTS_ID}
                    value={type}
                    checked={selected.includes(type)}
                    onChange={(e) => {
                      const next = e.target.checked ? [...selected, type] : selected.filter((s) => s !== type);
                      onChange(EVENT_TYPES.filter((s) => next.includes(s)));
                    }}
                  />
                  <label className="form-label" htmlFor={inputId}>
                    {t(`webhookEvents.${type}`)}
                  </label>
                </div>
              </li>
            );
          })}
        </ul>
      </fieldset>
    </div>
  );
}

interface FormErrors {
  url?: string;
  events?: string;
  days?: string;
  form?: string;
}

function CreateWebhookForm({ onCreated }: { onCreated: (issued: IssuedWebhookEndpoint) => void }) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [days, setDays] = useState("30");
  const guard = useUnsavedChangesGuard(url.trim() !== "" || description.trim() !== "" || events.length > 0 || days !== "30");
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
    ...(errors.url ? [{ fieldId: URL_ID, label: t("webhooks.url"), message: errors.url }] : []),
    ...(errors.events ? [{ fieldId: `${EVENTS_ID}-0`, label: t("webhooks.events"), message: errors.events }] : []),
    ...(errors.days ? [{ fieldId: DAYS_ID, label: t("webhooks.daysBefore"), message: errors.days }] : []),
  ];

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: FormErrors = {};
    const daysNumber = Number(days.trim());
    if (url.trim() === "") local.url = fieldMessage({ field: "url", code: "required", message: "" });
    if (events.length === 0) local.events = t("webhooks.eventsRequired");
    if (!Number.isInteger(daysNumber) || daysNumber < 1 || daysNumber > 365) local.days = t("webhooks.daysBeforeInvalid");
    if (local.url || local.events || local.days) {
      fail(local);
      return;
    }
    setBusy(true);
    const outcome = await settle(
      api.POST("/webhooks/endpoints", {
        body: {
          url: url.trim(),
          description: description.trim(),
          event_types: events,
          days_before: daysNumber,
        },
      }),
    );
    setBusy(false);
    if (outcome.ok) {
      guard.release();
      setUrl("");
      setDescription("");
      setEvents([]);
      setDays("30");
      setErrors({});
      onCreated(outcome.data);
      return;
    }
    const byField = fieldErrors(outcome.problem);
    const next: FormErrors = {};
    if (byField.url) next.url = byField.url;
    if (byField.event_types) next.events = t("webhooks.eventsRequired");
    if (byField.days_before) next.days = t("webhooks.daysBeforeInvalid");
    if (!next.url && !next.events && !next.days) next.form = failureMessage(outcome);
    fail(next);
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-webhook-heading">
      <ErrorSummary ref={summaryRef} items={items} />
      <TextField
        id={URL_ID}
        label={t("webhooks.url")}
        hint={t("webhooks.urlHint")}
        value={url}
        onChange={setUrl}
        error={errors.url}
        autoComplete="off"
        required
        inputClassName="input-width-xl"
      />
      <TextField
        id={DESCRIPTION_ID}
        label={t("webhooks.description")}
        hint={t("webhooks.descriptionHint")}
        value={description}
        onChange={setDescription}
        autoComplete="off"
        inputClassName="input-width-xl"
      />
      <EventCheckboxes selected={events} onChange={setEvents} error={errors.events} />
      <TextField
        id={DAYS_ID}
        label={t("webhooks.daysBefore")}
        hint={t("webhooks.daysBeforeHint")}
        value={days}
        onChange={setDays}
        error={errors.days}
        autoComplete="off"
        inputClassName="input-width-xs"
      />
      <div className="form-actions">
        <SubmitButton busy={busy} label={t("webhooks.createSubmit")} />
      </div>
    </form>
  );
}

function statusLabel(delivery: WebhookDelivery): string {
  if (delivery.status === "delivered") return t("webhooks.statusDelivered");
  if (delivery.status === "failed") return t("webhooks.statusFailed");
  return t("webhooks.statusPending");
}

function DeliveryLog({
  endpoint,
  onClose,
  onNotice,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
  onNotice: (text: string) => void;
}) {
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const log = useLoad<WebhookDeliveryPage>(`${endpoint.id}|${String(version)}`, (signal) =>
    settle(api.GET("/webhooks/endpoints/{id}/deliveries", { params: { path: { id: endpoint.id } }, signal })),
  );
  const shown = log.current ?? log.previous;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function redeliver(delivery: WebhookDelivery) {
    setError(null);
    const outcome = await settle(
      api.POST("/webhooks/deliveries/{id}/redeliver", { params: { path: { id: delivery.id } } }),
    );
    if (outcome.ok) {
      onNotice(t("webhooks.redelivered"));
      setVersion((v) => v + 1);
    } else {
      setError(failureMessage(outcome));
    }
  }

  return (
    <section className="webhook-log" aria-labelledby="webhook-log-heading">
      <h2 id="webhook-log-heading" ref={headingRef} tabIndex={-1}>
        {t("webhooks.logTitle", { url: endpoint.url })}
      </h2>
      <p>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t("webhooks.closeLog")}
        </button>
      </p>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {shown === null ? <Loading text={t("webhooks.loadingLog")} /> : null}
      {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
      {shown?.ok && shown.data.items.length === 0 ? (
        <Alert variant="info">
          <p>{t("webhooks.logEmpty")}</p>
        </Alert>
      ) : null}
      {shown?.ok && shown.data.items.length > 0 ? (
        <table className="table table--zebra table-md-responsive-headers">
          <caption className="sr-only">{t("webhooks.logCaption", { url: endpoint.url })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("webhooks.colEvent")}</th>
              <th scope="col">{t("webhooks.colCreated")}</th>
              <th scope="col">{t("webhooks.colStatus")}</th>
              <th scope="col">{t("webhooks.colAttempts")}</th>
              <th scope="col">{t("webhooks.colLastAnswer")}</th>
              <th scope="col">{t("webhooks.colDuration")}</th>
              <th scope="col">{t("webhooks.colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.data.items.map((delivery) => {
              const last = delivery.attempts[0];
              return (
                <tr key={delivery.id}>
                  <th scope="row">{t(`webhookEvents.${delivery.event_type as WebhookEventType}`)}</th>
                  <td className="nowrap" data-title={t("webhooks.colCreated")}>
                    {formatDateTime(delivery.created_at)}
                  </td>
                  <td data-title={t("webhooks.colStatus")}>
                    <span className={`badge${delivery.status === "delivered" ? " badge-success" : ""}`}>
                      {statusLabel(delivery)}
                    </span>
                    {delivery.next_attempt_at && delivery.attempt_count > 0 ? (
                      <div className="form-hint">
                        {t("webhooks.nextAttempt", { date: formatDateTime(delivery.next_attempt_at) ?? "" })}
                      </div>
                    ) : null}
                  </td>
                  <td data-title={t("webhooks.colAttempts")}>{delivery.attempt_count}</td>
                  <td data-title={t("webhooks.colLastAnswer")}>
                    {last
                      ? `${last.status_code !== undefined ? String(last.status_code) : t("webhooks.noAnswer")} · ${formatDateTime(last.attempted_at) ?? ""}`
                      : "–"}
                    {last?.error ? <div className="form-hint">{last.error}</div> : null}
                  </td>
                  <td className="nowrap" data-title={t("webhooks.colDuration")}>
                    {last ? t("webhooks.durationMs", { ms: String(last.duration_ms) }) : "–"}
                  </td>
                  <td data-title={t("webhooks.colActions")}>
                    {endpoint.enabled ? (
                      <button
                        type="button"
                        className="function-link"
                        onClick={() => {
                          void redeliver(delivery);
                        }}
                      >
                        <Icon name="refresh" />
                        {t("webhooks.redeliver")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function WebhooksPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const [version, setVersion] = useState(0);
  const list = useLoad<WebhookEndpointList>(String(version), (signal) =>
    settle(api.GET("/webhooks/endpoints", { signal })),
  );
  const [action, setAction] = useState<Action | null>(null);
  const [logFor, setLogFor] = useState<WebhookEndpoint | null>(null);
  const [notice, setNotice] = useState<{ text: string; seq: number } | null>(null);
  // The secret lives only in this state: gone on reload or when dismissed.
  const [secret, setSecret] = useState<{ issued: IssuedWebhookEndpoint; intro: string } | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const secretRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  useEffect(() => {
    if (secret) {
      secretRef.current?.scrollIntoView({ block: "start" });
      secretRef.current?.focus({ preventScroll: true });
    }
  }, [secret]);

  function announce(text: string) {
    setAction(null);
    setSecret(null);
    setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
    setVersion((v) => v + 1);
  }

  function showSecret(issued: IssuedWebhookEndpoint, intro: string) {
    setNotice(null);
    setAction(null);
    setSecret({ issued, intro });
    setVersion((v) => v + 1);
  }

  const shown = list.current ?? list.previous;
  const endpoints = shown?.ok ? shown.data.items : null;
  const close = () => {
    setAction(null);
  };

  return (
    <>
      <PageHeading title={t("webhooks.title")} />
      <p className="font-lead">{t("webhooks.intro", { municipality })}</p>
      <p>
        <a href="#create-webhook-heading" className="button button-secondary">
          <Icon name="plus" />
          {t("webhooks.createTitle")}
        </a>
      </p>

      {secret ? (
        <div ref={secretRef} tabIndex={-1} role="region" aria-labelledby="webhook-secret-heading" className="alert alert-warning secret-panel">
          <Icon name="warning" className="alert-icon" />
          <div className="alert-body">
            <h2 className="alert-heading h3" id="webhook-secret-heading">
              {t("webhooks.secretTitle")}
            </h2>
            <div className="alert-text">
              <p>{secret.intro}</p>
              <p>{t("webhooks.secretWarning")}</p>
              <dl className="secret-values">
                <dt>{t("webhooks.secretLabel")}</dt>
                <dd>
                  <code className="secret-value" data-testid="webhook-secret">
                    {secret.issued.secret}
                  </code>
                  <CopyButton text={secret.issued.secret} />
                </dd>
              </dl>
              <p>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => {
                    setSecret(null);
                  }}
                >
                  {t("webhooks.dismissSecret")}
                </button>
              </p>
            </div>
          </div>
        </div>
      ) : null}
      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant="success">
          {notice.text}
        </Alert>
      ) : null}

      <div aria-busy={list.current === null}>
        {shown === null ? <Loading text={t("webhooks.loadingList")} /> : null}
        {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
        {endpoints && endpoints.length === 0 ? (
          <Alert variant="info">
            <p>{t("webhooks.empty", { municipality })}</p>
          </Alert>
        ) : null}
        {endpoints && endpoints.length > 0 ? (
          <table className="table table--zebra table-md-responsive-headers">
            <caption className="sr-only">{t("webhooks.tableCaption", { municipality })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("webhooks.colAddress")}</th>
                <th scope="col">{t("webhooks.colEvents")}</th>
                <th scope="col">{t("webhooks.colStatus")}</th>
                <th scope="col">{t("webhooks.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => {
                const act = (kind: Action["kind"], icon: string, label: string) => (
                  <li>
                    <button
                      type="button"
                      className="function-link"
                      onClick={() => {
                        setAction({ kind, endpoint });
                      }}
                    >
                      <Icon name={icon} />
                      {label}
                      <span className="sr-only"> {t("webhooks.forAddress", { url: endpoint.url })}</span>
                    </button>
                  </li>
                );
                return (
                  <tr key={endpoint.id}>
                    <th scope="row">
                      <code className="text-break">{endpoint.url}</code>
                      {endpoint.description ? <div>{endpoint.description}</div> : null}
                    </th>
                    <td data-title={t("webhooks.colEvents")}>
                      <ul className="unstyled-list">
                        {endpoint.event_types.map((type) => (
                          <li key={type}>
                            {t(`webhookEvents.${type}`)}
                            {type === "deadline.approaching"
                              ? ` (${t("webhooks.daysBeforeShort", { days: String(endpoint.days_before) })})`
                              : ""}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td data-title={t("webhooks.colStatus")}>
                      {endpoint.enabled ? (
                        <span className="badge badge-success">{t("webhooks.enabled")}</span>
                      ) : (
                        <span className="badge">{t("webhooks.disabled")}</span>
                      )}
                      {endpoint.disabled_at ? (
                        <div className="form-hint">
                          {t("webhooks.disabledSince", { date: formatDateTime(endpoint.disabled_at) ?? "" })}
                        </div>
                      ) : null}
                      {endpoint.enabled && endpoint.failing_since ? (
                        <div className="form-hint">
                          {t("webhooks.failingSince", { date: formatDateTime(endpoint.failing_since) ?? "" })}
                        </div>
                      ) : null}
                    </td>
                    <td data-title={t("webhooks.colActions")}>
                      <ul className="unstyled-list row-actions">
                        <li>
                          <button
                            type="button"
                            className="function-link"
                            onClick={() => {
                              setLogFor(endpoint);
                            }}
                          >
                            <Icon name="list" />
                            {t("webhooks.showLog")}
                            <span className="sr-only"> {t("webhooks.forAddress", { url: endpoint.url })}</span>
                          </button>
                        </li>
                        {act("toggle", endpoint.enabled ? "close" : "check", endpoint.enabled ? t("webhooks.disable") : t("webhooks.enable"))}
                        {act("rotate", "refresh", t("webhooks.rotate"))}
                        {act("remove", "delete", t("webhooks.remove"))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </div>

      {logFor ? (
        <DeliveryLog
          key={logFor.id}
          endpoint={logFor}
          onClose={() => {
            setLogFor(null);
          }}
          onNotice={(text) => {
            setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
          }}
        />
      ) : null}

      <section className="create-client" aria-labelledby="create-webhook-heading">
        <h2 id="create-webhook-heading">{t("webhooks.createTitle")}</h2>
        <p>{t("webhooks.createIntro")}</p>
        <CreateWebhookForm
          onCreated={(issued) => {
            showSecret(issued, t("webhooks.secretCreated", { url: issued.endpoint.url }));
          }}
        />
      </section>

      {action?.kind === "rotate" ? (
        <ConfirmDialog
          title={t("webhooks.rotateTitle")}
          text={t("webhooks.rotateConfirm", { url: action.endpoint.url })}
          confirmLabel={t("webhooks.rotate")}
          action={() =>
            settle(api.POST("/webhooks/endpoints/{id}/rotate-secret", { params: { path: { id: action.endpoint.id } } }))
          }
          onClose={close}
          onDone={(issued) => {
            showSecret(issued, t("webhooks.secretRotated", { url: issued.endpoint.url }));
          }}
        />
      ) : null}
      {action?.kind === "remove" ? (
        <ConfirmDialog
          title={t("webhooks.removeTitle")}
          text={t("webhooks.removeConfirm", { url: action.endpoint.url })}
          confirmLabel={t("webhooks.remove")}
          action={() => settle(api.DELETE("/webhooks/endpoints/{id}", { params: { path: { id: action.endpoint.id } } }))}
          onClose={close}
          onDone={() => {
            if (logFor?.id === action.endpoint.id) setLogFor(null);
            announce(t("webhooks.removed", { url: action.endpoint.url }));
          }}
        />
      ) : null}
      {action?.kind === "toggle" ? (
        <ConfirmDialog
          title={action.endpoint.enabled ? t("webhooks.disable") : t("webhooks.enable")}
          text={action.endpoint.url}
          confirmLabel={action.endpoint.enabled ? t("webhooks.disable") : t("webhooks.enable")}
          warning={action.endpoint.enabled}
          action={async () => {
            const current = await settle(
              api.GET("/webhooks/endpoints/{id}", { params: { path: { id: action.endpoint.id } } }),
            );
            if (!current.ok) return current;
            const etag = current.response.headers.get("ETag") ?? "";
            return settle(
              api.PATCH("/webhooks/endpoints/{id}", {
                params: { path: { id: action.endpoint.id }, header: { "If-Match": etag } },
                body: { enabled: !action.endpoint.enabled },
              }),
            );
          }}
          onClose={close}
          onDone={(updated) => {
            announce(
              updated.enabled
                ? t("webhooks.enabledNotice", { url: updated.url })
                : t("webhooks.disabledNotice", { url: updated.url }),
            );
          }}
        />
      ) : null}
    </>
  );
}
