//! Contract and IT-system owners: a user of the same municipality, picked
//! from its people, shown on the contract and in lists, exports and the
//! history, found by `owner=me|none|<id>`; another municipality's users and
//! contracts are out of reach. Reminders and the calendar feed follow the
//! contracts a user owns, or all the municipality's, as they choose.

use chrono::{Duration, Months, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(
    contracts_are_owned_by_users_of_their_municipality,
    systems_are_owned_by_users_of_their_municipality,
    people_are_the_municipality_s_active_users,
    reminders_and_the_calendar_follow_ownership,
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

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    expect_json(
        call(app, token, Method::GET, path, None).await,
        StatusCode::OK,
    )
    .await
}

/// Replaces the resource at `path` with `body`, quoting its current version.
async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    let read = call(app, token, Method::GET, path, None).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    app.request(Method::PUT, &format!("/api/v1{path}"), Some(token))
        .header("if-match", etag)
        .json(&body)
        .send()
        .await
        .unwrap()
}

struct Municipalities {
    app: TestApp,
    admin: String,
    editor: String,
    viewer: String,
    editor_id: Uuid,
    viewer_id: Uuid,
    other: String,
    other_user_id: Uuid,
    supplier: Value,
}

async fn municipalities(app: TestApp) -> Municipalities {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    let editor_id = app
        .create_user(sorø, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let viewer_id = app.create_user(sorø, "laeser@soroe.dk", Role::Viewer).await;
    let other_user_id = app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let viewer = app.token("laeser@soroe.dk").await;
    let other = app.token("admin@ringsted.dk").await;
    let supplier = expect_json(
        call(
            &app,
            &admin,
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    Municipalities {
        app,
        admin,
        editor,
        viewer,
        editor_id,
        viewer_id,
        other,
        other_user_id,
        supplier,
    }
}

impl Municipalities {
    fn contract_body(&self, title: &str, owner: Option<Uuid>, end_on: NaiveDate) -> Value {
        json!({
            "title": title,
            "supplier_id": self.supplier["id"],
            "owner_user_id": owner,
            "start_on": "2020-01-01",
            "end_on": end_on.to_string(),
            "notice_period_months": 3,
            "retender_lead_months": 24,
        })
    }

    async fn contract(&self, title: &str, owner: Option<Uuid>, end_on: NaiveDate) -> Value {
        expect_json(
            call(
                &self.app,
                &self.admin,
                Method::POST,
                "/contracts",
                Some(self.contract_body(title, owner, end_on)),
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

fn later() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()
}

async fn contracts_are_owned_by_users_of_their_municipality(app: TestApp) {
    let m = municipalities(app).await;
    let app = &m.app;
    let owned = m.contract("ESDH", Some(m.editor_id), later()).await;
    assert_eq!(owned["owner_user"]["user_id"], m.editor_id.to_string());
    assert_eq!(owned["owner_user"]["name"], "Test redaktoer@soroe.dk");
    assert_eq!(owned["owner_user"]["email"], "redaktoer@soroe.dk");
    let unowned = m.contract("Løn", None, later()).await;
    assert!(unowned.get("owner_user").is_none(), "{unowned}");
    let id = owned["id"].as_str().unwrap();
    let path = format!("/contracts/{id}");

    // "Mine kontrakter": each user's own, nobody's, or a named user's.
    assert_eq!(
        titles(&get(app, &m.editor, "/contracts?owner=me").await),
        ["ESDH"]
    );
    assert!(titles(&get(app, &m.admin, "/contracts?owner=me").await).is_empty());
    assert_eq!(
        titles(&get(app, &m.admin, "/contracts?owner=none").await),
        ["Løn"]
    );
    let by_id = get(app, &m.viewer, &format!("/contracts?owner={}", m.editor_id)).await;
    assert_eq!(titles(&by_id), ["ESDH"]);
    assert_eq!(
        by_id["items"][0]["owner_user"]["email"],
        "redaktoer@soroe.dk"
    );
    // Other text still searches the free-text owner's name.
    assert!(titles(&get(app, &m.admin, "/contracts?owner=digital").await).is_empty());

    // Another municipality's user is no owner here, and nothing changes.
    let refused = call(
        app,
        &m.admin,
        Method::POST,
        "/contracts",
        Some(m.contract_body("Fremmed", Some(m.other_user_id), later())),
    )
    .await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "owner_user_id");
    assert_eq!(problem["errors"][0]["code"], "unknown_owner");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aktiv bruger"),
        "{problem}"
    );
    let stale = put(
        app,
        &m.admin,
        &path,
        m.contract_body("ESDH", Some(m.other_user_id), later()),
    )
    .await;
    expect_problem(stale, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        get(app, &m.admin, &path).await["owner_user"]["user_id"],
        m.editor_id.to_string()
    );
    assert_eq!(
        get(app, &m.admin, "/contracts?owner=none").await["total"],
        1
    );

    // The other municipality cannot read, list or change the contract.
    expect_problem(
        call(app, &m.other, Method::GET, &path, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let theirs = get(app, &m.other, &format!("/contracts?owner={}", m.editor_id)).await;
    assert_eq!(theirs["total"], 0);
    let taken = app
        .request(Method::PUT, &format!("/api/v1{path}"), Some(&m.other))
        .header("if-match", "\"1\"")
        .json(&m.contract_body("ESDH", Some(m.other_user_id), later()))
        .send()
        .await
        .unwrap();
    expect_problem(taken, StatusCode::NOT_FOUND).await;

    // A new owner is recorded in the history.
    let moved = expect_json(
        put(
            app,
            &m.admin,
            &path,
            m.contract_body("ESDH", Some(m.viewer_id), later()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["owner_user"]["email"], "laeser@soroe.dk");
    let history = get(app, &m.admin, &format!("{path}/history")).await;
    let change = &history["items"][0];
    assert_eq!(change["action"], "contract.updated");
    assert_eq!(
        change["before"]["owner_user"]["email"],
        "redaktoer@soroe.dk"
    );
    assert_eq!(change["after"]["owner_user"]["email"], "laeser@soroe.dk");

    // A deactivated owner stays linked, and may stay on an update, but is
    // not picked anew.
    let gone = call(
        app,
        &m.admin,
        Method::DELETE,
        &format!("/users/{}", m.viewer_id),
        None,
    )
    .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(app, &m.admin, &path).await["owner_user"]["email"],
        "laeser@soroe.dk"
    );
    let kept = put(
        app,
        &m.admin,
        &path,
        m.contract_body("ESDH, fornyet", Some(m.viewer_id), later()),
    )
    .await;
    assert_eq!(kept.status(), StatusCode::OK);
    let unowned_path = format!("/contracts/{}", unowned["id"].as_str().unwrap());
    let refused = put(
        app,
        &m.admin,
        &unowned_path,
        m.contract_body("Løn", Some(m.viewer_id), later()),
    )
    .await;
    expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;

    // The export names the owner.
    let csv = call(
        app,
        &m.admin,
        Method::GET,
        "/contracts/export?format=csv",
        None,
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.contains("Kontraktejer"), "{header}");
    let row = text
        .lines()
        .find(|l| l.contains("ESDH, fornyet"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("Test laeser@soroe.dk"), "{row}");
}

async fn systems_are_owned_by_users_of_their_municipality(app: TestApp) {
    let m = municipalities(app).await;
    let app = &m.app;
    let created = expect_json(
        call(
            app,
            &m.editor,
            Method::POST,
            "/systems",
            Some(json!({"name": "Omsorgssystem", "owner_user_id": m.editor_id})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["owner_user"]["email"], "redaktoer@soroe.dk");
    expect_json(
        call(
            app,
            &m.editor,
            Method::POST,
            "/systems",
            Some(json!({"name": "Lønsystem"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mine = get(app, &m.editor, "/systems?owner=me").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["items"][0]["name"], "Omsorgssystem");
    assert_eq!(
        mine["items"][0]["owner_user"]["user_id"],
        m.editor_id.to_string()
    );
    let nobody = get(app, &m.viewer, "/systems?owner=none").await;
    assert_eq!(nobody["items"][0]["name"], "Lønsystem");
    assert_eq!(nobody["total"], 1);
    let bad = call(app, &m.viewer, Method::GET, "/systems?owner=somebody", None).await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "owner");

    let path = format!("/systems/{}", created["id"].as_str().unwrap());
    let foreign = put(
        app,
        &m.editor,
        &path,
        json!({"name": "Omsorgssystem", "owner_user_id": m.other_user_id}),
    )
    .await;
    let problem = expect_problem(foreign, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "owner_user_id");
    let cleared = expect_json(
        put(app, &m.editor, &path, json!({"name": "Omsorgssystem"})).await,
        StatusCode::OK,
    )
    .await;
    assert!(cleared.get("owner_user").is_none(), "{cleared}");

    // The other municipality neither sees nor changes it.
    expect_problem(
        call(app, &m.other, Method::GET, &path, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let taken = app
        .request(Method::PUT, &format!("/api/v1{path}"), Some(&m.other))
        .header("if-match", "\"2\"")
        .json(&json!({"name": "Overtaget", "owner_user_id": m.other_user_id}))
        .send()
        .await
        .unwrap();
    expect_problem(taken, StatusCode::NOT_FOUND).await;
    assert_eq!(get(app, &m.other, "/systems?owner=none").await["total"], 0);
}

async fn people_are_the_municipality_s_active_users(app: TestApp) {
    let m = municipalities(app).await;
    let app = &m.app;
    // Every user may pick an owner, viewers too.
    let people = get(app, &m.viewer, "/people").await;
    let emails: Vec<&str> = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["admin@soroe.dk", "laeser@soroe.dk", "redaktoer@soroe.dk"]
    );
    assert_eq!(people["total"], 3);
    assert_eq!(people["items"][2]["role"], "editor");
    assert_eq!(people["items"][2]["user_id"], m.editor_id.to_string());
    let found = get(app, &m.viewer, "/people?q=REDAKT").await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["name"], "Test redaktoer@soroe.dk");
    let paged = get(app, &m.viewer, "/people?page=2&page_size=2").await;
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);

    // Deactivated users are not offered.
    let gone = call(
        app,
        &m.admin,
        Method::DELETE,
        &format!("/users/{}", m.viewer_id),
        None,
    )
    .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(app, &m.editor, "/people").await["total"], 2);

    // Another municipality sees its own people only.
    let theirs = get(app, &m.other, "/people?q=soroe").await;
    assert_eq!(theirs["total"], 0);
    assert_eq!(get(app, &m.other, "/people").await["total"], 1);
    let bad = call(app, &m.editor, Method::GET, "/people?page_size=0", None).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The feed at the address the holder of `token` gets.
async fn feed_text(app: &TestApp, token: &str) -> String {
    let created = expect_json(
        call(app, token, Method::POST, "/me/calendar", None).await,
        StatusCode::CREATED,
    )
    .await;
    let url = created["url"].as_str().unwrap().to_owned();
    let response = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn reminders_and_the_calendar_follow_ownership(app: TestApp) {
    let m = municipalities(app).await;
    let app = &m.app;
    // Both end in about three and a half months: notice is due within the digest's month.
    let soon = Utc::now()
        .date_naive()
        .checked_add_months(Months::new(3))
        .unwrap()
        + Duration::days(14);
    m.contract("Redaktørens kontrakt", Some(m.editor_id), soon)
        .await;
    m.contract("Kommunens kontrakt", None, soon).await;

    // Overblik counts the user's own deadlines next to the municipality's.
    let overview = get(app, &m.editor, "/overview").await;
    assert_eq!(
        overview["my_deadlines"]["notice_within_180_days"], 1,
        "{overview}"
    );
    assert_eq!(
        overview["deadlines"]["notice_within_180_days"], 2,
        "{overview}"
    );
    let overview = get(app, &m.admin, "/overview").await;
    assert_eq!(
        overview["my_deadlines"]["notice_within_365_days"], 0,
        "{overview}"
    );

    // The owner follows their own contracts unless they choose otherwise.
    let settings = get(app, &m.editor, "/me/reminders").await;
    assert_eq!(settings["contracts"], "default");
    assert_eq!(settings["effective_contracts"], "owned");
    assert_eq!(settings["effective_calendar_contracts"], "owned");
    let preview = get(app, &m.editor, "/me/reminders/preview").await;
    let text = preview["text"].as_str().unwrap();
    assert!(text.contains("Redaktørens kontrakt"), "{text}");
    assert!(!text.contains("Kommunens kontrakt"), "{text}");
    let feed = feed_text(app, &m.editor).await;
    assert!(feed.contains("Redaktørens kontrakt"), "{feed}");
    assert!(!feed.contains("Kommunens kontrakt"), "{feed}");

    // Someone who owns nothing follows all the municipality's.
    let admin_settings = get(app, &m.admin, "/me/reminders").await;
    assert_eq!(admin_settings["effective_contracts"], "all");
    let preview = get(app, &m.admin, "/me/reminders/preview").await;
    let text = preview["text"].as_str().unwrap();
    assert!(text.contains("Redaktørens kontrakt") && text.contains("Kommunens kontrakt"));

    // The digest's choice and the feed's are each their own.
    let changed = expect_json(
        call(
            app,
            &m.editor,
            Method::PUT,
            "/me/reminders",
            Some(json!({"frequency": "weekly", "horizon_days": 120, "contracts": "all"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["contracts"], "all");
    assert_eq!(changed["effective_contracts"], "all");
    assert_eq!(changed["calendar_contracts"], "default");
    assert_eq!(changed["effective_calendar_contracts"], "owned");
    let preview = get(app, &m.editor, "/me/reminders/preview").await;
    let text = preview["text"].as_str().unwrap();
    assert!(text.contains("Redaktørens kontrakt") && text.contains("Kommunens kontrakt"));
    let feed = feed_text(app, &m.editor).await;
    assert!(!feed.contains("Kommunens kontrakt"), "{feed}");

    let changed = expect_json(
        call(
            app,
            &m.editor,
            Method::PUT,
            "/me/reminders",
            Some(json!({
                "frequency": "weekly", "horizon_days": 120,
                "contracts": "owned", "calendar_contracts": "all",
            })),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["effective_calendar_contracts"], "all");
    let feed = feed_text(app, &m.editor).await;
    assert!(
        feed.contains("Redaktørens kontrakt") && feed.contains("Kommunens kontrakt"),
        "{feed}"
    );
    let preview = get(app, &m.editor, "/me/reminders/preview").await;
    let text = preview["text"].as_str().unwrap();
    assert!(!text.contains("Kommunens kontrakt"), "{text}");

    // The change is in the audit trail; a bad choice changes nothing.
    let audit = get(app, &m.admin, "/audit-events?action=reminders.updated").await;
    assert_eq!(audit["items"][0]["after"]["calendar_contracts"], "all");
    let bad = call(
        app,
        &m.editor,
        Method::PUT,
        "/me/reminders",
        Some(json!({"frequency": "weekly", "horizon_days": 30, "contracts": "some"})),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        get(app, &m.editor, "/me/reminders").await["contracts"],
        "owned"
    );
}
