//! How long a login lasts, and who may read the metrics.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    TestApp, expect_json, expect_problem, on_both_databases, on_both_databases_with,
};
use samudbud_domain::Role;
use samudbud_server::config::Settings;

on_both_databases!(
    metrics_by_default_only_for_this_machine,
    odd_methods_share_one_label
);

on_both_databases_with!(short_sessions, four_second_sessions;
    refreshing_does_not_outlive_the_session,
);

on_both_databases_with!(metrics_token, metrics_behind_a_token;
    metrics_need_the_token,
);

on_both_databases_with!(metrics_address, metrics_on_their_own_address;
    metrics_are_served_only_on_their_own_address,
);

const SESSION_SECS: i64 = 4;

fn four_second_sessions(settings: &mut Settings) {
    settings.session_lifetime = chrono::Duration::seconds(SESSION_SECS);
}

const METRICS_TOKEN: &str = "a-token-for-prometheus-only";

fn metrics_behind_a_token(settings: &mut Settings) {
    settings.metrics.token = Some(METRICS_TOKEN.to_owned());
}

fn metrics_on_their_own_address(settings: &mut Settings) {
    settings.metrics.addr = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
}

async fn refreshing_does_not_outlive_the_session(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    // The session starts after this instant.
    let started = Instant::now();
    let login = app
        .login_with("anne@soroe.dk", samudbud_api_tests::PASSWORD)
        .await;
    let login = expect_json(login, StatusCode::OK).await;
    // The access token ends with the session, not 15 minutes later.
    let expires_in = login["expires_in"].as_i64().unwrap();
    assert!((0..=SESSION_SECS).contains(&expires_in), "{login}");

    let mut token = login["refresh_token"].as_str().unwrap().to_owned();
    let pair = expect_json(app.refresh(&token).await, StatusCode::OK).await;
    token = pair["refresh_token"].as_str().unwrap().to_owned();
    // Halfway through, refreshing still works...
    tokio::time::sleep_until((started + Duration::from_millis(2_500)).into()).await;
    let pair = expect_json(app.refresh(&token).await, StatusCode::OK).await;
    assert!(pair["expires_in"].as_i64().unwrap() <= 2, "{pair}");
    token = pair["refresh_token"].as_str().unwrap().to_owned();
    // ...but the session still ends four seconds after the login.
    tokio::time::sleep_until((started + Duration::from_millis(4_500)).into()).await;
    let problem = expect_problem(app.refresh(&token).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(problem["detail"], "the session has expired", "{problem}");
}

async fn metrics_by_default_only_for_this_machine(app: TestApp) {
    let local = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(local.status(), StatusCode::OK);
    // Forwarded by a proxy on this machine: from elsewhere.
    let forwarded = app
        .request(Method::GET, "/metrics", None)
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    expect_problem(forwarded, StatusCode::FORBIDDEN).await;
}

async fn odd_methods_share_one_label(app: TestApp) {
    for method in ["FOOBAR", "BAZQUUX"] {
        app.request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            "/api/v1/me",
            None,
        )
        .send()
        .await
        .unwrap();
    }
    let text = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !text.contains("FOOBAR") && !text.contains("BAZQUUX"),
        "{text}"
    );
    assert!(text.contains(r#"method="other""#), "{text}");
    // Paths never become labels.
    app.request(Method::GET, "/api/v1/contracts/not-an-id", None)
        .send()
        .await
        .unwrap();
    let text = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains("not-an-id"), "{text}");
}

async fn metrics_need_the_token(app: TestApp) {
    let without = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert!(without.headers().contains_key("www-authenticate"));
    expect_problem(without, StatusCode::UNAUTHORIZED).await;
    let wrong = app
        .request(Method::GET, "/metrics", Some("not-the-token"))
        .send()
        .await
        .unwrap();
    expect_problem(wrong, StatusCode::UNAUTHORIZED).await;
    // A user's access token is no metrics token.
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let admin = app.token("anne@soroe.dk").await;
    let user = app
        .request(Method::GET, "/metrics", Some(&admin))
        .send()
        .await
        .unwrap();
    expect_problem(user, StatusCode::UNAUTHORIZED).await;

    let with = app
        .request(Method::GET, "/metrics", Some(METRICS_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::OK);
    assert!(
        with.text()
            .await
            .unwrap()
            .contains("samudbud_http_requests_total")
    );
}

async fn metrics_are_served_only_on_their_own_address(app: TestApp) {
    let public = app
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    app.request(Method::GET, "/api/v1/me", None)
        .send()
        .await
        .unwrap();
    let internal = app.metrics_base.as_deref().expect("a metrics address");
    let metrics = app
        .client
        .get(format!("{internal}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains(
            r#"samudbud_http_requests_total{method="GET",operation="getMe",status="401"} 1"#
        ),
        "{text}"
    );
    // The internal address serves nothing else.
    let api = app
        .client
        .get(format!("{internal}/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
}
