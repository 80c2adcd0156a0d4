//! PostgreSQL's row-level security, the backstop behind the application's
//! own tenant predicate: a query that forgets the predicate sees nothing of
//! other tenants, and cannot write into them; the application's role can
//! neither change a row shared with it nor switch the backstop off. And the
//! data linked to a shared contract reads the same on both databases.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{Backend, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::{Role, TenantId};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};
use serde_json::{Value, json};

on_both_databases!(
    queries_without_the_tenant_predicate_see_only_their_tenant,
    the_application_role_cannot_change_shared_rows_or_lift_the_backstop,
    members_see_the_linked_systems_of_a_shared_contract,
    plan_rows_follow_their_owner_and_participants_write_only_their_own_part,
    templates_are_written_by_their_owners_and_coordinators_only,
    calendar_feeds_are_each_municipality_s_own,
    reminder_rows_belong_to_their_municipality,
    saved_views_are_their_municipality_s_own,
    contract_imports_are_their_municipality_s_own,
    attachments_are_read_by_partners_only_when_shared_with_them,
    decisions_are_read_by_partners_and_written_by_their_owner_only,
    change_log_entries_are_read_by_their_municipality_only_and_never_changed,
    webhook_rows_are_their_municipality_s_own,
    policies_test_the_municipality_first_and_read_it_once,
    temporary_tables_do_not_stand_in_for_the_policies_tables,
    the_one_statement_contract_read_reads_the_municipality_s_own_only,
);

async fn count<C: ConnectionTrait>(conn: &C, sql: &str) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn count_users<C: ConnectionTrait>(conn: &C) -> i64 {
    count(conn, "SELECT count(*) AS n FROM users").await
}

/// A transaction on `conn` in `tenant`'s scope, as the application opens one.
async fn as_tenant(conn: &DatabaseConnection, tenant: TenantId) -> DatabaseTransaction {
    let txn = conn.begin().await.unwrap();
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config('app.tenant_id', $1, true)",
        [tenant.to_string().into()],
    ))
    .await
    .unwrap();
    txn
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

    let scoped = as_tenant(&conn, sorø).await;
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

/// Sorø shares a contract covering one of its IT systems with a
/// collaboration of Sorø and Ringsted; Næstved stands outside.
struct Shared {
    app: TestApp,
    sorø: TenantId,
    ringsted: TenantId,
    næstved: TenantId,
    collaboration_id: String,
    sorø_token: String,
    contract_id: String,
    ringsted_token: String,
    næstved_token: String,
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = app.request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn shared_contract(app: TestApp) -> Shared {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let næstved = app.create_tenant("Næstved Kommune", "370").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    app.create_user(næstved, "admin@naestved.dk", Role::Admin)
        .await;
    let sorø_token = app.token("admin@soroe.dk").await;
    let ringsted_token = app.token("admin@ringsted.dk").await;
    let næstved_token = app.token("admin@naestved.dk").await;

    let collaboration = call(
        &app,
        &sorø_token,
        Method::POST,
        "/collaborations",
        Some(json!({"name": "Midtsjælland"})),
    )
    .await;
    let cid = collaboration["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &sorø_token,
        Method::POST,
        &format!("/collaborations/{cid}/invitations"),
        Some(json!({"municipality_code": "329"})),
    )
    .await;
    call(
        &app,
        &ringsted_token,
        Method::POST,
        &format!("/collaborations/{cid}/accept"),
        None,
    )
    .await;
    let supplier = call(
        &app,
        &sorø_token,
        Method::POST,
        "/suppliers",
        Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
    )
    .await;
    let system = call(
        &app,
        &sorø_token,
        Method::POST,
        "/systems",
        Some(json!({"name": "Opus Økonomi", "category": "Økonomi"})),
    )
    .await;
    let contract = call(
        &app,
        &sorø_token,
        Method::POST,
        "/contracts",
        Some(json!({
            "title": "Fælles økonomisystem",
            "supplier_id": supplier["id"],
            "start_on": "2024-01-01",
            "system_ids": [system["id"]],
        })),
    )
    .await;
    let contract_id = contract["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &sorø_token,
        Method::POST,
        &format!("/contracts/{contract_id}/shares"),
        Some(json!({"collaboration_id": cid})),
    )
    .await;
    Shared {
        app,
        sorø,
        ringsted,
        næstved,
        collaboration_id: cid,
        sorø_token,
        contract_id,
        ringsted_token,
        næstved_token,
    }
}

async fn the_application_role_cannot_change_shared_rows_or_lift_the_backstop(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no roles and no row-level security.
    }
    if app.owner_database_url.is_none() {
        // One role for everything owns the tables and can lift the backstop;
        // the server warns about it at start-up. CI runs with two roles.
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_APP_URL is not set");
        return;
    }
    let s = shared_contract(app).await;
    let id: uuid::Uuid = s.contract_id.parse().unwrap();
    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let is_app_role = count(
        &conn,
        "SELECT count(*) AS n FROM pg_class c WHERE c.relname = 'contracts' \
           AND NOT pg_has_role(current_user, c.relowner, 'MEMBER')",
    )
    .await;
    assert_eq!(is_app_role, 1, "the server's role does not own the tables");

    // Ringsted reads the shared contract and its system link…
    let txn = as_tenant(&conn, s.ringsted).await;
    let readable = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM contracts WHERE id = $1",
            [id.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(readable, 1, "a shared contract is readable");
    assert_eq!(
        count(&txn, "SELECT count(*) AS n FROM contract_systems").await,
        1
    );
    assert_eq!(count(&txn, "SELECT count(*) AS n FROM it_systems").await, 1);
    assert_eq!(count(&txn, "SELECT count(*) AS n FROM shares").await, 1);

    // …and can change none of it.
    let refused_writes = [
        (
            "UPDATE contracts SET title = 'Overtaget' WHERE id = $1",
            "update the title",
        ),
        (
            "UPDATE contracts SET title = 'Overtaget', tenant_id = $2 WHERE id = $1",
            "move the contract to Ringsted",
        ),
        ("DELETE FROM contracts WHERE id = $1", "delete the contract"),
        (
            "DELETE FROM shares WHERE object_id = $1",
            "delete Sorø's share",
        ),
        (
            "UPDATE shares SET tenant_id = $2 WHERE object_id = $1",
            "take over Sorø's share",
        ),
        (
            "DELETE FROM contract_systems WHERE contract_id = $1",
            "unlink Sorø's system",
        ),
        (
            "UPDATE it_systems SET name = 'Overtaget', tenant_id = $2 WHERE id IN \
             (SELECT it_system_id FROM contract_systems WHERE contract_id = $1)",
            "take over Sorø's system",
        ),
    ];
    for (sql, what) in refused_writes {
        let done = txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                if sql.contains("$2") {
                    vec![id.into(), s.ringsted.0.into()]
                } else {
                    vec![id.into()]
                },
            ))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(done.rows_affected(), 0, "Ringsted may not {what}");
    }
    // Rows of its own cannot be moved to another municipality either, nor
    // can a share of Sorø's contract be forged in Sorø's name.
    let forged_share = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO shares (id, tenant_id, object_kind, object_id, collaboration_id, created_at) \
             SELECT gen_random_uuid(), $2, 'contract', $1, collaboration_id, now() \
             FROM shares WHERE object_id = $1",
            [id.into(), s.sorø.0.into()],
        ))
        .await;
    assert!(forged_share.is_err(), "a share in Sorø's name is refused");
    txn.rollback().await.unwrap();

    let txn = as_tenant(&conn, s.ringsted).await;
    let moved = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE users SET tenant_id = $1",
            [s.sorø.0.into()],
        ))
        .await;
    assert!(moved.is_err(), "Ringsted's users cannot be moved to Sorø");
    txn.rollback().await.unwrap();

    // The backstop cannot be lifted by the application's role.
    for (sql, what) in [
        (
            "ALTER TABLE contracts NO FORCE ROW LEVEL SECURITY",
            "unforce row-level security",
        ),
        (
            "ALTER TABLE contracts DISABLE ROW LEVEL SECURITY",
            "disable row-level security",
        ),
        ("DROP POLICY tenant_select ON contracts", "drop a policy"),
        (
            "CREATE POLICY everything ON contracts USING (true)",
            "add a policy",
        ),
        (
            "CREATE OR REPLACE FUNCTION samudbud_system_scope() RETURNS boolean \
             LANGUAGE sql AS 'SELECT true'",
            "replace the system scope's test",
        ),
        ("TRUNCATE contracts CASCADE", "truncate a table"),
    ] {
        let txn = as_tenant(&conn, s.ringsted).await;
        let result = txn.execute_unprepared(sql).await;
        assert!(result.is_err(), "the application's role may not {what}");
        txn.rollback().await.unwrap();
    }

    // Switching the system scope on gains it nothing.
    let txn = conn.begin().await.unwrap();
    txn.execute_unprepared("SELECT set_config('app.system', 'on', true)")
        .await
        .unwrap();
    for table in ["users", "contracts", "shares", "it_systems", "audit_events"] {
        assert_eq!(
            count(&txn, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "app.system = on shows no {table}"
        );
    }
    txn.rollback().await.unwrap();
    let txn = as_tenant(&conn, s.ringsted).await;
    txn.execute_unprepared("SELECT set_config('app.system', 'on', true)")
        .await
        .unwrap();
    assert_eq!(
        count(&txn, "SELECT count(*) AS n FROM users").await,
        1,
        "with app.system = on, Ringsted still sees only its own users"
    );
    txn.rollback().await.unwrap();

    // Sorø's contract is as it was, and still shared.
    let read = s
        .app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/{}", s.contract_id),
            Some(&s.ringsted_token),
        )
        .send()
        .await
        .unwrap();
    let contract = expect_json(read, StatusCode::OK).await;
    assert_eq!(contract["title"], "Fælles økonomisystem");
    assert_eq!(contract["owner"]["name"], "Sorø Kommune");
}

async fn members_see_the_linked_systems_of_a_shared_contract(app: TestApp) {
    let s = shared_contract(app).await;
    let path = format!("/api/v1/contracts/{}", s.contract_id);
    let read = s
        .app
        .request(Method::GET, &path, Some(&s.ringsted_token))
        .send()
        .await
        .unwrap();
    let contract = expect_json(read, StatusCode::OK).await;
    assert_eq!(contract["shared"], true);
    let names: Vec<&str> = contract["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Opus Økonomi"], "the owner's system, by name");

    let list = s
        .app
        .request(
            Method::GET,
            "/api/v1/contracts?scope=shared",
            Some(&s.ringsted_token),
        )
        .send()
        .await
        .unwrap();
    let list = expect_json(list, StatusCode::OK).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["systems"][0]["name"], "Opus Økonomi");

    // The system itself stays Sorø's: not in Ringsted's own register.
    let systems = s
        .app
        .request(Method::GET, "/api/v1/systems", Some(&s.ringsted_token))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_json(systems, StatusCode::OK).await["total"], 0);

    // Næstved, no member, sees neither the contract nor its systems.
    let outsider = s
        .app
        .request(Method::GET, &path, Some(&s.næstved_token))
        .send()
        .await
        .unwrap();
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
}

/// Runs `sql` (with `$1` = `id`) in `tenant`'s scope as the application's
/// role and returns the rows it touched, or `None` when refused.
async fn touched(
    conn: &DatabaseConnection,
    tenant: TenantId,
    sql: &str,
    id: uuid::Uuid,
) -> Option<u64> {
    let txn = as_tenant(conn, tenant).await;
    let result = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [id.into()],
        ))
        .await;
    txn.rollback().await.unwrap();
    result.ok().map(|r| r.rows_affected())
}

async fn templates_are_written_by_their_owners_and_coordinators_only(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no row-level security.
    }
    if app.owner_database_url.is_none() {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_APP_URL is not set");
        return;
    }
    let (tenants, admins) = app.three_municipalities().await;
    let (sorø, ringsted, næstved) = (tenants[0], tenants[1], tenants[2]);
    let collaboration = call(
        &app,
        &admins[0],
        Method::POST,
        "/collaborations",
        Some(json!({"name": "Midtsjælland"})),
    )
    .await;
    let cid = collaboration["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &admins[0],
        Method::POST,
        &format!("/collaborations/{cid}/invitations"),
        Some(json!({"municipality_code": "329"})),
    )
    .await;
    call(
        &app,
        &admins[1],
        Method::POST,
        &format!("/collaborations/{cid}/accept"),
        None,
    )
    .await;
    let own = call(
        &app,
        &admins[0],
        Method::POST,
        "/templates",
        Some(json!({"name": "Sorøs egen", "kind": "own"})),
    )
    .await;
    let own: uuid::Uuid = own["id"].as_str().unwrap().parse().unwrap();
    let joint = call(
        &app,
        &admins[0],
        Method::POST,
        "/templates",
        Some(json!({"name": "Fælles", "kind": "k04", "collaboration_id": cid})),
    )
    .await;
    let joint: uuid::Uuid = joint["id"].as_str().unwrap().parse().unwrap();

    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let visible = |tenant: TenantId, table: &'static str| {
        let conn = conn.clone();
        async move {
            let txn = as_tenant(&conn, tenant).await;
            let n = count(&txn, &format!("SELECT count(*) AS n FROM {table}")).await;
            txn.rollback().await.unwrap();
            n
        }
    };
    // Sorø sees both; Ringsted, a member, the collaboration's; Næstved nothing.
    assert_eq!(visible(sorø, "templates").await, 2);
    assert_eq!(visible(ringsted, "templates").await, 1);
    assert_eq!(visible(ringsted, "template_versions").await, 1);
    assert_eq!(visible(næstved, "templates").await, 0);
    assert_eq!(visible(næstved, "template_versions").await, 0);

    // Neither Ringsted nor Næstved changes a template of Sorø's or of the
    // collaboration Sorø coordinates, or its versions.
    for tenant in [ringsted, næstved] {
        for id in [own, joint] {
            for sql in [
                "UPDATE templates SET name = 'Overtaget' WHERE id = $1",
                "UPDATE templates SET collaboration_id = NULL, \
                   tenant_id = current_setting('app.tenant_id')::uuid WHERE id = $1",
                "DELETE FROM templates WHERE id = $1",
                "UPDATE template_versions SET status = 'draft', content = '{\"clauses\": []}' \
                   WHERE template_id = $1",
                "DELETE FROM template_versions WHERE template_id = $1",
            ] {
                assert_eq!(
                    touched(&conn, tenant, sql, id).await,
                    Some(0),
                    "{tenant}: {sql} on {id}"
                );
            }
            let forged = touched(
                &conn,
                tenant,
                "INSERT INTO template_versions (id, template_id, tenant_id, collaboration_id, \
                   number, status, content, version, created_at, updated_at) \
                 SELECT gen_random_uuid(), t.id, t.tenant_id, t.collaboration_id, 99, 'published', \
                   '{\"clauses\": []}', 1, now(), now() FROM templates t WHERE t.id = $1",
                id,
            )
            .await;
            assert!(
                forged.is_none() || forged == Some(0),
                "{tenant} added a version to {id}"
            );
        }
        let moved = touched(
            &conn,
            tenant,
            "INSERT INTO templates (id, tenant_id, collaboration_id, name, kind, version, \
               created_at, updated_at) VALUES (gen_random_uuid(), \
               current_setting('app.tenant_id')::uuid, $1, 'Smuglet', 'own', 1, now(), now())",
            cid.parse().unwrap(),
        )
        .await;
        assert!(
            moved.is_none(),
            "{tenant} created a template for a collaboration it does not coordinate"
        );
    }
    // The coordinator writes the collaboration's template.
    assert_eq!(
        touched(
            &conn,
            sorø,
            "UPDATE templates SET name = 'Fælles K04' WHERE id = $1",
            joint
        )
        .await,
        Some(1)
    );

    // Shared with the collaboration, Sorø's own template is readable by
    // Ringsted, its published versions only.
    let template = call(
        &app,
        &admins[0],
        Method::GET,
        &format!("/templates/{own}"),
        None,
    )
    .await;
    assert_eq!(template["version"], 1);
    let mut request = app
        .request(
            Method::PUT,
            &format!("/api/v1/templates/{own}/versions/1"),
            Some(&admins[0]),
        )
        .header("if-match", "\"1\"");
    request = request.json(&json!({"content": {"clauses": [{
        "key": uuid::Uuid::new_v4(), "number": "1", "heading": "Oppetid",
        "text": "Mindst 99 %.", "required": true
    }]}}));
    assert_eq!(request.send().await.unwrap().status(), StatusCode::OK);
    let publish = app
        .request(
            Method::POST,
            &format!("/api/v1/templates/{own}/versions/1/publish"),
            Some(&admins[0]),
        )
        .header("if-match", "\"2\"")
        .json(&json!({"change_note": "Første udgave"}))
        .send()
        .await
        .unwrap();
    assert_eq!(publish.status(), StatusCode::OK);
    let draft = app
        .request(
            Method::POST,
            &format!("/api/v1/templates/{own}/versions"),
            Some(&admins[0]),
        )
        .header("if-match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), StatusCode::CREATED);
    call(
        &app,
        &admins[0],
        Method::POST,
        &format!("/templates/{own}/shares"),
        Some(json!({"collaboration_id": cid})),
    )
    .await;
    assert_eq!(visible(ringsted, "templates").await, 2);
    let txn = as_tenant(&conn, ringsted).await;
    let versions = count(
        &txn,
        &format!("SELECT count(*) AS n FROM template_versions WHERE template_id = '{own}'"),
    )
    .await;
    assert_eq!(versions, 1, "the published version, not the draft");
    txn.rollback().await.unwrap();
    assert_eq!(
        touched(
            &conn,
            ringsted,
            "UPDATE templates SET name = 'Overtaget' WHERE id = $1",
            own
        )
        .await,
        Some(0),
        "a shared template is read-only"
    );
    assert_eq!(visible(næstved, "templates").await, 0);
}

async fn execute<C: ConnectionTrait>(conn: &C, sql: &str) -> Result<u64, sea_orm::DbErr> {
    conn.execute_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .map(|r| r.rows_affected())
}

/// A tender plan of the collaboration `collaboration_id`, made by the
/// holder of `token`; its id.
async fn joint_plan(app: &TestApp, token: &str, collaboration_id: &str) -> String {
    let plan = call(
        app,
        token,
        Method::POST,
        "/tender-plans",
        Some(json!({
            "name": "Fælles plan",
            "period_start": "2026-01-01",
            "period_end": "2029-12-31",
            "collaboration_id": collaboration_id,
        })),
    )
    .await;
    plan["id"].as_str().unwrap().to_owned()
}

/// A collaboration's tender plan: its members read it and only its
/// coordinator writes it; each participant writes only its own part, which
/// the coordinator cannot; an outsider sees nothing.
async fn plan_rows_follow_their_owner_and_participants_write_only_their_own_part(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    let s = shared_contract(app).await;
    let sorø_token = s.app.token("admin@soroe.dk").await;
    let collaborations = call(&s.app, &sorø_token, Method::GET, "/collaborations", None).await;
    let cid = collaborations["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let plan_id = joint_plan(&s.app, &sorø_token, &cid).await;
    let tender = call(
        &s.app,
        &sorø_token,
        Method::POST,
        &format!("/tender-plans/{plan_id}/tenders"),
        Some(json!({"subject": "Fælles økonomisystem", "procedure": "open"})),
    )
    .await;
    let tender_id = tender["id"].as_str().unwrap().to_owned();
    call(
        &s.app,
        &sorø_token,
        Method::POST,
        &format!("/tender-plans/{plan_id}/tenders/{tender_id}/participants"),
        Some(json!({"tenant_id": s.ringsted.to_string()})),
    )
    .await;
    let stated = s
        .app
        .request(
            Method::PUT,
            &format!(
                "/api/v1/tender-plans/{plan_id}/tenders/{tender_id}/participants/{}",
                s.ringsted
            ),
            Some(&s.ringsted_token),
        )
        .header("if-match", "\"0\"")
        .json(&json!({"estimated_value": "900000.00"}))
        .send()
        .await
        .unwrap();
    expect_json(stated, StatusCode::OK).await;

    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let tables = [
        "tender_plans",
        "planned_tenders",
        "tender_invitations",
        "tender_participations",
    ];

    let næstved: TenantId = {
        let txn = s.app.db.read(samudbud_domain::Scope::System).await.unwrap();
        let row = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT id FROM tenants WHERE municipality_code = '370'",
            ))
            .await
            .unwrap()
            .unwrap();
        TenantId(row.try_get::<uuid::Uuid>("", "id").unwrap())
    };
    let outsider = as_tenant(&conn, næstved).await;
    for table in tables {
        assert_eq!(
            count(&outsider, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "{table} is invisible outside the collaboration"
        );
    }
    outsider.rollback().await.unwrap();

    let member = as_tenant(&conn, s.ringsted).await;
    for table in tables {
        assert_eq!(
            count(&member, &format!("SELECT count(*) AS n FROM {table}")).await,
            1,
            "{table} is readable by a member"
        );
    }
    assert_eq!(
        execute(&member, "UPDATE tender_plans SET name = 'overtaget'")
            .await
            .unwrap(),
        0,
        "a member does not write the collaboration's plan"
    );
    assert_eq!(
        execute(
            &member,
            "UPDATE tender_participations SET state = 'confirmed'"
        )
        .await
        .unwrap(),
        1,
        "a participant writes its own part"
    );
    member.rollback().await.unwrap();

    let coordinator = as_tenant(&conn, s.sorø).await;
    assert_eq!(
        execute(&coordinator, "UPDATE tender_plans SET name = 'omdøbt'")
            .await
            .unwrap(),
        1,
        "the coordinator writes the plan"
    );
    assert_eq!(
        execute(
            &coordinator,
            "UPDATE tender_participations SET state = 'confirmed'"
        )
        .await
        .unwrap(),
        0,
        "the coordinator cannot answer for a participant"
    );
    coordinator.rollback().await.unwrap();
    let coordinator = as_tenant(&conn, s.sorø).await;
    let forged = execute(
        &coordinator,
        &format!(
            "INSERT INTO tender_participations (id, tenant_id, tender_id, collaboration_id, state, \
               replaced_contracts, version, updated_at) \
             VALUES (gen_random_uuid(), '{}', '{tender_id}', '{cid}', 'confirmed', '[]', 1, now())",
            s.ringsted
        ),
    )
    .await;
    assert!(
        forged.is_err(),
        "no part is written for another municipality"
    );
    coordinator.rollback().await.unwrap();
}

/// Calendar feeds are found by their token before any municipality is
/// known, in the system scope; the application's role cannot do that
/// itself, and in a municipality's scope it sees and changes only that
/// municipality's feeds.
async fn calendar_feeds_are_each_municipality_s_own(app: TestApp) {
    let (tenants, admins) = app.three_municipalities().await;
    for admin in &admins[..2] {
        let created = app
            .request(Method::POST, "/api/v1/me/calendar", Some(admin))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    if app.backend != Backend::Postgres {
        return;
    }
    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let all = "SELECT count(*) AS n FROM calendar_feeds";

    let unscoped = conn.begin().await.unwrap();
    assert_eq!(count(&unscoped, all).await, 0, "no tenant set: no feeds");
    unscoped.rollback().await.unwrap();

    if app.owner_database_url.is_some() {
        let system = conn.begin().await.unwrap();
        system
            .execute_unprepared("SELECT set_config('app.system', 'on', true)")
            .await
            .unwrap();
        assert_eq!(
            count(&system, all).await,
            0,
            "the application's role cannot look across municipalities"
        );
        system.rollback().await.unwrap();
    }

    let sorø = as_tenant(&conn, tenants[0]).await;
    assert_eq!(count(&sorø, all).await, 1, "Sorø's own feed only");
    let revoke_elsewhere = execute(
        &sorø,
        &format!(
            "UPDATE calendar_feeds SET revoked_at = now() WHERE tenant_id = '{}'",
            tenants[1]
        ),
    )
    .await
    .unwrap();
    assert_eq!(revoke_elsewhere, 0, "Ringsted's feed is out of reach");
    let plant = execute(
        &sorø,
        &format!(
            "INSERT INTO calendar_feeds (id, tenant_id, user_id, selector, token_hash, token_hint, created_at) \
             SELECT gen_random_uuid(), '{}', user_id, 'planted-selector', 'x', 'x', now() FROM calendar_feeds",
            tenants[1]
        ),
    )
    .await;
    assert!(
        plant.is_err(),
        "no feed can be planted in another municipality"
    );
    sorø.rollback().await.unwrap();

    // Ringsted's feed still answers.
    let status = expect_json(
        app.request(Method::GET, "/api/v1/me/calendar", Some(&admins[1]))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["active"], true);
}

/// Reminder settings and digest deliveries are their user's municipality's
/// rows: another municipality neither sees nor writes them.
async fn reminder_rows_belong_to_their_municipality(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let sorø_admin = app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    for email in ["admin@soroe.dk", "admin@ringsted.dk"] {
        let token = app.token(email).await;
        let response = app
            .request(Method::PUT, "/api/v1/me/reminders", Some(&token))
            .json(&json!({"frequency": "daily", "horizon_days": 10}))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await;
    }
    {
        let txn = app.db.write(samudbud_domain::Scope::System).await.unwrap();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO digest_deliveries (id, tenant_id, user_id, period, status, attempts, \
               next_attempt_at, created_at) \
             VALUES (gen_random_uuid(), $1, $2, '2026-W49', 'pending', 0, now(), now())",
            [sorø.0.into(), sorø_admin.into()],
        ))
        .await
        .unwrap();
        txn.commit().await.unwrap();
    }

    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let unscoped = conn.begin().await.unwrap();
    for table in ["reminder_settings", "digest_deliveries"] {
        assert_eq!(
            count(&unscoped, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "{table} without a tenant"
        );
    }
    unscoped.rollback().await.unwrap();

    let other = as_tenant(&conn, ringsted).await;
    assert_eq!(
        count(&other, "SELECT count(*) AS n FROM reminder_settings").await,
        1,
        "only Ringsted's own setting"
    );
    assert_eq!(
        count(&other, "SELECT count(*) AS n FROM digest_deliveries").await,
        0
    );
    assert_eq!(
        execute(&other, "UPDATE reminder_settings SET frequency = 'off'")
            .await
            .unwrap(),
        1,
        "its own row only"
    );
    assert_eq!(
        execute(&other, "UPDATE digest_deliveries SET status = 'sent'")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        execute(&other, "DELETE FROM digest_deliveries")
            .await
            .unwrap(),
        0
    );
    let smuggled = other
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO digest_deliveries (id, tenant_id, user_id, period, status, attempts, \
               next_attempt_at, created_at) \
             VALUES (gen_random_uuid(), $1, $2, '2026-W50', 'pending', 0, now(), now())",
            [sorø.0.into(), sorø_admin.into()],
        ))
        .await;
    assert!(smuggled.is_err(), "no rows for another municipality");
    other.rollback().await.unwrap();

    let own = as_tenant(&conn, sorø).await;
    assert_eq!(
        count(&own, "SELECT count(*) AS n FROM digest_deliveries").await,
        1
    );
    assert_eq!(
        count(
            &own,
            "SELECT count(*) AS n FROM reminder_settings WHERE frequency = 'daily'"
        )
        .await,
        1,
        "Ringsted's update did not reach Sorø's setting"
    );
    own.rollback().await.unwrap();
}

/// Saved views are their user's municipality's rows: another municipality
/// neither sees, changes, deletes nor plants them.
async fn saved_views_are_their_municipality_s_own(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let sorø_admin = app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    for email in ["admin@soroe.dk", "admin@ringsted.dk"] {
        let token = app.token(email).await;
        let response = app
            .request(Method::POST, "/api/v1/me/views", Some(&token))
            .json(&json!({"page": "contracts", "name": "Aktive", "query": "status=active"}))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await;
    }

    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let unscoped = conn.begin().await.unwrap();
    assert_eq!(
        count(&unscoped, "SELECT count(*) AS n FROM saved_views").await,
        0,
        "saved views without a tenant"
    );
    unscoped.rollback().await.unwrap();

    let other = as_tenant(&conn, ringsted).await;
    assert_eq!(
        count(&other, "SELECT count(*) AS n FROM saved_views").await,
        1,
        "only Ringsted's own view"
    );
    assert_eq!(
        execute(&other, "UPDATE saved_views SET name = 'Overtaget'")
            .await
            .unwrap(),
        1,
        "its own row only"
    );
    let smuggled = other
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO saved_views (id, tenant_id, user_id, page, name, query, created_at, updated_at) \
             VALUES (gen_random_uuid(), $1, $2, 'contracts', 'Plantet', '', now(), now())",
            [sorø.0.into(), sorø_admin.into()],
        ))
        .await;
    assert!(smuggled.is_err(), "no rows for another municipality");
    other.rollback().await.unwrap();
    let other = as_tenant(&conn, ringsted).await;
    execute(&other, "DELETE FROM saved_views").await.unwrap();
    other.commit().await.unwrap();

    let own = as_tenant(&conn, sorø).await;
    assert_eq!(
        count(
            &own,
            "SELECT count(*) AS n FROM saved_views WHERE name = 'Aktive'"
        )
        .await,
        1,
        "Ringsted's update and delete did not reach Sorø's view"
    );
    own.rollback().await.unwrap();
}

async fn contract_imports_are_their_municipality_s_own(app: TestApp) {
    if app.backend != Backend::Postgres {
        return;
    }
    let (tenants, admins) = app.three_municipalities().await;
    let (sorø, ringsted) = (tenants[0], tenants[1]);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(
                b"Titel;Leverand\xc3\xb8r CVR;Startdato\nDrift;10403782;01-01-2026\n".to_vec(),
            )
            .file_name("register.csv"),
        )
        .text("options", json!({"mode": "dry_run"}).to_string());
    let created = app
        .request(Method::POST, "/api/v1/contracts/imports", Some(&admins[0]))
        .multipart(form)
        .send()
        .await
        .unwrap();
    expect_json(created, StatusCode::ACCEPTED).await;
    // The saved mapping row, as a finished import leaves it.
    {
        let txn = app
            .db
            .write(samudbud_domain::Scope::Tenant(sorø))
            .await
            .unwrap();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO contract_import_mappings (id, tenant_id, mapping, updated_at) \
             VALUES ($1, $1, '{}', now())",
            [sorø.0.into()],
        ))
        .await
        .unwrap();
        txn.commit().await.unwrap();
    }
    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    for table in ["contract_imports", "contract_import_mappings"] {
        let unscoped = conn.begin().await.unwrap();
        assert_eq!(
            count(&unscoped, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "{table} without a tenant"
        );
        unscoped.rollback().await.unwrap();
        let own = as_tenant(&conn, sorø).await;
        assert_eq!(
            count(&own, &format!("SELECT count(*) AS n FROM {table}")).await,
            1,
            "{table} as its owner"
        );
        own.rollback().await.unwrap();
        let other = as_tenant(&conn, ringsted).await;
        assert_eq!(
            count(&other, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "{table} as another municipality"
        );
        let changed = other
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("UPDATE {table} SET tenant_id = $1"),
                [ringsted.0.into()],
            ))
            .await
            .unwrap();
        assert_eq!(changed.rows_affected(), 0, "{table}");
        let moved_in = other
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("INSERT INTO {table} SELECT * FROM {table}"),
                [],
            ))
            .await
            .unwrap();
        assert_eq!(moved_in.rows_affected(), 0, "{table}");
        other.rollback().await.unwrap();
    }
}

/// The attachments of a shared contract: on PostgreSQL the read policy
/// admits a partner's reading them exactly when the share includes them,
/// never an outsider's, and never a partner's change.
async fn attachments_are_read_by_partners_only_when_shared_with_them(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no row-level security.
    }
    if app.owner_database_url.is_none() {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_APP_URL is not set");
        return;
    }
    let s = shared_contract(app).await;
    let id = &s.contract_id;
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7\ntrailer<<>>\n%%EOF\n".to_vec())
        .file_name("Kontrakt.pdf");
    let uploaded = s
        .app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{id}/attachments"),
            Some(&s.sorø_token),
        )
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    expect_json(uploaded, StatusCode::CREATED).await;
    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let files = |tenant: TenantId| {
        let conn = &conn;
        async move {
            let txn = as_tenant(conn, tenant).await;
            let n = count(&txn, "SELECT count(*) AS n FROM attachments").await;
            txn.rollback().await.unwrap();
            n
        }
    };
    assert_eq!(files(s.sorø).await, 1);
    assert_eq!(files(s.ringsted).await, 0, "shared without its files");
    assert_eq!(files(s.næstved).await, 0);

    call(
        &s.app,
        &s.sorø_token,
        Method::PATCH,
        &format!("/contracts/{id}/shares/{}", s.collaboration_id),
        Some(json!({"include_attachments": true})),
    )
    .await;
    assert_eq!(files(s.ringsted).await, 1, "shared with its files");
    assert_eq!(files(s.næstved).await, 0, "an outsider sees none");

    let txn = as_tenant(&conn, s.ringsted).await;
    for sql in [
        "UPDATE attachments SET filename = 'overtaget.pdf'",
        "DELETE FROM attachments",
    ] {
        let done = txn
            .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 0, "{sql}");
    }
    txn.rollback().await.unwrap();
    let listed = call(
        &s.app,
        &s.ringsted_token,
        Method::GET,
        &format!("/contracts/{id}/attachments"),
        None,
    )
    .await;
    assert_eq!(listed["items"][0]["filename"], "Kontrakt.pdf");
    let outsider = s
        .app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/{id}/attachments"),
            Some(&s.næstved_token),
        )
        .send()
        .await
        .unwrap();
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
}

/// The decisions on a shared contract: on PostgreSQL the read policy admits
/// the partner's reading them, never an outsider's, and never a change by
/// anyone but the owner.
async fn decisions_are_read_by_partners_and_written_by_their_owner_only(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no row-level security.
    }
    if app.owner_database_url.is_none() {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_APP_URL is not set");
        return;
    }
    let s = shared_contract(app).await;
    let id = &s.contract_id;
    let read = s
        .app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/{id}"),
            Some(&s.sorø_token),
        )
        .send()
        .await
        .unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let decided = s
        .app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{id}/decisions"),
            Some(&s.sorø_token),
        )
        .header("if-match", etag)
        .json(&json!({"kind": "continue", "decided_on": samudbud_domain::clock::today()}))
        .send()
        .await
        .unwrap();
    expect_json(decided, StatusCode::CREATED).await;

    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let unscoped = conn.begin().await.unwrap();
    assert_eq!(
        count(&unscoped, "SELECT count(*) AS n FROM contract_decisions").await,
        0,
        "without a tenant"
    );
    unscoped.rollback().await.unwrap();
    let decisions = |tenant: TenantId| {
        let conn = &conn;
        async move {
            let txn = as_tenant(conn, tenant).await;
            let n = count(&txn, "SELECT count(*) AS n FROM contract_decisions").await;
            txn.rollback().await.unwrap();
            n
        }
    };
    assert_eq!(decisions(s.sorø).await, 1);
    assert_eq!(decisions(s.ringsted).await, 1, "a partner reads them");
    assert_eq!(decisions(s.næstved).await, 0, "an outsider sees none");

    for sql in [
        "UPDATE contract_decisions SET note = 'overtaget'".to_owned(),
        "DELETE FROM contract_decisions".to_owned(),
        "INSERT INTO contract_decisions SELECT * FROM contract_decisions".to_owned(),
        format!("UPDATE contract_decisions SET tenant_id = '{}'", s.ringsted),
    ] {
        let txn = as_tenant(&conn, s.ringsted).await;
        let done = txn
            .execute_raw(Statement::from_string(DbBackend::Postgres, sql.clone()))
            .await;
        match done {
            Ok(done) => assert_eq!(done.rows_affected(), 0, "{sql}"),
            Err(e) => assert!(e.to_string().contains("row-level security"), "{sql}: {e}"),
        }
        txn.rollback().await.unwrap();
    }
    assert_eq!(decisions(s.sorø).await, 1, "still the owner's one");
    let listed = call(
        &s.app,
        &s.ringsted_token,
        Method::GET,
        &format!("/contracts/{id}/decisions"),
        None,
    )
    .await;
    assert_eq!(listed["total"], 1);
    let outsider = s
        .app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/{id}/decisions"),
            Some(&s.næstved_token),
        )
        .send()
        .await
        .unwrap();
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
}

async fn change_log_entries_are_read_by_their_municipality_only_and_never_changed(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    // Sorø shared a contract with Sorø and Ringsted's collaboration; both
    // have feed entries, Næstved has none.
    let shared = shared_contract(app).await;
    let app = &shared.app;
    let limiter_client = app
        .create_api_client(&shared.sorø_token, "ERP", &["contracts:read"])
        .await;
    let client_token = app.client_token(&limiter_client.1, &limiter_client.2).await;
    call(app, &client_token, Method::GET, "/contracts", None).await;

    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let unscoped = conn.begin().await.unwrap();
    for table in ["change_log", "api_client_rates"] {
        assert_eq!(
            count(&unscoped, &format!("SELECT count(*) AS n FROM {table}")).await,
            0,
            "{table} without a tenant"
        );
    }
    unscoped.rollback().await.unwrap();

    let ringsted = as_tenant(&conn, shared.ringsted).await;
    let theirs = count(
        &ringsted,
        &format!(
            "SELECT count(*) AS n FROM change_log WHERE tenant_id <> '{}'",
            shared.ringsted
        ),
    )
    .await;
    assert_eq!(theirs, 0, "only Ringsted's own entries");
    assert!(
        count(&ringsted, "SELECT count(*) AS n FROM change_log").await > 0,
        "Ringsted learned of the share"
    );
    assert_eq!(
        count(&ringsted, "SELECT count(*) AS n FROM api_client_rates").await,
        0,
        "Sorø's limiter state is Sorø's"
    );
    assert_eq!(
        execute(&ringsted, "UPDATE change_log SET action = 'deleted'")
            .await
            .unwrap(),
        0,
        "no entry is changed, not even its own"
    );
    assert_eq!(
        execute(&ringsted, "DELETE FROM change_log").await.unwrap(),
        0,
        "nor deleted"
    );
    // An entry for a fellow member of the collaboration is allowed (it is
    // how a share's end reaches the others); one for an outsider is not.
    let fellow = ringsted
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO change_log (tenant_id, kind, object_id, action, collaboration_id, changed_at) \
             VALUES ($1, 'contract', gen_random_uuid(), 'share_ended', $2::uuid, now())",
            [shared.sorø.0.into(), shared.collaboration_id.clone().into()],
        ))
        .await;
    assert!(fellow.is_ok(), "{fellow:?}");
    let planted = ringsted
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO change_log (tenant_id, kind, object_id, action, collaboration_id, changed_at) \
             VALUES ($1, 'contract', gen_random_uuid(), 'deleted', $2::uuid, now())",
            [shared.næstved.0.into(), shared.collaboration_id.clone().into()],
        ))
        .await;
    assert!(
        planted.is_err(),
        "no entries for a municipality outside the collaboration"
    );
    ringsted.rollback().await.unwrap();
    let ringsted = as_tenant(&conn, shared.ringsted).await;
    let planted = ringsted
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO change_log (tenant_id, kind, object_id, action, collaboration_id, changed_at) \
             VALUES ($1, 'contract', gen_random_uuid(), 'deleted', NULL, now())",
            [shared.sorø.0.into()],
        ))
        .await;
    assert!(
        planted.is_err(),
        "no entry for Sorø without a collaboration"
    );
    ringsted.rollback().await.unwrap();
    let outsider = as_tenant(&conn, shared.næstved).await;
    assert_eq!(
        count(&outsider, "SELECT count(*) AS n FROM change_log").await,
        0,
        "Næstved has no entries and reads none"
    );
    let planted = outsider
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO change_log (tenant_id, kind, object_id, action, collaboration_id, changed_at) \
             VALUES ($1, 'contract', gen_random_uuid(), 'deleted', $2::uuid, now())",
            [shared.ringsted.0.into(), shared.collaboration_id.clone().into()],
        ))
        .await;
    assert!(
        planted.is_err(),
        "an outsider cannot write into a member's feed"
    );
    outsider.rollback().await.unwrap();
}

async fn webhook_rows_are_their_municipality_s_own(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    for (email, url) in [
        ("admin@soroe.dk", "https://erp.soroe.dk/hooks"),
        ("admin@ringsted.dk", "https://erp.ringsted.dk/hooks"),
    ] {
        let token = app.token(email).await;
        let response = app
            .request(Method::POST, "/api/v1/webhooks/endpoints", Some(&token))
            .json(&json!({"url": url, "event_types": ["contract.created"]}))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await;
    }

    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    // Every webhook table has its policies switched on and forced.
    let unscoped = conn.begin().await.unwrap();
    assert_eq!(
        count(
            &unscoped,
            "SELECT count(*) AS n FROM pg_class WHERE relname IN \
             ('webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_attempts') \
             AND relrowsecurity AND relforcerowsecurity",
        )
        .await,
        4
    );
    assert_eq!(
        count(&unscoped, "SELECT count(*) AS n FROM webhook_endpoints").await,
        0,
        "endpoints without a tenant"
    );
    unscoped.rollback().await.unwrap();

    let other = as_tenant(&conn, ringsted).await;
    assert_eq!(
        count(&other, "SELECT count(*) AS n FROM webhook_endpoints").await,
        1,
        "only Ringsted's own endpoint"
    );
    assert_eq!(
        execute(
            &other,
            "UPDATE webhook_endpoints SET url = 'https://evil.example/hooks'"
        )
        .await
        .unwrap(),
        1,
        "its own row only"
    );
    let smuggled = other
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE webhook_endpoints SET tenant_id = $1",
            [sorø.0.into()],
        ))
        .await;
    assert!(
        smuggled.is_err(),
        "a row cannot be moved to another municipality"
    );
    other.rollback().await.unwrap();
    let other = as_tenant(&conn, ringsted).await;
    execute(&other, "DELETE FROM webhook_endpoints")
        .await
        .unwrap();
    other.commit().await.unwrap();

    let own = as_tenant(&conn, sorø).await;
    assert_eq!(
        count(
            &own,
            "SELECT count(*) AS n FROM webhook_endpoints WHERE url = 'https://erp.soroe.dk/hooks'"
        )
        .await,
        1,
        "Sorø's endpoint untouched by Ringsted"
    );
    own.rollback().await.unwrap();
}

/// The current municipality as PostgreSQL prints a policy's read of it:
/// once per statement (a scalar subquery, run as an init plan) or for
/// every row.
const READ_ONCE: &str = "( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\")";
const READ_PER_ROW: &str = "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid";

/// How many policies, reading the municipality as `tenant`, test the
/// system scope before a municipality's own rows (`first` = "system") or
/// after them (`first` = "own").
async fn policies_testing_first<C: ConnectionTrait>(conn: &C, first: &str, tenant: &str) -> i64 {
    let own = [
        format!("(tenant_id = {tenant})"),
        format!("((collaboration_id IS NULL) AND (tenant_id = {tenant}))"),
    ];
    let system = "samudbud_system_scope()";
    let patterns: Vec<String> = own
        .iter()
        .map(|own| match first {
            "system" => format!("{system} OR {own}"),
            _ => format!("{own} OR {system}"),
        })
        .collect();
    let tests: Vec<String> = patterns
        .iter()
        .flat_map(|p| {
            let p = p.replace('\'', "''");
            [
                format!("strpos(coalesce(qual, ''), '{p}') > 0"),
                format!("strpos(coalesce(with_check, ''), '{p}') > 0"),
            ]
        })
        .collect();
    count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM pg_policies WHERE {}",
            tests.join(" OR ")
        ),
    )
    .await
}

/// How many policies read the municipality for every row somewhere.
async fn policies_reading_per_row<C: ConnectionTrait>(conn: &C) -> i64 {
    let (once, per_row) = (
        READ_ONCE.replace('\'', "''"),
        READ_PER_ROW.replace('\'', "''"),
    );
    let reads = |column: &str| {
        format!("strpos(replace(coalesce({column}, ''), '{once}', ''), '{per_row}') > 0")
    };
    count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM pg_policies WHERE {} OR {}",
            reads("qual"),
            reads("with_check")
        ),
    )
    .await
}

/// Policies run for every row a statement reads, and PostgreSQL tries an
/// `OR`'s branches in order: the municipality's own test, true for almost
/// every row a request reads, comes before the system scope's, and it reads
/// the municipality's setting once per statement rather than for every row.
/// The migrations that made them so (with the account reads between them)
/// are undone and done again. The account read each request makes sees its
/// own municipality's row only, and leaves no municipality set behind.
async fn policies_test_the_municipality_first_and_read_it_once(app: TestApp) {
    if app.backend != Backend::Postgres {
        return; // SQLite has no row-level security.
    }
    let owner = Database::connect(app.owner_database_url.as_deref().unwrap())
        .await
        .unwrap();
    let own_first = policies_testing_first(&owner, "own", READ_ONCE).await;
    assert!(
        own_first > 100,
        "{own_first} policies test their own rows first"
    );
    assert_eq!(policies_testing_first(&owner, "system", READ_ONCE).await, 0);
    assert_eq!(policies_reading_per_row(&owner).await, 0);

    use samudbud_migration::{Migrator, MigratorTrait};
    // The contract read, the view versions, the shared rows' functions,
    // then the read once.
    Migrator::down(&owner, Some(4)).await.unwrap();
    assert_eq!(policies_testing_first(&owner, "own", READ_ONCE).await, 0);
    assert_eq!(
        policies_testing_first(&owner, "own", READ_PER_ROW).await,
        own_first
    );
    assert!(policies_reading_per_row(&owner).await >= own_first);
    Migrator::down(&owner, Some(2)).await.unwrap();
    assert_eq!(policies_testing_first(&owner, "own", READ_PER_ROW).await, 0);
    assert_eq!(
        policies_testing_first(&owner, "system", READ_PER_ROW).await,
        own_first
    );
    Migrator::up(&owner, None).await.unwrap();
    assert_eq!(
        policies_testing_first(&owner, "own", READ_ONCE).await,
        own_first
    );
    assert_eq!(policies_testing_first(&owner, "system", READ_ONCE).await, 0);
    assert_eq!(policies_reading_per_row(&owner).await, 0);

    // The order changes no policy's meaning: Sorø reads its own users only.
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "a@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "a@ringsted.dk", Role::Admin)
        .await;
    let conn = Database::connect(app.database_url.as_str()).await.unwrap();
    let scoped = as_tenant(&conn, sorø).await;
    assert_eq!(count_users(&scoped).await, 1);
    let sorø_admin: uuid::Uuid = scoped
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM users",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    scoped.rollback().await.unwrap();

    let read = |tenant: TenantId| {
        format!("SELECT count(*) AS n FROM samudbud_read_users('{tenant}', '{sorø_admin}')")
    };
    assert_eq!(count(&conn, &read(sorø)).await, 1, "Sorø reads its admin");
    assert_eq!(count(&conn, &read(ringsted)).await, 0, "Ringsted does not");
    let unscoped = conn.begin().await.unwrap();
    assert_eq!(count_users(&unscoped).await, 0, "no municipality left set");
    unscoped.rollback().await.unwrap();
}

/// Every role may create temporary tables, and they come first on the
/// search path. The functions behind the policies name their tables with
/// their schema, so a temporary table of the same name changes nothing:
/// Næstved, in no collaboration, writes itself into temporary
/// `collaboration_members` and `shares` as a coordinator of Sorø's
/// collaboration with Sorø's contract shared, and still reads none of the
/// collaboration's tender plan, the contract or its system, and changes no
/// plan; an empty temporary `users` leaves the account read as it was.
async fn temporary_tables_do_not_stand_in_for_the_policies_tables(app: TestApp) {
    if app.backend != Backend::Postgres || app.owner_database_url.is_none() {
        return; // The policies bind the application's role on PostgreSQL only.
    }
    let s = shared_contract(app).await;
    let plan_id = &joint_plan(&s.app, &s.sorø_token, &s.collaboration_id).await;
    let næstved_user = call(&s.app, &s.næstved_token, Method::GET, "/me", None).await;
    let næstved_user = næstved_user["id"].as_str().unwrap();
    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let read_account = format!(
        "SELECT count(*) AS n FROM samudbud_read_users('{}', '{næstved_user}')",
        s.næstved
    );
    let visible =
        |table: &str, id: &str| format!("SELECT count(*) AS n FROM {table} WHERE id = '{id}'");
    let systems = "SELECT count(*) AS n FROM it_systems";

    // As the members see them: Ringsted reads the plan, the contract and its system.
    let ringsted = as_tenant(&conn, s.ringsted).await;
    assert_eq!(count(&ringsted, &visible("tender_plans", plan_id)).await, 1);
    assert_eq!(
        count(&ringsted, &visible("contracts", &s.contract_id)).await,
        1
    );
    assert_eq!(count(&ringsted, systems).await, 1);
    ringsted.rollback().await.unwrap();

    // A connection of its own: PL/pgSQL keeps a statement's plan, with the
    // tables it found, for the rest of the session.
    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let næstved = as_tenant(&conn, s.næstved).await;
    for sql in [
        "CREATE TEMPORARY TABLE collaboration_members \
           (collaboration_id uuid, tenant_id uuid, status text, role text) ON COMMIT DROP"
            .to_owned(),
        format!(
            "INSERT INTO collaboration_members VALUES ('{}', '{}', 'active', 'coordinator')",
            s.collaboration_id, s.næstved
        ),
        "CREATE TEMPORARY TABLE shares (object_kind text, object_id uuid, tenant_id uuid, \
           collaboration_id uuid, include_attachments boolean) ON COMMIT DROP"
            .to_owned(),
        format!(
            "INSERT INTO shares VALUES ('contract', '{}', '{}', '{}', true)",
            s.contract_id, s.sorø, s.collaboration_id
        ),
        "CREATE TEMPORARY TABLE users (LIKE users) ON COMMIT DROP".to_owned(),
    ] {
        execute(&næstved, &sql).await.unwrap();
    }
    assert_eq!(
        count(
            &næstved,
            "SELECT count(*) AS n FROM pg_temp.collaboration_members"
        )
        .await,
        1
    );
    assert_eq!(count(&næstved, &visible("tender_plans", plan_id)).await, 0);
    assert_eq!(
        count(&næstved, &visible("contracts", &s.contract_id)).await,
        0
    );
    assert_eq!(count(&næstved, systems).await, 0);
    let renamed = execute(
        &næstved,
        &format!("UPDATE tender_plans SET name = 'Overtaget' WHERE id = '{plan_id}'"),
    )
    .await
    .unwrap();
    assert_eq!(renamed, 0, "no plan changed");
    assert_eq!(
        count(&næstved, &read_account).await,
        1,
        "the real account is read"
    );
    næstved.rollback().await.unwrap();
}

/// `samudbud_read_contract` reads a contract by id in one statement, with
/// the municipality set for that statement only: Sorø reads its own
/// contract through it, with its covered system; Ringsted, with whom it is
/// shared, and Næstved, with whom it is not, read nothing through it (the
/// API reads a shared contract in a transaction, and Næstved gets a 404);
/// no municipality is left set after it, and a temporary `contracts`
/// table does not stand in for the real one.
async fn the_one_statement_contract_read_reads_the_municipality_s_own_only(app: TestApp) {
    let s = shared_contract(app).await;
    let path = format!("/contracts/{}", s.contract_id);
    let own = call(&s.app, &s.sorø_token, Method::GET, &path, None).await;
    assert_eq!(own["shared"], false);
    assert_eq!(own["systems"].as_array().map(Vec::len), Some(1));
    let shared = call(&s.app, &s.ringsted_token, Method::GET, &path, None).await;
    assert_eq!(shared["shared"], true);
    assert_eq!(shared["systems"], own["systems"]);
    let foreign = s
        .app
        .request(
            Method::GET,
            &format!("/api/v1{path}"),
            Some(&s.næstved_token),
        )
        .send()
        .await
        .unwrap();
    expect_problem(foreign, StatusCode::NOT_FOUND).await;
    if s.app.backend != Backend::Postgres {
        return; // The function is PostgreSQL's; SQLite reads in a transaction.
    }

    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let read = |tenant: TenantId| {
        format!(
            "SELECT count(*) AS n FROM samudbud_read_contract('{tenant}', '{}') f \
             WHERE f.systems <> '[]'",
            s.contract_id
        )
    };
    assert_eq!(count(&conn, &read(s.sorø)).await, 1, "Sorø reads its own");
    assert_eq!(count(&conn, &read(s.ringsted)).await, 0, "shared: not here");
    assert_eq!(
        count(&conn, &read(s.næstved)).await,
        0,
        "Næstved reads nothing"
    );
    let unscoped = conn.begin().await.unwrap();
    assert_eq!(
        count(&unscoped, "SELECT count(*) AS n FROM contracts").await,
        0,
        "no municipality left set"
    );
    unscoped.rollback().await.unwrap();

    // A connection of its own, as PL/pgSQL keeps a statement's plan.
    let conn = Database::connect(s.app.database_url.as_str())
        .await
        .unwrap();
    let sorø = as_tenant(&conn, s.sorø).await;
    execute(
        &sorø,
        "CREATE TEMPORARY TABLE contracts (LIKE contracts) ON COMMIT DROP",
    )
    .await
    .unwrap();
    assert_eq!(
        count(&sorø, "SELECT count(*) AS n FROM contracts").await,
        0,
        "the temporary table comes first by name"
    );
    assert_eq!(count(&sorø, &read(s.sorø)).await, 1, "the real one is read");
    sorø.rollback().await.unwrap();
}
