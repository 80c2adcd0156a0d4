//! One answer to one question: every deadline count on Overblik is the
//! total of the contract list with the filter of the same name; notice
//! deadlines and re-tender starts are separate; passed deadlines stay until
//! the contract is no longer in force; shared contracts count only when
//! asked for, and another municipality's never.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    overview_counts_are_the_list_totals,
    contracts_not_started_yet_have_their_own_status,
    a_contract_is_not_signed_after_it_starts,
);

struct Sorø {
    app: TestApp,
    editor: String,
    editor_id: uuid::Uuid,
    supplier: Value,
}

impl Sorø {
    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .app
            .request(method, &format!("/api/v1{path}"), Some(token));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    async fn get(&self, token: &str, path: &str) -> Value {
        expect_json(
            self.call(token, Method::GET, path, None).await,
            StatusCode::OK,
        )
        .await
    }

    async fn create(&self, token: &str, body: Value) -> Value {
        expect_json(
            self.call(token, Method::POST, "/contracts", Some(body))
                .await,
            StatusCode::CREATED,
        )
        .await
    }
}

fn today() -> NaiveDate {
    samudbud_domain::clock::today()
}

fn in_days(days: i64) -> String {
    (today() + Duration::days(days)).to_string()
}

async fn supplier(app: &TestApp, token: &str) -> Value {
    expect_json(
        app.request(Method::POST, "/api/v1/suppliers", Some(token))
            .json(&json!({"cvr": "18957981", "name": "KMD A/S"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await
}

async fn sorø(app: TestApp) -> Sorø {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    let editor_id = app
        .create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let supplier = supplier(&app, &editor).await;
    Sorø {
        app,
        editor,
        editor_id,
        supplier,
    }
}

/// A contract starting on `start` (days from today), ending on `end`, with
/// three months' notice and `lead` months' re-tender lead time.
fn contract(supplier: &Value, title: &str, start: i64, end: i64, lead: u32) -> Value {
    json!({
        "title": title,
        "supplier_id": supplier["id"],
        "start_on": in_days(start),
        "end_on": in_days(end),
        "notice_period_months": 3,
        "retender_lead_months": lead,
    })
}

fn total(list: &Value) -> u64 {
    list["total"].as_u64().unwrap()
}

async fn overview_counts_are_the_list_totals(app: TestApp) {
    let s = sorø(app).await;
    // Notice in about 150 days; re-tender start passed long ago.
    let mut soon = contract(&s.supplier, "Snart", -400, 240, 12);
    soon["owner_user_id"] = json!(s.editor_id);
    s.create(&s.editor, soon).await;
    // Notice passed about a month ago, the contract still running.
    s.create(
        &s.editor,
        contract(&s.supplier, "Overskredet", -400, 60, 12),
    )
    .await;
    // Notice in about 400 days; re-tender starts in about 40.
    s.create(&s.editor, contract(&s.supplier, "Genudbud", -400, 500, 12))
        .await;
    // Starts later; notice in about 300 days.
    s.create(
        &s.editor,
        contract(&s.supplier, "Ikke startet", 200, 400, 12),
    )
    .await;
    // No longer in force, or not yet: their deadlines are not open.
    let mut terminated = contract(&s.supplier, "Opsagt", -400, 60, 12);
    terminated["terminated_on"] = json!(in_days(-10));
    s.create(&s.editor, terminated).await;
    let mut draft = contract(&s.supplier, "Kladde", -400, 100, 0);
    draft["status"] = json!("draft");
    s.create(&s.editor, draft).await;
    let archived = s
        .create(&s.editor, contract(&s.supplier, "Arkiveret", -400, 60, 12))
        .await;
    let path = format!("/contracts/{}", archived["id"].as_str().unwrap());
    let read = s.call(&s.editor, Method::GET, &path, None).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let gone = s
        .app
        .request(Method::DELETE, &format!("/api/v1{path}"), Some(&s.editor))
        .header("if-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::OK);

    // Ringsted shares a contract with a deadline soon with Sorø; Næstved
    // keeps its own to itself.
    let ringsted = s.app.create_tenant("Ringsted Kommune", "329").await;
    s.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let ringsted_admin = s.app.token("admin@ringsted.dk").await;
    let sorø_tenant_admin = {
        let me = s.get(&s.editor, "/me").await;
        let tenant =
            samudbud_domain::TenantId(me["tenant"]["id"].as_str().unwrap().parse().unwrap());
        s.app
            .create_user(tenant, "admin@soroe.dk", Role::Admin)
            .await;
        s.app.token("admin@soroe.dk").await
    };
    let collaboration = expect_json(
        s.call(
            &ringsted_admin,
            Method::POST,
            "/collaborations",
            Some(json!({"name": "Midtsjælland"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let cid = collaboration["id"].as_str().unwrap();
    s.call(
        &ringsted_admin,
        Method::POST,
        &format!("/collaborations/{cid}/invitations"),
        Some(json!({"municipality_code": "340"})),
    )
    .await;
    let accepted = s
        .call(
            &sorø_tenant_admin,
            Method::POST,
            &format!("/collaborations/{cid}/accept"),
            None,
        )
        .await;
    assert!(accepted.status().is_success(), "{}", accepted.status());
    let ringsted_supplier = supplier(&s.app, &ringsted_admin).await;
    let theirs = s
        .create(
            &ringsted_admin,
            contract(&ringsted_supplier, "Ringsteds kontrakt", -400, 240, 12),
        )
        .await;
    expect_json(
        s.call(
            &ringsted_admin,
            Method::POST,
            &format!("/contracts/{}/shares", theirs["id"].as_str().unwrap()),
            Some(json!({"collaboration_id": cid})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let næstved = s.app.create_tenant("Næstved Kommune", "370").await;
    s.app
        .create_user(næstved, "redaktoer@naestved.dk", Role::Editor)
        .await;
    let næstved_editor = s.app.token("redaktoer@naestved.dk").await;
    let næstved_supplier = supplier(&s.app, &næstved_editor).await;
    for title in ["Næstved snart", "Næstved overskredet"] {
        let end = if title.ends_with("snart") { 240 } else { 60 };
        s.create(
            &næstved_editor,
            contract(&næstved_supplier, title, -400, end, 12),
        )
        .await;
    }

    let overview = s.get(&s.editor, "/overview").await;
    let counts = &overview["deadlines"];
    let mine = &overview["my_deadlines"];
    // The numbers themselves, so the agreement below is not an empty one.
    assert_eq!(counts["notice_overdue"], 1, "{overview}");
    assert_eq!(counts["notice_within_90_days"], 0, "{overview}");
    assert_eq!(counts["notice_within_180_days"], 1, "{overview}");
    assert_eq!(counts["notice_within_365_days"], 2, "{overview}");
    assert_eq!(counts["retender_within_90_days"], 1, "{overview}");
    assert_eq!(counts["retender_overdue"], 3, "{overview}");
    assert_eq!(mine["notice_within_180_days"], 1, "{overview}");
    assert_eq!(mine["notice_overdue"], 0, "{overview}");

    // Each count is the list's total with the filter of the same name.
    let mut pairs: Vec<(String, String)> = vec![
        ("notice_overdue".into(), "notice_overdue=true".into()),
        ("retender_overdue".into(), "retender_overdue=true".into()),
    ];
    for days in [90, 180, 365] {
        pairs.push((
            format!("notice_within_{days}_days"),
            format!("notice_within_days={days}"),
        ));
        pairs.push((
            format!("retender_within_{days}_days"),
            format!("retender_within_days={days}"),
        ));
    }
    let mut checked = 0;
    for (set, owner) in [(counts, ""), (mine, "&owner=me")] {
        for (field, filter) in &pairs {
            let list = s
                .get(&s.editor, &format!("/contracts?{filter}{owner}"))
                .await;
            assert_eq!(
                set[field].as_u64(),
                Some(total(&list)),
                "{field} {filter}{owner}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 16);

    // The export reads the same filters as the list.
    let csv = s
        .call(
            &s.editor,
            Method::GET,
            "/contracts/export?format=csv&notice_overdue=true",
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].contains("Overskredet"), "{csv}");

    // Shared contracts only when asked for; Næstved's never.
    let titles = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let own = s.get(&s.editor, "/contracts?notice_within_days=180").await;
    assert_eq!(titles(&own), ["Snart"]);
    let shared = s
        .get(&s.editor, "/contracts?notice_within_days=180&scope=shared")
        .await;
    assert_eq!(titles(&shared), ["Ringsteds kontrakt"]);
    let all = s
        .get(
            &s.editor,
            "/contracts?notice_within_days=180&scope=all&sort=title",
        )
        .await;
    assert_eq!(titles(&all), ["Ringsteds kontrakt", "Snart"]);
    let overdue = s
        .get(&s.editor, "/contracts?notice_overdue=true&scope=all")
        .await;
    assert_eq!(titles(&overdue), ["Overskredet"]);

    // Overblik's table: passed deadlines first, marked, then the soonest.
    let deadlines = s.get(&s.editor, "/deadlines?within_days=90").await;
    let items = deadlines["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|d| !d["title"].as_str().unwrap().starts_with("Næstved"))
    );
    assert!(items.iter().all(|d| d["title"] != "Ringsteds kontrakt"));
    assert!(
        items
            .iter()
            .all(|d| d["title"] != "Opsagt" && d["title"] != "Arkiveret")
    );
    let overdue: Vec<bool> = items.iter().map(|d| d["overdue"] == true).collect();
    assert!(overdue[0], "{deadlines}");
    assert!(overdue.windows(2).all(|w| w[0] || !w[1]), "{deadlines}");
    assert_eq!(
        items.iter().filter(|d| d["overdue"] == true).count(),
        4,
        "one notice deadline and three re-tender starts have passed: {deadlines}"
    );

    // Næstved sees only its own: one notice deadline passed, one coming.
    let theirs = s.get(&næstved_editor, "/overview").await;
    assert_eq!(theirs["deadlines"]["notice_overdue"], 1, "{theirs}");
    assert_eq!(theirs["deadlines"]["notice_within_180_days"], 1, "{theirs}");
    let list = s
        .get(&næstved_editor, "/contracts?notice_overdue=true&scope=all")
        .await;
    assert_eq!(titles(&list), ["Næstved overskredet"]);
}

async fn contracts_not_started_yet_have_their_own_status(app: TestApp) {
    let s = sorø(app).await;
    let later = s
        .create(&s.editor, contract(&s.supplier, "Næste år", 200, 900, 12))
        .await;
    assert_eq!(later["status"], "not_started");
    let now = s
        .create(&s.editor, contract(&s.supplier, "I gang", -10, 900, 12))
        .await;
    assert_eq!(now["status"], "active");
    // Starting today is in force today.
    let today_start = s
        .create(
            &s.editor,
            contract(&s.supplier, "Starter i dag", 0, 900, 12),
        )
        .await;
    assert_eq!(today_start["status"], "active");

    let titles = |list: Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(s.get(&s.editor, "/contracts?status=not_started").await),
        ["Næste år"]
    );
    assert_eq!(
        titles(
            s.get(&s.editor, "/contracts?status=active&sort=title")
                .await
        ),
        ["I gang", "Starter i dag"]
    );
    let options = s.get(&s.editor, "/options").await;
    let statuses = options["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "status")
        .unwrap();
    assert!(
        statuses["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["code"] == "not_started" && v["label"] == "Ikke startet")
    );

    // It follows from the start date; it is not set by hand.
    let mut set = contract(&s.supplier, "Sat", -10, 900, 12);
    set["status"] = json!("not_started");
    let problem = expect_problem(
        s.call(&s.editor, Method::POST, "/contracts", Some(set))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "status", "{problem}");

    // OCDS calls a contract that has not started `pending`.
    let id = later["id"].as_str().unwrap();
    let path = format!("/contracts/{id}");
    let read = s.call(&s.editor, Method::GET, &path, None).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let mut body = contract(&s.supplier, "Næste år", 200, 900, 12);
    body["publishable"] = json!(true);
    let updated = s
        .app
        .request(Method::PUT, &format!("/api/v1{path}"), Some(&s.editor))
        .header("if-match", etag)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), StatusCode::OK);
    let package = s
        .get(
            &s.editor,
            "/contracts/export?format=ocds&status=not_started",
        )
        .await;
    let release = &package["releases"][0];
    assert_eq!(release["contracts"][0]["status"], "pending", "{package}");

    // Another municipality sees none of it.
    let other = s.app.create_tenant("Ringsted Kommune", "329").await;
    s.app
        .create_user(other, "laeser@ringsted.dk", Role::Viewer)
        .await;
    let viewer = s.app.token("laeser@ringsted.dk").await;
    assert_eq!(
        total(
            &s.get(&viewer, "/contracts?status=not_started&scope=all")
                .await
        ),
        0
    );
    expect_problem(
        s.call(&viewer, Method::GET, &path, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn a_contract_is_not_signed_after_it_starts(app: TestApp) {
    let s = sorø(app).await;
    let mut late = contract(&s.supplier, "Underskrevet for sent", -10, 900, 12);
    late["signed_on"] = json!(in_days(-9));
    let problem = expect_problem(
        s.call(&s.editor, Method::POST, "/contracts", Some(late))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!(errors[0]["field"], "signed_on");
    assert_eq!(errors[0]["code"], "after_start");
    assert_eq!(
        total(&s.get(&s.editor, "/contracts").await),
        0,
        "nothing was stored"
    );
    // Signed on the day it starts, or before: fine.
    for (title, signed) in [("Samme dag", -10), ("Før", -40)] {
        let mut ok = contract(&s.supplier, title, -10, 900, 12);
        ok["signed_on"] = json!(in_days(signed));
        s.create(&s.editor, ok).await;
    }
}
