//! The audit trail as admins read it.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(admins_read_their_own_trail_with_filters);

async fn admins_read_their_own_trail_with_filters(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(sorø, "laeser@soroe.dk", Role::Viewer).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let other = app.token("admin@ringsted.dk").await;

    let created = app
        .request(Method::POST, "/api/v1/users", Some(&admin))
        .json(
            &json!({"email": "ny@soroe.dk", "name": "Ny", "role": "editor", "password": PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    let created = expect_json(created, StatusCode::CREATED).await;
    app.create_api_client(&admin, "ERP", &["contracts:read"])
        .await;
    app.create_api_client(&other, "Ringsteds ERP", &["contracts:read"])
        .await;

    let read = |query: &'static str, token: String| {
        let app = &app;
        async move {
            let response = app
                .request(
                    Method::GET,
                    &format!("/api/v1/audit-events{query}"),
                    Some(&token),
                )
                .send()
                .await
                .unwrap();
            expect_json(response, StatusCode::OK).await
        }
    };
    let all = read("", admin.clone()).await;
    let actions: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    // Newest first; the command line's user creations are there too.
    assert_eq!(actions[0], "api_client.created");
    assert_eq!(actions[1], "user.created");
    assert!(
        !all.to_string().contains("Ringsteds ERP"),
        "another municipality's trail"
    );
    assert!(!all.to_string().contains("password_hash"));

    let users = read("?action=user.&actor=admin@soroe", admin.clone()).await;
    assert_eq!(users["total"], 1);
    let entry: &Value = &users["items"][0];
    assert_eq!(entry["object_id"], created["id"]);
    assert_eq!(entry["actor"], "admin@soroe.dk");
    // The trail names the person, as the municipality knows them today.
    assert_eq!(entry["actor_name"], "Test admin@soroe.dk");
    // …and finds them by that name, which the recorded label does not hold.
    let by_name = read("?action=user.&actor=TEST%20Admin", admin.clone()).await;
    assert_eq!(by_name["total"], 1);
    assert_eq!(by_name["items"][0]["object_id"], created["id"]);
    let nobody = read("?action=user.&actor=Ingen%20S%C3%A5dan", admin.clone()).await;
    assert_eq!(nobody["total"], 0);
    assert_eq!(entry["after"]["email"], "ny@soroe.dk");

    let clients = read("?object_kind=api_client", admin.clone()).await;
    assert_eq!(clients["total"], 1);
    let future = read("?from=2200-01-01T00:00:00Z", admin.clone()).await;
    assert_eq!(future["total"], 0);

    let viewer = app.token("laeser@soroe.dk").await;
    let denied = app
        .request(Method::GET, "/api/v1/audit-events", Some(&viewer))
        .send()
        .await
        .unwrap();
    expect_problem(denied, StatusCode::FORBIDDEN).await;
    let bad_date = app
        .request(
            Method::GET,
            "/api/v1/audit-events?from=yesterday",
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    expect_problem(bad_date, StatusCode::BAD_REQUEST).await;
}
