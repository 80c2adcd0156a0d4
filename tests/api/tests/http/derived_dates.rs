//! Derived dates that never go stale: the daily job re-derives each
//! municipality's contracts once per Danish day, one server at a time, and
//! a contract whose dates change gets a new version (ETag) and
//! `updated_at`, so `changed_since` delivers it. The clock is driven, not
//! waited for.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, on_both_databases};
use samudbud_domain::clock::local_date;
use samudbud_domain::contracts::refresh::{JOB, run_job};
use samudbud_domain::entities::contract;
use samudbud_domain::jobs;
use samudbud_domain::{Role, Scope};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

on_both_databases!(
    the_daily_job_derives_once_per_day_and_bumps_the_version,
    only_one_holder_runs_the_job,
);

struct Setup {
    app: TestApp,
    token: String,
    other: String,
    running: Value,
    fixed: Value,
}

async fn setup(app: TestApp) -> Setup {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let other_tenant = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(other_tenant, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    let token = app.token("redaktoer@soroe.dk").await;
    let other = app.token("redaktoer@ringsted.dk").await;
    let supplier = expect_json(
        app.request(Method::POST, "/api/v1/suppliers", Some(&token))
            .json(&json!({"cvr": "1895 7981", "name": "KMD A/S"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let create = |body: Value| {
        let request = app
            .request(Method::POST, "/api/v1/contracts", Some(&token))
            .json(&body);
        async move { expect_json(request.send().await.unwrap(), StatusCode::CREATED).await }
    };
    // Running: its earliest possible end, and so its notice deadline, moves
    // every day.
    let running = create(json!({
        "title": "Løbende drift",
        "supplier_id": supplier["id"],
        "start_on": "2024-01-01",
        "notice_period_months": 3,
    }))
    .await;
    // Fixed term far ahead: nothing derived changes from day to day.
    let fixed = create(json!({
        "title": "Licensaftale",
        "supplier_id": supplier["id"],
        "start_on": "2024-01-01",
        "end_on": "2099-12-31",
        "notice_period_months": 6,
    }))
    .await;
    Setup {
        app,
        token,
        other,
        running,
        fixed,
    }
}

impl Setup {
    /// The contract as its owner reads it, with its ETag.
    async fn read(&self, contract: &Value) -> (Value, String) {
        let path = format!("/api/v1/contracts/{}", contract["id"].as_str().unwrap());
        let response = self
            .app
            .request(Method::GET, &path, Some(&self.token))
            .send()
            .await
            .unwrap();
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (expect_json(response, StatusCode::OK).await, etag)
    }

    async fn derived_on(&self, contract: &Value) -> NaiveDate {
        let id: uuid::Uuid = contract["id"].as_str().unwrap().parse().unwrap();
        let txn = self.app.db.read(Scope::System).await.unwrap();
        let found = contract::Entity::find()
            .filter(contract::Column::Id.eq(id))
            .one(&txn)
            .await
            .unwrap()
            .unwrap()
            .derived_on;
        txn.commit().await.unwrap();
        found
    }
}

/// The version an ETag (`"3"`) names.
fn version(etag: &str) -> i64 {
    etag.trim_matches('"').parse().unwrap()
}

/// 23:30 UTC on a winter day `days` from now: already the next day in Copenhagen.
fn late_evening(days: i64) -> DateTime<Utc> {
    let day = samudbud_domain::clock::today() + Duration::days(days);
    Utc.from_utc_datetime(&day.and_hms_opt(23, 30, 0).unwrap())
}

async fn the_daily_job_derives_once_per_day_and_bumps_the_version(app: TestApp) {
    let s = setup(app).await;
    let (running, etag) = s.read(&s.running).await;
    let (fixed, fixed_etag) = s.read(&s.fixed).await;

    // Today's run finds everything derived today already.
    let today = run_job(&s.app.db, "server-a", Utc::now()).await.unwrap();
    assert!(today.leased);
    assert_eq!(today.changed, 0, "{today:?}");
    assert_eq!(s.read(&s.running).await.1, etag);

    let feed = |token: &str, since: &str| {
        let request = s
            .app
            .request(Method::GET, "/api/v1/changes", Some(token))
            .query(&[("since", since)]);
        async move { expect_json(request.send().await.unwrap(), StatusCode::OK).await }
    };
    let cursor = feed(&s.token, "now").await["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_cursor = feed(&s.other, "now").await["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();

    // Forty days on, at 23:30 UTC, which is the next day in Copenhagen.
    let later = late_evening(40);
    let copenhagen_day = later.date_naive() + Duration::days(1);
    assert_eq!(local_date(later), copenhagen_day);
    let report = run_job(&s.app.db, "server-a", later).await.unwrap();
    assert!(report.leased);
    assert_eq!(
        report.changed, 1,
        "only the running contract moved: {report:?}"
    );
    assert_eq!(s.derived_on(&s.running).await, copenhagen_day);
    assert_eq!(s.derived_on(&s.fixed).await, copenhagen_day);

    let (moved, moved_etag) = s.read(&s.running).await;
    assert_ne!(moved["notice_deadline"], running["notice_deadline"]);
    assert_ne!(moved_etag, etag, "new dates, new ETag");
    assert_eq!(version(&moved_etag), version(&etag) + 1);
    let updated: DateTime<Utc> = moved["updated_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(updated.timestamp(), later.timestamp());
    // The fixed-term contract's values did not change: same version.
    assert_eq!(s.read(&s.fixed).await, (fixed.clone(), fixed_etag.clone()));

    // `changed_since` delivers the moved contract, not the other one.
    let since = (later - Duration::minutes(1)).to_rfc3339();
    let page = expect_json(
        s.app
            .request(Method::GET, "/api/v1/contracts", Some(&s.token))
            .query(&[("changed_since", since.as_str())])
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let ids: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, vec![&s.running["id"]]);
    // So does the feed, and only to its owner.
    let entries = feed(&s.token, &cursor).await;
    let entries: Vec<(&Value, &Value, &Value)> = entries["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (&e["kind"], &e["id"], &e["action"]))
        .collect();
    assert_eq!(
        entries,
        vec![(&json!("contract"), &s.running["id"], &json!("updated"))]
    );
    assert_eq!(feed(&s.other, &other_cursor).await["items"], json!([]));

    // Again on the same Danish day: nothing changes.
    let again = run_job(&s.app.db, "server-a", later + Duration::minutes(30))
        .await
        .unwrap();
    assert!(again.leased);
    assert_eq!(again.changed, 0, "{again:?}");
    assert_eq!(
        s.read(&s.running).await,
        (moved.clone(), moved_etag.clone())
    );

    // The next day the running contract moves again, once.
    let next = run_job(&s.app.db, "server-b", later + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(next.changed, 1, "{next:?}");
    assert_eq!(
        s.derived_on(&s.running).await,
        copenhagen_day + Duration::days(1)
    );
    let (next_day, next_etag) = s.read(&s.running).await;
    assert_ne!(next_etag, moved_etag);
    assert_ne!(next_day["notice_deadline"], moved["notice_deadline"]);
    assert_eq!(version(&next_etag), version(&moved_etag) + 1);

    // Another municipality still cannot read it.
    let path = format!("/api/v1/contracts/{}", s.running["id"].as_str().unwrap());
    let response = s
        .app
        .request(Method::GET, &path, Some(&s.other))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn only_one_holder_runs_the_job(app: TestApp) {
    let s = setup(app).await;
    let (running, etag) = s.read(&s.running).await;
    let later = late_evening(10);

    // While one server holds the lease, another's run does nothing.
    assert!(
        jobs::lease_at(&s.app.db, JOB, "server-a", Duration::minutes(30), later)
            .await
            .unwrap()
    );
    let skipped = run_job(&s.app.db, "server-b", later).await.unwrap();
    assert!(!skipped.leased);
    assert_eq!(skipped.changed, 0);
    assert_eq!(s.read(&s.running).await.0, running);
    jobs::release(&s.app.db, JOB, "server-a").await.unwrap();

    // Two servers at once: the contract moves exactly once.
    let (a, b) = tokio::join!(
        run_job(&s.app.db, "server-a", later),
        run_job(&s.app.db, "server-b", later),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.leased || b.leased, "{a:?} {b:?}");
    assert_eq!(a.changed + b.changed, 1, "{a:?} {b:?}");
    let (moved, moved_etag) = s.read(&s.running).await;
    assert_ne!(moved["notice_deadline"], running["notice_deadline"]);
    assert_eq!(version(&moved_etag), version(&etag) + 1);
}
