//! The answers are what the spec says they are: absent values left out
//! rather than `null`, text fields that take only JSON strings, 405s that
//! name the allowed methods, and the served spec the committed one.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    absent_values_are_left_out_not_null,
    text_fields_refuse_numbers_and_booleans,
    wrong_methods_name_the_allowed_ones,
    the_served_spec_is_the_committed_one,
);

/// The JSON pointers of every `null` in `value`.
fn nulls(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Null => found.push(at.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nulls(item, &format!("{at}/{i}"), found);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                nulls(item, &format!("{at}/{key}"), found);
            }
        }
        _ => {}
    }
}

fn assert_no_nulls(value: &Value) {
    let mut found = Vec::new();
    nulls(value, "", &mut found);
    assert!(found.is_empty(), "nulls at {found:?} in {value}");
}

async fn admin(app: &TestApp) -> String {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.token("admin@soroe.dk").await
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let response = app
        .request(method, &format!("/api/v1{path}"), Some(token))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app
        .request(Method::GET, &format!("/api/v1{path}"), Some(token))
        .send()
        .await
        .unwrap();
    expect_json(response, StatusCode::OK).await
}

async fn absent_values_are_left_out_not_null(app: TestApp) {
    let token = admin(&app).await;
    let supplier = call(
        &app,
        &token,
        Method::POST,
        "/suppliers",
        json!({"cvr": "18957981", "name": "KMD A/S"}),
    )
    .await;
    // Only what must be given: everything optional is absent.
    let system = call(
        &app,
        &token,
        Method::POST,
        "/systems",
        json!({"name": "Opus Økonomi"}),
    )
    .await;
    assert!(system.get("category").is_none(), "{system}");
    let contract = call(
        &app,
        &token,
        Method::POST,
        "/contracts",
        json!({"title": "Økonomisystem", "supplier_id": supplier["id"], "start_on": "2024-01-01"}),
    )
    .await;
    assert!(contract.get("end_on").is_none(), "{contract}");
    assert!(contract.get("annual_value").is_none(), "{contract}");
    let collaboration = call(
        &app,
        &token,
        Method::POST,
        "/collaborations",
        json!({"name": "Midtsjællands IT-samarbejde"}),
    )
    .await;
    let contract_id = contract["id"].as_str().unwrap();
    let system_id = system["id"].as_str().unwrap();
    let collaboration_id = collaboration["id"].as_str().unwrap();
    for path in [
        format!("/contracts/{contract_id}"),
        "/contracts".to_owned(),
        format!("/systems/{system_id}"),
        "/systems".to_owned(),
        "/suppliers".to_owned(),
        "/deadlines".to_owned(),
        "/overview".to_owned(),
        format!("/collaborations/{collaboration_id}"),
        "/collaborations".to_owned(),
        "/users".to_owned(),
        "/me".to_owned(),
    ] {
        assert_no_nulls(&get(&app, &token, &path).await);
    }
}

async fn text_fields_refuse_numbers_and_booleans(app: TestApp) {
    let token = admin(&app).await;
    for body in [
        json!({"name": 42}),
        json!({"name": "Midtsjællands IT-samarbejde", "description": 7.5}),
        json!({"name": true}),
    ] {
        let response = app
            .request(Method::POST, "/api/v1/collaborations", Some(&token))
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_problem(response, StatusCode::BAD_REQUEST).await;
    }
    let response = app
        .request(Method::POST, "/api/v1/systems", Some(&token))
        .json(&json!({"name": 2024}))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::BAD_REQUEST).await;
    // Nothing was created by the refused requests.
    assert_eq!(get(&app, &token, "/collaborations").await["total"], 0);
    assert_eq!(get(&app, &token, "/systems").await["total"], 0);
}

async fn wrong_methods_name_the_allowed_ones(app: TestApp) {
    let token = admin(&app).await;
    let login = app
        .request(Method::PUT, "/api/v1/auth/login", None)
        .send()
        .await
        .unwrap();
    assert_eq!(login.headers()["allow"], "POST");
    expect_problem(login, StatusCode::METHOD_NOT_ALLOWED).await;

    let contract = app
        .request(
            Method::PATCH,
            "/api/v1/contracts/7b0c1f1e-51a4-4f1e-9a53-0d2d8e3b1a11",
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    let allow = contract.headers()["allow"].to_str().unwrap().to_owned();
    let mut methods: Vec<&str> = allow.split(", ").collect();
    methods.sort_unstable();
    assert_eq!(methods, ["DELETE", "GET", "HEAD", "PUT"], "{allow}");
    expect_problem(contract, StatusCode::METHOD_NOT_ALLOWED).await;

    let collection = app
        .request(Method::DELETE, "/api/v1/contracts", Some(&token))
        .send()
        .await
        .unwrap();
    let allow = collection.headers()["allow"].to_str().unwrap().to_owned();
    let mut methods: Vec<&str> = allow.split(", ").collect();
    methods.sort_unstable();
    assert_eq!(methods, ["GET", "HEAD", "POST"], "{allow}");
    expect_problem(collection, StatusCode::METHOD_NOT_ALLOWED).await;

    let unknown = app
        .request(Method::GET, "/api/v1/nothing-here", None)
        .send()
        .await
        .unwrap();
    assert!(unknown.headers().get("allow").is_none());
    expect_problem(unknown, StatusCode::NOT_FOUND).await;
}

async fn the_served_spec_is_the_committed_one(app: TestApp) {
    let served = app
        .request(Method::GET, "/api/v1/openapi.json", None)
        .send()
        .await
        .unwrap();
    let served = expect_json(served, StatusCode::OK).await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("openapi.json")).unwrap();
    assert!(
        served == committed,
        "the served spec differs from openapi/openapi.json"
    );
    assert_eq!(
        served["components"]["schemas"]["NewCollaboration"]["additionalProperties"],
        false
    );
}
