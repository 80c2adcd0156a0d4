//! The database connection pool: what it lends a request is alive.

use std::time::Duration;

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    Backend, TestApp, create_tenant, expect_json, expect_problem, fresh_postgres, on_both_databases,
};
use samudbud_domain::Role;
use samudbud_domain::db::{Db, PING_WHEN_IDLE_FOR, Scope};
use samudbud_domain::principal::TenantId;
use samudbud_server::app::connect_and_migrate_roles;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;

use crate::observability::{scrape, series};

/// Reads the municipality's contracts in a transaction of its own, as a
/// request does.
async fn read(db: &Db, tenant: TenantId) -> Result<(), String> {
    let txn = db
        .read(Scope::Tenant(tenant))
        .await
        .map_err(|e| e.to_string())?;
    txn.query_one_raw(Statement::from_string(
        DbBackend::Postgres,
        "SELECT COUNT(*) FROM contracts",
    ))
    .await
    .map_err(|e| e.to_string())?;
    txn.commit().await.map_err(|e| e.to_string())
}

/// The pool pings a connection only once it has been idle for a while (a
/// busy one was pinged as it came back): one the server closed while it sat
/// idle is replaced, not lent to a request that would fail on it.
#[tokio::test]
async fn a_connection_closed_while_idle_is_replaced_before_a_request_uses_it() {
    let Some(database) = fresh_postgres().await else {
        return;
    };
    let db = connect_and_migrate_roles(&database.url, database.owner_url.as_deref())
        .await
        .unwrap();
    let tenant = create_tenant(&db, "Sorø Kommune", "340").await;
    // Several connections in the pool, each idle after its read.
    let reads = futures::future::join_all((0..4).map(|_| read(&db, tenant))).await;
    assert!(reads.iter().all(Result::is_ok), "{reads:?}");

    // The server closes them: the application's role may end its own
    // sessions.
    let other = Database::connect(database.url.as_str()).await.unwrap();
    let closed = other
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) AS closed \
             FROM pg_stat_activity WHERE datname = current_database() \
             AND usename = current_user AND pid <> pg_backend_pid()",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "closed")
        .unwrap();
    assert!(closed >= 1, "the pool's connections were closed: {closed}");
    other.close().await.unwrap();

    tokio::time::sleep(PING_WHEN_IDLE_FOR + Duration::from_secs(1)).await;
    for n in 0..8 {
        read(&db, tenant)
            .await
            .unwrap_or_else(|e| panic!("read {n} after the connections closed: {e}"));
    }
}

/// Sorø and Næstved, an editor's token in each, and a supplier.
struct Two {
    sorø: TenantId,
    /// Sorø's editor.
    editor: uuid::Uuid,
    /// Sorø's editor's token.
    own: String,
    /// Næstved's editor's token.
    other: String,
    supplier: serde_json::Value,
}

async fn two_municipalities(app: &TestApp) -> Two {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let næstved = app.create_tenant("Næstved Kommune", "370").await;
    let editor = app.create_user(sorø, "indkob@soroe.dk", Role::Editor).await;
    app.create_user(næstved, "indkob@naestved.dk", Role::Editor)
        .await;
    let own = app.token("indkob@soroe.dk").await;
    let other = app.token("indkob@naestved.dk").await;
    let supplier = app
        .request(Method::POST, "/api/v1/suppliers", Some(&own))
        .json(&json!({"cvr": "29403473", "name": "Eksempel Software A/S"}))
        .send()
        .await
        .unwrap();
    let supplier = expect_json(supplier, StatusCode::OK).await["id"].clone();
    Two {
        sorø,
        editor,
        own,
        other,
        supplier,
    }
}

/// Creates a contract of `fields` as `token`'s user; its path.
async fn create_contract(app: &TestApp, token: &str, fields: serde_json::Value) -> String {
    let created = app
        .request(Method::POST, "/api/v1/contracts", Some(token))
        .json(&fields)
        .send()
        .await
        .unwrap();
    let id = expect_json(created, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    format!("/api/v1/contracts/{id}")
}

/// A `GET` holds one connection from its account's read to the reads that
/// follow at once (`db::one_connection_for_reads`), and gives it back
/// before it takes another: with a pool of one connection, contracts by id
/// (own, another municipality's, one not there), lists and the overview,
/// twenty at once, each get their answer, none waiting out the pool's
/// ten-second timeout for the connection it holds itself; and an edit
/// afterwards finds the connection back in the pool.
async fn reads_with_one_connection(backend: Backend) {
    samudbud_domain::db::configure_pool_size(Some(1));
    let Some(app) = TestApp::start(backend).await else {
        return eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
    };
    let Two {
        own,
        other,
        supplier,
        ..
    } = two_municipalities(&app).await;
    let fields =
        |title: &str| json!({"title": title, "supplier_id": supplier, "start_on": "2022-01-01"});
    let by_id = create_contract(&app, &own, fields("Drift af ESDH")).await;
    let missing = format!("/api/v1/contracts/{}", uuid::Uuid::new_v4());
    let asks: Vec<(&str, &str, StatusCode)> = (0..4)
        .flat_map(|_| {
            [
                (by_id.as_str(), own.as_str(), StatusCode::OK),
                (by_id.as_str(), other.as_str(), StatusCode::NOT_FOUND),
                (missing.as_str(), own.as_str(), StatusCode::NOT_FOUND),
                ("/api/v1/contracts", own.as_str(), StatusCode::OK),
                ("/api/v1/overview", own.as_str(), StatusCode::OK),
            ]
        })
        .collect();
    let answers = tokio::time::timeout(
        Duration::from_secs(8),
        join_all(
            asks.iter()
                .map(|(path, token, _)| app.request(Method::GET, path, Some(token)).send()),
        ),
    )
    .await
    .expect("no read waits for the connection it holds");
    for ((path, _, status), answer) in asks.iter().zip(answers) {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), *status, "{path}");
    }
    let (contract, tag) = tokio::time::timeout(Duration::from_secs(8), async {
        let read = app
            .request(Method::GET, &by_id, Some(&own))
            .send()
            .await
            .unwrap();
        let tag = read.headers()["etag"].to_str().unwrap().to_owned();
        let body = expect_json(read, StatusCode::OK).await;
        (body, tag)
    })
    .await
    .expect("the held connection went back");
    assert_eq!(contract["title"], "Drift af ESDH");
    let foreign = app
        .request(Method::GET, &by_id, Some(&other))
        .send()
        .await
        .unwrap();
    expect_problem(foreign, StatusCode::NOT_FOUND).await;
    let edited = tokio::time::timeout(
        Duration::from_secs(8),
        app.request(Method::PUT, &by_id, Some(&own))
            .header("if-match", tag)
            .json(&fields("Drift og support af ESDH"))
            .send(),
    )
    .await
    .expect("the held connection went back")
    .unwrap();
    let edited = expect_json(edited, StatusCode::OK).await;
    assert_eq!(edited["title"], "Drift og support af ESDH");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_on_sqlite_with_one_connection_each_get_an_answer() {
    reads_with_one_connection(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_on_postgres_with_one_connection_each_get_an_answer() {
    reads_with_one_connection(Backend::Postgres).await;
}

on_both_databases!(a_contract_by_id_is_read_in_the_statement_that_reads_the_account);

/// On PostgreSQL a contract by id is read in the statement that reads the
/// request's account (`contracts::ContractAhead`): one read on the
/// application's pool where SQLite, whose statements cost no round trip,
/// takes two. What was read ahead is given only as a read of its own would
/// be: not to another municipality, not to a deactivated user, not to an
/// API client without the scope.
async fn a_contract_by_id_is_read_in_the_statement_that_reads_the_account(app: TestApp) {
    let Two {
        sorø,
        editor,
        own,
        other,
        supplier,
    } = two_municipalities(&app).await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    let mut paths = Vec::new();
    for title in [
        "Drift af ESDH",
        "Support af økonomisystem",
        "Licenser til BI",
    ] {
        let fields = json!({
            "title": title,
            "supplier_id": supplier,
            "start_on": "2022-01-01",
            "end_on": "2027-12-31",
            "notice_period_months": 3,
            "annual_value": "125000.50",
        });
        paths.push(create_contract(&app, &own, fields).await);
    }
    let get = |path: &str, token: &str| app.request(Method::GET, path, Some(token)).send();
    // The first read of the day derives the register's dates first.
    expect_json(get(&paths[0], &own).await.unwrap(), StatusCode::OK).await;

    let reads = |text: &str| {
        series(
            text,
            "samudbud_db_connection_wait_seconds_count",
            &[("pool", "application"), ("mode", "read")],
        )
        .unwrap_or(0.0)
    };
    let before = reads(&scrape(&app).await);
    let read = get(&paths[1], &own).await.unwrap();
    let read = expect_json(read, StatusCode::OK).await;
    let after = reads(&scrape(&app).await);
    let expected = match app.backend {
        Backend::Postgres => 1.0,
        Backend::Sqlite => 2.0,
    };
    assert_eq!(after - before, expected, "reads for one contract by id");
    assert_eq!(read["title"], "Support af økonomisystem");
    assert_eq!(read["annual_value"], "125000.50");
    assert_eq!(read["supplier"]["name"], "Eksempel Software A/S");
    assert_eq!(read["owner"]["name"], "Sorø Kommune");
    assert_eq!(read["status"], "active");
    assert!(read["notice_deadline"].is_string(), "{read}");

    // Another municipality reads nothing of it.
    for path in &paths {
        expect_problem(get(path, &other).await.unwrap(), StatusCode::NOT_FOUND).await;
    }
    // An API client may read it with the scope for it, and not without.
    let (_, reader, reader_secret) = app
        .create_api_client(&admin, "ERP", &["contracts:read"])
        .await;
    let reader = app.client_token(&reader, &reader_secret).await;
    let read = expect_json(get(&paths[2], &reader).await.unwrap(), StatusCode::OK).await;
    assert_eq!(read["title"], "Licenser til BI");
    let (_, planner, planner_secret) = app
        .create_api_client(&admin, "Udbudsplan", &["plans:read"])
        .await;
    let planner = app.client_token(&planner, &planner_secret).await;
    expect_problem(
        get(&paths[2], &planner).await.unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    // A deactivated user's token reads nothing, not even a contract read
    // with the account.
    let deactivated = app
        .request(
            Method::DELETE,
            &format!("/api/v1/users/{editor}"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deactivated.status(), StatusCode::NO_CONTENT);
    let refused = get(&paths[0], &own).await.unwrap();
    let refused = expect_problem(refused, StatusCode::UNAUTHORIZED).await;
    assert!(!refused.to_string().contains("ESDH"), "{refused}");
}

/// A token is refused (401, which sends the web app's user to log in
/// again) only when its account is not there; a database that fails to
/// read the account answers as the failure it is.
#[tokio::test]
async fn a_failed_read_of_the_account_is_not_a_refused_token() {
    let Some(app) = TestApp::start(Backend::Postgres).await else {
        return eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
    };
    let Two { own, .. } = two_municipalities(&app).await;
    let contracts = || {
        app.request(Method::GET, "/api/v1/contracts", Some(&own))
            .send()
    };
    expect_json(contracts().await.unwrap(), StatusCode::OK).await;
    let owner = Database::connect(app.owner_database_url.as_deref().unwrap())
        .await
        .unwrap();
    let rename = |from: &str, to: &str| {
        Statement::from_string(
            DbBackend::Postgres,
            format!("ALTER FUNCTION {from}(uuid, uuid) RENAME TO {to}"),
        )
    };
    owner
        .execute_raw(rename("samudbud_read_users", "samudbud_read_users_away"))
        .await
        .unwrap();
    let failed = contracts().await.unwrap();
    expect_problem(failed, StatusCode::INTERNAL_SERVER_ERROR).await;
    owner
        .execute_raw(rename("samudbud_read_users_away", "samudbud_read_users"))
        .await
        .unwrap();
    expect_json(contracts().await.unwrap(), StatusCode::OK).await;
}
