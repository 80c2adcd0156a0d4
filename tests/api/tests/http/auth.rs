//! Login, refresh rotation and reuse detection, logout, throttling.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::json;

on_both_databases!(
    login_issues_tokens_and_me_describes_the_user,
    wrong_credentials_are_refused_alike,
    login_input_errors_are_problems,
    refresh_rotates_and_reuse_revokes_the_session,
    concurrent_refreshes_of_one_token_succeed_once,
    logout_ends_the_session,
    failed_logins_are_throttled_per_account,
    failed_logins_are_throttled_per_address,
    bad_tokens_are_refused,
    operators_log_in_without_a_municipality,
);

async fn login_issues_tokens_and_me_describes_the_user(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    let user_id = app.create_user(tenant, "Anne@Soroe.dk", Role::Editor).await;

    // The e-mail is matched however it is typed.
    let response = app.login_with("  ANNE@soroe.dk ", PASSWORD).await;
    let tokens = expect_json(response, StatusCode::OK).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a JWT");

    let me = app
        .request(Method::GET, "/api/v1/me", Some(access))
        .send()
        .await
        .unwrap();
    let me = expect_json(me, StatusCode::OK).await;
    assert_eq!(me["id"], user_id.to_string());
    assert_eq!(me["email"], "anne@soroe.dk");
    assert_eq!(me["role"], "editor");
    assert_eq!(me["tenant"]["id"], tenant.to_string());
    assert_eq!(me["tenant"]["name"], "Sorø Kommune");
    assert_eq!(me["tenant"]["municipality_code"], "340");
}

async fn wrong_credentials_are_refused_alike(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;

    let wrong_password = app.login_with("anne@soroe.dk", "not the password").await;
    let unknown_user = app.login_with("nobody@soroe.dk", PASSWORD).await;
    let a = expect_problem(wrong_password, StatusCode::UNAUTHORIZED).await;
    let b = expect_problem(unknown_user, StatusCode::UNAUTHORIZED).await;
    assert_eq!(a["detail"], b["detail"], "no hint which part was wrong");
}

async fn login_input_errors_are_problems(app: TestApp) {
    let empty = app.login_with("", "").await;
    let problem = expect_problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);

    let missing_field = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .json(&json!({"email": "a@b.dk"}))
        .send()
        .await
        .unwrap();
    expect_problem(missing_field, StatusCode::BAD_REQUEST).await;

    let unknown_field = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .json(&json!({"email": "a@b.dk", "password": "x", "remember": true}))
        .send()
        .await
        .unwrap();
    expect_problem(unknown_field, StatusCode::BAD_REQUEST).await;
}

async fn refresh_rotates_and_reuse_revokes_the_session(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let (_, first) = app.login("anne@soroe.dk").await;

    let rotated = expect_json(app.refresh(&first).await, StatusCode::OK).await;
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    let access = rotated["access_token"].as_str().unwrap();
    let me = app
        .request(Method::GET, "/api/v1/me", Some(access))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // The first token again: someone copied it. The whole session ends …
    expect_problem(app.refresh(&first).await, StatusCode::UNAUTHORIZED).await;
    // … including the token the legitimate client holds now.
    expect_problem(app.refresh(&second).await, StatusCode::UNAUTHORIZED).await;

    // Another login is another session, untouched.
    let (_, other) = app.login("anne@soroe.dk").await;
    expect_json(app.refresh(&other).await, StatusCode::OK).await;

    expect_problem(app.refresh("made-up").await, StatusCode::UNAUTHORIZED).await;
}

async fn concurrent_refreshes_of_one_token_succeed_once(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let (_, token) = app.login("anne@soroe.dk").await;

    let attempts = futures::future::join_all((0..4).map(|_| app.refresh(&token))).await;
    let succeeded = attempts
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    assert_eq!(
        succeeded,
        1,
        "{:?}",
        attempts.iter().map(|r| r.status()).collect::<Vec<_>>()
    );
    assert!(
        attempts
            .iter()
            .all(|r| r.status() == StatusCode::OK || r.status() == StatusCode::UNAUTHORIZED)
    );
}

async fn logout_ends_the_session(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let (_, token) = app.login("anne@soroe.dk").await;

    let logout = app
        .request(Method::POST, "/api/v1/auth/logout", None)
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    expect_problem(app.refresh(&token).await, StatusCode::UNAUTHORIZED).await;

    // Twice is harmless.
    let again = app
        .request(Method::POST, "/api/v1/auth/logout", None)
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
}

async fn failed_logins_are_throttled_per_account(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "bo@soroe.dk", Role::Viewer).await;

    for _ in 0..5 {
        let response = app.login_with("anne@soroe.dk", "guess").await;
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
    }
    // Now even the right password waits.
    let locked = app.login_with("anne@soroe.dk", PASSWORD).await;
    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;

    // Another account from the same address is not affected.
    app.login("bo@soroe.dk").await;
}

async fn failed_logins_are_throttled_per_address(app: TestApp) {
    let app = &app;
    let from = |address: &'static str| {
        move |email: String| {
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("x-forwarded-for", address)
                .json(&json!({"email": email, "password": "guess"}))
                .send()
        }
    };
    let attacker = from("203.0.113.7");
    for n in 0..30 {
        let response = attacker(format!("user{n}@example.dk")).await.unwrap();
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
    }
    let refused = attacker("one-more@example.dk".into()).await.unwrap();
    expect_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;

    let bystander = from("198.51.100.1");
    let response = bystander("someone@example.dk".into()).await.unwrap();
    expect_problem(response, StatusCode::UNAUTHORIZED).await;
}

async fn bad_tokens_are_refused(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    let id = app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "bo@soroe.dk", Role::Admin).await;
    let token = app.token("anne@soroe.dk").await;

    for bad in ["garbage", "a.b.c", &format!("{token}x")] {
        let response = app
            .request(Method::GET, "/api/v1/me", Some(bad))
            .send()
            .await
            .unwrap();
        let www = response.headers().get("www-authenticate").cloned();
        expect_problem(response, StatusCode::UNAUTHORIZED).await;
        assert!(www.is_some());
    }

    // A deactivated user's unexpired token stops working at once.
    let bo = app.token("bo@soroe.dk").await;
    let deactivate = app
        .request(Method::DELETE, &format!("/api/v1/users/{id}"), Some(&bo))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivate.status(), StatusCode::NO_CONTENT);
    let response = app
        .request(Method::GET, "/api/v1/me", Some(&token))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNAUTHORIZED).await;
    let login = app.login_with("anne@soroe.dk", PASSWORD).await;
    expect_problem(login, StatusCode::UNAUTHORIZED).await;
}

async fn operators_log_in_without_a_municipality(app: TestApp) {
    app.create_operator("drift@samudbud.dk").await;
    let token = app.token("drift@samudbud.dk").await;
    let me = app
        .request(Method::GET, "/api/v1/me", Some(&token))
        .send()
        .await
        .unwrap();
    let me = expect_json(me, StatusCode::OK).await;
    assert_eq!(me["role"], "operator");
    assert!(me["tenant"].is_null());
}
