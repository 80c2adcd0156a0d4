//! The integrators' sync: the change feed (`/changes`) with its cursors,
//! cursor paging of the contract list, and the per-client rate limit.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use reqwest::{Method, Response, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::entities::contract;
use samudbud_domain::{Role, Scope};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

on_both_databases!(
    the_feed_reports_each_change_once_in_order_from_a_cursor,
    shares_reach_members_and_a_former_member_learns_only_that_they_ended,
    bad_and_expired_cursors_are_refused_with_what_to_do,
    contract_pages_by_cursor_neither_skip_nor_repeat_rows_changed_together,
    api_clients_are_limited_each_on_its_own,
);

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = app.request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Writes `path` with the ETag of a read of `read` first.
async fn write_versioned(
    app: &TestApp,
    token: &str,
    method: Method,
    read: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let response = app
        .request(Method::GET, &format!("/api/v1{read}"), Some(token))
        .send()
        .await
        .unwrap();
    let tag = response.headers()["etag"].to_str().unwrap().to_owned();
    let mut request = app
        .request(method, &format!("/api/v1{path}"), Some(token))
        .header("If-Match", tag);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Every entry of the feed after `since` (all pages), and the last cursor.
async fn read_feed(
    app: &TestApp,
    token: &str,
    since: Option<&str>,
    limit: u64,
) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut since = since.map(str::to_owned);
    loop {
        let mut path = format!("/changes?limit={limit}");
        if let Some(s) = &since {
            path.push_str(&format!("&since={s}"));
        }
        let page = call(app, token, Method::GET, &path, None).await;
        let page_items = page["items"].as_array().unwrap().clone();
        assert!(page_items.len() as u64 <= limit);
        items.extend(page_items);
        let next = page["next_cursor"].as_str().unwrap().to_owned();
        if !page["has_more"].as_bool().unwrap() {
            return (items, next);
        }
        since = Some(next);
    }
}

/// The (kind, id, action) of each entry.
fn triples(items: &[Value]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["id"].as_str().unwrap().to_owned(),
                i["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn t(kind: &str, id: &str, action: &str) -> (String, String, String) {
    (kind.to_owned(), id.to_owned(), action.to_owned())
}

/// Renames the contract at `path` (a whole new version of its fields).
async fn rename(app: &TestApp, token: &str, path: &str, supplier: &Value, title: &str) {
    write_versioned(
        app,
        token,
        Method::PUT,
        path,
        path,
        Some(json!({"title": title, "supplier_id": supplier["id"], "start_on": "2024-01-01"})),
    )
    .await;
}

async fn supplier(app: &TestApp, token: &str) -> Value {
    call(
        app,
        token,
        Method::POST,
        "/suppliers",
        Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
    )
    .await
}

async fn new_contract(app: &TestApp, token: &str, supplier: &Value, title: &str) -> String {
    let created = call(
        app,
        token,
        Method::POST,
        "/contracts",
        Some(json!({"title": title, "supplier_id": supplier["id"], "start_on": "2024-01-01"})),
    )
    .await;
    created["id"].as_str().unwrap().to_owned()
}

async fn the_feed_reports_each_change_once_in_order_from_a_cursor(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "editor@soroe.dk", Role::Editor).await;
    let token = app.token("editor@soroe.dk").await;
    let start = call(&app, &token, Method::GET, "/changes?since=now", None).await;
    assert_eq!(start["items"], json!([]));
    let cursor = start["next_cursor"].as_str().unwrap().to_owned();

    let kmd = supplier(&app, &token).await;
    let system = call(
        &app,
        &token,
        Method::POST,
        "/systems",
        Some(json!({"name": "Opus Økonomi"})),
    )
    .await;
    let system_id = system["id"].as_str().unwrap().to_owned();
    let id = new_contract(&app, &token, &kmd, "Økonomisystem").await;
    let path = format!("/contracts/{id}");
    rename(&app, &token, &path, &kmd, "Økonomisystem 2").await;
    write_versioned(&app, &token, Method::DELETE, &path, &path, None).await;
    write_versioned(
        &app,
        &token,
        Method::POST,
        &path,
        &format!("{path}/restore"),
        None,
    )
    .await;
    let system_path = format!("/systems/{system_id}");
    write_versioned(
        &app,
        &token,
        Method::DELETE,
        &system_path,
        &system_path,
        None,
    )
    .await;

    // Read two at a time: every change once, in the order made.
    let (items, last) = read_feed(&app, &token, Some(&cursor), 2).await;
    let changes: Vec<_> = triples(&items)
        .into_iter()
        .filter(|(kind, _, _)| kind != "supplier")
        .collect();
    assert_eq!(
        changes,
        vec![
            t("it_system", &system_id, "created"),
            t("contract", &id, "created"),
            t("contract", &id, "updated"),
            t("contract", &id, "archived"),
            t("contract", &id, "restored"),
            t("it_system", &system_id, "archived"),
        ]
    );
    // Nothing new: the same position, no entries.
    let again = call(
        &app,
        &token,
        Method::GET,
        &format!("/changes?since={last}"),
        None,
    )
    .await;
    assert_eq!(again["items"], json!([]));
    assert_eq!(again["has_more"], json!(false));
    // From the start of the log: the same changes, and the first cursor
    // sees only what came after it.
    let (all, _) = read_feed(&app, &token, None, 100).await;
    assert!(all.len() >= items.len());
    rename(&app, &token, &path, &kmd, "Økonomisystem 3").await;
    let (after_last, _) = read_feed(&app, &token, Some(&last), 100).await;
    assert_eq!(triples(&after_last), vec![t("contract", &id, "updated")]);

    // Another municipality's feed holds none of it.
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let other = app.token("admin@ringsted.dk").await;
    let (theirs, _) = read_feed(&app, &other, None, 100).await;
    let text = serde_json::to_string(&theirs).unwrap();
    assert!(!text.contains(&id) && !text.contains(&system_id), "{text}");
}

async fn shares_reach_members_and_a_former_member_learns_only_that_they_ended(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let næstved = app.create_tenant("Næstved Kommune", "370").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    app.create_user(næstved, "admin@naestved.dk", Role::Admin)
        .await;
    let sorø_token = app.token("admin@soroe.dk").await;
    let ringsted_token = app.token("admin@ringsted.dk").await;
    let næstved_token = app.token("admin@naestved.dk").await;
    let collaboration = call(
        &app,
        &sorø_token,
        Method::POST,
        "/collaborations",
        Some(json!({"name": "Midtsjælland"})),
    )
    .await;
    let cid = collaboration["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &sorø_token,
        Method::POST,
        &format!("/collaborations/{cid}/invitations"),
        Some(json!({"municipality_code": "329"})),
    )
    .await;
    let kmd = supplier(&app, &sorø_token).await;
    let id = new_contract(&app, &sorø_token, &kmd, "Fælles økonomisystem").await;
    // A contract shared before Ringsted joins comes into its view when it does.
    call(
        &app,
        &sorø_token,
        Method::POST,
        &format!("/contracts/{id}/shares"),
        Some(json!({"collaboration_id": cid})),
    )
    .await;
    let ringsted_start = call(
        &app,
        &ringsted_token,
        Method::GET,
        "/changes?since=now",
        None,
    )
    .await["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &app,
        &ringsted_token,
        Method::POST,
        &format!("/collaborations/{cid}/accept"),
        None,
    )
    .await;
    let (seen, cursor) = read_feed(&app, &ringsted_token, Some(&ringsted_start), 100).await;
    let seen = triples(&seen);
    assert!(
        seen.contains(&t("collaboration", &cid, "joined")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&t("contract", &id, "share_started")),
        "{seen:?}"
    );

    // The owner's edit reaches the member; withdrawing the share too.
    let path = format!("/contracts/{id}");
    rename(&app, &sorø_token, &path, &kmd, "Fælles økonomi").await;
    let response = app
        .request(
            Method::DELETE,
            &format!("/api/v1/contracts/{id}/shares/{cid}"),
            Some(&sorø_token),
        )
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let (seen, cursor) = read_feed(&app, &ringsted_token, Some(&cursor), 100).await;
    assert_eq!(
        triples(&seen),
        vec![
            t("contract", &id, "updated"),
            t("contract", &id, "share_ended")
        ]
    );
    assert_eq!(seen[1]["collaboration_id"], json!(cid));
    // The owner's own feed says it was shared and withdrawn.
    let (own, _) = read_feed(&app, &sorø_token, None, 100).await;
    let own = triples(&own);
    assert!(
        own.contains(&t("contract", &id, "share_started"))
            && own.contains(&t("contract", &id, "share_ended")),
        "{own:?}"
    );

    // Shared again; then Ringsted leaves: it learns the share ended and
    // that it left, and nothing of the contract after that.
    call(
        &app,
        &sorø_token,
        Method::POST,
        &format!("/contracts/{id}/shares"),
        Some(json!({"collaboration_id": cid})),
    )
    .await;
    call(
        &app,
        &ringsted_token,
        Method::POST,
        &format!("/collaborations/{cid}/leave"),
        None,
    )
    .await;
    rename(&app, &sorø_token, &path, &kmd, "Kun Sorøs nu").await;
    let (seen, _) = read_feed(&app, &ringsted_token, Some(&cursor), 100).await;
    let seen_triples = triples(&seen);
    assert_eq!(
        seen_triples
            .iter()
            .filter(|x| x.1 == id)
            .cloned()
            .collect::<Vec<_>>(),
        vec![
            t("contract", &id, "share_started"),
            t("contract", &id, "share_ended")
        ],
        "{seen_triples:?}"
    );
    assert!(seen_triples.contains(&t("collaboration", &cid, "left")));
    let text = serde_json::to_string(&seen).unwrap();
    assert!(
        !text.contains("Kun Sorøs nu") && !text.contains("Fælles"),
        "only kinds and ids: {text}"
    );

    // Næstved, never a member, saw none of it.
    let (never, _) = read_feed(&app, &næstved_token, None, 100).await;
    let text = serde_json::to_string(&never).unwrap();
    assert!(!text.contains(&id) && !text.contains(&cid), "{text}");
}

async fn bad_and_expired_cursors_are_refused_with_what_to_do(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "viewer@soroe.dk", Role::Viewer).await;
    let token = app.token("viewer@soroe.dk").await;
    let get = |path: String| {
        let request = app.request(Method::GET, &format!("/api/v1{path}"), Some(&token));
        async move { request.send().await.unwrap() }
    };
    for bad in ["abc", "bm90LWEtY3Vyc29y", "%2B%2B%2B"] {
        let problem = expect_problem(
            get(format!("/changes?since={bad}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "since", "{problem}");
    }
    expect_problem(
        get("/changes?limit=0".into()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    expect_problem(
        get("/changes?limit=1001".into()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    expect_problem(
        get("/contracts?cursor=abc".into()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // A cursor issued 31 days ago has outlived the log it pointed into.
    let old = URL_SAFE_NO_PAD.encode(format!(
        "c1.1.{}",
        (Utc::now() - Duration::days(31)).timestamp()
    ));
    let problem =
        expect_problem(get(format!("/changes?since={old}")).await, StatusCode::GONE).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("since=now"),
        "{problem}"
    );
    // One 29 days old still reads.
    let recent = URL_SAFE_NO_PAD.encode(format!(
        "c1.1.{}",
        (Utc::now() - Duration::days(29)).timestamp()
    ));
    expect_json(
        get(format!("/changes?since={recent}")).await,
        StatusCode::OK,
    )
    .await;
    // Clients without a read scope of any kind get nothing.
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    let (_, client_id, secret) = app
        .create_api_client(&admin, "Skriver", &["contracts:write"])
        .await;
    let writer = app.client_token(&client_id, &secret).await;
    let response = app
        .request(Method::GET, "/api/v1/changes", Some(&writer))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::FORBIDDEN).await;
}

async fn contract_pages_by_cursor_neither_skip_nor_repeat_rows_changed_together(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "editor@soroe.dk", Role::Editor).await;
    let token = app.token("editor@soroe.dk").await;
    let kmd = supplier(&app, &token).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(new_contract(&app, &token, &kmd, &format!("Kontrakt {n}")).await);
    }
    // All changed at one and the same moment, as a bulk change leaves them.
    let moment = Utc::now() - Duration::minutes(1);
    let txn = app.db.write(Scope::System).await.unwrap();
    let updated = contract::Entity::update_many()
        .col_expr(contract::Column::UpdatedAt, Expr::value(moment))
        .filter(contract::Column::TenantId.eq(sorø.0))
        .exec(&txn)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected, 7);
    txn.commit().await.unwrap();
    let since =
        (moment - Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let since = since.replace('+', "%2B");
    let first = call(
        &app,
        &token,
        Method::GET,
        &format!("/contracts?changed_since={since}&page_size=3"),
        None,
    )
    .await;
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let mut cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let mut pages = 1;
    loop {
        let page = call(
            &app,
            &token,
            Method::GET,
            &format!("/contracts?changed_since={since}&page_size=3&cursor={cursor}"),
            None,
        )
        .await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(page["total"], json!(7));
        if items.is_empty() {
            assert_eq!(
                page["next_cursor"].as_str().unwrap(),
                cursor,
                "an empty page keeps the position"
            );
            break;
        }
        seen.extend(items.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        pages += 1;
        assert!(pages < 10);
    }
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(
        seen, expected,
        "each contract once, by id within the moment"
    );
    // A contract changed after the read comes after the cursor.
    let path = format!("/contracts/{}", ids[0]);
    rename(&app, &token, &path, &kmd, "Ændret").await;
    let page = call(
        &app,
        &token,
        Method::GET,
        &format!("/contracts?changed_since={since}&cursor={cursor}"),
        None,
    )
    .await;
    let after: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(after, vec![ids[0].as_str()]);
    // Without changed_since or cursor, the web app's pages stay as they were.
    let plain = call(
        &app,
        &token,
        Method::GET,
        "/contracts?page=2&page_size=5",
        None,
    )
    .await;
    assert_eq!(plain["items"].as_array().unwrap().len(), 2);
    assert!(
        plain.get("next_cursor").is_none_or(Value::is_null),
        "{plain}"
    );
}

fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn api_clients_are_limited_each_on_its_own(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    let admin = app.token("admin@soroe.dk").await;
    let created = app
        .request(Method::POST, "/api/v1/api-clients", Some(&admin))
        .json(&json!({"name": "ERP", "scopes": ["contracts:read"], "rate_limit_per_minute": 3}))
        .send()
        .await
        .unwrap();
    let created = expect_json(created, StatusCode::CREATED).await;
    assert_eq!(created["client"]["rate_limit_per_minute"], 3);
    let erp = app
        .client_token(
            created["client"]["client_id"].as_str().unwrap(),
            created["client_secret"].as_str().unwrap(),
        )
        .await;
    let (bi_id, bi_client, bi_secret) = app
        .create_api_client(&admin, "BI", &["contracts:read"])
        .await;
    let bi = app.client_token(&bi_client, &bi_secret).await;

    for remaining in [2, 1, 0] {
        let response = app
            .request(Method::GET, "/api/v1/contracts", Some(&erp))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(&response, "ratelimit-policy").as_deref(),
            Some("\"client\";q=3;w=60")
        );
        let state = header(&response, "ratelimit").unwrap();
        assert!(
            state.starts_with(&format!("\"client\";r={remaining};t=")),
            "{state}"
        );
    }
    let refused = app
        .request(Method::GET, "/api/v1/contracts", Some(&erp))
        .send()
        .await
        .unwrap();
    let retry: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert!(
        header(&refused, "ratelimit")
            .unwrap()
            .starts_with("\"client\";r=0;")
    );
    assert_eq!(
        header(&refused, "ratelimit-policy").as_deref(),
        Some("\"client\";q=3;w=60")
    );
    let problem = expect_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("3 requests a minute"),
        "{problem}"
    );

    // The other client and the people are not held back.
    let response = app
        .request(Method::GET, "/api/v1/contracts", Some(&bi))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "ratelimit-policy").as_deref(),
        Some("\"client\";q=600;w=60")
    );
    for _ in 0..5 {
        let response = app
            .request(Method::GET, "/api/v1/contracts", Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(header(&response, "ratelimit").is_none());
    }

    // The admin changes a limit; out of range is refused and changes nothing.
    let path = format!("/api-clients/{bi_id}");
    let changed = write_versioned(
        &app,
        &admin,
        Method::PATCH,
        &path,
        &path,
        Some(json!({"rate_limit_per_minute": 1200})),
    )
    .await;
    assert_eq!(changed["rate_limit_per_minute"], 1200);
    let tag = app
        .request(Method::GET, &format!("/api/v1{path}"), Some(&admin))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    for bad in [0, 6001, -5] {
        let response = app
            .request(Method::PATCH, &format!("/api/v1{path}"), Some(&admin))
            .header("If-Match", &tag)
            .json(&json!({"rate_limit_per_minute": bad}))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], "rate_limit_per_minute");
    }
    let read = call(&app, &admin, Method::GET, &path, None).await;
    assert_eq!(read["rate_limit_per_minute"], 1200);
    // Another municipality's admin cannot see or change it.
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let intruder = app.token("admin@ringsted.dk").await;
    let response = app
        .request(Method::PATCH, &format!("/api/v1{path}"), Some(&intruder))
        .header("If-Match", &tag)
        .json(&json!({"rate_limit_per_minute": 1}))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::NOT_FOUND).await;
}
