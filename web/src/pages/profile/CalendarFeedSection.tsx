// Kalenderabonnement: a private .ics address with the municipality's
// notice deadlines, re-tender starts and tender milestones. The address is
// shown once, when it is created, with a copy button and how to add it to
// Outlook and Google Calendar; afterwards only its last characters, when it
// was made and last fetched. Creating a new one replaces the old one.

import { useEffect, useRef, useState } from "react";
import { failureMessage } from "../../api/problem";
import type { CalendarFeedCreated, CalendarFeedStatus } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";
import { CalendarCoverage } from "./CalendarCoverage";
import { copyText, selectAndCopy } from "./clipboard";
import { createCalendarFeed, revokeCalendarFeed, useCalendarFeed } from "./useProfile";

function NewAddress({ feed }: { feed: CalendarFeedCreated }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);

  // The address is what the user came for: focus it (which selects it) so it can be copied at once.
  useEffect(() => {
    field.current?.focus();
  }, [feed.url]);

  async function copy() {
    const ok = await copyText(feed.url, {
      clipboard: typeof navigator !== "undefined" && "clipboard" in navigator ? navigator.clipboard : undefined,
      copySelection: selectAndCopy(field.current),
    });
    setCopied(ok);
    if (!ok) field.current?.select();
  }

  return (
    <div className="calendar-new-address">
      <div className="form-group">
        <label className="form-label" htmlFor="calendar-url">
          {t("calendarFeed.url")}
        </label>
        <span className="form-hint" id="calendar-url-hint">
          {t("calendarFeed.urlHint")}
        </span>
        <div className="calendar-url-row">
          <input
            ref={field}
            id="calendar-url"
            className="form-input calendar-url"
            type="text"
            readOnly
            value={feed.url}
            aria-describedby="calendar-url-hint"
            spellCheck={false}
            onFocus={(e) => {
              e.currentTarget.select();
            }}
          />
          <button type="button" className="button button-secondary" onClick={() => void copy()}>
            <Icon name="copy" />
            {t("calendarFeed.copy")}
          </button>
        </div>
        <p className="calendar-copy-status" aria-live="polite" role="status">
          {copied === true ? t("calendarFeed.copied") : null}
          {copied === false ? t("calendarFeed.copyFailed") : null}
        </p>
      </div>
      <h3 className="h4">{t("calendarFeed.outlookHeading")}</h3>
      <p>{t("calendarFeed.outlookSteps")}</p>
      <h3 className="h4">{t("calendarFeed.googleHeading")}</h3>
      <p>{t("calendarFeed.googleSteps")}</p>
    </div>
  );
}

function Status({ status }: { status: CalendarFeedStatus }) {
  if (!status.active) return <p className="calendar-status">{t("calendarFeed.inactive")}</p>;
  return (
    <dl className="calendar-status opportunity-facts">
      <dt>{t("calendarFeed.statusHeading")}</dt>
      <dd>
        {t("calendarFeed.active")}
        {status.token_hint ? ` · ${t("calendarFeed.hint", { hint: status.token_hint })}` : ""}
      </dd>
      {status.created_at ? (
        <>
          <dt className="sr-only">{t("calendarFeed.createdAt", { time: "" })}</dt>
          <dd>{t("calendarFeed.createdAt", { time: formatDateTime(status.created_at) ?? "" })}</dd>
        </>
      ) : null}
      <dd>
        {status.last_used_at
          ? t("calendarFeed.lastUsed", { time: formatDateTime(status.last_used_at) ?? "" })
          : t("calendarFeed.neverUsed")}
      </dd>
    </dl>
  );
}

export function CalendarFeedSection() {
  const [version, setVersion] = useState(0);
  const status = useCalendarFeed(version);
  const [created, setCreated] = useState<CalendarFeedCreated | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  const [revoked, setRevoked] = useState(0);

  // After revoking, the button pressed is gone: focus the message saying what happened.
  useEffect(() => {
    if (revoked > 0) noticeRef.current?.focus();
  }, [revoked]);

  async function create() {
    setBusy(true);
    setError(null);
    setNotice(null);
    const outcome = await createCalendarFeed();
    setBusy(false);
    if (outcome.ok) {
      setCreated(outcome.data);
      setNotice(t("calendarFeed.created"));
      setVersion((v) => v + 1);
    } else {
      setError(failureMessage(outcome));
    }
  }

  const active = status?.ok === true && status.data.active;
  return (
    <section aria-labelledby="calendar-heading" className="profile-section calendar-feed">
      <h2 id="calendar-heading">{t("calendarFeed.heading")}</h2>
      <p>{t("calendarFeed.intro")}</p>
      {notice ? (
        <Alert variant="success" ref={noticeRef}>
          {notice}
        </Alert>
      ) : null}
      {error ? <Alert variant="error">{error}</Alert> : null}
      {status === null ? <Loading text={t("calendarFeed.loading")} /> : null}
      {status && !status.ok ? <Alert variant="error">{failureMessage(status)}</Alert> : null}
      {status?.ok ? <Status status={status.data} /> : null}
      {created ? <NewAddress feed={created} /> : null}
      {status?.ok ? (
        <>
          {active ? <p className="form-hint">{t("calendarFeed.recreateNote")}</p> : null}
          <div className="form-actions">
            <button type="button" className="button button-primary" disabled={busy} onClick={() => void create()}>
              {busy ? t("form.saving") : active ? t("calendarFeed.recreate") : t("calendarFeed.create")}
            </button>
            {active ? (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setConfirming(true);
                }}
              >
                {t("calendarFeed.revoke")}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={t("calendarFeed.revokeTitle")}
          text={t("calendarFeed.revokeText")}
          confirmLabel={t("calendarFeed.revoke")}
          action={revokeCalendarFeed}
          onClose={() => {
            setConfirming(false);
          }}
          onDone={() => {
            setConfirming(false);
            setCreated(null);
            setNotice(t("calendarFeed.revoked"));
            setVersion((v) => v + 1);
            setRevoked((n) => n + 1);
          }}
        />
      ) : null}
      <CalendarCoverage />
    </section>
  );
}
