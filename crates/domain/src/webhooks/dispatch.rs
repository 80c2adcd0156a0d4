//! The dispatcher, one tick at a time: claim the due deliveries, post them,
//! record each attempt. Any number of servers may tick at once: a claim
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite writes one at a time)
//! sets a delivery's lease before it is sent, so no other server takes it
//! until the lease runs out; a server that dies mid-send leaves the lease
//! to run out and the delivery is sent again (at least once).
//!
//! Deliveries for one object go in order: a delivery is due only when no
//! earlier delivery of an event about the same object to the same endpoint
//! is still pending. A failed attempt is retried with exponential backoff
//! and jitter; an endpoint that has answered nothing but failures for
//! `retry_for` (a day) is disabled and the municipality's admins are told.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, QueryFilter, Set, Statement,
};
use uuid::Uuid;

use super::{DELIVERED, FAILED, PENDING, deadlines, signing};
use crate::db::{Db, Scope, all_tenants, all_tenants_update, platform};
use crate::entities::{
    tenant, user, webhook_attempt, webhook_delivery, webhook_endpoint, webhook_event,
};
use crate::error::DomainResult;
use crate::jobs;
use crate::observe::{Job, MailKind, WebhookOutcome};
use crate::reminders::digest::Digest;
use crate::reminders::mailer::Mailer;
use crate::secrets::SecretBox;

/// What the dispatcher needs besides the database.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    pub client: reqwest::Client,
    /// Who this server is in the lease table.
    pub holder: String,
    /// How the admins are told that an endpoint was disabled.
    pub mailer: Mailer,
    /// Opens the endpoints' sealed signing secrets.
    pub secrets: SecretBox,
    /// The web app's base URL, for the link in that mail.
    pub public_url: String,
    /// The wait after the first failed attempt; it doubles with each.
    pub first_retry: Duration,
    /// The longest wait between attempts.
    pub max_retry: Duration,
    /// How long an endpoint may fail before it is disabled.
    pub retry_for: Duration,
    /// How long a claimed delivery is left to its claimant.
    pub lease: Duration,
    /// How many deliveries one claim takes.
    pub batch: u64,
}

/// The dispatcher's defaults: a minute after the first failure, doubling
/// up to an hour, for a day.
impl Dispatcher {
    pub fn new(
        mailer: Mailer,
        public_url: &str,
        timeout: std::time::Duration,
        secrets: SecretBox,
    ) -> Self {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Samudbud-Webhooks/1")
            .build()
            .unwrap_or_default();
        Self {
            client,
            holder: format!("server-{}", Uuid::new_v4().simple()),
            mailer,
            secrets,
            public_url: public_url.trim_end_matches('/').to_owned(),
            first_retry: Duration::minutes(1),
            max_retry: Duration::hours(1),
            retry_for: Duration::days(1),
            // Longer than a request may take (the client's timeout) and
            // the attempt's record.
            lease: Duration::seconds(i64::try_from(timeout.as_secs()).unwrap_or(30) + 5),
            batch: 50,
        }
    }
}

/// The wait after the `attempts`-th failed attempt: `first` doubled per
/// earlier failure, at most `max`, plus up to a quarter more at random.
pub fn backoff(attempts: i32, first: Duration, max: Duration) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 21) - 1).unwrap_or(0);
    let base = first
        .checked_mul(2_i32.saturating_pow(exponent))
        .unwrap_or(max)
        .min(max);
    let quarter = base.num_milliseconds() / 4;
    let jitter = if quarter > 0 {
        rand::thread_rng().gen_range(0..=quarter)
    } else {
        0
    };
    base + Duration::milliseconds(jitter)
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    pub delivered: usize,
    /// Failed attempts that will be retried.
    pub retried: usize,
    /// Deliveries given up, their endpoints disabled.
    pub failed: usize,
}

impl TickReport {
    pub fn did_anything(&self) -> bool {
        self.delivered + self.retried + self.failed > 0
    }
}

/// A delivery claimed for sending, with what sending it needs.
#[derive(Debug, Clone)]
struct Claimed {
    delivery: webhook_delivery::Model,
    endpoint: webhook_endpoint::Model,
    event: webhook_event::Model,
}

/// One tick as of `now`: sends every due delivery (and those that become
/// due as earlier ones for their object go out). The server calls it with
/// the clock; tests with the time they want.
pub async fn tick(db: &Db, run: &Dispatcher, now: DateTime<Utc>) -> DomainResult<TickReport> {
    let mut report = TickReport::default();
    // Bounded, so that a tick ends even while new events keep coming.
    for _ in 0..20 {
        let claimed = claim(db, run, now).await?;
        if claimed.is_empty() {
            break;
        }
        let mut tasks = tokio::task::JoinSet::new();
        for one in claimed {
            let (db, run) = (db.clone(), run.clone());
            tasks.spawn(async move { deliver(&db, &run, one, now).await });
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(Outcome::Delivered)) => report.delivered += 1,
                Ok(Ok(Outcome::Retry)) => report.retried += 1,
                Ok(Ok(Outcome::Failed)) => report.failed += 1,
                Ok(Ok(Outcome::Gone)) => {}
                Ok(Err(err)) => tracing::error!(%err, "recording a webhook delivery failed"),
                // Cancelled: the server is shutting down; the lease runs out
                // and the delivery is sent again.
                Err(err) if err.is_cancelled() => {}
                Err(err) => tracing::error!(%err, "a webhook delivery task failed"),
            }
        }
    }
    Ok(report)
}

/// Written to when an event is enqueued in this process, so that its
/// dispatcher sends it within moments instead of at the next tick. The
/// event's transaction may not have committed yet when the dispatcher
/// wakes, so it looks after each of the `SETTLE` waits in turn until it
/// finds something; an event it still does not see (or one written by
/// another server) goes out at the next tick as before.
static ENQUEUED: tokio::sync::Notify = tokio::sync::Notify::const_new();
const SETTLE: [std::time::Duration; 3] = [
    std::time::Duration::from_millis(20),
    std::time::Duration::from_millis(100),
    std::time::Duration::from_millis(400),
];

/// Tells this process's dispatcher that an event is on its way.
pub(crate) fn wake() {
    ENQUEUED.notify_one();
}

/// Ticks every `every` (at once again after a tick that sent something,
/// and soon after an event is enqueued in this process) until `stop` turns
/// true or its sender is dropped; writes the scheduled
/// `deadline.approaching` events every `deadlines_every`.
pub async fn run_until(
    db: Db,
    run: Dispatcher,
    every: std::time::Duration,
    deadlines_every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(every_ms = every.as_millis(), "webhook dispatcher started");
    let mut next_deadlines = tokio::time::Instant::now();
    // Which of the `SETTLE` waits comes next after a wake-up, if any.
    let mut settling: Option<usize> = None;
    loop {
        if tokio::time::Instant::now() >= next_deadlines {
            let created = deadlines::create_due(&db, &run.holder, Utc::now());
            match jobs::observed(&db, Job::WebhookDeadlines, created).await {
                Ok(Some(created)) if created > 0 => {
                    tracing::info!(created, "webhook events for approaching deadlines");
                }
                Ok(_) => {}
                Err(err) => tracing::error!(%err, "writing the deadline webhook events failed"),
            }
            next_deadlines = tokio::time::Instant::now() + deadlines_every;
        }
        let ticked = tick(&db, &run, Utc::now());
        let busy = match jobs::observed(&db, Job::WebhookDeliveries, ticked).await {
            Ok(report) => {
                if report.did_anything() {
                    tracing::debug!(?report, "webhook deliveries");
                }
                report.did_anything()
            }
            Err(err) => {
                tracing::error!(%err, "the webhook dispatcher's tick failed");
                false
            }
        };
        if busy {
            settling = None;
            continue;
        }
        let wait = match settling {
            Some(step) if step < SETTLE.len() => {
                settling = Some(step + 1);
                SETTLE[step].min(every)
            }
            _ => {
                settling = None;
                every
            }
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = ENQUEUED.notified() => {
                settling = Some(1);
                tokio::time::sleep(SETTLE[0]).await;
            }
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
        }
        if *stop.borrow() {
            break;
        }
    }
    tracing::info!("webhook dispatcher stopped");
}

/// Takes up to `batch` due deliveries for this server and sets their lease.
async fn claim(db: &Db, run: &Dispatcher, now: DateTime<Utc>) -> DomainResult<Vec<Claimed>> {
    let txn = db.write(Scope::System).await?;
    let backend = txn.get_database_backend();
    let (p1, p2, p3, lock) = match backend {
        DbBackend::Postgres => ("$1", "$2", "$3", " FOR UPDATE OF d SKIP LOCKED"),
        _ => ("?1", "?2", "?3", ""),
    };
    let sql = format!(
        "SELECT d.id AS id FROM webhook_deliveries d \
         JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.status = {p1} AND e.enabled = {p2} AND d.next_attempt_at <= {p3} \
           AND (d.lease_until IS NULL OR d.lease_until <= {p3}) \
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p \
             WHERE p.endpoint_id = d.endpoint_id AND p.object_id = d.object_id \
               AND p.status = {p1} \
               AND (p.created_at < d.created_at \
                    OR (p.created_at = d.created_at AND p.id < d.id))) \
         ORDER BY d.next_attempt_at, d.created_at \
         LIMIT {}{lock}",
        run.batch
    );
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [PENDING.into(), true.into(), now.into()],
        ))
        .await?;
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        ids.push(row.try_get::<Uuid>("", "id")?);
    }
    if ids.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    all_tenants_update::<webhook_delivery::Entity>()
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col(webhook_delivery::Column::Attempts).add(1),
        )
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::value(now + run.lease),
        )
        .filter(webhook_delivery::Column::Id.is_in(ids.clone()))
        .exec(&txn)
        .await?;
    let deliveries = all_tenants::<webhook_delivery::Entity>()
        .filter(webhook_delivery::Column::Id.is_in(ids))
        .all(&txn)
        .await?;
    let endpoints = all_tenants::<webhook_endpoint::Entity>()
        .filter(
            webhook_endpoint::Column::Id
                .is_in(deliveries.iter().map(|d| d.endpoint_id).collect::<Vec<_>>()),
        )
        .all(&txn)
        .await?;
    let events = all_tenants::<webhook_event::Entity>()
        .filter(
            webhook_event::Column::Id
                .is_in(deliveries.iter().map(|d| d.event_id).collect::<Vec<_>>()),
        )
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(deliveries
        .into_iter()
        .filter_map(|delivery| {
            let endpoint = endpoints.iter().find(|e| e.id == delivery.endpoint_id)?;
            let event = events.iter().find(|e| e.id == delivery.event_id)?;
            Some(Claimed {
                endpoint: endpoint.clone(),
                event: event.clone(),
                delivery,
            })
        })
        .collect())
}

/// The body posted for an event: `{type, timestamp, data}`.
pub fn body_of(event: &webhook_event::Model) -> String {
    let data: serde_json::Value =
        serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "type": event.event_type,
        "timestamp": event.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

enum Outcome {
    Delivered,
    Retry,
    Failed,
    /// The delivery or its endpoint was removed meanwhile.
    Gone,
}

/// What the endpoint answered: its status, or why there was no answer.
struct Answer {
    status: Option<u16>,
    error: Option<String>,
    duration_ms: i32,
}

impl Answer {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

async fn post(run: &Dispatcher, claimed: &Claimed, now: DateTime<Utc>) -> Answer {
    let body = body_of(&claimed.event);
    let id = claimed.event.id.to_string();
    let timestamp = now.timestamp();
    let Ok(secret) = run.secrets.open(&claimed.endpoint.secret) else {
        // Sealed under another key: nothing can be signed until the
        // operator gives this server the key, or the admin rotates it.
        return Answer {
            status: None,
            error: Some(
                "the signing secret cannot be opened with this server's key \
                 (SAMUDBUD_SECRETS_KEY); rotate the secret"
                    .to_owned(),
            ),
            duration_ms: 0,
        };
    };
    let signature = signing::sign(&secret, &id, timestamp, &body);
    let started = std::time::Instant::now();
    let sent = run
        .client
        .post(&claimed.endpoint.url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match sent {
        Ok(response) => {
            let status = response.status();
            // Read (and drop) the body so that the connection can be reused.
            let _ = response.bytes().await;
            Answer {
                status: Some(status.as_u16()),
                error: (!status.is_success()).then(|| format!("HTTP {}", status.as_u16())),
                duration_ms,
            }
        }
        Err(err) => Answer {
            status: None,
            error: Some(describe(&err)),
            duration_ms,
        },
    }
}

fn describe(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut text = format!("{kind}: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text.chars().take(500).collect()
}

async fn deliver(
    db: &Db,
    run: &Dispatcher,
    claimed: Claimed,
    now: DateTime<Utc>,
) -> DomainResult<Outcome> {
    let answer = post(run, &claimed, now).await;
    let outcome = record(db, run, &claimed, &answer, now).await?;
    let observed = match outcome {
        Outcome::Delivered => Some(WebhookOutcome::Delivered),
        Outcome::Retry => Some(WebhookOutcome::Retry),
        Outcome::Failed => Some(WebhookOutcome::Failed),
        Outcome::Gone => None,
    };
    if let Some(observed) = observed {
        db.observer().webhook_attempted(observed);
    }
    if matches!(outcome, Outcome::Failed) {
        tell_admins(db, run, &claimed.endpoint).await;
    }
    Ok(outcome)
}

/// Logs the attempt and moves the delivery on: delivered, retried later, or
/// given up with its endpoint disabled.
async fn record(
    db: &Db,
    run: &Dispatcher,
    claimed: &Claimed,
    answer: &Answer,
    now: DateTime<Utc>,
) -> DomainResult<Outcome> {
    let delivery = &claimed.delivery;
    let txn = db.write(Scope::System).await?;
    // The record of a delivery need not wait for the disk: were it lost in
    // a crash, the delivery would be sent again when its lease ran out,
    // which at-least-once allows. On PostgreSQL this spares each delivery
    // a WAL flush; it never makes a commit visible that did not happen.
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL synchronous_commit TO off")
            .await?;
    }
    let Some(endpoint) = all_tenants::<webhook_endpoint::Entity>()
        .filter(webhook_endpoint::Column::Id.eq(delivery.endpoint_id))
        .one(&txn)
        .await?
    else {
        txn.commit().await?;
        return Ok(Outcome::Gone);
    };
    if all_tenants::<webhook_delivery::Entity>()
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .one(&txn)
        .await?
        .is_none()
    {
        txn.commit().await?;
        return Ok(Outcome::Gone);
    }
    webhook_attempt::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(delivery.tenant_id),
        delivery_id: Set(delivery.id),
        endpoint_id: Set(delivery.endpoint_id),
        attempted_at: Set(now),
        duration_ms: Set(answer.duration_ms),
        status_code: Set(answer.status.map(i32::from)),
        succeeded: Set(answer.succeeded()),
        error: Set(answer.error.clone()),
    }
    .insert(&txn)
    .await?;
    let none: Option<DateTime<Utc>> = None;
    let update = all_tenants_update::<webhook_delivery::Entity>()
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(none))
        .col_expr(
            webhook_delivery::Column::LastStatusCode,
            Expr::value(answer.status.map(i32::from)),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(answer.error.clone()),
        )
        .filter(webhook_delivery::Column::Id.eq(delivery.id));
    let outcome = if answer.succeeded() {
        update
            .col_expr(webhook_delivery::Column::Status, Expr::value(DELIVERED))
            .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now))
            .exec(&txn)
            .await?;
        if endpoint.failing_since.is_some() {
            all_tenants_update::<webhook_endpoint::Entity>()
                .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(none))
                .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                .exec(&txn)
                .await?;
        }
        Outcome::Delivered
    } else {
        let failing_since = endpoint.failing_since.unwrap_or(now);
        if now - failing_since >= run.retry_for {
            update
                .col_expr(webhook_delivery::Column::Status, Expr::value(FAILED))
                .exec(&txn)
                .await?;
            let hours = run.retry_for.num_hours();
            all_tenants_update::<webhook_endpoint::Entity>()
                .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
                .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(now))
                .col_expr(
                    webhook_endpoint::Column::DisabledReason,
                    Expr::value(format!(
                        "every attempt failed for {hours} hours; last: {}",
                        answer.error.as_deref().unwrap_or("no answer")
                    )),
                )
                .col_expr(
                    webhook_endpoint::Column::Version,
                    Expr::value(endpoint.version + 1),
                )
                .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
                .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                .exec(&txn)
                .await?;
            Outcome::Failed
        } else {
            let attempts = delivery.attempts;
            update
                .col_expr(
                    webhook_delivery::Column::NextAttemptAt,
                    Expr::value(now + backoff(attempts, run.first_retry, run.max_retry)),
                )
                .exec(&txn)
                .await?;
            if endpoint.failing_since.is_none() {
                all_tenants_update::<webhook_endpoint::Entity>()
                    .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(now))
                    .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                    .exec(&txn)
                    .await?;
            }
            Outcome::Retry
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Mails the municipality's admins that `endpoint` was disabled. A mail that
/// cannot be sent is logged; the endpoint's state shows it in the app too.
async fn tell_admins(db: &Db, run: &Dispatcher, endpoint: &webhook_endpoint::Model) {
    let found = async {
        let txn = db.read(Scope::System).await?;
        let admins = all_tenants::<user::Entity>()
            .filter(user::Column::TenantId.eq(endpoint.tenant_id))
            .filter(user::Column::Role.eq("admin"))
            .filter(user::Column::Active.eq(true))
            .all(&txn)
            .await?;
        let municipality = platform::<tenant::Entity>()
            .filter(tenant::Column::Id.eq(endpoint.tenant_id))
            .one(&txn)
            .await?;
        txn.commit().await?;
        DomainResult::Ok((admins, municipality.map(|m| m.name).unwrap_or_default()))
    }
    .await;
    let (admins, municipality) = match found {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(%err, "the admins of a disabled webhook endpoint could not be found");
            return;
        }
    };
    tracing::warn!(endpoint = %endpoint.id, url = %endpoint.url, "a webhook endpoint failed for too long and was disabled");
    let link = format!("{}/administration/webhooks", run.public_url);
    let hours = run.retry_for.num_hours();
    for admin in admins {
        let text = format!(
            "Hej {name}\n\n\
             Webhook-modtageren {url} hos {municipality} har ikke svaret korrekt i {hours} timer \
             og er derfor slået fra. Hændelser sendes ikke til den, før den slås til igen.\n\n\
             Se leveringsloggen og slå modtageren til igen her: {link}\n",
            name = admin.name,
            url = endpoint.url,
        );
        let html = format!(
            "<p>Hej {name}</p><p>Webhook-modtageren <code>{url}</code> hos {municipality} har \
             ikke svaret korrekt i {hours} timer og er derfor slået fra. Hændelser sendes ikke \
             til den, før den slås til igen.</p><p><a href=\"{link}\">Se leveringsloggen</a></p>",
            name = escape(&admin.name),
            url = escape(&endpoint.url),
            municipality = escape(&municipality),
            link = escape(&link),
        );
        let notice = Digest {
            subject: "Webhook-modtager slået fra".to_owned(),
            text,
            html,
            items: Vec::new(),
        };
        let sent = run.mailer.send(&admin.name, &admin.email, &notice).await;
        db.observer()
            .mail_sent(MailKind::WebhookDisabled, sent.is_ok());
        if let Err(err) = sent {
            tracing::error!(%err, "the notice of a disabled webhook endpoint could not be sent");
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_with_jitter_up_to_the_cap() {
        let first = Duration::minutes(1);
        let max = Duration::hours(1);
        for (attempts, base) in [(1, 1), (2, 2), (3, 4), (4, 8), (7, 60), (40, 60)] {
            let wait = backoff(attempts, first, max);
            let base = Duration::minutes(base);
            assert!(wait >= base, "{attempts}: {wait} < {base}");
            assert!(wait <= base + base / 4, "{attempts}: {wait} > {base} + 25%");
        }
        assert_eq!(backoff(3, Duration::zero(), max), Duration::zero());
    }
}
