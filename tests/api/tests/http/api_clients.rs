//! API clients: issued by admins, exchanged for tokens, limited by scopes,
//! rotated and revoked.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::json;

on_both_databases!(
    clients_get_tokens_that_act_within_their_scopes,
    the_secret_is_shown_once_and_rotation_replaces_it,
    revoked_clients_lose_access_at_once,
    token_requests_are_validated,
    only_admins_manage_clients,
);

struct Fixture {
    app: TestApp,
    admin: String,
}

async fn fixture(app: TestApp) -> Fixture {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "laeser@soroe.dk", Role::Viewer)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    Fixture { app, admin }
}

async fn clients_get_tokens_that_act_within_their_scopes(app: TestApp) {
    let f = fixture(app).await;
    let (_, client_id, secret) = f
        .app
        .create_api_client(
            &f.admin,
            "Porteføljeværktøj",
            &["collaborations:read", "contracts:read"],
        )
        .await;

    let response = f.app.request_client_token(&client_id, &secret, None).await;
    let token = expect_json(response, StatusCode::OK).await;
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 900);
    assert_eq!(token["scope"], "contracts:read collaborations:read");
    let access = token["access_token"].as_str().unwrap();

    let me = f
        .app
        .request(Method::GET, "/api/v1/me", Some(access))
        .send()
        .await
        .unwrap();
    let me = expect_json(me, StatusCode::OK).await;
    assert_eq!(me["role"], "client");
    assert_eq!(me["tenant"]["municipality_code"], "340");
    let collaborations = f
        .app
        .request(Method::GET, "/api/v1/collaborations", Some(access))
        .send()
        .await
        .unwrap();
    expect_json(collaborations, StatusCode::OK).await;
    // No scope reaches user administration.
    let users = f
        .app
        .request(Method::GET, "/api/v1/users", Some(access))
        .send()
        .await
        .unwrap();
    expect_problem(users, StatusCode::FORBIDDEN).await;

    // A token asked for fewer scopes carries only those.
    let narrow = f
        .app
        .request_client_token(&client_id, &secret, Some("contracts:read"))
        .await;
    let narrow = expect_json(narrow, StatusCode::OK).await;
    assert_eq!(narrow["scope"], "contracts:read");
    let access = narrow["access_token"].as_str().unwrap();
    let collaborations = f
        .app
        .request(Method::GET, "/api/v1/collaborations", Some(access))
        .send()
        .await
        .unwrap();
    expect_problem(collaborations, StatusCode::FORBIDDEN).await;

    // HTTP Basic credentials work as well.
    let basic = f
        .app
        .request(Method::POST, "/api/v1/auth/token", None)
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    expect_json(basic, StatusCode::OK).await;
}

async fn the_secret_is_shown_once_and_rotation_replaces_it(app: TestApp) {
    let f = fixture(app).await;
    let (id, client_id, secret) = f
        .app
        .create_api_client(&f.admin, "ERP", &["contracts:read"])
        .await;
    assert!(secret.starts_with("sbs_") && secret.len() > 40);

    let listed = f
        .app
        .request(Method::GET, "/api/v1/api-clients", Some(&f.admin))
        .send()
        .await
        .unwrap();
    let listed = expect_json(listed, StatusCode::OK).await;
    assert_eq!(listed["total"], 1);
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never shown again"
    );
    assert_eq!(listed["items"][0]["client_id"], client_id.as_str());

    let rotated = f
        .app
        .request(
            Method::POST,
            &format!("/api/v1/api-clients/{id}/rotate-secret"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    let rotated = expect_json(rotated, StatusCode::OK).await;
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    let old = f.app.request_client_token(&client_id, &secret, None).await;
    expect_problem(old, StatusCode::UNAUTHORIZED).await;
    f.app.client_token(&client_id, new_secret).await;

    // Scopes change with If-Match.
    let read = f
        .app
        .request(
            Method::GET,
            &format!("/api/v1/api-clients/{id}"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let changed = f
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/api-clients/{id}"),
            Some(&f.admin),
        )
        .header("if-match", etag)
        .json(&json!({"scopes": ["plans:read", "plans:read"]}))
        .send()
        .await
        .unwrap();
    let changed = expect_json(changed, StatusCode::OK).await;
    assert_eq!(changed["scopes"], json!(["plans:read"]));
}

async fn revoked_clients_lose_access_at_once(app: TestApp) {
    let f = fixture(app).await;
    let (id, client_id, secret) = f
        .app
        .create_api_client(&f.admin, "ERP", &["collaborations:read"])
        .await;
    let access = f.app.client_token(&client_id, &secret).await;

    let revoke = f
        .app
        .request(
            Method::DELETE,
            &format!("/api/v1/api-clients/{id}"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    let still = f
        .app
        .request(Method::GET, "/api/v1/collaborations", Some(&access))
        .send()
        .await
        .unwrap();
    expect_problem(still, StatusCode::UNAUTHORIZED).await;
    let token = f.app.request_client_token(&client_id, &secret, None).await;
    expect_problem(token, StatusCode::UNAUTHORIZED).await;
    let rotate = f
        .app
        .request(
            Method::POST,
            &format!("/api/v1/api-clients/{id}/rotate-secret"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    expect_problem(rotate, StatusCode::CONFLICT).await;
    let read = f
        .app
        .request(
            Method::GET,
            &format!("/api/v1/api-clients/{id}"),
            Some(&f.admin),
        )
        .send()
        .await
        .unwrap();
    assert!(expect_json(read, StatusCode::OK).await["revoked_at"].is_string());
}

async fn token_requests_are_validated(app: TestApp) {
    let f = fixture(app).await;
    let (_, client_id, secret) = f
        .app
        .create_api_client(&f.admin, "ERP", &["contracts:read"])
        .await;

    let not_granted = f
        .app
        .request_client_token(&client_id, &secret, Some("contracts:write"))
        .await;
    expect_problem(not_granted, StatusCode::UNPROCESSABLE_ENTITY).await;
    let wrong_grant = f
        .app
        .request(Method::POST, "/api/v1/auth/token", None)
        .form(&[
            ("grant_type", "password"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    expect_problem(wrong_grant, StatusCode::UNPROCESSABLE_ENTITY).await;
    let no_credentials = f
        .app
        .request(Method::POST, "/api/v1/auth/token", None)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    expect_problem(no_credentials, StatusCode::UNAUTHORIZED).await;
    let json_body = f
        .app
        .request(Method::POST, "/api/v1/auth/token", None)
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    expect_problem(json_body, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    for _ in 0..5 {
        let wrong = f
            .app
            .request_client_token(&client_id, "sbs_wrong", None)
            .await;
        expect_problem(wrong, StatusCode::UNAUTHORIZED).await;
    }
    let throttled = f.app.request_client_token(&client_id, &secret, None).await;
    expect_problem(throttled, StatusCode::TOO_MANY_REQUESTS).await;

    let no_scopes = f
        .app
        .request(Method::POST, "/api/v1/api-clients", Some(&f.admin))
        .json(&json!({"name": "Uden", "scopes": []}))
        .send()
        .await
        .unwrap();
    expect_problem(no_scopes, StatusCode::UNPROCESSABLE_ENTITY).await;
    let unknown_scope = f
        .app
        .request(Method::POST, "/api/v1/api-clients", Some(&f.admin))
        .json(&json!({"name": "Ukendt", "scopes": ["everything"]}))
        .send()
        .await
        .unwrap();
    expect_problem(unknown_scope, StatusCode::BAD_REQUEST).await;
}

async fn only_admins_manage_clients(app: TestApp) {
    let f = fixture(app).await;
    let viewer = f.app.token("laeser@soroe.dk").await;
    let list = f
        .app
        .request(Method::GET, "/api/v1/api-clients", Some(&viewer))
        .send()
        .await
        .unwrap();
    expect_problem(list, StatusCode::FORBIDDEN).await;
    let create = f
        .app
        .request(Method::POST, "/api/v1/api-clients", Some(&viewer))
        .json(&json!({"name": "X", "scopes": ["contracts:read"]}))
        .send()
        .await
        .unwrap();
    expect_problem(create, StatusCode::FORBIDDEN).await;
}
