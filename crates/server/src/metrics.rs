//! Prometheus metrics: requests by operation and status, and their latency;
//! the database pools (sampled at each scrape) and the wait for a
//! connection; background job runs, mails and webhook deliveries, which the
//! domain reports through its `Observer`; and who may read them (see
//! `config::MetricsAccess`).

use std::time::Duration;

use poem::http::StatusCode;
use poem::web::Data;
use poem::{IntoResponse, Request, Response, handler};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};
use samudbud_domain::Db;
use samudbud_domain::observe::{Job, MailKind, Mode, Observer, Pool, WebhookOutcome};

use crate::problem::ApiError;
use crate::state::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    pool_in_use: IntGaugeVec,
    pool_idle: IntGaugeVec,
    pool_max: IntGaugeVec,
    connection_wait: HistogramVec,
    begin_failures: IntCounterVec,
    job_runs: IntCounterVec,
    job_failures: IntCounterVec,
    job_duration: HistogramVec,
    mails: IntCounterVec,
    webhooks: IntCounterVec,
    response_lookups: IntCounterVec,
    response_bytes: IntGaugeVec,
}

fn counter(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> anyhow::Result<IntCounterVec> {
    let counter = IntCounterVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(counter.clone()))?;
    Ok(counter)
}

fn gauge(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> anyhow::Result<IntGaugeVec> {
    let gauge = IntGaugeVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(gauge.clone()))?;
    Ok(gauge)
}

fn histogram(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: Vec<f64>,
) -> anyhow::Result<HistogramVec> {
    let histogram = HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets), labels)?;
    registry.register(Box::new(histogram.clone()))?;
    Ok(histogram)
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some("samudbud".into()), None)?;
        let r = &registry;
        let metrics = Self {
            requests: counter(
                r,
                "http_requests_total",
                "HTTP requests served",
                &["method", "operation", "status"],
            )?,
            duration: histogram(
                r,
                "http_request_duration_seconds",
                "HTTP request latency",
                &["method", "operation"],
                vec![
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )?,
            pool_in_use: gauge(
                r,
                "db_pool_connections_in_use",
                "Database connections lent out to a transaction or query",
                &["pool"],
            )?,
            pool_idle: gauge(
                r,
                "db_pool_connections_idle",
                "Open database connections waiting to be lent",
                &["pool"],
            )?,
            pool_max: gauge(
                r,
                "db_pool_connections_max",
                "The most connections the pool opens",
                &["pool"],
            )?,
            connection_wait: histogram(
                r,
                "db_connection_wait_seconds",
                "Time a transaction waited to begin: for a pooled connection and its BEGIN \
                 (on SQLite, a writing transaction also waits for the write lock)",
                &["pool", "mode"],
                vec![
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    10.0,
                ],
            )?,
            begin_failures: counter(
                r,
                "db_begin_failures_total",
                "Transactions that could not begin (no connection within the acquire timeout, \
                 or the database refused)",
                &["pool"],
            )?,
            // `job_name`, not `job`: Prometheus gives every scraped series
            // a `job` label of its own (the scrape job).
            job_runs: counter(
                r,
                "job_runs_total",
                "Runs of a background job on this server, failed ones included",
                &["job_name"],
            )?,
            job_failures: counter(
                r,
                "job_failures_total",
                "Runs of a background job that failed",
                &["job_name"],
            )?,
            job_duration: histogram(
                r,
                "job_duration_seconds",
                "How long a run of a background job took",
                &["job_name"],
                vec![0.005, 0.025, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0],
            )?,
            mails: counter(
                r,
                "mails_total",
                "Mails handed to the SMTP server (or, without one, to the log) and mails refused",
                &["kind", "outcome"],
            )?,
            webhooks: counter(
                r,
                "webhook_deliveries_total",
                "Webhook delivery attempts: delivered (2xx), retry (failed, tried again later), \
                 failed (given up, endpoint disabled)",
                &["outcome"],
            )?,
            response_lookups: counter(
                r,
                "response_cache_lookups_total",
                "Answers the response cache could keep: given from it (hit) or written (miss)",
                &["outcome"],
            )?,
            response_bytes: gauge(
                r,
                "response_cache_bytes",
                "Bytes of answers the response cache keeps now",
                &[],
            )?,
            registry,
        };
        metrics.start_at_zero();
        Ok(metrics)
    }

    /// Every series of a fixed label set exists from the start, at zero,
    /// so that rates and alerts need not wait for its first event.
    fn start_at_zero(&self) {
        for pool in Pool::ALL {
            self.begin_failures.with_label_values(&[pool.as_str()]);
        }
        for job in Job::ALL {
            self.job_runs.with_label_values(&[job.as_str()]);
            self.job_failures.with_label_values(&[job.as_str()]);
        }
        for kind in MailKind::ALL {
            for outcome in ["sent", "failed"] {
                self.mails.with_label_values(&[kind.as_str(), outcome]);
            }
        }
        for outcome in WebhookOutcome::ALL {
            self.webhooks.with_label_values(&[outcome.as_str()]);
        }
        for outcome in ["hit", "miss"] {
            self.response_lookups.with_label_values(&[outcome]);
        }
        self.response_bytes.with_label_values::<&str>(&[]);
    }

    /// Counts a lookup of the response cache.
    pub fn response_lookup(&self, hit: bool) {
        self.response_lookups
            .with_label_values(&[if hit { "hit" } else { "miss" }])
            .inc();
    }

    /// What the response cache holds now.
    pub fn response_bytes(&self, bytes: usize) {
        self.response_bytes
            .with_label_values::<&str>(&[])
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }

    /// Counts one request. `operation` is the API operation id, or a fixed
    /// label for everything else, and methods outside the standard ones
    /// count as `other`, so that clients cannot add label values.
    pub fn observe(&self, method: &str, operation: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        self.requests
            .with_label_values(&[method, operation, &status.to_string()])
            .inc();
        self.duration
            .with_label_values(&[method, operation])
            .observe(seconds);
    }

    /// The metrics as Prometheus reads them, with `db`'s pools as they are now.
    pub fn render(&self, db: &Db) -> String {
        for stats in db.pool_stats() {
            let pool = [stats.pool.as_str()];
            self.pool_in_use
                .with_label_values(&pool)
                .set(stats.in_use.into());
            self.pool_idle
                .with_label_values(&pool)
                .set(stats.idle.into());
            self.pool_max.with_label_values(&pool).set(stats.max.into());
        }
        let mut buffer = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
            tracing::error!(%err, "encoding metrics failed");
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Observer for Metrics {
    fn transaction_begun(&self, pool: Pool, mode: Mode, waited: Duration, ok: bool) {
        self.connection_wait
            .with_label_values(&[pool.as_str(), mode.as_str()])
            .observe(waited.as_secs_f64());
        if !ok {
            self.begin_failures
                .with_label_values(&[pool.as_str()])
                .inc();
        }
    }

    fn job_ran(&self, job: Job, took: Duration, ok: bool) {
        let job = [job.as_str()];
        self.job_runs.with_label_values(&job).inc();
        if !ok {
            self.job_failures.with_label_values(&job).inc();
        }
        self.job_duration
            .with_label_values(&job)
            .observe(took.as_secs_f64());
    }

    fn mail_sent(&self, kind: MailKind, ok: bool) {
        let outcome = if ok { "sent" } else { "failed" };
        self.mails
            .with_label_values(&[kind.as_str(), outcome])
            .inc();
    }

    fn webhook_attempted(&self, outcome: WebhookOutcome) {
        self.webhooks.with_label_values(&[outcome.as_str()]).inc();
    }
}

/// The methods that get a label of their own; any other is `other`.
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

/// `/metrics` on the public address (when no metrics address is set): for
/// the bearer of the metrics token, or, without a token, for requests from
/// the machine itself that no proxy forwarded.
#[handler]
pub fn public_metrics(req: &Request, state: Data<&AppState>) -> Response {
    let refusal = match state.metrics_token.as_deref() {
        Some(token) => without_token(req, token),
        None => not_from_this_machine(req),
    };
    serve_unless(refusal, &state)
}

/// `/metrics` on the internal metrics address: the token, if set, is needed.
#[handler]
pub fn internal_metrics(req: &Request, state: Data<&AppState>) -> Response {
    let refusal = state
        .metrics_token
        .as_deref()
        .and_then(|token| without_token(req, token));
    serve_unless(refusal, &state)
}

fn serve_unless(refusal: Option<ApiError>, state: &AppState) -> Response {
    match refusal {
        None => Response::builder()
            .content_type("text/plain; version=0.0.4")
            .body(state.metrics.render(&state.db)),
        Some(refusal) => refusal.into_response(),
    }
}

/// The refusal of a request that does not bear `token`.
fn without_token(req: &Request, token: &str) -> Option<ApiError> {
    let presented = req
        .headers()
        .get(poem::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    (!constant_time_eq(presented.trim().as_bytes(), token.as_bytes())).then(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Unauthorized",
            Some("the metrics need the metrics token as a bearer token".to_owned()),
        )
    })
}

/// The refusal of a request from elsewhere. A loopback peer is this
/// machine, unless a proxy on it forwarded the request from elsewhere.
fn not_from_this_machine(req: &Request) -> Option<ApiError> {
    let loopback = req
        .remote_addr()
        .as_socket_addr()
        .is_some_and(|addr| addr.ip().to_canonical().is_loopback());
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| req.headers().contains_key(*name));
    (!loopback || forwarded).then(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            Some(
                "metrics are served to this machine only; set SAMUDBUD_METRICS_TOKEN or \
                 SAMUDBUD_METRICS_ADDR to serve them to Prometheus"
                    .to_owned(),
            ),
        )
    })
}

/// Compares without an early exit, so the time taken tells nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_labelled_from_a_fixed_set() {
        assert_eq!(method_label("GET"), "GET");
        assert_eq!(method_label("PATCH"), "PATCH");
        assert_eq!(method_label("FOOBAR"), "other");
        assert_eq!(method_label("get"), "other");
    }

    fn value(text: &str, prefix: &str) -> Option<String> {
        text.lines()
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.rsplit(' ').next())
            .map(str::to_owned)
    }

    /// What the domain reports through a `Db` lands in the series named in
    /// the README, failed job runs and refused mails included.
    #[tokio::test]
    async fn what_the_domain_reports_is_counted() -> anyhow::Result<()> {
        use std::sync::Arc;

        use samudbud_domain::jobs;
        use samudbud_domain::{DomainError, Scope};

        let metrics = Arc::new(Metrics::new()?);
        let db = Db::connect("sqlite::memory:")
            .await?
            .observed_by(metrics.clone());
        let failed = jobs::observed(&db, Job::DerivedDates, async {
            Err::<(), _>(DomainError::NotFound)
        })
        .await;
        assert!(failed.is_err());
        jobs::observed(&db, Job::ReminderDigests, async { Ok(()) }).await?;
        db.read(Scope::System).await?.commit().await?;
        metrics.mail_sent(MailKind::ReminderDigest, false);
        metrics.webhook_attempted(WebhookOutcome::Delivered);

        let text = metrics.render(&db);
        let pool_max = samudbud_domain::db::default_pool_size_sqlite().to_string();
        for (prefix, expected) in [
            ("samudbud_job_runs_total{job_name=\"derived_dates\"}", "1"),
            (
                "samudbud_job_failures_total{job_name=\"derived_dates\"}",
                "1",
            ),
            (
                "samudbud_job_runs_total{job_name=\"reminder_digests\"}",
                "1",
            ),
            (
                "samudbud_job_failures_total{job_name=\"reminder_digests\"}",
                "0",
            ),
            (
                "samudbud_job_runs_total{job_name=\"webhook_deliveries\"}",
                "0",
            ),
            (
                "samudbud_job_duration_seconds_count{job_name=\"derived_dates\"}",
                "1",
            ),
            (
                "samudbud_db_connection_wait_seconds_count{mode=\"read\",pool=\"application\"}",
                "1",
            ),
            (
                "samudbud_mails_total{kind=\"reminder_digest\",outcome=\"failed\"}",
                "1",
            ),
            (
                "samudbud_mails_total{kind=\"reminder_digest\",outcome=\"sent\"}",
                "0",
            ),
            (
                "samudbud_webhook_deliveries_total{outcome=\"delivered\"}",
                "1",
            ),
            ("samudbud_webhook_deliveries_total{outcome=\"failed\"}", "0"),
            (
                "samudbud_db_pool_connections_max{pool=\"application\"}",
                &pool_max,
            ),
        ] {
            assert_eq!(
                value(&text, prefix).as_deref(),
                Some(expected),
                "{prefix}: {text}"
            );
        }
        Ok(())
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"secret"));
    }
}
