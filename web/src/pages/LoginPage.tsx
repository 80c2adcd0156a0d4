import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Navigate, useLocation } from "react-router";
import { fieldErrors, failureMessage, retryAfterSeconds } from "../api/problem";
import { useAuth } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { ErrorSummary, type SummaryItem } from "../components/ErrorSummary";
import { SubmitButton, TextField } from "../components/fields";
import { Footer } from "../components/Layout";
import { PageHeading } from "../components/PageHeading";
import { formatWait } from "../format";
import { t } from "../i18n";
import { SiteLogo } from "../components/SiteLogo";

interface LoginErrors {
  fields: { email?: string; password?: string };
  form?: string;
}

function hasErrors(errors: LoginErrors): boolean {
  return Boolean(errors.form ?? errors.fields.email ?? errors.fields.password);
}

function summaryItems(errors: LoginErrors): SummaryItem[] {
  const items: SummaryItem[] = [];
  if (errors.form) items.push({ message: errors.form });
  if (errors.fields.email) items.push({ fieldId: "email", message: errors.fields.email });
  if (errors.fields.password) items.push({ fieldId: "password", message: errors.fields.password });
  return items;
}

/** Where to go after logging in: the page that asked for it, if it was one of ours. */
function returnPath(state: unknown): string {
  const from = (state as { from?: { pathname?: unknown; search?: unknown } } | null)?.from;
  if (typeof from?.pathname === "string" && from.pathname.startsWith("/") && from.pathname !== "/login") {
    return from.pathname + (typeof from.search === "string" ? from.search : "");
  }
  return "/";
}

export function LoginPage() {
  const auth = useAuth();
  const { status, endReason } = auth;
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<LoginErrors>({ fields: {} });
  const [attempt, setAttempt] = useState(0);
  const summary = useRef<HTMLDivElement>(null);

  // Each failed attempt moves focus to the error summary.
  useEffect(() => {
    if (attempt > 0) summary.current?.focus();
  }, [attempt]);

  if (status === "authenticated") return <Navigate to={returnPath(location.state)} replace />;

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: LoginErrors = { fields: {} };
    if (!email.trim()) local.fields.email = t("login.requiredEmail");
    if (!password) local.fields.password = t("login.requiredPassword");
    if (hasErrors(local)) {
      setErrors(local);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    const outcome = await auth.login(email.trim(), password);
    setBusy(false);
    // On success the auth state changes and the redirect above takes over.
    if (outcome.ok) return;
    const next: LoginErrors = { fields: {} };
    if (outcome.status === 401) {
      next.form = t("login.wrongCredentials");
    } else if (outcome.status === 429) {
      const wait = retryAfterSeconds(outcome.response);
      next.form = wait === null ? t("login.throttledNoWait") : t("login.throttled", { wait: formatWait(wait) });
    } else {
      const byField = fieldErrors(outcome.problem);
      next.fields = { email: byField.email, password: byField.password };
      if (!hasErrors(next)) next.form = failureMessage(outcome);
    }
    setPassword("");
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  return (
    <>
      <header className="header">
        <a className="skipnav" href="#main-content">
          {t("app.skipToContent")}
        </a>
        <div className="portal-info">
          <div className="portal-info-inner container">
            <SiteLogo />
            <span className="product-name">{t("app.name")}</span>
          </div>
        </div>
        <div className="solution-info">
          <div className="solution-info-inner container">
            <div className="solution-heading">
              <p>{t("app.solution")}</p>
            </div>
          </div>
        </div>
      </header>
      <main id="main-content" className="container page-container">
        <div className="row">
          <div className="col-12 col-md-8 col-lg-6">
            <PageHeading title={t("login.title")} />
            {endReason === "expired" ? <Alert variant="warning">{t("login.sessionExpired")}</Alert> : null}
            {endReason === "loggedOut" ? <Alert variant="success">{t("login.loggedOut")}</Alert> : null}
            <p className="font-lead">{t("login.intro")}</p>
            <ErrorSummary ref={summary} items={summaryItems(errors)} />
            <form noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t("login.title")}>
              <TextField
                id="email"
                label={t("login.email")}
                type="email"
                autoComplete="username"
                value={email}
                onChange={setEmail}
                error={errors.fields.email}
                required
                inputClassName="input-width-xl"
              />
              <TextField
                id="password"
                label={t("login.password")}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={setPassword}
                error={errors.fields.password}
                required
                inputClassName="input-width-xl"
              />
              <div className="form-actions">
                <SubmitButton busy={busy} label={t("login.submit")} busyLabel={t("login.submitting")} />
              </div>
            </form>
          </div>
        </div>
      </main>
      <Footer />
    </>
  );
}
