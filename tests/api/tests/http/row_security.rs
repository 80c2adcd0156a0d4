//! PostgreSQL's row-level security, the backstop behind the application's
//! own tenant predicate: a query that forgets the predicate sees nothing of
//! other tenants, and cannot write into them.

use samudbud_api_tests::{Backend, TestApp, on_both_databases};
use samudbud_domain::Role;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};

on_both_databases!(queries_without_the_tenant_predicate_see_only_their_tenant);

async fn count_users<C: ConnectionTrait>(conn: &C) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM users",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn queries_without_the_tenant_predicate_see_only_their_tenant(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no row-level security; the scoped helpers are all there is.
    }
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "a@soroe.dk", Role::Admin).await;
    app.create_user(sorø, "b@soroe.dk", Role::Viewer).await;
    app.create_user(ringsted, "a@ringsted.dk", Role::Admin)
        .await;

    // A raw connection as the application's role, as a buggy query would run.
    let conn = Database::connect(app.database_url.as_str()).await.unwrap();

    let unscoped = conn.begin().await.unwrap();
    assert_eq!(count_users(&unscoped).await, 0, "no tenant set: no rows");
    unscoped.rollback().await.unwrap();

    let scoped = conn.begin().await.unwrap();
    scoped
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('app.tenant_id', $1, true)",
            [sorø.to_string().into()],
        ))
        .await
        .unwrap();
    assert_eq!(count_users(&scoped).await, 2, "only Sorø's users");

    let write_elsewhere = scoped
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE users SET name = 'overtaget' WHERE tenant_id = $1",
            [ringsted.0.into()],
        ))
        .await
        .unwrap();
    assert_eq!(
        write_elsewhere.rows_affected(),
        0,
        "Ringsted's rows are invisible to updates"
    );

    let insert_elsewhere = scoped
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash, active, version, created_at, updated_at) \
             VALUES (gen_random_uuid(), $1, 'x@ringsted.dk', 'X', 'admin', 'x', true, 1, now(), now())",
            [ringsted.0.into()],
        ))
        .await;
    assert!(
        insert_elsewhere.is_err(),
        "rows for another tenant are refused"
    );
    scoped.rollback().await.unwrap();

    // The setting lives only as long as its transaction.
    let after = conn.begin().await.unwrap();
    assert_eq!(count_users(&after).await, 0);
    after.rollback().await.unwrap();
}
