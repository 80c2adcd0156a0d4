//! The database connection pool: what it lends a request is alive.

use std::time::Duration;

use samudbud_api_tests::{create_tenant, fresh_postgres};
use samudbud_domain::db::{Db, PING_WHEN_IDLE_FOR, Scope};
use samudbud_server::app::connect_and_migrate_roles;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

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
