//! The list pages as a grid: totals over everything a contract list's
//! filters match (on both databases, exactly), and each user's saved views
//! of the lists, which no one else sees or changes.

use std::str::FromStr;

use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::entities::{audit_event, saved_view};
use samudbud_domain::{Role, Scope};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

on_both_databases!(
    list_totals_add_up_everything_the_filters_match,
    saved_views_are_each_user_s_own,
);

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

fn amount(value: &Value) -> Decimal {
    value
        .as_str()
        .map_or(Decimal::ZERO, |s| Decimal::from_str(s).unwrap())
}

/// Every page of `path` (a contract list): the items' count and sums, and
/// the totals the first page reported, which every page must repeat.
async fn sums(app: &TestApp, token: &str, path: &str) -> (u64, Decimal, Decimal, Value) {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut count = 0;
    let mut annual = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    let mut totals = Value::Null;
    for page in 1.. {
        let found = expect_json(
            call(
                app,
                token,
                Method::GET,
                &format!("{path}{join}page_size=2&page={page}"),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        if totals.is_null() {
            totals = found["totals"].clone();
        } else {
            assert_eq!(found["totals"], totals, "{path}: the totals of every page");
        }
        let items = found["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for item in items {
            count += 1;
            annual += amount(&item["annual_value"]);
            total += amount(&item["total_value"]);
        }
    }
    (count, annual, total, totals)
}

/// A contract to create: title, annual and total value, category, start.
type Row = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

async fn list_totals_add_up_everything_the_filters_match(app: TestApp) {
    let soroe = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let outsider_tenant = app.create_tenant("Næstved Kommune", "370").await;
    app.create_user(soroe, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    app.create_user(outsider_tenant, "admin@naestved.dk", Role::Admin)
        .await;
    let soroe_admin = app.token("admin@soroe.dk").await;
    let ringsted_admin = app.token("admin@ringsted.dk").await;
    let naestved_admin = app.token("admin@naestved.dk").await;
    let cid = app
        .collaboration(&soroe_admin, "Midtsjælland", &[(&ringsted_admin, "329")])
        .await;

    // Amounts of up to 14 digits with øre, one-decimal amounts, and
    // contracts without values: sums a float would get wrong.
    for (token, who) in [
        (&soroe_admin, "soroe"),
        (&ringsted_admin, "ringsted"),
        (&naestved_admin, "naestved"),
    ] {
        let supplier = expect_json(
            call(
                &app,
                token,
                Method::POST,
                "/suppliers",
                Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        let rows: &[Row] = match who {
            "soroe" => &[
                (
                    "Drift af ESDH",
                    Some("12345678901234.56"),
                    Some("99999999999999.99"),
                    "it-drift",
                    "2020-01-01",
                ),
                (
                    "Økonomisystem",
                    Some("0.01"),
                    Some("1234.5"),
                    "it-drift",
                    "2021-06-01",
                ),
                ("Lønsystem", Some("250000"), None, "løn", "2019-01-01"),
                ("Kladde uden værdier", None, None, "løn", "2030-01-01"),
                (
                    "Print og kopi",
                    Some("70000.10"),
                    Some("350000.50"),
                    "print",
                    "2018-01-01",
                ),
            ],
            "ringsted" => &[
                (
                    "Ringsteds ESDH",
                    Some("111111.11"),
                    Some("555555.55"),
                    "it-drift",
                    "2022-01-01",
                ),
                (
                    "Ringsteds løn",
                    Some("200000"),
                    Some("800000"),
                    "løn",
                    "2022-01-01",
                ),
            ],
            _ => &[(
                "Næstveds ESDH",
                Some("999.99"),
                Some("9999.99"),
                "it-drift",
                "2022-01-01",
            )],
        };
        for (title, annual, total, category, start) in rows {
            let created = expect_json(
                call(
                    &app,
                    token,
                    Method::POST,
                    "/contracts",
                    Some(json!({
                        "title": title,
                        "supplier_id": supplier["id"],
                        "category": category,
                        "start_on": start,
                        "end_on": "2032-12-31",
                        "annual_value": annual,
                        "total_value": total,
                    })),
                )
                .await,
                StatusCode::CREATED,
            )
            .await;
            if who == "ringsted" {
                expect_json(
                    call(
                        &app,
                        token,
                        Method::POST,
                        &format!("/contracts/{}/shares", created["id"].as_str().unwrap()),
                        Some(json!({"collaboration_id": cid})),
                    )
                    .await,
                    StatusCode::CREATED,
                )
                .await;
            }
        }
    }

    for (token, path) in [
        (&soroe_admin, "/contracts"),
        (&soroe_admin, "/contracts?category=it-drift"),
        (&soroe_admin, "/contracts?q=system&sort=-annual_value"),
        (&soroe_admin, "/contracts?status=active"),
        (&soroe_admin, "/contracts?scope=shared"),
        (&soroe_admin, "/contracts?scope=all"),
        (&soroe_admin, "/contracts?scope=all&category=løn"),
        (&soroe_admin, "/contracts?scope=shared&shared_with="),
        (&soroe_admin, "/contracts?q=ingenting-her"),
        (&ringsted_admin, "/contracts?scope=all"),
        (&naestved_admin, "/contracts?scope=all"),
    ] {
        let path = if path.ends_with("shared_with=") {
            format!("{path}{cid}")
        } else {
            path.to_owned()
        };
        let (count, annual, total, totals) = sums(&app, token, &path).await;
        assert_eq!(totals["count"], count, "{path}");
        assert_eq!(amount(&totals["annual_value"]), annual, "{path}");
        assert_eq!(amount(&totals["total_value"]), total, "{path}");
    }

    // The exact figures, not just agreement with the items.
    let (count, _, _, totals) = sums(&app, &soroe_admin, "/contracts?category=it-drift").await;
    assert_eq!(count, 2);
    assert_eq!(totals["annual_value"], "12345678901234.57");
    assert_eq!(totals["total_value"], "100000000001234.49");
    let (count, _, _, totals) = sums(&app, &soroe_admin, "/contracts?scope=all").await;
    assert_eq!(count, 7, "own and shared");
    assert_eq!(totals["annual_value"], "12345679532345.78");
    let (_, _, _, totals) = sums(&app, &soroe_admin, "/contracts?scope=shared").await;
    assert_eq!(totals["count"], 2);
    assert_eq!(totals["annual_value"], "311111.11");
    assert_eq!(totals["total_value"], "1355555.55");
    let (_, _, _, totals) = sums(&app, &naestved_admin, "/contracts?scope=shared").await;
    assert_eq!(totals["count"], 0, "nothing shared with an outsider");
    assert_eq!(totals["annual_value"], "0.00");
    let (_, _, _, totals) = sums(&app, &soroe_admin, "/contracts?q=ingenting-her").await;
    assert_eq!(
        totals,
        json!({"count": 0, "annual_value": "0.00", "total_value": "0.00"})
    );

    // A filter the list refuses, the totals refuse with it.
    expect_problem(
        call(
            &app,
            &soroe_admin,
            Method::GET,
            "/contracts?status=bogus",
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

async fn saved_views_are_each_user_s_own(app: TestApp) {
    let soroe = app.create_tenant("Sorø Kommune", "340").await;
    let outsider_tenant = app.create_tenant("Næstved Kommune", "370").await;
    let mine_id = app
        .create_user(soroe, "laeser@soroe.dk", Role::Viewer)
        .await;
    app.create_user(soroe, "admin@soroe.dk", Role::Admin).await;
    app.create_user(outsider_tenant, "admin@naestved.dk", Role::Admin)
        .await;
    let me = app.token("laeser@soroe.dk").await;
    let colleague = app.token("admin@soroe.dk").await;
    let outsider = app.token("admin@naestved.dk").await;

    let created = call(
        &app,
        &me,
        Method::POST,
        "/me/views",
        Some(json!({
            "page": "contracts",
            "name": "  Opsigelser i år ",
            "query": "?status=active&sort=notice_deadline&cols=title,notice_deadline&density=compact",
        })),
    )
    .await;
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let view = expect_json(created, StatusCode::CREATED).await;
    let id = view["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/me/views/{id}"));
    assert_eq!(view["name"], "Opsigelser i år");
    assert_eq!(view["page"], "contracts");
    assert_eq!(
        view["query"],
        "status=active&sort=notice_deadline&cols=title,notice_deadline&density=compact"
    );

    // One name per user and list: the same name again is a conflict, on
    // the other list it is another view, and a colleague may use it too.
    let taken = expect_problem(
        call(
            &app,
            &me,
            Method::POST,
            "/me/views",
            Some(json!({"page": "contracts", "name": "Opsigelser i år", "query": ""})),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(taken["errors"][0]["field"], "name");
    for (token, page) in [(&me, "systems"), (&colleague, "contracts")] {
        expect_json(
            call(
                &app,
                token,
                Method::POST,
                "/me/views",
                Some(json!({"page": page, "name": "Opsigelser i år", "query": "q=esdh"})),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let other = expect_json(
        call(
            &app,
            &me,
            Method::POST,
            "/me/views",
            Some(json!({"page": "contracts", "name": "alle aktive", "query": "status=active"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    // Bad input changes nothing.
    let rows = || async {
        let txn = app.db.read(Scope::System).await.unwrap();
        let n = saved_view::Entity::find().all(&txn).await.unwrap().len();
        txn.commit().await.unwrap();
        n
    };
    let before = rows().await;
    for (body, field) in [
        (
            json!({"page": "contracts", "name": "   ", "query": ""}),
            "name",
        ),
        (
            json!({"page": "contracts", "name": "x".repeat(101), "query": ""}),
            "name",
        ),
        (
            json!({"page": "contracts", "name": "Dårlig", "query": "q=a b"}),
            "query",
        ),
        (
            json!({"page": "contracts", "name": "Dårlig", "query": "q=%zz"}),
            "query",
        ),
        (
            json!({"page": "contracts", "name": "Dårlig", "query": "Status=x"}),
            "query",
        ),
        (
            json!({"page": "contracts", "name": "Dårlig", "query": format!("q={}", "a".repeat(2001))}),
            "query",
        ),
    ] {
        let problem = expect_problem(
            call(&app, &me, Method::POST, "/me/views", Some(body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    for body in [
        json!({"page": "plans", "name": "Dårlig", "query": ""}),
        json!({"page": "contracts", "name": 7, "query": ""}),
        json!({"page": "contracts", "name": "Dårlig", "query": "", "user_id": mine_id}),
    ] {
        expect_problem(
            call(&app, &me, Method::POST, "/me/views", Some(body)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    expect_problem(
        call(&app, &me, Method::GET, "/me/views?page=plans", None).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(rows().await, before);

    // Listed by name, the list's own only.
    let list = expect_json(
        call(&app, &me, Method::GET, "/me/views?page=contracts", None).await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alle aktive", "Opsigelser i år"]);
    assert_eq!(list["total"], 2);
    let systems = expect_json(
        call(&app, &me, Method::GET, "/me/views?page=systems", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(systems["total"], 1);
    assert_eq!(systems["items"][0]["query"], "q=esdh");

    // A colleague of the same municipality and another municipality's
    // user neither see nor change my views.
    for token in [&colleague, &outsider] {
        let theirs = expect_json(
            call(&app, token, Method::GET, "/me/views?page=contracts", None).await,
            StatusCode::OK,
        )
        .await;
        assert!(!theirs.to_string().contains(&id));
        assert!(!theirs.to_string().contains("alle aktive"));
        expect_problem(
            call(
                &app,
                token,
                Method::PUT,
                &format!("/me/views/{id}"),
                Some(json!({"name": "Overtaget", "query": ""})),
            )
            .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        expect_problem(
            call(
                &app,
                token,
                Method::DELETE,
                &format!("/me/views/{id}"),
                None,
            )
            .await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let txn = app.db.read(Scope::System).await.unwrap();
    let stored = saved_view::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(&txn)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(stored.name, "Opsigelser i år");
    assert_eq!(stored.user_id, mine_id);

    // Renaming onto another of my views' names is a conflict; overwriting works.
    expect_problem(
        call(
            &app,
            &me,
            Method::PUT,
            &format!("/me/views/{id}"),
            Some(json!({"name": "alle aktive", "query": ""})),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_problem(
        call(
            &app,
            &me,
            Method::PUT,
            &format!("/me/views/{id}"),
            Some(json!({"name": "Nyt navn", "query": "q=<b>"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let renamed = expect_json(
        call(
            &app,
            &me,
            Method::PUT,
            &format!("/me/views/{id}"),
            Some(json!({"name": "Opsigelser 2027", "query": "notice_within_days=365&density=compact"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Opsigelser 2027");
    assert_eq!(renamed["query"], "notice_within_days=365&density=compact");
    assert_eq!(renamed["created_at"], view["created_at"]);

    // Deleting: mine only, once.
    let other_id = other["id"].as_str().unwrap();
    assert_eq!(
        call(
            &app,
            &me,
            Method::DELETE,
            &format!("/me/views/{other_id}"),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        call(
            &app,
            &me,
            Method::DELETE,
            &format!("/me/views/{other_id}"),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let list = expect_json(
        call(&app, &me, Method::GET, "/me/views?page=contracts", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "Opsigelser 2027");

    // Every change is in the audit trail.
    let txn = app.db.read(Scope::System).await.unwrap();
    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectKind.eq("saved_view"))
        .all(&txn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    txn.commit().await.unwrap();
    for action in ["view.created", "view.updated", "view.deleted"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // API clients keep no views.
    let (_, client_id, secret) = app
        .create_api_client(&colleague, "Sorøs BI", &["contracts:read"])
        .await;
    let client = app.client_token(&client_id, &secret).await;
    expect_problem(
        call(&app, &client, Method::GET, "/me/views?page=contracts", None).await,
        StatusCode::FORBIDDEN,
    )
    .await;
}
