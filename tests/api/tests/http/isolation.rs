//! Tenant isolation over every operation in the committed OpenAPI document:
//! each is tried without a token and by every role of an unrelated
//! municipality, against the objects of an owner municipality. Nothing of
//! the owner may leak and nothing of the owner may change. An operation
//! without a probe here fails the test, so no new endpoint can skip it.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, on_both_databases};
use samudbud_domain::Role;
use samudbud_domain::entities::{refresh_token, user};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(no_operation_leaks_or_changes_another_municipality_s_data);

/// What the owner municipality has, for probes to aim at.
struct Owner {
    user_id: Uuid,
    admin_email: String,
    refresh_token: String,
    /// Strings that must never appear in a response to someone else.
    secrets: Vec<String>,
}

/// How the owner's data may be reached through one operation.
struct Probe {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Anyone may call it (login and session endpoints).
    public: bool,
}

fn probe(method: Method, path: String, body: Option<Value>) -> Probe {
    Probe {
        method,
        path,
        body,
        public: false,
    }
}

/// One probe per operation of the spec, keyed by operation id.
fn probes(owner: &Owner) -> Vec<(&'static str, Probe)> {
    let user = format!("/users/{}", owner.user_id);
    vec![
        (
            "login",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/login".into(),
                    Some(json!({"email": owner.admin_email, "password": "a guess"})),
                )
            },
        ),
        (
            "refreshToken",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/refresh".into(),
                    Some(json!({"refresh_token": format!("{}x", owner.refresh_token)})),
                )
            },
        ),
        (
            "logout",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/logout".into(),
                    Some(json!({"refresh_token": format!("{}x", owner.refresh_token)})),
                )
            },
        ),
        ("getMe", probe(Method::GET, "/me".into(), None)),
        (
            "listUsers",
            probe(Method::GET, format!("/users?q={}", owner.admin_email), None),
        ),
        (
            "createUser",
            probe(
                Method::POST,
                "/users".into(),
                Some(
                    json!({"email": format!("{}@intruder.dk", Uuid::new_v4()), "name": "Indtrænger", "role": "admin", "password": PASSWORD}),
                ),
            ),
        ),
        ("getUser", probe(Method::GET, user.clone(), None)),
        (
            "updateUser",
            probe(
                Method::PATCH,
                user.clone(),
                Some(json!({"role": "viewer", "active": false})),
            ),
        ),
        ("deactivateUser", probe(Method::DELETE, user, None)),
        ("listTenants", probe(Method::GET, "/tenants".into(), None)),
        (
            "createTenant",
            probe(
                Method::POST,
                "/tenants".into(),
                Some(json!({"name": "Falsk Kommune", "municipality_code": "101"})),
            ),
        ),
    ]
}

/// Every operation id in the committed spec, with method and path.
fn spec_operations() -> Vec<(String, String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("openapi.json"))
        .expect("valid JSON");
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let id = operation["operationId"]
                .as_str()
                .expect("operationId")
                .to_owned();
            operations.push((id, method.to_uppercase(), path.clone()));
        }
    }
    operations
}

/// The owner's rows that matter, to compare before and after.
async fn owner_state(app: &TestApp) -> Vec<String> {
    let txn = app.db.read(samudbud_domain::Scope::System).await.unwrap();
    let users = user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(&txn)
        .await
        .unwrap();
    let tokens = refresh_token::Entity::find()
        .order_by_asc(refresh_token::Column::Id)
        .all(&txn)
        .await
        .unwrap();
    let mut state: Vec<String> = users
        .into_iter()
        .filter(|u| !u.email.ends_with("@intruder.dk"))
        .map(|u| {
            format!(
                "{} {} {} {} {}",
                u.email, u.role, u.active, u.version, u.password_hash
            )
        })
        .collect();
    state.extend(
        tokens
            .into_iter()
            .map(|t| format!("{} {:?}", t.id, t.revoked_at.is_some())),
    );
    state
}

async fn no_operation_leaks_or_changes_another_municipality_s_data(app: TestApp) {
    let owner_tenant = app.create_tenant("Sorø Kommune", "340").await;
    let owner_admin = app
        .create_user(owner_tenant, "admin@soroe.dk", Role::Admin)
        .await;
    let owner_user = app
        .create_user(owner_tenant, "hemmelig.person@soroe.dk", Role::Editor)
        .await;
    let (_, refresh_token) = app.login("admin@soroe.dk").await;
    let owner = Owner {
        user_id: owner_user,
        admin_email: "admin@soroe.dk".into(),
        refresh_token,
        secrets: vec![
            owner_admin.to_string(),
            owner_user.to_string(),
            owner_tenant.to_string(),
            "hemmelig.person@soroe.dk".into(),
            "Sorø".into(),
        ],
    };

    let intruder_tenant = app.create_tenant("Ringsted Kommune", "329").await;
    let mut intruders = vec![("no token", None)];
    for (email, role) in [
        ("admin@ringsted.dk", Role::Admin),
        ("redaktoer@ringsted.dk", Role::Editor),
        ("laeser@ringsted.dk", Role::Viewer),
    ] {
        app.create_user(intruder_tenant, email, role).await;
        intruders.push((email, Some(app.token(email).await)));
    }

    let probes = probes(&owner);
    let spec = spec_operations();
    let probed: BTreeSet<&str> = probes.iter().map(|(id, _)| *id).collect();
    let missing: Vec<&String> = spec
        .iter()
        .map(|(id, _, _)| id)
        .filter(|id| !probed.contains(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an isolation probe: {missing:?}"
    );

    let before = owner_state(&app).await;
    let mut tried = 0;
    for (operation, method, path) in &spec {
        let (_, probe) = probes
            .iter()
            .find(|(id, _)| id == operation)
            .expect("probed");
        assert_eq!(&probe.method.to_string(), method, "{operation}");
        let template = path.split('{').next().unwrap_or(path);
        assert!(
            probe.path.starts_with(template),
            "{operation}: {} vs {path}",
            probe.path
        );

        for (who, token) in &intruders {
            let mut request = app.request(
                probe.method.clone(),
                &format!("/api/v1{}", probe.path),
                token.as_deref(),
            );
            if let Some(body) = &probe.body {
                request = request.json(body);
            }
            if probe.method == Method::PATCH {
                request = request.header("if-match", "\"1\"");
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            tried += 1;

            if token.is_none() && !probe.public {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{operation} without a token: {body}"
                );
            }
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "{operation} as {who}: {body}"
            );
            for secret in &owner.secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{operation} as {who} leaked {secret}: {body}"
                );
            }
        }
    }
    assert_eq!(owner_state(&app).await, before, "the owner's data changed");
    assert_eq!(tried, spec.len() * intruders.len());
    eprintln!(
        "isolation: {} operations × {} principals = {tried} requests",
        spec.len(),
        intruders.len()
    );
}
