//! What an operator watches: `/metrics` after real work — requests, the
//! database pools and the wait for a connection; the background jobs the
//! server runs, the reminder mails it sends (to a test SMTP server) and the
//! webhooks it delivers (to a local receiver) — and the request id that
//! ties a response to its log lines.

use std::time::Duration;

use chrono::Utc;
use reqwest::{Method, StatusCode};
use samudbud_api_tests::receiver::Receiver;
use samudbud_api_tests::{Backend, TestApp, on_both_databases};
use samudbud_domain::reminders::period::{self, Frequency};
use samudbud_domain::reminders::scheduler::enqueue;
use samudbud_domain::{Role, Scope};
use serde_json::{Value, json};
use uuid::Uuid;

use samudbud_api_tests::smtp::SmtpServer;

on_both_databases!(requests_and_pools_are_watched);

/// The value of the series `name` whose labels include `labels`, if any.
pub(crate) fn series(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().find_map(|line| {
        let (head, value) = line.rsplit_once(' ')?;
        let (metric, rest) = match head.split_once('{') {
            Some((metric, rest)) => (metric, rest),
            None => (head, ""),
        };
        (metric == name
            && labels
                .iter()
                .all(|(key, value)| rest.contains(&format!("{key}=\"{value}\""))))
        .then(|| value.parse().ok())
        .flatten()
    })
}

pub(crate) async fn scrape(app: &TestApp) -> String {
    let response = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// Scrapes until `done` holds for the metrics (at most ten seconds); the
/// last scrape.
async fn scrape_until(app: &TestApp, done: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = scrape(app).await;
        if done(&text) || tokio::time::Instant::now() >= deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn requests_and_pools_are_watched(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    let token = app.token("admin@soroe.dk").await;
    let before = scrape(&app).await;
    let waits = |text: &str| {
        series(
            text,
            "samudbud_db_connection_wait_seconds_count",
            &[("pool", "application"), ("mode", "read")],
        )
        .unwrap_or(0.0)
    };

    // The caller's request id comes back, and a new one when there is none.
    let listed = app
        .request(Method::GET, "/api/v1/contracts", Some(&token))
        .header("x-request-id", "drift-4711")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    assert_eq!(listed.headers()["x-request-id"], "drift-4711");
    let listed = app
        .request(Method::GET, "/api/v1/contracts", Some(&token))
        .send()
        .await
        .unwrap();
    let id = listed.headers()["x-request-id"].to_str().unwrap();
    assert!(id.parse::<Uuid>().is_ok(), "{id}");

    let text = scrape(&app).await;
    let listed = [
        ("method", "GET"),
        ("operation", "listContracts"),
        ("status", "200"),
    ];
    assert_eq!(
        series(&text, "samudbud_http_requests_total", &listed),
        Some(2.0),
        "{text}"
    );
    // Reading the register began transactions on the application's pool.
    assert!(waits(&text) > waits(&before), "{text}");
    assert_eq!(
        series(
            &text,
            "samudbud_db_begin_failures_total",
            &[("pool", "application")]
        ),
        Some(0.0)
    );

    // The pools as they are at the scrape.
    let max = match app.backend {
        Backend::Sqlite => samudbud_domain::db::default_pool_size_sqlite(),
        Backend::Postgres => samudbud_domain::db::default_pool_size_postgres(),
    };
    let application = [("pool", "application")];
    let pool_max = series(&text, "samudbud_db_pool_connections_max", &application);
    assert_eq!(pool_max, Some(f64::from(max)), "{text}");
    let in_use = series(&text, "samudbud_db_pool_connections_in_use", &application).unwrap();
    let idle = series(&text, "samudbud_db_pool_connections_idle", &application).unwrap();
    assert!(
        in_use + idle >= 1.0 && in_use + idle <= f64::from(max),
        "{text}"
    );
    let owner = series(
        &text,
        "samudbud_db_pool_connections_max",
        &[("pool", "owner")],
    );
    if app.owner_database_url.is_some() {
        assert_eq!(owner, Some(4.0), "{text}");
    } else {
        assert_eq!(owner, None, "{text}");
    }

    // No job runs on a server that runs none (the date derivation waits
    // for midnight), and their series are there from the start.
    for job in ["derived_dates", "reminder_digests", "webhook_deliveries"] {
        assert_eq!(
            series(&text, "samudbud_job_runs_total", &[("job_name", job)]),
            Some(0.0),
            "{job}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_mails_and_webhooks_are_counted_on_sqlite() {
    jobs_mails_and_webhooks_are_counted(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_mails_and_webhooks_are_counted_on_postgres() {
    jobs_mails_and_webhooks_are_counted(Backend::Postgres).await;
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let response = app
        .request(method, &format!("/api/v1{path}"), Some(token))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(status.is_success(), "{path}: {status}");
    response.json().await.unwrap()
}

/// A server that runs the reminder scheduler and the webhook dispatcher
/// often: a digest to one user goes out, one to another is refused by the
/// mail server, one webhook is delivered and one answered with 500.
async fn jobs_mails_and_webhooks_are_counted(backend: Backend) {
    let smtp = SmtpServer::default();
    let smtp_url = smtp.start().await;
    smtp.refuse("afvist@soroe.dk", usize::MAX);
    let receiver = Receiver::start().await;
    let Some(app) = TestApp::start_with(backend, |settings| {
        settings.webhooks.enabled = true;
        settings.webhooks.tick = Duration::from_millis(100);
        settings.webhooks.allow_loopback_http = true;
        settings.reminders.enabled = true;
        settings.reminders.tick = Duration::from_millis(200);
        settings.reminders.smtp_url = Some(smtp_url);
    })
    .await
    else {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
        return;
    };
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    let off = json!({"frequency": "off", "horizon_days": 30});
    call(&app, &admin, Method::PUT, "/me/reminders", off).await;

    call(
        &app,
        &admin,
        Method::POST,
        "/webhooks/endpoints",
        json!({"url": receiver.url, "event_types": ["contract.created"]}),
    )
    .await;
    let supplier = call(
        &app,
        &admin,
        Method::POST,
        "/suppliers",
        json!({"cvr": "29188955", "name": "KMD A/S"}),
    )
    .await;
    // A notice deadline within the digests' horizon.
    let ends = (Utc::now() + chrono::Duration::days(200)).date_naive();
    let contract = json!({
        "title": "Økonomisystem",
        "supplier_id": supplier["id"],
        "start_on": "2024-01-01",
        "end_on": ends.to_string(),
        "notice_period_months": 3,
    });
    call(&app, &admin, Method::POST, "/contracts", contract.clone()).await;
    assert_eq!(receiver.wait_for(1, Duration::from_secs(10)).await.len(), 1);

    // Today's daily digest for two editors: created here, or by the
    // scheduler itself when it is past six in the morning in Denmark.
    let today = period::local_date(Utc::now());
    let key = period::period_key(Frequency::Daily, today).unwrap();
    for email in ["post@soroe.dk", "afvist@soroe.dk"] {
        let user = app.create_user(tenant, email, Role::Editor).await;
        let token = app.token(email).await;
        let daily = json!({"frequency": "daily", "horizon_days": 365});
        call(&app, &token, Method::PUT, "/me/reminders", daily).await;
        let txn = app.db.write(Scope::Tenant(tenant)).await.unwrap();
        enqueue(&txn, tenant.0, user, key.clone(), Utc::now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }

    // The endpoint fails from now on: the next event's attempt is retried
    // (a minute later, after this test).
    receiver.answer_with(500);
    let mut contract = contract;
    contract["title"] = json!("Lønsystem");
    call(&app, &admin, Method::POST, "/contracts", contract).await;

    let digest = |outcome| [("kind", "reminder_digest"), ("outcome", outcome)];
    let text = scrape_until(&app, |text| {
        series(text, "samudbud_mails_total", &digest("sent")) == Some(1.0)
            && series(text, "samudbud_mails_total", &digest("failed")) == Some(1.0)
            && series(
                text,
                "samudbud_webhook_deliveries_total",
                &[("outcome", "retry")],
            ) == Some(1.0)
    })
    .await;
    assert_eq!(smtp.count_for("post@soroe.dk"), 1);
    assert_eq!(smtp.count_for("afvist@soroe.dk"), 0);
    assert_eq!(
        series(&text, "samudbud_mails_total", &digest("sent")),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        series(&text, "samudbud_mails_total", &digest("failed")),
        Some(1.0),
        "{text}"
    );
    for (outcome, count) in [("delivered", 1.0), ("retry", 1.0), ("failed", 0.0)] {
        assert_eq!(
            series(
                &text,
                "samudbud_webhook_deliveries_total",
                &[("outcome", outcome)]
            ),
            Some(count),
            "{outcome}: {text}"
        );
    }
    assert_eq!(receiver.received().len(), 2);

    // The jobs ran, none failed; the date derivation waits for midnight.
    for job in [
        "reminder_digests",
        "change_log_retention",
        "webhook_deliveries",
        "webhook_deadlines",
    ] {
        let job = [("job_name", job)];
        let runs = series(&text, "samudbud_job_runs_total", &job).unwrap();
        assert!(runs >= 1.0, "{job:?}: {text}");
        let timed = series(&text, "samudbud_job_duration_seconds_count", &job).unwrap();
        assert!(timed >= 1.0, "{job:?}: {text}");
        assert_eq!(
            series(&text, "samudbud_job_failures_total", &job),
            Some(0.0),
            "{job:?}: {text}"
        );
    }
    assert_eq!(
        series(
            &text,
            "samudbud_job_runs_total",
            &[("job_name", "derived_dates")]
        ),
        Some(0.0)
    );
    // The jobs' transactions waited for connections too, as writers.
    let writes = series(
        &text,
        "samudbud_db_connection_wait_seconds_count",
        &[("mode", "write")],
    );
    assert!(writes.is_some_and(|n| n > 0.0), "{text}");
}
