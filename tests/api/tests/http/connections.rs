//! The database connection pool: what it lends a request is alive.

use std::time::Duration;

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    Backend, TestApp, create_tenant, expect_json, expect_problem, fresh_postgres,
};
use samudbud_domain::Role;
use samudbud_domain::db::{Db, PING_WHEN_IDLE_FOR, Scope};
use samudbud_server::app::connect_and_migrate_roles;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;

/// Reads the municipality's contracts in a transaction of its own, as a
/// request does.
async fn read(db: &Db, tenant: samudbud_domain::principal::TenantId) -> Result<(), String> {
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
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let næstved = app.create_tenant("Næstved Kommune", "370").await;
    app.create_user(sorø, "indkob@soroe.dk", Role::Editor).await;
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
    let fields =
        |title: &str| json!({"title": title, "supplier_id": supplier, "start_on": "2022-01-01"});
    let created = app
        .request(Method::POST, "/api/v1/contracts", Some(&own))
        .json(&fields("Drift af ESDH"))
        .send()
        .await
        .unwrap();
    let id = expect_json(created, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_id = format!("/api/v1/contracts/{id}");
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
