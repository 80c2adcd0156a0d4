//! Collaborations: invitations, membership, leaving, shares ending with it.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::principal::TenantId;
use samudbud_domain::shares;
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(
    the_invitation_flow_between_municipalities,
    non_members_see_nothing,
    only_admins_of_coordinators_manage,
    invitations_are_validated,
    a_collaboration_keeps_a_coordinator,
    shares_are_visible_only_to_active_members,
    coordinators_remove_members_and_rename,
);

struct Three {
    app: TestApp,
    tenants: Vec<TenantId>,
    admins: Vec<String>,
}

async fn three(app: TestApp) -> Three {
    let (tenants, admins) = app.three_municipalities().await;
    Three {
        app,
        tenants,
        admins,
    }
}

impl Three {
    async fn call(
        &self,
        who: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request =
            self.app
                .request(method, &format!("/api/v1{path}"), Some(&self.admins[who]));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    async fn create(&self, who: usize, name: &str) -> Value {
        let response = self
            .call(
                who,
                Method::POST,
                "/collaborations",
                Some(json!({"name": name})),
            )
            .await;
        expect_json(response, StatusCode::CREATED).await
    }

    async fn invite(&self, who: usize, id: &str, code: &str) -> reqwest::Response {
        self.call(
            who,
            Method::POST,
            &format!("/collaborations/{id}/invitations"),
            Some(json!({"municipality_code": code})),
        )
        .await
    }

    async fn join(&self, id: &str, who: usize, code: &str) {
        expect_json(self.invite(0, id, code).await, StatusCode::OK).await;
        let accepted = self
            .call(
                who,
                Method::POST,
                &format!("/collaborations/{id}/accept"),
                None,
            )
            .await;
        expect_json(accepted, StatusCode::OK).await;
    }
}

fn statuses(collaboration: &Value) -> Vec<(String, String, String)> {
    collaboration["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["municipality_code"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
                m["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn the_invitation_flow_between_municipalities(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Midtsjællands IT-samarbejde").await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["my_role"], "coordinator");
    assert_eq!(created["my_status"], "active");

    let invited = expect_json(t.invite(0, id, "329").await, StatusCode::OK).await;
    assert_eq!(
        statuses(&invited),
        [
            ("340".into(), "coordinator".into(), "active".into()),
            ("329".into(), "member".into(), "invited".into())
        ]
    );
    t.invite(0, id, "370").await;

    // Ringsted sees the invitation among its pending ones.
    let pending = t
        .call(1, Method::GET, "/collaborations?status=invited", None)
        .await;
    let pending = expect_json(pending, StatusCode::OK).await;
    assert_eq!(pending["total"], 1);
    assert_eq!(pending["items"][0]["name"], "Midtsjællands IT-samarbejde");
    assert_eq!(pending["items"][0]["my_status"], "invited");

    let accepted = t
        .call(
            1,
            Method::POST,
            &format!("/collaborations/{id}/accept"),
            None,
        )
        .await;
    let accepted = expect_json(accepted, StatusCode::OK).await;
    assert_eq!(accepted["my_status"], "active");
    let declined = t
        .call(
            2,
            Method::POST,
            &format!("/collaborations/{id}/decline"),
            None,
        )
        .await;
    expect_json(declined, StatusCode::OK).await;
    // Næstved declined: the collaboration is gone from its view.
    let gone = t
        .call(2, Method::GET, &format!("/collaborations/{id}"), None)
        .await;
    expect_problem(gone, StatusCode::NOT_FOUND).await;
    let answered_twice = t
        .call(
            1,
            Method::POST,
            &format!("/collaborations/{id}/accept"),
            None,
        )
        .await;
    expect_problem(answered_twice, StatusCode::CONFLICT).await;

    // Every member's users, viewers too, read it.
    let viewer = t.app.token("laeser@ringsted.dk").await;
    let read = t
        .app
        .request(
            Method::GET,
            &format!("/api/v1/collaborations/{id}"),
            Some(&viewer),
        )
        .send()
        .await
        .unwrap();
    let read = expect_json(read, StatusCode::OK).await;
    assert_eq!(
        statuses(&read),
        [
            ("340".into(), "coordinator".into(), "active".into()),
            ("329".into(), "member".into(), "active".into()),
            ("370".into(), "member".into(), "declined".into())
        ]
    );

    // Ringsted leaves, and can be invited again.
    let left = t
        .call(
            1,
            Method::POST,
            &format!("/collaborations/{id}/leave"),
            None,
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let list = expect_json(
        t.call(1, Method::GET, "/collaborations", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 0);
    expect_json(t.invite(0, id, "329").await, StatusCode::OK).await;
}

async fn non_members_see_nothing(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Sorøs eget").await;
    let id = created["id"].as_str().unwrap();
    for path in [format!("/collaborations/{id}")] {
        let response = t.call(1, Method::GET, &path, None).await;
        expect_problem(response, StatusCode::NOT_FOUND).await;
    }
    let list = expect_json(
        t.call(1, Method::GET, "/collaborations", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 0);
    let random = t
        .call(
            0,
            Method::GET,
            &format!("/collaborations/{}", Uuid::new_v4()),
            None,
        )
        .await;
    expect_problem(random, StatusCode::NOT_FOUND).await;
}

async fn only_admins_of_coordinators_manage(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Samarbejdet").await;
    let id = created["id"].as_str().unwrap().to_owned();
    t.join(&id, 1, "329").await;

    // A plain member cannot invite; a viewer cannot create or accept.
    let by_member = t.invite(1, &id, "370").await;
    expect_problem(by_member, StatusCode::FORBIDDEN).await;
    let viewer = t.app.token("laeser@soroe.dk").await;
    let create = t
        .app
        .request(Method::POST, "/api/v1/collaborations", Some(&viewer))
        .json(&json!({"name": "Læserens"}))
        .send()
        .await
        .unwrap();
    expect_problem(create, StatusCode::FORBIDDEN).await;
    let invite = t
        .app
        .request(
            Method::POST,
            &format!("/api/v1/collaborations/{id}/invitations"),
            Some(&viewer),
        )
        .json(&json!({"municipality_code": "370"}))
        .send()
        .await
        .unwrap();
    expect_problem(invite, StatusCode::FORBIDDEN).await;
}

async fn invitations_are_validated(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Samarbejdet").await;
    let id = created["id"].as_str().unwrap();
    let unknown = t.invite(0, id, "101").await;
    let problem = expect_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["code"], "unknown");
    let malformed = t.invite(0, id, "1x1").await;
    expect_problem(malformed, StatusCode::UNPROCESSABLE_ENTITY).await;
    let itself = t.invite(0, id, "340").await;
    expect_problem(itself, StatusCode::CONFLICT).await;
    expect_json(t.invite(0, id, "329").await, StatusCode::OK).await;
    let twice = t.invite(0, id, "329").await;
    expect_problem(twice, StatusCode::CONFLICT).await;
    let nameless = t
        .call(
            0,
            Method::POST,
            "/collaborations",
            Some(json!({"name": " "})),
        )
        .await;
    expect_problem(nameless, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn a_collaboration_keeps_a_coordinator(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Samarbejdet").await;
    let id = created["id"].as_str().unwrap().to_owned();
    t.join(&id, 1, "329").await;

    let leave = t
        .call(
            0,
            Method::POST,
            &format!("/collaborations/{id}/leave"),
            None,
        )
        .await;
    expect_problem(leave, StatusCode::CONFLICT).await;

    let ringsted = t.tenants[1];
    let promoted = t
        .call(
            0,
            Method::PATCH,
            &format!("/collaborations/{id}/members/{ringsted}"),
            Some(json!({"role": "coordinator"})),
        )
        .await;
    expect_json(promoted, StatusCode::OK).await;
    let leave = t
        .call(
            0,
            Method::POST,
            &format!("/collaborations/{id}/leave"),
            None,
        )
        .await;
    assert_eq!(leave.status(), StatusCode::NO_CONTENT);
    let read = expect_json(
        t.call(1, Method::GET, &format!("/collaborations/{id}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["my_role"], "coordinator");
}

async fn shares_are_visible_only_to_active_members(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Samarbejdet").await;
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();
    t.join(&id.to_string(), 1, "329").await;
    let (sorø, ringsted, næstved) = (t.tenants[0], t.tenants[1], t.tenants[2]);
    let object = Uuid::new_v4();

    let db = &t.app.db;
    let txn = db
        .write(samudbud_domain::Scope::Tenant(sorø))
        .await
        .unwrap();
    shares::share_object(&txn, sorø, "contract", object, id, None)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let txn = db
        .write(samudbud_domain::Scope::Tenant(sorø))
        .await
        .unwrap();
    let twice = shares::share_object(&txn, sorø, "contract", object, id, None).await;
    assert!(matches!(
        twice,
        Err(samudbud_domain::DomainError::Conflict { .. })
    ));
    drop(txn);
    // Næstved is no member, and cannot share into the collaboration either.
    let txn = db
        .write(samudbud_domain::Scope::Tenant(næstved))
        .await
        .unwrap();
    let outsider = shares::share_object(&txn, næstved, "contract", Uuid::new_v4(), id, None).await;
    assert!(matches!(
        outsider,
        Err(samudbud_domain::DomainError::Validation(_))
    ));
    drop(txn);

    let visible = |tenant: TenantId| async move {
        let txn = db
            .read(samudbud_domain::Scope::Tenant(tenant))
            .await
            .unwrap();
        shares::visible_to(&txn, tenant, "contract").await.unwrap()
    };
    assert_eq!(visible(ringsted).await, vec![(object, sorø.0)]);
    assert!(visible(næstved).await.is_empty());
    assert!(
        visible(sorø).await.is_empty(),
        "one's own objects are not shares"
    );

    // Sorø hands coordination over and leaves: its shares end with it.
    t.call(
        0,
        Method::PATCH,
        &format!("/collaborations/{id}/members/{ringsted}"),
        Some(json!({"role": "coordinator"})),
    )
    .await;
    let left = t
        .call(
            0,
            Method::POST,
            &format!("/collaborations/{id}/leave"),
            None,
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    assert!(visible(ringsted).await.is_empty());
    let txn = db.read(samudbud_domain::Scope::Tenant(sorø)).await.unwrap();
    assert!(
        shares::shares_of(&txn, sorø, "contract", object)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn coordinators_remove_members_and_rename(app: TestApp) {
    let t = three(app).await;
    let created = t.create(0, "Samarbejdet").await;
    let id = created["id"].as_str().unwrap().to_owned();
    t.join(&id, 1, "329").await;
    let ringsted = t.tenants[1];

    let removed = t
        .call(
            0,
            Method::DELETE,
            &format!("/collaborations/{id}/members/{ringsted}"),
            None,
        )
        .await;
    let removed = expect_json(removed, StatusCode::OK).await;
    assert!(statuses(&removed).contains(&("329".into(), "member".into(), "removed".into())));
    let gone = t
        .call(1, Method::GET, &format!("/collaborations/{id}"), None)
        .await;
    expect_problem(gone, StatusCode::NOT_FOUND).await;

    let read = t
        .call(0, Method::GET, &format!("/collaborations/{id}"), None)
        .await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let renamed = t
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/collaborations/{id}"),
            Some(&t.admins[0]),
        )
        .header("if-match", &etag)
        .json(&json!({"name": "Nyt navn", "description": "Fælles udbud"}))
        .send()
        .await
        .unwrap();
    let renamed = expect_json(renamed, StatusCode::OK).await;
    assert_eq!(renamed["name"], "Nyt navn");
    let stale = t
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/collaborations/{id}"),
            Some(&t.admins[0]),
        )
        .header("if-match", &etag)
        .json(&json!({"name": "Forældet"}))
        .send()
        .await
        .unwrap();
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
}
