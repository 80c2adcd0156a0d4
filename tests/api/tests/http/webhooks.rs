//! Webhooks: endpoints registered by admins, events written with the change
//! (and not without it), signed deliveries to a local receiver, backoff,
//! disabling, redelivery and the scheduled deadline events. The dispatcher
//! is driven tick by tick with the clock the test chooses.

use std::time::Duration;

use chrono::Utc;
use reqwest::{Method, StatusCode};
use samudbud_api_tests::receiver::{Receiver, signature_verifies};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases_with};
use samudbud_domain::Role;
use samudbud_domain::entities::{webhook_delivery, webhook_endpoint, webhook_event};
use samudbud_domain::reminders::mailer::Mailer;
use samudbud_domain::webhooks::dispatch::{self, Dispatcher};
use samudbud_domain::webhooks::{self, EventType, deadlines};
use samudbud_server::config::Settings;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

fn loopback(settings: &mut Settings) {
    settings.webhooks.allow_loopback_http = true;
}

on_both_databases_with!(
    hooks, loopback;
    a_contract_edit_arrives_signed_and_in_order,
    a_rolled_back_change_sends_nothing,
    failures_back_off_then_disable_the_endpoint_until_redelivered,
    deadlines_approaching_are_sent_once,
    endpoints_are_validated_and_admins_only,
    template_and_plan_changes_send_their_events,
);

struct Fixture {
    app: TestApp,
    admin: String,
    supplier_id: String,
}

async fn fixture(app: TestApp) -> Fixture {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let supplier = app
        .request(Method::POST, "/api/v1/suppliers", Some(&admin))
        .json(&json!({"cvr": "29188955", "name": "KMD A/S"}))
        .send()
        .await
        .unwrap();
    // The supplier catalogue is shared: known CVR numbers answer 200.
    assert!(supplier.status().is_success(), "{}", supplier.status());
    let supplier: Value = supplier.json().await.unwrap();
    Fixture {
        supplier_id: supplier["id"].as_str().unwrap().to_owned(),
        app,
        admin,
    }
}

fn dispatcher(app: &TestApp) -> Dispatcher {
    let mailer = Mailer::new(None, "Samudbud <samudbud@localhost>").unwrap();
    Dispatcher::new(
        mailer,
        "http://localhost",
        Duration::from_secs(5),
        app.secrets.clone(),
    )
}

impl Fixture {
    async fn register(&self, url: &str, types: &[&str]) -> (String, String) {
        let response = self
            .app
            .request(
                Method::POST,
                "/api/v1/webhooks/endpoints",
                Some(&self.admin),
            )
            .json(&json!({"url": url, "description": "ERP", "event_types": types}))
            .send()
            .await
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let body = expect_json(response, StatusCode::CREATED).await;
        let id = body["endpoint"]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            location.as_deref(),
            Some(format!("/api/v1/webhooks/endpoints/{id}").as_str())
        );
        (id, body["secret"].as_str().unwrap().to_owned())
    }

    async fn create_contract(&self, extra: Value) -> Value {
        let mut body = json!({
            "title": "Økonomisystem",
            "supplier_id": self.supplier_id,
            "start_on": "2024-01-01",
        });
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        let response = self
            .app
            .request(Method::POST, "/api/v1/contracts", Some(&self.admin))
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await
    }

    async fn rename(&self, contract: &Value, title: &str, version: &str) -> reqwest::Response {
        self.app
            .request(
                Method::PUT,
                &format!("/api/v1/contracts/{}", contract["id"].as_str().unwrap()),
                Some(&self.admin),
            )
            .header("if-match", version)
            .json(&json!({
                "title": title,
                "supplier_id": self.supplier_id,
                "start_on": "2024-01-01",
            }))
            .send()
            .await
            .unwrap()
    }

    async fn deliveries(&self, endpoint: &str) -> Value {
        let response = self
            .app
            .request(
                Method::GET,
                &format!("/api/v1/webhooks/endpoints/{endpoint}/deliveries"),
                Some(&self.admin),
            )
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }

    async fn endpoint(&self, endpoint: &str) -> (Value, String) {
        let response = self
            .app
            .request(
                Method::GET,
                &format!("/api/v1/webhooks/endpoints/{endpoint}"),
                Some(&self.admin),
            )
            .send()
            .await
            .unwrap();
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (expect_json(response, StatusCode::OK).await, etag)
    }

    async fn events(&self) -> u64 {
        let txn = self
            .app
            .db
            .read(samudbud_domain::Scope::System)
            .await
            .unwrap();
        let count = webhook_event::Entity::find().count(&txn).await.unwrap();
        txn.commit().await.unwrap();
        count
    }
}

async fn a_contract_edit_arrives_signed_and_in_order(app: TestApp) {
    let f = fixture(app).await;
    let receiver = Receiver::start().await;
    let (endpoint, secret) = f
        .register(&receiver.url, &["contract.created", "contract.updated"])
        .await;
    assert!(secret.starts_with("whsec_"));
    let contract = f.create_contract(json!({})).await;
    let renamed = f.rename(&contract, "Nyt økonomisystem", "\"1\"").await;
    expect_json(renamed, StatusCode::OK).await;

    let report = dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    assert_eq!(report.delivered, 2, "{report:?}");
    let received = receiver.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 2);
    let id = contract["id"].as_str().unwrap();
    for (request, (kind, version)) in received
        .iter()
        .zip([("contract.created", 1), ("contract.updated", 2)])
    {
        assert!(
            signature_verifies(&secret, request),
            "the signature verifies: {request:?}"
        );
        assert!(!signature_verifies(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            request
        ));
        assert_eq!(request.header("content-type"), "application/json");
        let timestamp: i64 = request.header("webhook-timestamp").parse().unwrap();
        assert!((Utc::now().timestamp() - timestamp).abs() < 60);
        let body = request.json();
        assert_eq!(body["type"], kind);
        assert_eq!(body["data"]["id"], id);
        assert_eq!(body["data"]["version"], version);
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(received[1].json()["data"]["title"], "Nyt økonomisystem");
    assert_ne!(
        received[0].header("webhook-id"),
        received[1].header("webhook-id")
    );

    // The log shows both, delivered, with the attempt.
    let log = f.deliveries(&endpoint).await;
    assert_eq!(log["total"], 2);
    for delivery in log["items"].as_array().unwrap() {
        assert_eq!(delivery["status"], "delivered");
        assert_eq!(delivery["attempts"][0]["status_code"], 200);
        assert_eq!(delivery["attempts"][0]["succeeded"], true);
        assert!(delivery["attempts"][0]["duration_ms"].as_i64().unwrap() >= 0);
    }
    // Nothing more to send.
    let again = dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    assert!(!again.did_anything());
    // The secret is not shown again.
    let (shown, _) = f.endpoint(&endpoint).await;
    assert!(!shown.to_string().contains(&secret));
    // Nor stored in the clear: sealed with the server's key.
    let stored = || async {
        let txn = f.app.db.read(samudbud_domain::Scope::System).await.unwrap();
        let row = webhook_endpoint::Entity::find_by_id(endpoint.parse::<uuid::Uuid>().unwrap())
            .one(&txn)
            .await
            .unwrap()
            .unwrap();
        txn.commit().await.unwrap();
        row.secret
    };
    let sealed = stored().await;
    assert!(
        sealed.starts_with("v1:") && !sealed.contains(&secret[6..]),
        "{sealed}"
    );
    assert_eq!(f.app.secrets.open(&sealed).unwrap(), secret);
    // One stored in the clear before secrets were sealed is sealed at start.
    let txn = f
        .app
        .db
        .write(samudbud_domain::Scope::System)
        .await
        .unwrap();
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::Secret,
            sea_orm::sea_query::Expr::value(secret.clone()),
        )
        .exec(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(
        webhooks::seal_plain_secrets(&f.app.db, &f.app.secrets)
            .await
            .unwrap(),
        1
    );
    let resealed = stored().await;
    assert!(resealed.starts_with("v1:"), "{resealed}");
    assert_eq!(f.app.secrets.open(&resealed).unwrap(), secret);
    let listed = f
        .app
        .request(Method::GET, "/api/v1/webhooks/endpoints", Some(&f.admin))
        .send()
        .await
        .unwrap();
    let listed = expect_json(listed, StatusCode::OK).await;
    assert_eq!(listed["total"], 1);
    assert!(!listed.to_string().contains(&secret));

    // A rotated secret signs what follows.
    let rotated = f
        .app
        .request(
            Method::POST,
            &format!("/api/v1/webhooks/endpoints/{endpoint}/rotate-secret"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    let rotated = expect_json(rotated, StatusCode::OK).await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    let archived = f
        .app
        .request(
            Method::DELETE,
            &format!("/api/v1/contracts/{id}"),
            Some(&f.admin),
        )
        .header("if-match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert!(archived.status().is_success(), "{}", archived.status());
    dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    // Archiving is not subscribed to: nothing came.
    assert_eq!(receiver.received().len(), 2);
    let patched = f
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/webhooks/endpoints/{endpoint}"),
            Some(&f.admin),
        )
        .header("if-match", "\"2\"")
        .json(&json!({"event_types": ["contract.archived", "contract.updated"]}))
        .send()
        .await
        .unwrap();
    let patched = expect_json(patched, StatusCode::OK).await;
    assert_eq!(
        patched["event_types"],
        json!(["contract.updated", "contract.archived"])
    );
    let restored = f
        .app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{id}/restore"),
            Some(&f.admin),
        )
        .header("if-match", "\"3\"")
        .send()
        .await
        .unwrap();
    assert!(restored.status().is_success(), "{}", restored.status());
    dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    let received = receiver.wait_for(3, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].json()["type"], "contract.updated");
    assert!(signature_verifies(new_secret, &received[2]));
    assert!(!signature_verifies(&secret, &received[2]));
}

async fn a_rolled_back_change_sends_nothing(app: TestApp) {
    let f = fixture(app).await;
    let receiver = Receiver::start().await;
    f.register(&receiver.url, &["contract.created", "contract.updated"])
        .await;
    let contract = f.create_contract(json!({})).await;
    assert_eq!(f.events().await, 1);

    // A stale version: the write is refused, and so is its event.
    let stale = f.rename(&contract, "Forældet", "\"7\"").await;
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    // An invalid contract: nothing is written.
    let invalid = f
        .app
        .request(Method::POST, "/api/v1/contracts", Some(&f.admin))
        .json(&json!({"title": "", "supplier_id": f.supplier_id, "start_on": "2024-01-01"}))
        .send()
        .await
        .unwrap();
    expect_problem(invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
    // An event written in a transaction that is rolled back is gone with it.
    let tenant = {
        let txn = f.app.db.read(samudbud_domain::Scope::System).await.unwrap();
        let event = webhook_event::Entity::find()
            .one(&txn)
            .await
            .unwrap()
            .unwrap();
        txn.commit().await.unwrap();
        samudbud_domain::TenantId(event.tenant_id)
    };
    let txn = f
        .app
        .db
        .write(samudbud_domain::Scope::Tenant(tenant))
        .await
        .unwrap();
    webhooks::enqueue(
        &txn,
        tenant,
        EventType::ContractUpdated,
        uuid::Uuid::new_v4(),
        json!({}),
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(f.events().await, 1);

    dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    let received = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].json()["type"], "contract.created");
}

async fn failures_back_off_then_disable_the_endpoint_until_redelivered(app: TestApp) {
    let f = fixture(app).await;
    let receiver = Receiver::start().await;
    receiver.answer_with(500);
    let (endpoint, secret) = f
        .register(&receiver.url, &["contract.created", "contract.updated"])
        .await;
    let contract = f.create_contract(json!({})).await;
    expect_json(f.rename(&contract, "Omdøbt", "\"1\"").await, StatusCode::OK).await;
    let run = dispatcher(&f.app);
    let start = Utc::now();

    // The first fails; the update waits behind it (in order per object).
    let report = dispatch::tick(&f.app.db, &run, start).await.unwrap();
    assert_eq!(report.retried, 1, "{report:?}");
    assert_eq!(receiver.wait_for(1, Duration::from_secs(5)).await.len(), 1);
    assert_eq!(receiver.received()[0].json()["type"], "contract.created");
    // Not again before the backoff has passed.
    let report = dispatch::tick(&f.app.db, &run, start + chrono::Duration::seconds(30))
        .await
        .unwrap();
    assert!(!report.did_anything(), "{report:?}");
    let log = f.deliveries(&endpoint).await;
    let created = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["event_type"] == "contract.created")
        .unwrap()
        .clone();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["last_status_code"], 500);
    let next: chrono::DateTime<Utc> = created["next_attempt_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wait = next - start;
    assert!(
        wait >= chrono::Duration::seconds(59) && wait <= chrono::Duration::seconds(76),
        "the first retry waits a minute and some jitter: {wait}"
    );
    // The second attempt, a few minutes on, fails too; the wait doubles.
    let report = dispatch::tick(&f.app.db, &run, start + chrono::Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(report.retried, 1, "{report:?}");
    let (state, _) = f.endpoint(&endpoint).await;
    assert_eq!(state["enabled"], true);
    assert!(state["failing_since"].is_string());

    // A day of failures disables the endpoint and gives the delivery up.
    let report = dispatch::tick(&f.app.db, &run, start + chrono::Duration::hours(25))
        .await
        .unwrap();
    assert_eq!(report.failed, 1, "{report:?}");
    let (state, etag) = f.endpoint(&endpoint).await;
    assert_eq!(state["enabled"], false);
    assert!(state["disabled_at"].is_string());
    assert!(
        state["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("HTTP 500")
    );
    assert_eq!(receiver.received().len(), 3);
    // Disabled: nothing goes out, and redelivery must wait for it.
    let report = dispatch::tick(&f.app.db, &run, start + chrono::Duration::hours(30))
        .await
        .unwrap();
    assert!(!report.did_anything(), "{report:?}");
    let failed_id = created["id"].as_str().unwrap();
    let redeliver = |id: String| {
        let f = &f;
        async move {
            f.app
                .request(
                    Method::POST,
                    &format!("/api/v1/webhooks/deliveries/{id}/redeliver"),
                    Some(&f.admin),
                )
                .send()
                .await
                .unwrap()
        }
    };
    expect_problem(redeliver(failed_id.to_owned()).await, StatusCode::CONFLICT).await;

    // Enabled again, with the receiver mended, a redelivery goes out, and
    // then the update that waited behind it.
    receiver.answer_with(204);
    let enabled = f
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/webhooks/endpoints/{endpoint}"),
            Some(&f.admin),
        )
        .header("if-match", etag)
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    let enabled = expect_json(enabled, StatusCode::OK).await;
    assert_eq!(enabled["enabled"], true);
    assert!(enabled.get("disabled_at").is_none());
    let queued = expect_json(redeliver(failed_id.to_owned()).await, StatusCode::ACCEPTED).await;
    assert_eq!(queued["status"], "pending");
    let report = dispatch::tick(&f.app.db, &run, Utc::now()).await.unwrap();
    assert_eq!(report.delivered, 2, "{report:?}");
    let received = receiver.wait_for(5, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 5);
    assert_eq!(received[3].json()["type"], "contract.created");
    assert_eq!(received[4].json()["type"], "contract.updated");
    // The same message each time: the receiver can tell a repeat.
    assert_eq!(
        received[0].header("webhook-id"),
        received[3].header("webhook-id")
    );
    assert!(received.iter().all(|r| signature_verifies(&secret, r)));

    // A delivered one can be redelivered too.
    expect_json(redeliver(failed_id.to_owned()).await, StatusCode::ACCEPTED).await;
    dispatch::tick(&f.app.db, &run, Utc::now()).await.unwrap();
    assert_eq!(receiver.wait_for(6, Duration::from_secs(5)).await.len(), 6);
    let log = f.deliveries(&endpoint).await;
    let created = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == failed_id)
        .unwrap()
        .clone();
    assert_eq!(created["status"], "delivered");
    assert_eq!(created["attempts"].as_array().unwrap().len(), 5);
    // The clock was driven a day ahead for the failures: count, not order.
    let codes: Vec<i64> = created["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 500).count(), 3, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 204).count(), 2, "{codes:?}");

    // Deleting the endpoint takes its log along.
    let deleted = f
        .app
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/endpoints/{endpoint}"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let txn = f.app.db.read(samudbud_domain::Scope::System).await.unwrap();
    assert_eq!(
        webhook_delivery::Entity::find().count(&txn).await.unwrap(),
        0
    );
    txn.commit().await.unwrap();
}

async fn deadlines_approaching_are_sent_once(app: TestApp) {
    let f = fixture(app).await;
    let receiver = Receiver::start().await;
    let (endpoint, secret) = f.register(&receiver.url, &["deadline.approaching"]).await;
    let today = samudbud_domain::clock::today();
    // Notice deadline: a month before the end, about ten days from now.
    let end = today + chrono::Duration::days(40);
    let soon = f
        .create_contract(json!({"end_on": end, "notice_period_months": 1, "title": "Snart"}))
        .await;
    let far = today + chrono::Duration::days(380);
    f.create_contract(json!({"end_on": far, "notice_period_months": 1, "title": "Senere"}))
        .await;
    let deadline = soon["notice_deadline"].as_str().unwrap().to_owned();

    let created = deadlines::create_due(&f.app.db, "test", Utc::now())
        .await
        .unwrap();
    assert_eq!(created, Some(1));
    // Idempotent: another run (or server) writes nothing more.
    let again = deadlines::create_due(&f.app.db, "another", Utc::now())
        .await
        .unwrap();
    assert_eq!(again, Some(0));
    dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    let received = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1);
    let body = received[0].json();
    assert_eq!(body["type"], "deadline.approaching");
    assert_eq!(body["data"]["id"], soon["id"]);
    assert_eq!(body["data"]["notice_deadline"], deadline);
    assert!(signature_verifies(&secret, &received[0]));

    // A subscription looking further ahead gets the later one as well.
    let (_, etag) = f.endpoint(&endpoint).await;
    let patched = f
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/webhooks/endpoints/{endpoint}"),
            Some(&f.admin),
        )
        .header("if-match", etag)
        .json(&json!({"days_before": 365}))
        .send()
        .await
        .unwrap();
    expect_json(patched, StatusCode::OK).await;
    let created = deadlines::create_due(&f.app.db, "test", Utc::now())
        .await
        .unwrap();
    assert_eq!(created, Some(1));
}

async fn endpoints_are_validated_and_admins_only(app: TestApp) {
    let f = fixture(app).await;
    for (body, field) in [
        (
            json!({"url": "http://erp.example.dk/hook", "event_types": ["contract.created"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@erp.example.dk/hook", "event_types": ["contract.created"]}),
            "url",
        ),
        (
            json!({"url": "https://erp.example.dk/hook", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "https://erp.example.dk/hook", "event_types": ["contract.created"], "days_before": 0}),
            "days_before",
        ),
    ] {
        let response = f
            .app
            .request(Method::POST, "/api/v1/webhooks/endpoints", Some(&f.admin))
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(problem.to_string().contains(field), "{field}: {problem}");
    }
    let unknown = f
        .app
        .request(Method::POST, "/api/v1/webhooks/endpoints", Some(&f.admin))
        .json(&json!({"url": "https://erp.example.dk/hook", "event_types": ["contract.deleted"]}))
        .send()
        .await
        .unwrap();
    assert!(unknown.status().is_client_error(), "{}", unknown.status());
    assert_eq!(
        f.app
            .request(Method::GET, "/api/v1/webhooks/endpoints", Some(&f.admin))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["total"],
        0
    );
    let editor = f.app.token("redaktoer@soroe.dk").await;
    let refused = f
        .app
        .request(Method::GET, "/api/v1/webhooks/endpoints", Some(&editor))
        .send()
        .await
        .unwrap();
    expect_problem(refused, StatusCode::FORBIDDEN).await;
    // Missing If-Match.
    let (endpoint, _) = f
        .register("https://erp.example.dk/hook", &["contract.created"])
        .await;
    let missing = f
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/webhooks/endpoints/{endpoint}"),
            Some(&f.admin),
        )
        .json(&json!({"enabled": false}))
        .send()
        .await
        .unwrap();
    expect_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
}

/// Publishing a template and planning a tender send their events, signed,
/// in the order of the changes, with the audited action in `data`; another
/// municipality's endpoint subscribed to the same types hears nothing.
async fn template_and_plan_changes_send_their_events(app: TestApp) {
    let f = fixture(app).await;
    let receiver = Receiver::start().await;
    let types = [
        "template.created",
        "template.updated",
        "template.published",
        "tender_plan.created",
        "planned_tender.created",
        "planned_tender.updated",
    ];
    let (_, secret) = f.register(&receiver.url, &types).await;
    let other_receiver = Receiver::start().await;
    let ringsted = f.app.create_tenant("Ringsted Kommune", "329").await;
    f.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let other_admin = f.app.token("admin@ringsted.dk").await;
    let other = f
        .app
        .request(
            Method::POST,
            "/api/v1/webhooks/endpoints",
            Some(&other_admin),
        )
        .json(&json!({"url": other_receiver.url, "event_types": types}))
        .send()
        .await
        .unwrap();
    expect_json(other, StatusCode::CREATED).await;

    let call = |method: Method, path: &str, body: Value, tag: Option<String>| {
        let mut request = f
            .app
            .request(method, &format!("/api/v1{path}"), Some(&f.admin))
            .json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    let template = call(
        Method::POST,
        "/templates",
        json!({"name": "Driftsaftale", "kind": "k04", "description": "Drift"}),
        None,
    )
    .await
    .unwrap();
    let template = expect_json(template, StatusCode::CREATED).await;
    let template_id = template["id"].as_str().unwrap().to_owned();
    let draft_path = format!("/templates/{template_id}/versions/1");
    let content = json!({"clauses": [{
        "key": "0c1a0000-0000-4000-8000-000000000001",
        "number": "1",
        "heading": "Oppetid",
        "text": "Leverandøren sikrer en høj oppetid.",
        "required": true,
        "parameters": []
    }]});
    let edited = call(
        Method::PUT,
        &draft_path,
        json!({"content": content}),
        Some("\"1\"".into()),
    )
    .await
    .unwrap();
    let edited = expect_json(edited, StatusCode::OK).await;
    let published = call(
        Method::POST,
        &format!("{draft_path}/publish"),
        json!({"change_note": "Første udgave"}),
        Some(format!("\"{}\"", edited["version"])),
    )
    .await
    .unwrap();
    expect_json(published, StatusCode::OK).await;

    let plan = call(
        Method::POST,
        "/tender-plans",
        json!({"name": "Udbudsplan 2027", "period_start": "2027-01-01", "period_end": "2027-12-31"}),
        None,
    )
    .await
    .unwrap();
    let plan = expect_json(plan, StatusCode::CREATED).await;
    let plan_id = plan["id"].as_str().unwrap();
    let tender = call(
        Method::POST,
        &format!("/tender-plans/{plan_id}/tenders"),
        json!({"subject": "ESDH-system", "cpv_code": "48000000-8", "procedure": "open",
               "status": "planned", "term_months": 48}),
        None,
    )
    .await
    .unwrap();
    let tender = expect_json(tender, StatusCode::CREATED).await;

    dispatch::tick(&f.app.db, &dispatcher(&f.app), Utc::now())
        .await
        .unwrap();
    let received = receiver.wait_for(5, Duration::from_secs(5)).await;
    // In order per object (objects are sent side by side).
    let mut per_object: std::collections::BTreeMap<String, Vec<(String, String)>> =
        Default::default();
    for request in &received {
        assert!(signature_verifies(&secret, request), "{request:?}");
        let body = request.json();
        per_object
            .entry(body["data"]["id"].as_str().unwrap().to_owned())
            .or_default()
            .push((
                body["type"].as_str().unwrap().to_owned(),
                body["data"]["action"].as_str().unwrap().to_owned(),
            ));
    }
    let of = |id: &Value| -> Vec<(&str, &str)> {
        per_object[id.as_str().unwrap()]
            .iter()
            .map(|(t, a)| (t.as_str(), a.as_str()))
            .collect()
    };
    assert_eq!(per_object.len(), 3, "{per_object:?}");
    assert_eq!(
        of(&template["id"]),
        [
            ("template.created", "template.created"),
            ("template.updated", "template.draft_updated"),
            ("template.published", "template.published"),
        ]
    );
    assert_eq!(
        of(&plan["id"]),
        [("tender_plan.created", "tender_plan.created")]
    );
    assert_eq!(
        of(&tender["id"]),
        [("planned_tender.created", "planned_tender.created")]
    );
    let tender_event = received
        .iter()
        .map(|r| r.json())
        .find(|body| body["type"] == "planned_tender.created")
        .unwrap();
    assert_eq!(tender_event["data"]["version"], tender["version"]);
    assert!(
        other_receiver
            .wait_for(1, Duration::from_millis(300))
            .await
            .is_empty(),
        "another municipality's endpoint hears nothing"
    );
}
