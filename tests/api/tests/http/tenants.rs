//! Municipalities, for platform operators.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::json;

on_both_databases!(
    operators_create_and_list_municipalities,
    only_operators_manage_municipalities
);

const TENANTS: &str = "/api/v1/tenants";

async fn operators_create_and_list_municipalities(app: TestApp) {
    app.create_operator("drift@samudbud.dk").await;
    let token = app.token("drift@samudbud.dk").await;
    let create = |body: serde_json::Value| {
        app.request(Method::POST, TENANTS, Some(&token))
            .json(&body)
            .send()
    };

    let created =
        create(json!({"name": "Sorø Kommune", "municipality_code": "340", "cvr": "2918 8955"}))
            .await
            .unwrap();
    let created = expect_json(created, StatusCode::CREATED).await;
    assert_eq!(created["municipality_code"], "340");
    assert_eq!(created["cvr"], "29188955");

    let duplicate = create(json!({"name": "Sorø igen", "municipality_code": "340"}))
        .await
        .unwrap();
    expect_problem(duplicate, StatusCode::CONFLICT).await;

    let invalid = create(json!({"name": "", "municipality_code": "34", "cvr": "29188956"}))
        .await
        .unwrap();
    let problem = expect_problem(invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
    let codes: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["required", "invalid", "checksum"]);

    create(json!({"name": "Ringsted Kommune", "municipality_code": "329"}))
        .await
        .unwrap();
    let list = app
        .request(Method::GET, TENANTS, Some(&token))
        .send()
        .await
        .unwrap();
    let list = expect_json(list, StatusCode::OK).await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["municipality_code"], "329");
}

async fn only_operators_manage_municipalities(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    let list = app
        .request(Method::GET, TENANTS, Some(&admin))
        .send()
        .await
        .unwrap();
    expect_problem(list, StatusCode::FORBIDDEN).await;
    let create = app
        .request(Method::POST, TENANTS, Some(&admin))
        .json(&json!({"name": "Ny", "municipality_code": "101"}))
        .send()
        .await
        .unwrap();
    expect_problem(create, StatusCode::FORBIDDEN).await;
}
