//! Cursor paging in order of last change on every list of municipality
//! data an integrator syncs: IT systems, suppliers, collaborations,
//! templates and tender plans (the contract list's own test is in
//! `changes.rs`). Rows changed at one moment are each read once, in order,
//! and a cursor shows nobody another municipality's rows.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::entities::{collaboration, it_system, supplier, template, tender_plan};
use samudbud_domain::{Role, Scope};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(
    every_list_pages_rows_changed_together_once_each_in_order,
    cursors_are_checked_alike_on_every_list,
);

/// The lists read in order of last change, by path.
const LISTS: [&str; 5] = [
    "/systems",
    "/suppliers",
    "/collaborations",
    "/templates",
    "/tender-plans",
];

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app
        .request(Method::GET, &format!("/api/v1{path}"), Some(token))
        .send()
        .await
        .unwrap();
    expect_json(response, StatusCode::OK).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let response = app
        .request(Method::POST, &format!("/api/v1{path}"), Some(token))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    created["id"].as_str().unwrap().to_owned()
}

/// A CVR number that passes the modulus 11 check, from seven digits.
fn cvr(seed: u32) -> String {
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let mut seed = seed;
    loop {
        let digits: Vec<u32> = format!("{:07}", 1_000_000 + seed % 8_999_999)
            .chars()
            .map(|c| c.to_digit(10).unwrap())
            .collect();
        let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            return digits
                .iter()
                .chain([check].iter())
                .map(u32::to_string)
                .collect();
        }
        seed += 1;
    }
}

/// Creates `n` rows on the list at `path` as `token`'s municipality;
/// `tag` tells its rows apart from another municipality's.
async fn create_rows(app: &TestApp, token: &str, path: &str, tag: &str, n: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let name = format!("{tag} {i}");
        let body = match path {
            "/suppliers" => json!({
                "cvr": cvr(u32::from(tag.as_bytes()[0]) * 1000 + i * 7),
                "name": name,
            }),
            "/templates" => json!({"name": name, "kind": "k04"}),
            "/tender-plans" => json!({
                "name": name,
                "period_start": "2026-01-01",
                "period_end": "2029-12-31",
            }),
            _ => json!({"name": name}),
        };
        ids.push(post(app, token, path, body).await);
    }
    ids
}

/// Gives the rows `ids` of the list at `path` one and the same last change,
/// as a bulk change leaves them.
async fn change_together(app: &TestApp, path: &str, ids: &[String], moment: DateTime<Utc>) {
    let ids: Vec<Uuid> = ids.iter().map(|i| i.parse().unwrap()).collect();
    let n = ids.len() as u64;
    let txn = app.db.write(Scope::System).await.unwrap();
    let value = Expr::value(moment);
    let updated = match path {
        "/systems" => {
            it_system::Entity::update_many()
                .col_expr(it_system::Column::UpdatedAt, value)
                .filter(it_system::Column::Id.is_in(ids))
                .exec(&txn)
                .await
        }
        "/suppliers" => {
            supplier::Entity::update_many()
                .col_expr(supplier::Column::UpdatedAt, value)
                .filter(supplier::Column::Id.is_in(ids))
                .exec(&txn)
                .await
        }
        "/collaborations" => {
            collaboration::Entity::update_many()
                .col_expr(collaboration::Column::UpdatedAt, value)
                .filter(collaboration::Column::Id.is_in(ids))
                .exec(&txn)
                .await
        }
        "/templates" => {
            template::Entity::update_many()
                .col_expr(template::Column::UpdatedAt, value)
                .filter(template::Column::Id.is_in(ids))
                .exec(&txn)
                .await
        }
        _ => {
            tender_plan::Entity::update_many()
                .col_expr(tender_plan::Column::UpdatedAt, value)
                .filter(tender_plan::Column::Id.is_in(ids))
                .exec(&txn)
                .await
        }
    }
    .unwrap();
    assert_eq!(updated.rows_affected, n, "{path}");
    txn.commit().await.unwrap();
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `changed_since` as a query value.
fn since_param(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        .replace('+', "%2B")
}

/// Every row of the list at `path` changed since `since`, page by page of
/// `size` from the first page on, following `next_cursor` until a page
/// comes back empty; the ids in the order read, and the last cursor.
async fn read_by_change(
    app: &TestApp,
    token: &str,
    path: &str,
    since: &str,
    size: u64,
    total: u64,
) -> (Vec<String>, String) {
    let first = get(
        app,
        token,
        &format!("{path}?changed_since={since}&page_size={size}"),
    )
    .await;
    assert_eq!(first["total"], json!(total), "{path}: {first}");
    let mut seen = ids_of(&first);
    assert_eq!(seen.len() as u64, size.min(total), "{path}: {first}");
    let mut cursor = first["next_cursor"].as_str().unwrap().to_owned();
    for _ in 0..20 {
        let page = get(
            app,
            token,
            &format!("{path}?changed_since={since}&page_size={size}&cursor={cursor}"),
        )
        .await;
        assert_eq!(page["total"], json!(total), "{path}: {page}");
        let items = ids_of(&page);
        assert!(items.len() as u64 <= size, "{path}: {page}");
        let next = page["next_cursor"].as_str().unwrap().to_owned();
        if items.is_empty() {
            assert_eq!(next, cursor, "{path}: an empty page keeps the position");
            return (seen, cursor);
        }
        seen.extend(items);
        cursor = next;
    }
    panic!("{path}: the pages never ended");
}

async fn every_list_pages_rows_changed_together_once_each_in_order(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    let token = app.token("admin@soroe.dk").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let other = app.token("admin@ringsted.dk").await;
    let moment = Utc::now() - Duration::minutes(1);
    let since = since_param(moment - Duration::seconds(1));

    for path in LISTS {
        let ids = create_rows(&app, &token, path, "Sorø", 5).await;
        let theirs = create_rows(&app, &other, path, "Ringsted", 1).await;
        change_together(&app, path, &ids, moment).await;
        change_together(&app, path, &theirs, moment).await;
        // The supplier catalogue is every municipality's; the rest are
        // the municipality's own.
        let (mine, visible_to_other) = if path == "/suppliers" {
            let mut all: Vec<String> = ids.iter().chain(&theirs).cloned().collect();
            all.sort();
            (all.clone(), all)
        } else {
            let mut mine = ids.clone();
            mine.sort();
            (mine, theirs.clone())
        };

        let (seen, cursor) = read_by_change(&app, &token, path, &since, 2, mine.len() as u64).await;
        // Where Sorø's first page ended.
        let start_cursor = get(
            &app,
            &token,
            &format!("{path}?changed_since={since}&page_size=1"),
        )
        .await["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(seen, mine, "{path}: each row once, by id within the moment");

        // Another municipality reads its own rows through the same cursor
        // position and filters, never these.
        let (seen, _) =
            read_by_change(&app, &other, path, &since, 2, visible_to_other.len() as u64).await;
        assert_eq!(seen, visible_to_other, "{path}");
        for cursor in [&cursor, &start_cursor] {
            let page = get(
                &app,
                &other,
                &format!("{path}?changed_since={since}&cursor={cursor}"),
            )
            .await;
            let read = ids_of(&page);
            assert!(
                read.iter().all(|id| visible_to_other.contains(id)),
                "{path}: {page}"
            );
        }

        // A row changed after the last page comes after its cursor.
        let later = Utc::now();
        change_together(&app, path, &ids[..1], later).await;
        let page = get(&app, &token, &format!("{path}?cursor={cursor}")).await;
        assert_eq!(ids_of(&page), vec![ids[0].clone()], "{path}: {page}");

        // Without changed_since or cursor the list keeps its own order and
        // carries no cursor.
        let plain = get(&app, &token, path).await;
        assert!(
            plain.get("next_cursor").is_none_or(Value::is_null),
            "{path}: {plain}"
        );
    }
}

async fn cursors_are_checked_alike_on_every_list(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(sorø, "laeser@soroe.dk", Role::Viewer).await;
    let token = app.token("laeser@soroe.dk").await;
    let request = |path: String| {
        let request = app.request(Method::GET, &format!("/api/v1{path}"), Some(&token));
        async move { request.send().await.unwrap() }
    };
    let cursor = samudbud_domain::paging::ChangeCursor {
        updated_at: Utc::now(),
        id: Uuid::new_v4(),
    }
    .encode();
    for path in LISTS.iter().chain(&["/contracts"]) {
        for bad in ["abc", "bm90LWEtY3Vyc29y", "%2B%2B%2B", ""] {
            let problem = expect_problem(
                request(format!("{path}?cursor={bad}")).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            assert_eq!(problem["errors"][0]["field"], "cursor", "{path}: {problem}");
        }
        let problem = expect_problem(
            request(format!("{path}?page_size=0&cursor={cursor}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            problem["errors"][0]["field"], "page_size",
            "{path}: {problem}"
        );
        let problem = expect_problem(
            request(format!("{path}?changed_since=9999-01-01T00:00:00Z")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            problem["errors"][0]["field"], "changed_since",
            "{path}: {problem}"
        );
        // A good cursor reads.
        expect_json(
            request(format!("{path}?cursor={cursor}")).await,
            StatusCode::OK,
        )
        .await;
    }
    // A cursor is a position in order of last change, and in no other.
    for path in ["/contracts", "/systems"] {
        let problem = expect_problem(
            request(format!("{path}?cursor={cursor}&sort=-updated_at")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "sort", "{path}: {problem}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("order of last change"),
            "{path}: {problem}"
        );
        expect_json(
            request(format!("{path}?cursor={cursor}&sort=updated_at")).await,
            StatusCode::OK,
        )
        .await;
    }
    // A search by limit is no page of a sync.
    expect_problem(
        request(format!("/suppliers?cursor={cursor}&limit=5")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}
