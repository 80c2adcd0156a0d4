//! Private calendar feeds: the address is shown once, replacing or revoking
//! it stops the old one, and the feed — read back with an independent
//! iCalendar parser — holds the municipality's notice deadlines, re-tender
//! starts and tender milestones as all-day events whose UIDs stay put when a
//! date moves. Nothing of another municipality ever appears.

use std::io::BufReader;

use chrono::{Datelike, Months, NaiveDate};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    the_feed_holds_the_municipality_s_deadlines_as_stable_events,
    a_moved_date_updates_the_same_event,
    milestones_follow_participation,
    replacing_and_revoking_stop_the_old_address,
    a_deactivated_user_s_feed_stops_answering,
    each_user_has_only_their_own_feed,
);

const FEED: &str = "/api/v1/me/calendar";

fn today() -> NaiveDate {
    samudbud_domain::clock::today()
}

/// The last day of `day`'s month.
fn month_end(day: NaiveDate) -> NaiveDate {
    let first_next = NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap() + Months::new(1);
    first_next.pred_opt().unwrap()
}

/// `months` from today, on the last day of that month.
fn months_ahead(months: u32) -> NaiveDate {
    month_end(today() + Months::new(months))
}

/// The notice deadline of a contract ending at a month's end with six
/// months' notice: the end of the month six months before.
fn notice_for(end: NaiveDate) -> NaiveDate {
    month_end(end - Months::new(6))
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut request = app.request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    request.send().await.unwrap()
}

/// A contract of the municipality `token` acts for, ending on `end` with
/// six months' notice and a year's lead time; its id.
async fn contract(app: &TestApp, token: &str, title: &str, end: NaiveDate) -> String {
    let supplier = expect_json(
        call(
            app,
            token,
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "29403473", "name": "Eksempel Software A/S"})),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let created = expect_json(
        call(
            app,
            token,
            Method::POST,
            "/contracts",
            Some(json!({
                "title": title,
                "supplier_id": supplier["id"],
                "start_on": "2022-01-01",
                "end_on": end,
                "notice_period_months": 6,
                "retender_lead_months": 12,
            })),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    created["id"].as_str().unwrap().to_owned()
}

/// Creates a feed for the holder of `token`; its full address.
async fn create_feed(app: &TestApp, token: &str) -> String {
    let created = expect_json(
        app.request(Method::POST, FEED, Some(token))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let url = created["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&app.url("/api/v1/calendar/")), "{url}");
    assert!(url.ends_with(".ics"), "{url}");
    let secret = url
        .trim_start_matches(&app.url("/api/v1/calendar/"))
        .trim_end_matches(".ics");
    assert!(secret.len() >= 43, "{url}");
    assert_eq!(
        created["token_hint"].as_str().unwrap(),
        &secret[secret.len() - 4..]
    );
    assert!(created["created_at"].is_string());
    url
}

/// Fetches a feed without any login.
async fn fetch(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

/// The feed at `url`, its raw text and as parsed.
async fn read_feed(url: &str) -> (String, IcalCalendar) {
    let response = fetch(url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );
    let text = response.text().await.unwrap();
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(parser.next().is_none(), "exactly one calendar");
    (text, calendar)
}

fn value<'a>(properties: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

fn event_value<'a>(event: &'a IcalEvent, name: &str) -> &'a str {
    value(&event.properties, name).unwrap_or_else(|| panic!("{name} in {event:?}"))
}

fn event<'a>(calendar: &'a IcalCalendar, uid_prefix: &str) -> Option<&'a IcalEvent> {
    calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").is_some_and(|u| u.starts_with(uid_prefix)))
}

fn date_of(event: &IcalEvent) -> String {
    let start = event
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .unwrap();
    let params = start.params.clone().unwrap_or_default();
    assert!(
        params
            .iter()
            .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_owned()]),
        "all-day: {start:?}"
    );
    start.value.clone().unwrap()
}

fn ics_date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

async fn the_feed_holds_the_municipality_s_deadlines_as_stable_events(app: TestApp) {
    let (tenants, admins) = app.three_municipalities().await;
    let _ = tenants;
    let end = months_ahead(24);
    let ours = contract(&app, &admins[0], "Løn, HR; og \\ vagtplan", end).await;
    let theirs = contract(&app, &admins[1], "Ringsteds hemmelige kontrakt", end).await;
    let viewer = app.token("laeser@soroe.dk").await;

    let status = expect_json(
        app.request(Method::GET, FEED, Some(&viewer))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status, json!({"active": false}));

    let url = create_feed(&app, &viewer).await;
    let status = expect_json(
        app.request(Method::GET, FEED, Some(&viewer))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["active"], true);
    assert!(
        !status
            .to_string()
            .contains(url.trim_end_matches(".ics").rsplit('/').next().unwrap())
    );

    let (text, calendar) = read_feed(&url).await;
    assert_eq!(
        value(&calendar.properties, "X-WR-CALNAME"),
        Some("Samudbud – Sorø Kommune")
    );
    assert_eq!(
        value(&calendar.properties, "X-WR-TIMEZONE"),
        Some("Europe/Copenhagen")
    );
    assert_eq!(calendar.timezones.len(), 1);
    assert_eq!(value(&calendar.properties, "VERSION"), Some("2.0"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    assert!(!text.contains("Ringsted"), "{text}");
    assert!(!text.contains(&theirs), "{text}");

    let notice = event(&calendar, &format!("notice-{ours}@")).expect("the notice deadline");
    assert_eq!(
        event_value(notice, "UID"),
        format!("notice-{ours}@127.0.0.1")
    );
    assert_eq!(date_of(notice), ics_date(notice_for(end)));
    assert_eq!(
        event_value(notice, "SUMMARY"),
        r"Opsigelsesfrist: Løn\, HR\; og \\ vagtplan"
    );
    let link = app.url(&format!("/kontrakter/{ours}"));
    assert_eq!(event_value(notice, "URL"), link);
    assert!(event_value(notice, "DESCRIPTION").contains(&link));
    assert!(event_value(notice, "DTSTAMP").ends_with('Z'));
    assert!(event_value(notice, "LAST-MODIFIED").ends_with('Z'));
    let retender = event(&calendar, &format!("retender-{ours}@")).expect("the re-tender start");
    assert_eq!(
        date_of(retender),
        ics_date(notice_for(end) - Months::new(12))
    );
    assert!(event_value(retender, "SUMMARY").starts_with("Genudbud skal forberedes: Løn"));

    // The same data answers the same document, and the ETag says so.
    let again = fetch(&url).await;
    let etag = again.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(again.text().await.unwrap(), text);
    let unchanged = reqwest::Client::new()
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    let status = expect_json(
        app.request(Method::GET, FEED, Some(&viewer))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(status["last_used_at"].is_string(), "{status}");

    // The other municipalities' feeds have none of it.
    let ringsted = app.token("laeser@ringsted.dk").await;
    let (text, calendar) = read_feed(&create_feed(&app, &ringsted).await).await;
    assert!(!text.contains(&ours) && !text.contains("Løn"), "{text}");
    assert!(event(&calendar, &format!("notice-{theirs}@")).is_some());
}

async fn a_moved_date_updates_the_same_event(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let end = months_ahead(24);
    let id = contract(&app, &admins[0], "Økonomisystem", end).await;
    let url = create_feed(&app, &admins[0]).await;
    let (_, before) = read_feed(&url).await;
    let old = event(&before, &format!("notice-{id}@")).unwrap().clone();

    let current = call(
        &app,
        &admins[0],
        Method::GET,
        &format!("/contracts/{id}"),
        None,
        None,
    )
    .await;
    let etag = current.headers()["etag"].to_str().unwrap().to_owned();
    let current: Value = current.json().await.unwrap();
    let moved = months_ahead(30);
    expect_json(
        call(
            &app,
            &admins[0],
            Method::PUT,
            &format!("/contracts/{id}"),
            Some(json!({
                "title": current["title"],
                "supplier_id": current["supplier"]["id"],
                "start_on": "2022-01-01",
                "end_on": moved,
                "notice_period_months": 6,
                "retender_lead_months": 12,
            })),
            Some(&etag),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let (_, after) = read_feed(&url).await;
    let new = event(&after, &format!("notice-{id}@")).unwrap();
    assert_eq!(event_value(new, "UID"), event_value(&old, "UID"));
    assert_eq!(date_of(new), ics_date(notice_for(moved)));
    assert_ne!(date_of(new), date_of(&old));
    let sequence = |e: &IcalEvent| event_value(e, "SEQUENCE").parse::<u32>().unwrap();
    assert!(sequence(new) > sequence(&old), "{new:?} after {old:?}");
    assert_eq!(
        after.events.len(),
        before.events.len(),
        "an update, not another event"
    );
}

async fn milestones_follow_participation(app: TestApp) {
    let (tenants, admins) = app.three_municipalities().await;
    let collaboration = expect_json(
        call(
            &app,
            &admins[0],
            Method::POST,
            "/collaborations",
            Some(json!({"name": "Vestsjællands Udbud"})),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let collaboration = collaboration["id"].as_str().unwrap().to_owned();
    for (path, who, body) in [
        ("invitations", 0, Some(json!({"municipality_code": "329"}))),
        ("accept", 1, None),
    ] {
        expect_json(
            call(
                &app,
                &admins[who],
                Method::POST,
                &format!("/collaborations/{collaboration}/{path}"),
                body,
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let plan = expect_json(
        call(
            &app,
            &admins[0],
            Method::POST,
            "/tender-plans",
            Some(json!({
                "name": "Fælles udbudsplan",
                "period_start": today(),
                "period_end": months_ahead(36),
                "collaboration_id": collaboration,
            })),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let plan = plan["id"].as_str().unwrap().to_owned();
    let publication = months_ahead(3);
    let tender = expect_json(
        call(
            &app,
            &admins[0],
            Method::POST,
            &format!("/tender-plans/{plan}/tenders"),
            Some(json!({
                "subject": "Fælles ESDH-system",
                "procedure": "open",
                "status": "planned",
                "milestones": [
                    {"kind": "publication", "date": publication},
                    {"kind": "bid_deadline", "date": months_ahead(5)},
                ],
            })),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let tender = tender["id"].as_str().unwrap().to_owned();
    expect_json(
        call(
            &app,
            &admins[0],
            Method::POST,
            &format!("/tender-plans/{plan}/tenders/{tender}/participants"),
            Some(json!({"tenant_id": tenants[1].to_string()})),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let lead = create_feed(&app, &admins[0]).await;
    let member = create_feed(&app, &admins[1]).await;
    let outsider = create_feed(&app, &admins[2]).await;
    let uid = format!("milestone-publication-{tender}@");
    for url in [&lead, &member] {
        let (_, calendar) = read_feed(url).await;
        let found = event(&calendar, &uid).expect("the publication milestone");
        assert_eq!(date_of(found), ics_date(publication));
        assert_eq!(
            event_value(found, "SUMMARY"),
            "Offentliggørelse: Fælles ESDH-system"
        );
        assert_eq!(
            event_value(found, "URL"),
            app.url(&format!("/udbudsplaner/{plan}/udbud/{tender}"))
        );
        assert!(event(&calendar, &format!("milestone-bid_deadline-{tender}@")).is_some());
    }
    let (text, _) = read_feed(&outsider).await;
    assert!(!text.contains(&tender) && !text.contains("ESDH"), "{text}");

    // Declining takes the tender off the member's calendar.
    expect_json(
        call(
            &app,
            &admins[1],
            Method::POST,
            &format!(
                "/tender-plans/{plan}/tenders/{tender}/participants/{}/decline",
                tenants[1]
            ),
            Some(json!({"reason": "Vi har en rammeaftale"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let (_, calendar) = read_feed(&member).await;
    assert!(event(&calendar, &uid).is_none());
    let (_, calendar) = read_feed(&lead).await;
    assert!(event(&calendar, &uid).is_some(), "the lead keeps it");
}

async fn replacing_and_revoking_stop_the_old_address(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let first = create_feed(&app, &admins[0]).await;
    assert_eq!(fetch(&first).await.status(), StatusCode::OK);
    let second = create_feed(&app, &admins[0]).await;
    assert_ne!(first, second);
    expect_problem(fetch(&first).await, StatusCode::NOT_FOUND).await;
    assert_eq!(fetch(&second).await.status(), StatusCode::OK);

    // Malformed addresses are as unknown as guessed ones.
    let token = second.rsplit('/').next().unwrap().trim_end_matches(".ics");
    let mut flipped = token.to_owned();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [
        app.url(&format!("/api/v1/calendar/{flipped}.ics")),
        app.url(&format!("/api/v1/calendar/{token}")),
        app.url(&format!("/api/v1/calendar/{}.ics", &token[..20])),
        app.url("/api/v1/calendar/.ics"),
    ] {
        expect_problem(fetch(&wrong).await, StatusCode::NOT_FOUND).await;
    }

    let revoked = app
        .request(Method::DELETE, FEED, Some(&admins[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    expect_problem(fetch(&second).await, StatusCode::NOT_FOUND).await;
    let status = expect_json(
        app.request(Method::GET, FEED, Some(&admins[0]))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status, json!({"active": false}));
    // Revoking again is harmless.
    let again = app
        .request(Method::DELETE, FEED, Some(&admins[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);

    let audit = expect_json(
        app.request(
            Method::GET,
            "/api/v1/audit-events?page_size=50",
            Some(&admins[0]),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    let mut actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("calendar_feed."))
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "calendar_feed.created",
            "calendar_feed.created",
            "calendar_feed.replaced",
            "calendar_feed.revoked"
        ]
    );
    assert!(
        !audit.to_string().contains(token),
        "the token is never recorded"
    );
}

async fn a_deactivated_user_s_feed_stops_answering(app: TestApp) {
    let (tenants, admins) = app.three_municipalities().await;
    let editor = app
        .create_user(tenants[0], "redaktoer@soroe.dk", Role::Editor)
        .await;
    let token = app.token("redaktoer@soroe.dk").await;
    let url = create_feed(&app, &token).await;
    assert_eq!(fetch(&url).await.status(), StatusCode::OK);
    let gone = call(
        &app,
        &admins[0],
        Method::DELETE,
        &format!("/users/{editor}"),
        None,
        None,
    )
    .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    expect_problem(fetch(&url).await, StatusCode::NOT_FOUND).await;
}

async fn each_user_has_only_their_own_feed(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let viewer = app.token("laeser@soroe.dk").await;
    let url = create_feed(&app, &viewer).await;

    // Another municipality's admin, and the same municipality's admin, see
    // and revoke only their own (none).
    for other in [&admins[1], &admins[0]] {
        let status = expect_json(
            app.request(Method::GET, FEED, Some(other))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        assert_eq!(status, json!({"active": false}));
        let revoked = app
            .request(Method::DELETE, FEED, Some(other))
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(fetch(&url).await.status(), StatusCode::OK);

    // API clients act for no person and keep no feed.
    let (_, id, secret) = app
        .create_api_client(&admins[0], "Sorøs ERP", &["contracts:read", "plans:read"])
        .await;
    let client = app.client_token(&id, &secret).await;
    for method in [Method::GET, Method::POST, Method::DELETE] {
        expect_problem(
            app.request(method, FEED, Some(&client))
                .send()
                .await
                .unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    expect_problem(
        app.request(Method::POST, FEED, None).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
}
