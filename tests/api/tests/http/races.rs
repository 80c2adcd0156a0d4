//! Rules that must hold when requests arrive at the same moment: login
//! throttling, the last admin of a municipality, the last coordinator of a
//! collaboration.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    parallel_wrong_passwords_are_evaluated_at_most_five_times,
    parallel_unknown_emails_from_one_address_pass_at_most_thirty_times,
    parallel_client_secrets_are_evaluated_at_most_five_times,
    admins_deactivating_each_other_at_once_leave_one_admin,
    coordinators_leaving_at_once_leave_one_coordinator,
);

/// How many of `statuses` are `status`.
fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn parallel_wrong_passwords_are_evaluated_at_most_five_times(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let app = &app;

    let answers = join_all(
        (0..20)
            .map(|n| async move { app.login_with("anne@soroe.dk", &format!("guess-{n}")).await }),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(reqwest::Response::status).collect();
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        5,
        "exactly five evaluated: {statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        15,
        "{statuses:?}"
    );
    for answer in answers
        .into_iter()
        .filter(|a| a.status() == StatusCode::TOO_MANY_REQUESTS)
    {
        assert!(answer.headers().contains_key("retry-after"));
        expect_problem(answer, StatusCode::TOO_MANY_REQUESTS).await;
    }
    // The account stays locked, for the right password too.
    let locked = app.login_with("anne@soroe.dk", PASSWORD).await;
    expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
}

async fn parallel_unknown_emails_from_one_address_pass_at_most_thirty_times(app: TestApp) {
    let app = &app;
    let attempt = |from: &'static str, email: String| async move {
        app.request(Method::POST, "/api/v1/auth/login", None)
            .header("x-forwarded-for", from)
            .json(&json!({"email": email, "password": "guess"}))
            .send()
            .await
            .unwrap()
            .status()
    };
    let statuses =
        join_all((0..40).map(|n| attempt("203.0.113.9", format!("nobody{n}@example.dk")))).await;
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        30,
        "exactly thirty evaluated: {statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        10,
        "{statuses:?}"
    );
    // Whatever the client writes in front of the address the proxy saw
    // does not make it someone else.
    let spoofed = attempt("198.51.100.77, 203.0.113.9", "one-more@example.dk".into()).await;
    assert_eq!(spoofed, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not affected.
    let bystander = attempt("198.51.100.1", "someone@example.dk".into()).await;
    assert_eq!(bystander, StatusCode::UNAUTHORIZED);
}

async fn parallel_client_secrets_are_evaluated_at_most_five_times(app: TestApp) {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "anne@soroe.dk", Role::Admin).await;
    let admin = app.token("anne@soroe.dk").await;
    let (_, client_id, secret) = app
        .create_api_client(&admin, "Porteføljeværktøj", &["contracts:read"])
        .await;
    let app = &app;

    let answers = join_all((0..20).map(|n| {
        let client_id = &client_id;
        async move {
            app.request_client_token(client_id, &format!("wrong-{n}"), None)
                .await
        }
    }))
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(reqwest::Response::status).collect();
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        15,
        "{statuses:?}"
    );
    let locked = app.request_client_token(&client_id, &secret, None).await;
    expect_problem(locked, StatusCode::TOO_MANY_REQUESTS).await;
}

const ROUNDS: usize = 10;

async fn admins_deactivating_each_other_at_once_leave_one_admin(app: TestApp) {
    let mut refused_as_last_admin = 0;
    for round in 0..ROUNDS {
        let tenant = app
            .create_tenant(&format!("Kommune {round}"), &format!("{}", 400 + round))
            .await;
        let emails = [
            format!("a{round}@kommune.dk"),
            format!("b{round}@kommune.dk"),
        ];
        let ids = [
            app.create_user(tenant, &emails[0], Role::Admin).await,
            app.create_user(tenant, &emails[1], Role::Admin).await,
        ];
        let tokens = [app.token(&emails[0]).await, app.token(&emails[1]).await];

        let (first, second) = tokio::join!(
            app.request(
                Method::DELETE,
                &format!("/api/v1/users/{}", ids[1]),
                Some(&tokens[0])
            )
            .send(),
            app.request(
                Method::DELETE,
                &format!("/api/v1/users/{}", ids[0]),
                Some(&tokens[1])
            )
            .send(),
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        let statuses = [first.status(), second.status()];
        assert_eq!(
            count(&statuses, StatusCode::NO_CONTENT),
            1,
            "round {round}: exactly one deactivation wins: {statuses:?}"
        );
        let loser = if statuses[0] == StatusCode::NO_CONTENT {
            second
        } else {
            first
        };
        // The loser either counted the admins after the winner's change
        // (409), or arrived when its own account was already deactivated.
        if loser.status() == StatusCode::CONFLICT {
            let problem = expect_problem(loser, StatusCode::CONFLICT).await;
            assert_eq!(problem["errors"][0]["code"], "last_admin", "{problem}");
            refused_as_last_admin += 1;
        } else {
            expect_problem(loser, StatusCode::UNAUTHORIZED).await;
        }

        let winner_token = &tokens[usize::from(statuses[0] != StatusCode::NO_CONTENT)];
        let users = app
            .request(Method::GET, "/api/v1/users", Some(winner_token))
            .send()
            .await
            .unwrap();
        let users = expect_json(users, StatusCode::OK).await;
        let active_admins = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["role"] == "admin" && u["active"] == true)
            .count();
        assert_eq!(active_admins, 1, "round {round}: {users}");
    }
    eprintln!("{refused_as_last_admin} of {ROUNDS} rounds refused as the last admin");
}

async fn coordinators_leaving_at_once_leave_one_coordinator(app: TestApp) {
    let (tenants, admins) = app.three_municipalities().await;
    let call = |who: usize, method: Method, path: String, body: Option<Value>| {
        let mut request = app.request(method, &format!("/api/v1{path}"), Some(&admins[who]));
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move { request.send().await.unwrap() }
    };

    for round in 0..ROUNDS {
        // Sorø and Ringsted coordinate, Næstved is a member.
        let created = call(
            0,
            Method::POST,
            "/collaborations".into(),
            Some(json!({"name": format!("Fælles udbud {round}")})),
        )
        .await;
        let id = expect_json(created, StatusCode::CREATED).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for (who, code) in [(1, "329"), (2, "370")] {
            let invited = call(
                0,
                Method::POST,
                format!("/collaborations/{id}/invitations"),
                Some(json!({"municipality_code": code})),
            )
            .await;
            assert!(invited.status().is_success(), "{}", invited.status());
            let accepted = call(
                who,
                Method::POST,
                format!("/collaborations/{id}/accept"),
                None,
            )
            .await;
            assert_eq!(accepted.status(), StatusCode::OK);
        }
        let promoted = call(
            0,
            Method::PATCH,
            format!("/collaborations/{id}/members/{}", tenants[1].0),
            Some(json!({"role": "coordinator"})),
        )
        .await;
        assert_eq!(promoted.status(), StatusCode::OK);

        let (first, second) = tokio::join!(
            call(0, Method::POST, format!("/collaborations/{id}/leave"), None),
            call(1, Method::POST, format!("/collaborations/{id}/leave"), None),
        );
        let statuses = [first.status(), second.status()];
        assert_eq!(
            count(&statuses, StatusCode::NO_CONTENT),
            1,
            "round {round}: exactly one coordinator leaves: {statuses:?}"
        );
        let (winner, loser) = if statuses[0] == StatusCode::NO_CONTENT {
            (0, second)
        } else {
            (1, first)
        };
        expect_problem(loser, StatusCode::CONFLICT).await;

        let stayer = 1 - winner;
        let seen = call(stayer, Method::GET, format!("/collaborations/{id}"), None).await;
        let seen = expect_json(seen, StatusCode::OK).await;
        let coordinators = seen["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["status"] == "active" && m["role"] == "coordinator")
            .count();
        assert_eq!(coordinators, 1, "round {round}: {seen}");
    }
}
