//! Reminder digests: the user's setting and preview over HTTP, and the
//! scheduler against a small SMTP server run by the test — each due user
//! gets exactly one mail per period with the right dates and links, however
//! often and on however many servers the scheduler ticks; nobody gets one
//! with reminders off, deactivated or with nothing to report; a refused
//! mail is retried with backoff and finally given up.

use base64::Engine;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::smtp::SmtpServer;
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use samudbud_domain::entities::{digest_delivery, user};
use samudbud_domain::reminders::mailer::Mailer;
use samudbud_domain::reminders::scheduler::{self, DigestRun, TickReport};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

on_both_databases!(
    settings_are_each_user_s_own,
    the_preview_shows_the_coming_dates,
    each_due_user_gets_one_digest_per_period,
);

/// The readable text of a received mail: its headers with encoded words
/// decoded, then each MIME part's body decoded (quoted-printable, base64).
fn readable(data: &str) -> String {
    let data = data.replace("\r\n", "\n");
    let (headers, body) = data.split_once("\n\n").unwrap_or((&data, ""));
    let unfolded = headers.replace("\n ", " ").replace("\n\t", " ");
    let mut out = decode_words(&unfolded);
    out.push('\n');
    let boundary = unfolded
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("");
    let parts: Vec<&str> = if boundary.is_empty() {
        vec![body]
    } else {
        body.split(&format!("--{boundary}")).collect()
    };
    for part in parts {
        let Some((part_headers, content)) = part.trim_start_matches('\n').split_once("\n\n") else {
            continue;
        };
        let lower = part_headers.to_ascii_lowercase();
        let decoded = if lower.contains("content-transfer-encoding: base64") {
            let joined: String = content.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .unwrap(),
            )
            .unwrap()
        } else if lower.contains("content-transfer-encoding: quoted-printable") {
            decode_quoted_printable(content)
        } else {
            content.to_owned()
        };
        out.push_str(&decoded);
        out.push('\n');
    }
    out
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded.
fn decode_words(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("=?") {
        out.push_str(&rest[..start]);
        let word = &rest[start + 2..];
        let mut pieces = word.splitn(3, '?');
        let (_charset, encoding, tail) = (pieces.next(), pieces.next(), pieces.next());
        let (Some(encoding), Some(tail)) = (encoding, tail) else {
            out.push_str("=?");
            rest = word;
            continue;
        };
        let Some(end) = tail.find("?=") else {
            out.push_str("=?");
            rest = word;
            continue;
        };
        let payload = &tail[..end];
        let decoded = if encoding.eq_ignore_ascii_case("b") {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(payload)
                    .unwrap(),
            )
            .unwrap()
        } else {
            decode_quoted_printable(&payload.replace('_', " "))
        };
        out.push_str(&decoded);
        rest = &tail[end + 2..];
        // Whitespace between adjacent encoded words is not part of the text.
        if rest.trim_start().starts_with("=?") {
            rest = rest.trim_start();
        }
    }
    out.push_str(rest);
    out
}

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

/// A supplier and a contract of `token`'s municipality ending on `end_on`;
/// the contract as the API answers.
async fn contract(app: &TestApp, token: &str, title: &str, end_on: NaiveDate) -> Value {
    let supplier = expect_json(
        call(
            app,
            token,
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        call(
            app,
            token,
            Method::POST,
            "/contracts",
            Some(json!({
                "title": title,
                "supplier_id": supplier["id"],
                "start_on": "2020-01-01",
                "end_on": end_on.to_string(),
                "notice_period_months": 3,
                "retender_lead_months": 24,
            })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

fn date_of(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

async fn settings_are_each_user_s_own(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(sorø, "laeser@soroe.dk", Role::Viewer).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let viewer = app.token("laeser@soroe.dk").await;
    let other = app.token("admin@ringsted.dk").await;

    // The role's default: weekly for admins (next Monday), off for viewers.
    let mine = expect_json(
        call(&app, &admin, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["frequency"], "default");
    assert_eq!(mine["effective"], "weekly");
    assert_eq!(mine["horizon_days"], 30);
    assert_eq!(
        date_of(&mine["next_send_on"]).weekday(),
        chrono::Weekday::Mon
    );
    assert!(mine.get("last_sent_at").is_none());
    let theirs = expect_json(
        call(&app, &viewer, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["frequency"], "default");
    assert_eq!(theirs["effective"], "off");
    assert!(theirs.get("next_send_on").is_none());

    // A choice of one's own.
    let changed = expect_json(
        call(
            &app,
            &admin,
            Method::PUT,
            "/me/reminders",
            Some(json!({"frequency": "daily", "horizon_days": 45})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["frequency"], "daily");
    assert_eq!(changed["effective"], "daily");
    assert_eq!(changed["horizon_days"], 45);
    assert!(changed["next_send_on"].is_string());
    let viewer_on = expect_json(
        call(
            &app,
            &viewer,
            Method::PUT,
            "/me/reminders",
            Some(json!({"frequency": "weekly", "horizon_days": 14})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(viewer_on["effective"], "weekly");

    // Bad input changes nothing.
    for (body, field) in [
        (
            json!({"frequency": "daily", "horizon_days": 0}),
            Some("horizon_days"),
        ),
        (
            json!({"frequency": "daily", "horizon_days": 366}),
            Some("horizon_days"),
        ),
        (json!({"frequency": "sometimes", "horizon_days": 30}), None),
        (json!({"frequency": "daily"}), None),
        (
            json!({"frequency": "daily", "horizon_days": 30, "extra": 1}),
            None,
        ),
        (json!({"frequency": "daily", "horizon_days": "30"}), None),
    ] {
        let response = call(
            &app,
            &admin,
            Method::PUT,
            "/me/reminders",
            Some(body.clone()),
        )
        .await;
        let status = response.status();
        assert!(status.is_client_error(), "{body}: {status}");
        let problem = expect_problem(response, status).await;
        if let Some(field) = field {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
    }
    let kept = expect_json(
        call(&app, &admin, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kept["frequency"], "daily");
    assert_eq!(kept["horizon_days"], 45);

    // The change is in the audit trail; saving the same again adds nothing.
    call(
        &app,
        &admin,
        Method::PUT,
        "/me/reminders",
        Some(json!({"frequency": "daily", "horizon_days": 45})),
    )
    .await;
    let audit = expect_json(
        call(
            &app,
            &admin,
            Method::GET,
            "/audit-events?object_kind=reminder_settings",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["total"], 2, "{audit}");
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["actor"] == "admin@soroe.dk")
        .expect("the admin's change");
    assert_eq!(entry["action"], "reminders.updated");
    assert_eq!(entry["before"]["frequency"], Value::Null);
    assert_eq!(entry["after"]["frequency"], "daily");
    assert_eq!(entry["after"]["horizon_days"], 45);

    // Another municipality's user sees and changes only their own.
    let other_view = expect_json(
        call(&app, &other, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(other_view["frequency"], "default");
    assert_eq!(other_view["horizon_days"], 30);
    expect_json(
        call(
            &app,
            &other,
            Method::PUT,
            "/me/reminders",
            Some(json!({"frequency": "off", "horizon_days": 7})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let still = expect_json(
        call(&app, &admin, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["frequency"], "daily");
    let other_audit = expect_json(
        call(
            &app,
            &other,
            Method::GET,
            "/audit-events?object_kind=reminder_settings",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        other_audit["total"], 1,
        "only Ringsted's own change: {other_audit}"
    );

    // Back to the role's default.
    let reset = expect_json(
        call(
            &app,
            &admin,
            Method::PUT,
            "/me/reminders",
            Some(json!({"frequency": "default", "horizon_days": 30})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reset["frequency"], "default");
    assert_eq!(reset["effective"], "weekly");

    // A digest goes to a person: API clients have none.
    let (_, id, secret) = app
        .create_api_client(&admin, "ERP", &["contracts:read", "plans:read"])
        .await;
    let client = app.client_token(&id, &secret).await;
    for (method, path) in [
        (Method::GET, "/me/reminders"),
        (Method::GET, "/me/reminders/preview"),
    ] {
        let response = call(&app, &client, method, path, None).await;
        expect_problem(response, StatusCode::FORBIDDEN).await;
    }
    let response = app
        .request(Method::GET, "/api/v1/me/reminders", None)
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNAUTHORIZED).await;
}

async fn the_preview_shows_the_coming_dates(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let other = app.token("admin@ringsted.dk").await;

    // Ends in three months and two weeks: notice is due in about two weeks.
    let today = samudbud_domain::clock::today();
    let soon = contract(
        &app,
        &admin,
        "Økonomisystem",
        today.checked_add_months(chrono::Months::new(3)).unwrap() + Duration::days(14),
    )
    .await;
    let notice = date_of(&soon["notice_deadline"]);
    assert!(
        notice > today && notice < today + Duration::days(30),
        "{soon}"
    );
    let later = contract(
        &app,
        &admin,
        "Lønsystem",
        NaiveDate::from_ymd_opt(2035, 6, 30).unwrap(),
    )
    .await;

    let preview = expect_json(
        call(&app, &admin, Method::GET, "/me/reminders/preview", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preview["effective"], "weekly");
    let items = preview["items"].as_array().unwrap();
    let link = app.url(&format!("/kontrakter/{}", soon["id"].as_str().unwrap()));
    let item = items
        .iter()
        .find(|i| i["kind"] == "notice")
        .unwrap_or_else(|| panic!("{preview}"));
    assert_eq!(item["label"], "Opsigelsesfrist");
    assert_eq!(item["date"], soon["notice_deadline"]);
    assert_eq!(item["title"], "Økonomisystem");
    assert_eq!(item["link"], link);
    let text = preview["text"].as_str().unwrap();
    assert!(text.starts_with("Hej Test admin@soroe.dk,"), "{text}");
    assert!(text.contains("Opsigelsesfrist"), "{text}");
    assert!(text.contains(&link));
    assert!(text.contains(&app.url("/profil")));
    assert!(!text.contains("Lønsystem"), "{text}");
    assert!(!text.contains(later["id"].as_str().unwrap()));
    assert!(
        preview["subject"]
            .as_str()
            .unwrap()
            .starts_with("Samudbud: ")
    );
    assert!(
        preview["html"]
            .as_str()
            .unwrap()
            .contains(&format!("href=\"{link}\""))
    );

    // Another municipality's preview holds none of it: nothing to report.
    let theirs = expect_json(
        call(&app, &other, Method::GET, "/me/reminders/preview", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["items"], json!([]), "{theirs}");
    assert!(theirs.get("subject").is_none());
    assert!(theirs.get("text").is_none());
    assert!(!theirs.to_string().contains("Økonomisystem"));
}

/// The scheduler's run, sending through `smtp_url`.
fn run(smtp_url: &str, holder: &str) -> DigestRun {
    DigestRun {
        mailer: Mailer::new(Some(smtp_url), "Samudbud <noreply@samudbud.test>").unwrap(),
        public_url: "https://samudbud.test/".into(),
        holder: holder.into(),
    }
}

async fn deliveries_of(app: &TestApp, email: &str) -> Vec<digest_delivery::Model> {
    let txn = app.db.read(samudbud_domain::Scope::System).await.unwrap();
    let person = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&txn)
        .await
        .unwrap()
        .unwrap();
    let found = digest_delivery::Entity::find()
        .filter(digest_delivery::Column::UserId.eq(person.id))
        .all(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    found
}

fn add(a: TickReport, b: TickReport) -> TickReport {
    TickReport {
        leased: a.leased || b.leased,
        created: a.created + b.created,
        sent: a.sent + b.sent,
        empty: a.empty + b.empty,
        skipped: a.skipped + b.skipped,
        retried: a.retried + b.retried,
        failed: a.failed + b.failed,
    }
}

async fn each_due_user_gets_one_digest_per_period(app: TestApp) {
    let smtp = SmtpServer::default();
    let url = smtp.start().await;

    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    for (tenant, email, role) in [
        (sorø, "admin@soroe.dk", Role::Admin),
        (sorø, "fravalgt@soroe.dk", Role::Editor),
        (sorø, "laeser@soroe.dk", Role::Viewer),
        (sorø, "daglig@soroe.dk", Role::Viewer),
        (sorø, "tidligere@soroe.dk", Role::Editor),
        (sorø, "igen@soroe.dk", Role::Editor),
        (sorø, "afvist@soroe.dk", Role::Editor),
        (ringsted, "admin@ringsted.dk", Role::Admin),
    ] {
        app.create_user(tenant, email, role).await;
    }
    let admin = app.token("admin@soroe.dk").await;
    for (email, frequency) in [("fravalgt@soroe.dk", "off"), ("daglig@soroe.dk", "daily")] {
        let token = app.token(email).await;
        expect_json(
            call(
                &app,
                &token,
                Method::PUT,
                "/me/reminders",
                Some(json!({"frequency": frequency, "horizon_days": 30})),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let users = expect_json(
        call(&app, &admin, Method::GET, "/users?q=tidligere", None).await,
        StatusCode::OK,
    )
    .await;
    let former = users["items"][0]["id"].as_str().unwrap().to_owned();
    let gone = call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/users/{former}"),
        None,
    )
    .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);

    // A notice deadline a week or two after a Monday to tick on; a contract
    // far off that no digest mentions.
    let due = contract(
        &app,
        &admin,
        "Økonomisystem",
        NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
    )
    .await;
    let far = contract(
        &app,
        &admin,
        "Lønsystem",
        NaiveDate::from_ymd_opt(2035, 6, 30).unwrap(),
    )
    .await;
    let notice = date_of(&due["notice_deadline"]);
    let monday = notice - Duration::days(i64::from(notice.weekday().num_days_from_monday()) + 7);
    // 10:00 UTC is late morning in Copenhagen, winter or summer.
    let now: DateTime<Utc> = monday.and_hms_opt(10, 0, 0).unwrap().and_utc();
    let link = format!(
        "https://samudbud.test/kontrakter/{}",
        due["id"].as_str().unwrap()
    );

    smtp.refuse("igen@soroe.dk", 1);
    smtp.refuse("afvist@soroe.dk", usize::MAX);

    // Two servers tick at once.
    let (server_a, server_b) = (run(&url, "server-a"), run(&url, "server-b"));
    let (first, second) = tokio::join!(
        scheduler::tick(&app.db, &server_a, now),
        scheduler::tick(&app.db, &server_b, now),
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    let both = add(first.clone(), second.clone());
    assert!(first.leased || second.leased, "{first:?} {second:?}");
    // admin, igen, afvist (weekly by role); daglig (daily); Ringsted's admin.
    assert_eq!(both.created, 5, "{both:?}");
    assert_eq!(both.sent, 2, "{both:?}");
    assert_eq!(both.empty, 1, "{both:?}");
    assert_eq!(both.retried, 2, "{both:?}");
    assert_eq!(both.failed, 0, "{both:?}");

    // Again at the same time: nothing new, nothing sent twice.
    let again = scheduler::tick(&app.db, &run(&url, "server-a"), now)
        .await
        .unwrap();
    assert_eq!(
        again,
        TickReport {
            leased: true,
            ..TickReport::default()
        },
        "the retries are not due yet"
    );
    assert_eq!(smtp.count_for("admin@soroe.dk"), 1);
    assert_eq!(smtp.count_for("daglig@soroe.dk"), 1);
    for nobody in [
        "fravalgt@soroe.dk",
        "laeser@soroe.dk",
        "tidligere@soroe.dk",
        "admin@ringsted.dk",
    ] {
        assert_eq!(smtp.count_for(nobody), 0, "{nobody}");
        let expected = usize::from(nobody == "admin@ringsted.dk");
        assert_eq!(
            deliveries_of(&app, nobody).await.len(),
            expected,
            "{nobody}"
        );
    }
    let empty = deliveries_of(&app, "admin@ringsted.dk").await;
    assert_eq!(empty[0].status, "empty");
    assert_eq!(empty[0].item_count, Some(0));

    // The admin's mail: the notice deadline with its link, not the far one.
    let mail = smtp
        .received()
        .into_iter()
        .find(|m| m.to == ["admin@soroe.dk"])
        .unwrap();
    let text = readable(&mail.data);
    assert!(text.contains("Samudbud: "), "{text}");
    assert!(text.contains("Hej Test admin@soroe.dk,"), "{text}");
    assert!(text.contains("Opsigelsesfrist: Økonomisystem"), "{text}");
    assert!(text.contains(&link), "{text}");
    assert!(
        text.contains(&format!("href=\"{link}\"")),
        "the HTML alternative: {text}"
    );
    assert!(text.contains("https://samudbud.test/profil"), "{text}");
    assert!(text.contains("multipart/alternative"), "{text}");
    assert!(!text.contains("Lønsystem"), "{text}");
    assert!(!text.contains(far["id"].as_str().unwrap()));
    let delivered = deliveries_of(&app, "admin@soroe.dk").await;
    assert_eq!(delivered.len(), 1);
    let week = monday.iso_week();
    assert_eq!(
        delivered[0].period,
        format!("{}-W{:02}", week.year(), week.week())
    );
    assert_eq!(delivered[0].status, "sent");
    assert_eq!(delivered[0].attempts, 1);
    assert_eq!(delivered[0].item_count, Some(1));
    assert_eq!(
        deliveries_of(&app, "daglig@soroe.dk").await[0].period,
        monday.to_string()
    );

    // The refused mail is retried after a minute, and then goes.
    let retry = scheduler::tick(&app.db, &run(&url, "server-b"), now + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(
        (retry.sent, retry.retried, retry.created),
        (1, 1, 0),
        "{retry:?}"
    );
    assert_eq!(smtp.count_for("igen@soroe.dk"), 1);
    let igen = deliveries_of(&app, "igen@soroe.dk").await;
    assert_eq!((igen[0].status.as_str(), igen[0].attempts), ("sent", 2));
    assert!(
        igen[0].last_error.as_deref().unwrap().contains("451"),
        "{igen:?}"
    );

    // The always refused one backs off 1, 4, 16, 64 minutes, then fails.
    let afvist = deliveries_of(&app, "afvist@soroe.dk").await;
    assert_eq!(afvist[0].attempts, 2);
    assert_eq!(afvist[0].next_attempt_at, now + Duration::minutes(1 + 4));
    let early = scheduler::tick(&app.db, &run(&url, "server-a"), now + Duration::minutes(4))
        .await
        .unwrap();
    assert_eq!(early.retried, 0, "not due before its backoff");
    for (minutes, attempts) in [(5, 3), (21, 4)] {
        let report = scheduler::tick(
            &app.db,
            &run(&url, "server-a"),
            now + Duration::minutes(minutes),
        )
        .await
        .unwrap();
        assert_eq!(report.retried, 1, "{minutes}: {report:?}");
        assert_eq!(
            deliveries_of(&app, "afvist@soroe.dk").await[0].attempts,
            attempts
        );
    }
    let last = scheduler::tick(&app.db, &run(&url, "server-a"), now + Duration::minutes(85))
        .await
        .unwrap();
    assert_eq!(last.failed, 1, "{last:?}");
    let failed = deliveries_of(&app, "afvist@soroe.dk").await;
    assert_eq!(
        (failed[0].status.as_str(), failed[0].attempts),
        ("failed", 5)
    );
    assert!(failed[0].last_error.as_deref().unwrap().contains("451"));
    let after = scheduler::tick(&app.db, &run(&url, "server-a"), now + Duration::hours(6))
        .await
        .unwrap();
    assert_eq!(
        (after.sent, after.retried, after.failed),
        (0, 0, 0),
        "given up for good"
    );
    assert_eq!(smtp.count_for("afvist@soroe.dk"), 0);

    // The next day: the daily digest again, the weekly ones not.
    let tuesday = scheduler::tick(&app.db, &run(&url, "server-a"), now + Duration::days(1))
        .await
        .unwrap();
    assert_eq!((tuesday.created, tuesday.sent), (1, 1), "{tuesday:?}");
    assert_eq!(smtp.count_for("daglig@soroe.dk"), 2);
    assert_eq!(smtp.count_for("admin@soroe.dk"), 1);

    // What the user sees of it.
    let settings = expect_json(
        call(&app, &admin, Method::GET, "/me/reminders", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(settings["last_sent_at"].is_string(), "{settings}");
}
