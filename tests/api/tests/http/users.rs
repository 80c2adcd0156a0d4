//! User administration by a municipality's admins.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    admins_create_and_read_users,
    user_input_is_validated_field_by_field,
    duplicate_emails_conflict,
    updates_need_the_current_etag,
    the_last_admin_cannot_be_removed,
    deactivation_keeps_history_and_ends_sessions,
    password_changes_end_sessions,
    lists_page_filter_search_and_sort,
    only_admins_manage_users,
    changes_are_audited,
);

const USERS: &str = "/api/v1/users";

struct Fixture {
    app: TestApp,
    admin: String,
}

async fn fixture(app: TestApp) -> Fixture {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    Fixture { app, admin }
}

impl Fixture {
    async fn create(&self, body: Value) -> reqwest::Response {
        self.app
            .request(Method::POST, USERS, Some(&self.admin))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn create_ok(&self, email: &str, role: &str) -> (Value, String) {
        let response = self
            .create(json!({"email": email, "name": format!("Navn {email}"), "role": role, "password": PASSWORD}))
            .await;
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (expect_json(response, StatusCode::CREATED).await, etag)
    }

    async fn patch(&self, id: &Value, etag: Option<&str>, body: Value) -> reqwest::Response {
        let mut request = self
            .app
            .request(
                Method::PATCH,
                &format!("{USERS}/{}", id.as_str().unwrap()),
                Some(&self.admin),
            )
            .json(&body);
        if let Some(etag) = etag {
            request = request.header("if-match", etag);
        }
        request.send().await.unwrap()
    }

    async fn get(&self, id: &Value) -> (Value, String) {
        let response = self
            .app
            .request(
                Method::GET,
                &format!("{USERS}/{}", id.as_str().unwrap()),
                Some(&self.admin),
            )
            .send()
            .await
            .unwrap();
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (expect_json(response, StatusCode::OK).await, etag)
    }

    async fn list(&self, query: &str) -> Value {
        let response = self
            .app
            .request(Method::GET, &format!("{USERS}{query}"), Some(&self.admin))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }
}

async fn admins_create_and_read_users(app: TestApp) {
    let f = fixture(app).await;
    let response = f
        .create(json!({"email": "Ny.Kollega@Soroe.dk", "name": " Ny Kollega ", "role": "editor", "password": PASSWORD}))
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(created["email"], "ny.kollega@soroe.dk");
    assert_eq!(created["name"], "Ny Kollega");
    assert_eq!(created["role"], "editor");
    assert_eq!(created["active"], true);
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    assert_eq!(
        location,
        format!("/api/v1/users/{}", created["id"].as_str().unwrap())
    );

    let (read, etag) = f.get(&created["id"]).await;
    assert_eq!(read, created);
    assert_eq!(etag, "\"1\"");

    // The new user can log in.
    f.app.login("ny.kollega@soroe.dk").await;
}

async fn user_input_is_validated_field_by_field(app: TestApp) {
    let f = fixture(app).await;
    let response = f
        .create(
            json!({"email": "not-an-email", "name": "  ", "role": "viewer", "password": "short"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let errors: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("email".into(), "invalid".into()),
            ("name".into(), "required".into()),
            ("password".into(), "too_short".into())
        ]
    );

    let bad_role = f
        .create(json!({"email": "a@soroe.dk", "name": "A", "role": "owner", "password": PASSWORD}))
        .await;
    expect_problem(bad_role, StatusCode::BAD_REQUEST).await;

    let bad_id = f
        .app
        .request(Method::GET, &format!("{USERS}/not-a-uuid"), Some(&f.admin))
        .send()
        .await
        .unwrap();
    expect_problem(bad_id, StatusCode::BAD_REQUEST).await;

    // Nothing was created by any of it.
    assert_eq!(f.list("").await["total"], 1);
}

async fn duplicate_emails_conflict(app: TestApp) {
    let f = fixture(app).await;
    f.create_ok("bo@soroe.dk", "viewer").await;
    let again = f
        .create(json!({"email": "BO@soroe.dk", "name": "Bo igen", "role": "viewer", "password": PASSWORD}))
        .await;
    let problem = expect_problem(again, StatusCode::CONFLICT).await;
    assert_eq!(problem["errors"][0]["field"], "email");
    assert_eq!(problem["errors"][0]["code"], "taken");
}

async fn updates_need_the_current_etag(app: TestApp) {
    let f = fixture(app).await;
    let (created, etag) = f.create_ok("bo@soroe.dk", "viewer").await;

    let without = f
        .patch(&created["id"], None, json!({"role": "editor"}))
        .await;
    expect_problem(without, StatusCode::PRECONDITION_REQUIRED).await;

    let response = f
        .patch(
            &created["id"],
            Some(&etag),
            json!({"role": "editor", "name": "Bo Bosen"}),
        )
        .await;
    let new_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let updated = expect_json(response, StatusCode::OK).await;
    assert_eq!(
        (updated["role"].as_str(), updated["name"].as_str()),
        (Some("editor"), Some("Bo Bosen"))
    );
    assert_eq!(new_etag, "\"2\"");

    // A writer holding the old ETag changes nothing.
    let stale = f
        .patch(&created["id"], Some(&etag), json!({"role": "admin"}))
        .await;
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let (current, _) = f.get(&created["id"]).await;
    assert_eq!(current["role"], "editor");

    let garbage = f
        .patch(&created["id"], Some("*"), json!({"role": "admin"}))
        .await;
    expect_problem(garbage, StatusCode::PRECONDITION_FAILED).await;

    let invalid = f
        .patch(&created["id"], Some(&new_etag), json!({"name": ""}))
        .await;
    expect_problem(invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
    let unknown_field = f
        .patch(&created["id"], Some(&new_etag), json!({"email": "x@y.dk"}))
        .await;
    expect_problem(unknown_field, StatusCode::BAD_REQUEST).await;
    assert_eq!(f.get(&created["id"]).await.1, new_etag);
}

async fn the_last_admin_cannot_be_removed(app: TestApp) {
    let f = fixture(app).await;
    let me = f.list("?role=admin").await["items"][0].clone();
    let (_, etag) = f.get(&me["id"]).await;
    let demote = f
        .patch(&me["id"], Some(&etag), json!({"role": "viewer"}))
        .await;
    let problem = expect_problem(demote, StatusCode::CONFLICT).await;
    assert_eq!(problem["errors"][0]["code"], "last_admin");
    let deactivate = f
        .app
        .request(
            Method::DELETE,
            &format!("{USERS}/{}", me["id"].as_str().unwrap()),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    expect_problem(deactivate, StatusCode::CONFLICT).await;

    // With a second admin, the first may step down.
    f.create_ok("admin2@soroe.dk", "admin").await;
    let demote = f
        .patch(&me["id"], Some(&etag), json!({"role": "viewer"}))
        .await;
    assert_eq!(demote.status(), StatusCode::OK);
}

async fn deactivation_keeps_history_and_ends_sessions(app: TestApp) {
    let f = fixture(app).await;
    let (created, _) = f.create_ok("bo@soroe.dk", "editor").await;
    let (_, bo_refresh) = f.app.login("bo@soroe.dk").await;
    let path = format!("{USERS}/{}", created["id"].as_str().unwrap());

    let gone = f
        .app
        .request(Method::DELETE, &path, Some(&f.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let (read, etag) = f.get(&created["id"]).await;
    assert_eq!(read["active"], false);
    assert!(read["deactivated_at"].is_string());
    let refresh = f
        .app
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": bo_refresh}))
        .send()
        .await
        .unwrap();
    expect_problem(refresh, StatusCode::UNAUTHORIZED).await;

    // Deactivating again is harmless; a stale If-Match is not.
    let again = f
        .app
        .request(Method::DELETE, &path, Some(&f.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let stale = f
        .app
        .request(Method::DELETE, &path, Some(&f.admin))
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;

    let back = f
        .patch(&created["id"], Some(&etag), json!({"active": true}))
        .await;
    let back = expect_json(back, StatusCode::OK).await;
    assert_eq!(back["active"], true);
    assert!(back.get("deactivated_at").is_none());
    f.app.login("bo@soroe.dk").await;
}

async fn password_changes_end_sessions(app: TestApp) {
    let f = fixture(app).await;
    let (created, etag) = f.create_ok("bo@soroe.dk", "editor").await;
    let (_, refresh_token) = f.app.login("bo@soroe.dk").await;
    let short = f
        .patch(&created["id"], Some(&etag), json!({"password": "kort"}))
        .await;
    expect_problem(short, StatusCode::UNPROCESSABLE_ENTITY).await;
    let changed = f
        .patch(
            &created["id"],
            Some(&etag),
            json!({"password": "Et helt nyt kodeord 2026"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let refresh = f
        .app
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": refresh_token}))
        .send()
        .await
        .unwrap();
    expect_problem(refresh, StatusCode::UNAUTHORIZED).await;
    let old = f.app.login_with("bo@soroe.dk", PASSWORD).await;
    expect_problem(old, StatusCode::UNAUTHORIZED).await;
    let new = f
        .app
        .login_with("bo@soroe.dk", "Et helt nyt kodeord 2026")
        .await;
    assert_eq!(new.status(), StatusCode::OK);
}

async fn lists_page_filter_search_and_sort(app: TestApp) {
    let f = fixture(app).await;
    for (email, role) in [
        ("birgit@soroe.dk", "editor"),
        ("carl@soroe.dk", "viewer"),
        ("dorte@soroe.dk", "viewer"),
        ("erik_50%@soroe.dk", "editor"),
    ] {
        f.create_ok(email, role).await;
    }
    let all = f.list("?page_size=2&sort=email").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["items"][0]["email"], "admin@soroe.dk");
    let page3 = f.list("?page_size=2&page=3&sort=email").await;
    assert_eq!(page3["items"][0]["email"], "erik_50%@soroe.dk");
    assert_eq!(page3["page"], 3);

    let desc = f.list("?sort=-email").await;
    assert_eq!(desc["items"][0]["email"], "erik_50%@soroe.dk");

    let viewers = f.list("?role=viewer").await;
    assert_eq!(viewers["total"], 2);
    let search = f.list("?q=CARL").await;
    assert_eq!(search["total"], 1);
    // LIKE wildcards in the search text are taken literally.
    assert_eq!(f.list("?q=_50%25").await["total"], 1);
    assert_eq!(f.list("?q=%25").await["total"], 1);

    for bad in [
        "?page_size=500",
        "?page=0",
        "?sort=password_hash",
        "?page=abc",
        "?active=maybe",
    ] {
        let response = f
            .app
            .request(Method::GET, &format!("{USERS}{bad}"), Some(&f.admin))
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {status}"
        );
        expect_problem(response, status).await;
    }
}

async fn only_admins_manage_users(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    let admin_id = app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "editor@soroe.dk", Role::Editor)
        .await;
    app.create_user(tenant, "viewer@soroe.dk", Role::Viewer)
        .await;
    for email in ["editor@soroe.dk", "viewer@soroe.dk"] {
        let token = app.token(email).await;
        for (method, path) in [
            (Method::GET, USERS.to_owned()),
            (Method::GET, format!("{USERS}/{admin_id}")),
            (Method::DELETE, format!("{USERS}/{admin_id}")),
        ] {
            let response = app
                .request(method, &path, Some(&token))
                .send()
                .await
                .unwrap();
            expect_problem(response, StatusCode::FORBIDDEN).await;
        }
        let create = app
            .request(Method::POST, USERS, Some(&token))
            .json(
                &json!({"email": "x@soroe.dk", "name": "X", "role": "admin", "password": PASSWORD}),
            )
            .send()
            .await
            .unwrap();
        expect_problem(create, StatusCode::FORBIDDEN).await;
    }
}

async fn changes_are_audited(app: TestApp) {
    use samudbud_domain::entities::audit_event;
    use sea_orm::{EntityTrait, QueryOrder};

    let f = fixture(app).await;
    let (created, etag) = f.create_ok("bo@soroe.dk", "viewer").await;
    f.patch(&created["id"], Some(&etag), json!({"role": "editor"}))
        .await;

    let txn = f.app.db.read(samudbud_domain::Scope::System).await.unwrap();
    let events = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::OccurredAt)
        .all(&txn)
        .await
        .unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action, "user.updated");
    assert_eq!(last.actor_label, "admin@soroe.dk");
    assert_eq!(last.object_id.to_string(), created["id"].as_str().unwrap());
    assert_eq!(last.before.as_ref().unwrap()["role"], "viewer");
    assert_eq!(last.after.as_ref().unwrap()["role"], "editor");
    assert!(last.after.as_ref().unwrap().get("password_hash").is_none());
    assert!(
        events
            .iter()
            .any(|e| e.action == "user.created" && e.object_id == last.object_id)
    );
}
