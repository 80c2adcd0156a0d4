//! Two replicas on one PostgreSQL, as operators run them: two `samudbud
//! serve` processes started at once on one fresh database, each migrating as
//! the owner role and serving as the application's role, with the reminder
//! scheduler and the webhook dispatcher running in both. What one replica
//! does, the other honours: sessions and their end, the login throttle, an
//! API client's rate limit; and background work happens once: each webhook
//! delivery is sent once, each digest mailed once, and a day's re-derivation
//! of a register bumps its contracts once. PostgreSQL only (SQLite is one
//! process's file).

use std::time::Duration;

use chrono::{Days, Months, Utc};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use samudbud_api_tests::receiver::Receiver;
use samudbud_api_tests::replica::{Replica, server_binary};
use samudbud_api_tests::smtp::SmtpServer;
use samudbud_api_tests::{
    PASSWORD, create_tenant, create_user, expect_json, expect_problem, fresh_postgres,
};
use samudbud_domain::clock::local_date;
use samudbud_domain::entities::{digest_delivery, webhook_delivery};
use samudbud_domain::principal::Principal;
use samudbud_domain::reminders::period::{Frequency, period_key};
use samudbud_domain::reminders::{self, ReminderChoice};
use samudbud_domain::{Db, Role, Scope};
use samudbud_server::app::connect_and_migrate_roles;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

/// Digests' recipients: enough that one claim does not take them all.
const EDITORS: usize = 30;
/// How long the test waits for background work before it fails.
const PATIENCE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgresql_act_as_one_service() {
    let Some(binary) = server_binary() else {
        eprintln!("skipped: the samudbud binary is not built (cargo build --bin samudbud)");
        return;
    };
    let Some(database) = fresh_postgres().await else {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
        return;
    };
    // The test's own connection: it sets up people and reads behind the
    // API's back.
    let db = connect_and_migrate_roles(&database.url, database.owner_url.as_deref())
        .await
        .expect("migrate");
    let smtp = SmtpServer::default();
    let smtp_url = smtp.start().await;
    let receiver = Receiver::start().await;

    let mut env = vec![
        ("SAMUDBUD_DATABASE_URL", database.url.clone()),
        (
            "SAMUDBUD_JWT_SECRET",
            "one secret for every replica, long enough to sign".to_owned(),
        ),
        // Sealed secrets (webhook signing secrets) are opened by whichever
        // replica sends: one key for all of them.
        ("SAMUDBUD_SECRETS_KEY", "5e".repeat(32)),
        ("SAMUDBUD_TRUSTED_PROXIES", "127.0.0.0/8,::1".to_owned()),
        ("SAMUDBUD_PUBLIC_URL", "https://samudbud.test".to_owned()),
        ("SAMUDBUD_REMINDERS", "on".to_owned()),
        ("SAMUDBUD_REMINDER_TICK", "1s".to_owned()),
        ("SAMUDBUD_SMTP_URL", smtp_url),
        (
            "SAMUDBUD_MAIL_FROM",
            "Samudbud <noreply@samudbud.test>".to_owned(),
        ),
        ("SAMUDBUD_WEBHOOKS", "on".to_owned()),
        ("SAMUDBUD_WEBHOOK_TICK", "100ms".to_owned()),
        ("SAMUDBUD_WEBHOOK_ALLOW_LOOPBACK_HTTP", "on".to_owned()),
        // A claimed delivery's lease is this and 5 s: the killed servers'
        // claims run out within the test's patience.
        ("SAMUDBUD_WEBHOOK_TIMEOUT", "3s".to_owned()),
        ("SAMUDBUD_DB_POOL_SIZE", "5".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ];
    if let Some(owner_url) = &database.owner_url {
        env.push(("SAMUDBUD_OWNER_DATABASE_URL", owner_url.clone()));
    }
    // Started at once, as a Deployment's pods are: both migrate (nothing to
    // do on a current schema) and grant the application role its privileges.
    let (a, b) = tokio::join!(
        Replica::start(&binary, "A", &env),
        Replica::start(&binary, "B", &env),
    );
    let mut both = Both {
        a,
        b,
        client: Client::new(),
    };

    sessions_started_on_one_replica_end_on_both(&both, &db).await;
    failed_logins_on_both_replicas_count_together(&both, &db).await;
    an_api_client_s_budget_is_spent_on_both_replicas(&both, &db).await;
    each_webhook_delivery_is_sent_once(&both, &db, &receiver).await;
    each_digest_is_mailed_once(&both, &db, &smtp).await;
    a_day_s_derived_dates_are_written_once(&both, &db).await;
    // Last: it kills both.
    let restarted =
        a_delivery_in_flight_when_every_server_dies_still_arrives(&mut both, &db, &binary, &env)
            .await;

    for replica in [&both.a, &both.b, &restarted] {
        let log = replica.log();
        assert!(
            !log.iter().any(|line| line.contains("ERROR")),
            "replica {} logged errors:\n{}",
            replica.name,
            log.join("\n")
        );
    }
}

struct Both {
    a: Replica,
    b: Replica,
    client: Client,
}

impl Both {
    /// The replicas in turn, `n`-th first: work spread over both.
    fn nth(&self, n: usize) -> &Replica {
        if n.is_multiple_of(2) {
            &self.a
        } else {
            &self.b
        }
    }

    fn request(
        &self,
        replica: &Replica,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> RequestBuilder {
        let builder = self.client.request(method, replica.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    async fn login_with(&self, replica: &Replica, email: &str, password: &str) -> Response {
        self.request(replica, Method::POST, "/api/v1/auth/login", None)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// (access, refresh) for `email` with the test password.
    async fn login(&self, replica: &Replica, email: &str) -> (String, String) {
        let body = expect_json(
            self.login_with(replica, email, PASSWORD).await,
            StatusCode::OK,
        )
        .await;
        (
            body["access_token"].as_str().unwrap().to_owned(),
            body["refresh_token"].as_str().unwrap().to_owned(),
        )
    }

    async fn refresh(&self, replica: &Replica, refresh_token: &str) -> Response {
        self.request(replica, Method::POST, "/api/v1/auth/refresh", None)
            .json(&json!({"refresh_token": refresh_token}))
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, replica: &Replica, path: &str, token: &str) -> Response {
        self.request(replica, Method::GET, path, Some(token))
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, replica: &Replica, path: &str, token: &str, body: Value) -> Response {
        self.request(replica, Method::POST, path, Some(token))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A supplier and a contract of `token`'s municipality, created on
    /// `replica`.
    async fn contract(&self, replica: &Replica, token: &str, fields: Value) -> Value {
        let supplier = self
            .post(
                replica,
                "/api/v1/suppliers",
                token,
                json!({"cvr": "29188955", "name": "KMD A/S"}),
            )
            .await;
        assert!(supplier.status().is_success(), "{}", supplier.status());
        let supplier: Value = supplier.json().await.unwrap();
        let mut body = json!({
            "title": "Økonomisystem",
            "supplier_id": supplier["id"],
            "start_on": "2024-01-01",
        });
        for (key, value) in fields.as_object().unwrap() {
            body[key] = value.clone();
        }
        expect_json(
            self.post(replica, "/api/v1/contracts", token, body).await,
            StatusCode::CREATED,
        )
        .await
    }
}

/// Polls `check` every 100 ms until it answers `Some`, for at most
/// `PATIENCE`; fails with `what` otherwise.
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sessions_started_on_one_replica_end_on_both(both: &Both, db: &Db) {
    let (a, b) = (&both.a, &both.b);
    let sorø = create_tenant(db, "Sorø Kommune", "340").await;
    create_user(db, sorø, "admin@soroe.dk", Role::Admin).await;
    let editor = create_user(db, sorø, "redaktoer@soroe.dk", Role::Editor).await;

    // Signed on A, accepted on B; refreshed on B, ended on A.
    let (access, refresh) = both.login(a, "admin@soroe.dk").await;
    let me = expect_json(both.get(b, "/api/v1/me", &access).await, StatusCode::OK).await;
    assert_eq!(me["email"], "admin@soroe.dk");
    let renewed = expect_json(both.refresh(b, &refresh).await, StatusCode::OK).await;
    let renewed_refresh = renewed["refresh_token"].as_str().unwrap();
    let renewed_access = renewed["access_token"].as_str().unwrap();
    expect_json(
        both.get(a, "/api/v1/me", renewed_access).await,
        StatusCode::OK,
    )
    .await;
    let logout = both
        .request(a, Method::POST, "/api/v1/auth/logout", None)
        .json(&json!({"refresh_token": renewed_refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    expect_problem(
        both.refresh(b, renewed_refresh).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // A user deactivated on A is refused on B at once.
    let (admin, _) = both.login(a, "admin@soroe.dk").await;
    let (editor_access, editor_refresh) = both.login(b, "redaktoer@soroe.dk").await;
    expect_json(
        both.get(b, "/api/v1/me", &editor_access).await,
        StatusCode::OK,
    )
    .await;
    let gone = both
        .request(
            a,
            Method::DELETE,
            &format!("/api/v1/users/{editor}"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    expect_problem(
        both.get(b, "/api/v1/me", &editor_access).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect_problem(
        both.refresh(b, &editor_refresh).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn failed_logins_on_both_replicas_count_together(both: &Both, db: &Db) {
    let ringsted = create_tenant(db, "Ringsted Kommune", "329").await;
    create_user(db, ringsted, "laeser@ringsted.dk", Role::Viewer).await;
    create_user(db, ringsted, "admin@ringsted.dk", Role::Admin).await;

    // Five wrong passwords for one account, spread over both replicas,
    // lock it on both.
    for n in 0..5 {
        let response = both
            .login_with(both.nth(n), "laeser@ringsted.dk", "gæt")
            .await;
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
    }
    for replica in [&both.a, &both.b] {
        let locked = both
            .login_with(replica, "laeser@ringsted.dk", PASSWORD)
            .await;
        expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
    }

    // Thirty failures from one address, spread the same way, lock the
    // address on both; another address is not affected.
    let from = |replica: &Replica, address: &str, email: String| {
        both.request(replica, Method::POST, "/api/v1/auth/login", None)
            .header("x-forwarded-for", address)
            .json(&json!({"email": email, "password": "gæt"}))
            .send()
    };
    for n in 0..30 {
        let response = from(both.nth(n), "203.0.113.7", format!("person{n}@example.dk"))
            .await
            .unwrap();
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
    }
    for replica in [&both.a, &both.b] {
        let refused = from(replica, "203.0.113.7", "admin@ringsted.dk".into())
            .await
            .unwrap();
        expect_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let bystander = from(&both.b, "198.51.100.1", "nogen@example.dk".into())
        .await
        .unwrap();
    expect_problem(bystander, StatusCode::UNAUTHORIZED).await;
}

async fn an_api_client_s_budget_is_spent_on_both_replicas(both: &Both, db: &Db) {
    let (a, b) = (&both.a, &both.b);
    let roskilde = create_tenant(db, "Roskilde Kommune", "265").await;
    create_user(db, roskilde, "admin@roskilde.dk", Role::Admin).await;
    let (admin, _) = both.login(a, "admin@roskilde.dk").await;
    let created = expect_json(
        both.post(
            a,
            "/api/v1/api-clients",
            &admin,
            json!({"name": "ERP", "scopes": ["contracts:read"], "rate_limit_per_minute": 3}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let client_id = created["client"]["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let token_body = expect_json(
        both.request(b, Method::POST, "/api/v1/auth/token", None)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
            ])
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let token = token_body["access_token"].as_str().unwrap();

    for _ in 0..3 {
        let response = both.get(a, "/api/v1/contracts", token).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = both.get(b, "/api/v1/contracts", token).await;
    assert!(refused.headers().contains_key("retry-after"));
    expect_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;

    // Revoked on B, refused on A.
    let revoked = both
        .request(
            b,
            Method::DELETE,
            &format!(
                "/api/v1/api-clients/{}",
                created["client"]["id"].as_str().unwrap()
            ),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    expect_problem(
        both.get(a, "/api/v1/contracts", token).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn each_webhook_delivery_is_sent_once(both: &Both, db: &Db, receiver: &Receiver) {
    let (a, b) = (&both.a, &both.b);
    let køge = create_tenant(db, "Køge Kommune", "259").await;
    create_user(db, køge, "admin@koege.dk", Role::Admin).await;
    let stevns = create_tenant(db, "Stevns Kommune", "336").await;
    create_user(db, stevns, "admin@stevns.dk", Role::Admin).await;
    let (admin, _) = both.login(a, "admin@koege.dk").await;
    let registered = expect_json(
        both.post(
            a,
            "/api/v1/webhooks/endpoints",
            &admin,
            json!({"url": receiver.url, "description": "ERP", "event_types": ["contract.created"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let endpoint = registered["endpoint"]["id"].as_str().unwrap();
    // Another municipality does not find it on either replica.
    let (stranger, _) = both.login(b, "admin@stevns.dk").await;
    for replica in [a, b] {
        let path = format!("/api/v1/webhooks/endpoints/{endpoint}");
        expect_problem(
            both.get(replica, &path, &stranger).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }

    const CONTRACTS: usize = 12;
    let mut created = Vec::new();
    for n in 0..CONTRACTS {
        let contract = both
            .contract(
                both.nth(n),
                &admin,
                json!({"title": format!("Kontrakt {n}")}),
            )
            .await;
        created.push(contract["id"].as_str().unwrap().to_owned());
    }
    // Every delivery done, each after one claim, by one of the dispatchers.
    let endpoint_id: Uuid = endpoint.parse().unwrap();
    let deliveries = eventually("every webhook delivered", || async {
        let txn = db.read(Scope::System).await.unwrap();
        let rows = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        (rows.len() == CONTRACTS
            && rows
                .iter()
                .all(|d| d.status == samudbud_domain::webhooks::DELIVERED))
        .then_some(rows)
    })
    .await;
    for delivery in &deliveries {
        assert_eq!(delivery.attempts, 1, "claimed more than once: {delivery:?}");
    }
    let received = receiver.wait_for(CONTRACTS, Duration::from_secs(5)).await;
    assert_eq!(received.len(), CONTRACTS, "each delivery sent once");
    let mut ids: Vec<&str> = received.iter().map(|r| r.header("webhook-id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CONTRACTS, "no delivery sent twice");
    let mut objects: Vec<String> = received
        .iter()
        .map(|r| {
            r.json()["data"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    objects.sort_unstable();
    created.sort_unstable();
    assert_eq!(objects, created);
}

async fn each_digest_is_mailed_once(both: &Both, db: &Db, smtp: &SmtpServer) {
    let næstved = create_tenant(db, "Næstved Kommune", "370").await;
    create_user(db, næstved, "admin@naestved.dk", Role::Admin).await;
    // A notice deadline about two weeks ahead: in every daily digest, and
    // there before anyone's digest is due (after six in the morning the
    // schedulers make today's due as soon as the setting says daily).
    let (admin, _) = both.login(&both.b, "admin@naestved.dk").await;
    let today = local_date(Utc::now());
    let end_on = today
        .checked_add_months(Months::new(3))
        .and_then(|d| d.checked_add_days(Days::new(14)))
        .unwrap();
    both.contract(
        &both.a,
        &admin,
        json!({
            "end_on": end_on.to_string(),
            "notice_period_months": 3,
        }),
    )
    .await;

    let mut editors = Vec::new();
    for n in 0..EDITORS {
        let email = format!("redaktoer{n}@naestved.dk");
        let id = create_user(db, næstved, &email, Role::Editor).await;
        editors.push((id, email));
    }
    // All daily at once, so that the schedulers find many due together.
    for (id, email) in &editors {
        let principal = Principal::User {
            user_id: *id,
            tenant_id: næstved,
            role: Role::Editor,
            email: email.clone(),
        };
        reminders::update_settings(
            db,
            &principal,
            ReminderChoice {
                frequency: Some(Frequency::Daily),
                horizon_days: 30,
                contracts: None,
                calendar_contracts: None,
            },
        )
        .await
        .unwrap();
    }
    // Today's digests, pending for both schedulers to take, whatever the
    // hour. (The schedulers may have made them already; the period key
    // keeps them one row per user.)
    let now = Utc::now();
    let period = period_key(Frequency::Daily, today).unwrap();
    let txn = db.write(Scope::System).await.unwrap();
    for (id, _) in &editors {
        reminders::scheduler::enqueue(&txn, næstved.0, *id, period.clone(), now)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();

    let ids: Vec<Uuid> = editors.iter().map(|(id, _)| *id).collect();
    // (On Mondays the editors' weekly digests, due when they were created,
    // come along.)
    let deliveries = eventually("every digest sent", || async {
        let txn = db.read(Scope::System).await.unwrap();
        let rows = digest_delivery::Entity::find()
            .filter(digest_delivery::Column::UserId.is_in(ids.clone()))
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        rows.iter()
            .all(|d| d.status == reminders::scheduler::SENT)
            .then_some(rows)
    })
    .await;
    let today_s: Vec<_> = deliveries.iter().filter(|d| d.period == period).collect();
    assert_eq!(today_s.len(), EDITORS, "one digest per user and day");
    for delivery in &deliveries {
        assert_eq!(delivery.attempts, 1, "claimed more than once: {delivery:?}");
    }
    for (id, email) in &editors {
        let sent = deliveries.iter().filter(|d| d.user_id == *id).count();
        assert_eq!(smtp.count_for(email), sent, "{email} got each digest once");
    }
}

async fn a_day_s_derived_dates_are_written_once(both: &Both, db: &Db) {
    let (a, b) = (&both.a, &both.b);
    let slagelse = create_tenant(db, "Slagelse Kommune", "330").await;
    create_user(db, slagelse, "admin@slagelse.dk", Role::Admin).await;
    let (admin, _) = both.login(a, "admin@slagelse.dk").await;
    // Starts today: yesterday it was not started, today it is active.
    let today = local_date(Utc::now());
    let contract = both
        .contract(a, &admin, json!({"start_on": today.to_string()}))
        .await;
    assert_eq!(contract["status"], "active");
    let id = contract["id"].as_str().unwrap();
    // As the register stood when it was last derived, yesterday. Neither
    // replica has read this register yet.
    let txn = db.write(Scope::System).await.unwrap();
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        "UPDATE contracts SET derived_on = derived_on - 1 WHERE tenant_id = $1",
        [slagelse.0.into()],
    ))
    .await
    .unwrap();
    txn.commit().await.unwrap();

    // The day's first reads on both replicas at once both re-derive it.
    let (from_a, from_b) = tokio::join!(
        both.get(a, "/api/v1/contracts", &admin),
        both.get(b, "/api/v1/contracts", &admin),
    );
    for listed in [from_a, from_b] {
        let listed = expect_json(listed, StatusCode::OK).await;
        assert_eq!(listed["items"][0]["status"], "active", "{listed}");
    }
    let read = both
        .get(b, &format!("/api/v1/contracts/{id}"), &admin)
        .await;
    assert_eq!(
        read.headers()["etag"].to_str().unwrap(),
        "\"2\"",
        "one new version for the day, not one per replica"
    );
    // The daily job, run by either replica later that day, finds nothing.
    let report = samudbud_domain::contracts::refresh::run_job(db, "test", Utc::now())
        .await
        .unwrap();
    assert!(report.leased);
    assert_eq!(report.changed, 0, "{report:?}");
}

/// At least once, through a crash: a delivery is in flight (its receiver has
/// it but has not answered) when every server is killed; a server started
/// afterwards sends it again, with the same `webhook-id`, once the dead
/// claimant's lease has run out, and the log shows it delivered.
async fn a_delivery_in_flight_when_every_server_dies_still_arrives(
    both: &mut Both,
    db: &Db,
    binary: &std::path::Path,
    env: &[(&str, String)],
) -> Replica {
    let receiver = Receiver::start().await;
    receiver.hold_answers(Duration::from_secs(60));
    let faxe = create_tenant(db, "Faxe Kommune", "320").await;
    create_user(db, faxe, "admin@faxe.dk", Role::Admin).await;
    let (admin, _) = both.login(&both.a, "admin@faxe.dk").await;
    let registered = expect_json(
        both.post(
            &both.a,
            "/api/v1/webhooks/endpoints",
            &admin,
            json!({"url": receiver.url, "event_types": ["contract.created"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let endpoint: Uuid = registered["endpoint"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    both.contract(&both.a, &admin, json!({"title": "Kontrakt under levering"}))
        .await;
    let first = receiver.wait_for(1, PATIENCE).await;
    assert_eq!(first.len(), 1, "the delivery is in flight");
    let id = first[0].header("webhook-id").to_owned();

    both.a.kill();
    both.b.kill();
    receiver.hold_answers(Duration::ZERO);
    let restarted = Replica::start(binary, "C", env).await;
    let again = eventually("the delivery sent again after the crash", || async {
        let received = receiver.received();
        (received.len() >= 2).then_some(received)
    })
    .await;
    assert_eq!(again[1].header("webhook-id"), id, "the same event, again");
    assert_eq!(again[1].body, first[0].body);
    let delivered = eventually("the delivery recorded as delivered", || async {
        let txn = db.read(Scope::System).await.unwrap();
        let row = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint))
            .one(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        row.filter(|d| d.status == samudbud_domain::webhooks::DELIVERED)
    })
    .await;
    assert_eq!(delivered.attempts, 2, "{delivered:?}");
    restarted
}
