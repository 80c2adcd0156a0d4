//! Decisions about a contract's deadlines over HTTP: notice given, an
//! option exercised, letting it run, re-tendering; the dates they move, the
//! deadlines they take off the "to act on" lists (overview, deadlines,
//! reminder digest, calendar feed) and put back when the dates move; who
//! may make them and who may read them.

use chrono::{Duration, Months, NaiveDate};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    notice_given_ends_the_contract_and_takes_its_deadline_off_the_lists,
    letting_it_run_and_re_tendering_handle_only_their_own_deadline,
    only_the_owner_s_editors_decide_and_partners_only_read,
);

struct Setup {
    app: TestApp,
    /// Sorø's admin, Ringsted's admin (a partner), Næstved's admin (an outsider).
    admins: Vec<String>,
    editor: String,
    viewer: String,
    supplier_id: Value,
}

async fn setup(app: TestApp) -> Setup {
    let (tenants, admins) = app.three_municipalities().await;
    app.create_user(tenants[0], "redaktoer@soroe.dk", Role::Editor)
        .await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let viewer = app.token("laeser@soroe.dk").await;
    let mut s = Setup {
        app,
        admins,
        editor,
        viewer,
        supplier_id: Value::Null,
    };
    let supplier = expect_json(
        s.call(
            &s.editor.clone(),
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    s.supplier_id = supplier["id"].clone();
    s
}

fn today() -> NaiveDate {
    samudbud_domain::clock::today()
}

fn da(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

fn date_of(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

impl Setup {
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

    /// A contract ending `end` with three months' notice, by the editor.
    async fn contract(&self, title: &str, extra: Value) -> Value {
        let mut body = json!({
            "title": title,
            "supplier_id": self.supplier_id,
            "start_on": "2024-01-01",
            "notice_period_months": 3,
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        expect_json(
            self.call(&self.editor, Method::POST, "/contracts", Some(body))
                .await,
            StatusCode::CREATED,
        )
        .await
    }

    /// Posts a decision as `token`, quoting the contract's current ETag.
    async fn decide(&self, token: &str, id: &str, body: Value) -> reqwest::Response {
        let read = self
            .call(&self.editor, Method::GET, &format!("/contracts/{id}"), None)
            .await;
        let etag = read.headers()["etag"].to_str().unwrap().to_owned();
        self.app
            .request(
                Method::POST,
                &format!("/api/v1/contracts/{id}/decisions"),
                Some(token),
            )
            .header("if-match", etag)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// The (kind, date) of every open deadline of `title` within 800 days.
    /// The contract's coming deadlines on the list (passed ones, which the
    /// list shows first, are left out: they are not what a decision moves).
    async fn deadlines_of(&self, title: &str) -> Vec<(String, String)> {
        let list = self.get(&self.editor, "/deadlines?within_days=800").await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["title"] == title && d["overdue"] != true)
            .map(|d| {
                (
                    d["kind"].as_str().unwrap().to_owned(),
                    d["date"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

async fn notice_given_ends_the_contract_and_takes_its_deadline_off_the_lists(app: TestApp) {
    let s = setup(app).await;
    let admin = s.admins[0].clone();
    // Ends in three months and two weeks: notice is due in about two weeks.
    let end = today().checked_add_months(Months::new(3)).unwrap() + Duration::days(14);
    let c = s
        .contract(
            "Økonomisystem",
            json!({"end_on": end, "owner_user_id": null}),
        )
        .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let deadline = date_of(&c["notice_deadline"]);
    assert!(deadline > today() && deadline < today() + Duration::days(30));

    // On every list before.
    assert_eq!(
        s.deadlines_of("Økonomisystem").await,
        [("notice_deadline".to_owned(), deadline.to_string())]
    );
    let overview = s.get(&admin, "/overview").await;
    assert_eq!(
        overview["deadlines"]["notice_within_90_days"], 1,
        "{overview}"
    );
    let preview = s.get(&admin, "/me/reminders/preview").await;
    assert!(
        preview["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "notice" && i["title"] == "Økonomisystem"),
        "{preview}"
    );
    let feed = expect_json(
        s.call(&admin, Method::POST, "/me/calendar", None).await,
        StatusCode::CREATED,
    )
    .await;
    let feed_url = feed["url"].as_str().unwrap().to_owned();
    let calendar = reqwest::get(&feed_url).await.unwrap().text().await.unwrap();
    assert!(calendar.contains(&format!("notice-{id}@")), "{calendar}");

    // What notice today leads to: the contract ends at its end.
    let preview = s
        .get(
            &s.editor,
            &format!("/contracts/{id}/notice-preview?given_on={}", today()),
        )
        .await;
    assert_eq!(preview["ends_on"], json!(end), "{preview}");
    assert_eq!(preview["late"], false);
    assert_eq!(
        preview["message"],
        format!("Kontrakten ophører {}.", da(end))
    );
    // Notice a month after the deadline counts from that day.
    let late_day = deadline + Duration::days(31);
    let late = s
        .get(
            &s.editor,
            &format!("/contracts/{id}/notice-preview?given_on={late_day}"),
        )
        .await;
    assert_eq!(late["late"], true);
    assert_eq!(
        late["ends_on"],
        json!(late_day.checked_add_months(Months::new(3)).unwrap())
    );
    assert!(
        late["message"]
            .as_str()
            .unwrap()
            .contains("efter opsigelsesfristen"),
        "{late}"
    );
    let bad = s
        .call(
            &s.editor,
            Method::GET,
            &format!("/contracts/{id}/notice-preview?given_on=3.2.2027"),
            None,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let body = json!({
        "kind": "notice_given",
        "decided_on": today(),
        "decided_by_name": "Jens Hansen",
        "reference": "2027-123",
        "note": "Opsagt før genudbud.",
    });
    // Without If-Match: 428; with a stale one: 412; neither changes anything.
    let missing = s
        .call(
            &s.editor,
            Method::POST,
            &format!("/contracts/{id}/decisions"),
            Some(body.clone()),
        )
        .await;
    expect_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
    let stale = s
        .app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{id}/decisions"),
            Some(&s.editor),
        )
        .header("if-match", "\"0\"")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let listed = s
        .get(&s.editor, &format!("/contracts/{id}/decisions"))
        .await;
    assert_eq!(listed["total"], 0);

    let made = s.decide(&s.editor, &id, body.clone()).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    assert_eq!(made.headers()["etag"], "\"2\"");
    let decision = made.json::<Value>().await.unwrap();
    assert_eq!(decision["kind"], "notice_given");
    assert_eq!(decision["after"]["terminated_on"], json!(end));
    assert_eq!(decision["before"]["notice_deadline"], json!(deadline));
    assert_eq!(decision["late"], false);
    assert_eq!(
        decision["summary"],
        format!(
            "Opsigelse afgivet {} af Jens Hansen (j.nr. 2027-123): kontrakten ophører {}",
            da(today()),
            da(end)
        )
    );

    let after = s.get(&s.editor, &format!("/contracts/{id}")).await;
    assert_eq!(after["terminated_on"], json!(end));
    assert_eq!(after["effective_end"], json!(end));
    assert!(after.get("notice_deadline").is_none(), "{after}");
    assert_eq!(after["status"], "active", "ends later, on its end date");

    // Off every list.
    assert!(s.deadlines_of("Økonomisystem").await.is_empty());
    let overview = s.get(&admin, "/overview").await;
    assert_eq!(
        overview["deadlines"]["notice_within_90_days"], 0,
        "{overview}"
    );
    let preview = s.get(&admin, "/me/reminders/preview").await;
    assert!(
        preview["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["title"] != "Økonomisystem"),
        "{preview}"
    );
    let calendar = reqwest::get(&feed_url).await.unwrap().text().await.unwrap();
    assert!(!calendar.contains(&format!("notice-{id}@")), "{calendar}");

    // In the history, with its summary, and in the list.
    let history = s.get(&s.editor, &format!("/contracts/{id}/history")).await;
    let entry = &history["items"][0];
    assert_eq!(entry["action"], "contract.decision_notice_given");
    assert_eq!(entry["after"]["decision"]["summary"], decision["summary"]);
    assert!(entry["before"].get("decision").is_none());
    let listed = s
        .get(&s.editor, &format!("/contracts/{id}/decisions"))
        .await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["reference"], "2027-123");
    assert_eq!(listed["items"][0]["decided_by_name"], "Jens Hansen");

    // Notice once more: nothing is left to decide.
    let again = s.decide(&s.editor, &id, body).await;
    let problem = expect_problem(again, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem.to_string().contains("terminated"), "{problem}");
}

async fn letting_it_run_and_re_tendering_handle_only_their_own_deadline(app: TestApp) {
    let s = setup(app).await;
    // Notice due in about a year and two weeks, re-tender start in two weeks,
    // one option of twelve months.
    let end = today().checked_add_months(Months::new(15)).unwrap() + Duration::days(14);
    let body = json!({
        "end_on": end,
        "option_months": 12,
        "options_total": 1,
    });
    let c = s.contract("Lønsystem", body.clone()).await;
    let id = c["id"].as_str().unwrap().to_owned();
    let notice = c["notice_deadline"].as_str().unwrap().to_owned();
    let retender = c["retender_start"].as_str().unwrap().to_owned();
    assert_eq!(
        s.deadlines_of("Lønsystem").await,
        [
            ("retender_start".to_owned(), retender.clone()),
            ("notice_deadline".to_owned(), notice.clone()),
        ]
    );

    // Let it run: the notice deadline is handled, the re-tender start is not.
    let made = s
        .decide(
            &s.editor,
            &id,
            json!({"kind": "continue", "decided_on": today(), "note": "Leverandøren leverer godt."}),
        )
        .await;
    let decision = expect_json(made, StatusCode::CREATED).await;
    assert!(
        decision["summary"]
            .as_str()
            .unwrap()
            .starts_with("Besluttet at lade kontrakten løbe"),
        "{decision}"
    );
    // Neither name nor user given: the editor decided.
    assert!(decision["decided_by_user_id"].is_string(), "{decision}");
    assert_eq!(decision["decided_by_name"], "Test redaktoer@soroe.dk");
    assert_eq!(
        s.deadlines_of("Lønsystem").await,
        [("retender_start".to_owned(), retender.clone())]
    );

    // An option exercised moves the dates: the new notice deadline is open.
    let made = s
        .decide(
            &s.editor,
            &id,
            json!({"kind": "option_exercised", "decided_on": today()}),
        )
        .await;
    let decision = expect_json(made, StatusCode::CREATED).await;
    let new_end = end.checked_add_months(Months::new(12)).unwrap();
    assert_eq!(decision["before"]["options_exercised"], 0);
    assert_eq!(decision["after"]["options_exercised"], 1);
    assert_eq!(decision["after"]["effective_end"], json!(new_end));
    assert_eq!(
        decision["summary"],
        format!(
            "Option udnyttet: ny slutdato {} (besluttet {} af Test redaktoer@soroe.dk)",
            da(new_end),
            da(today())
        )
    );
    let moved = s.get(&s.editor, &format!("/contracts/{id}")).await;
    assert_eq!(moved["options_exercised"], 1);
    assert_eq!(moved["effective_end"], json!(new_end));
    let new_notice = moved["notice_deadline"].as_str().unwrap().to_owned();
    let new_retender = moved["retender_start"].as_str().unwrap().to_owned();
    assert_ne!(new_notice, notice);
    assert_eq!(
        s.deadlines_of("Lønsystem").await,
        [
            ("retender_start".to_owned(), new_retender.clone()),
            ("notice_deadline".to_owned(), new_notice.clone()),
        ]
    );

    // Re-tender: the re-tender start is handled, the notice deadline is not.
    let made = s
        .decide(
            &s.editor,
            &id,
            json!({"kind": "retender", "decided_on": today(), "decided_by_name": "Udbudsteamet"}),
        )
        .await;
    let decision = expect_json(made, StatusCode::CREATED).await;
    assert!(
        decision["summary"]
            .as_str()
            .unwrap()
            .starts_with("Besluttet at genudbyde"),
        "{decision}"
    );
    assert_eq!(
        s.deadlines_of("Lønsystem").await,
        [("notice_deadline".to_owned(), new_notice.clone())]
    );

    // No options left: a clear 422 that changes nothing.
    let version = s.get(&s.editor, &format!("/contracts/{id}")).await["version"].clone();
    let refused = s
        .decide(
            &s.editor,
            &id,
            json!({"kind": "option_exercised", "decided_on": today()}),
        )
        .await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem.to_string().contains("no_options_left"), "{problem}");
    let same = s.get(&s.editor, &format!("/contracts/{id}")).await;
    assert_eq!(same["version"], version);
    assert_eq!(same["options_exercised"], 1);

    // The end date edited: the dates move, and the re-tender start is back.
    let read = s
        .call(&s.editor, Method::GET, &format!("/contracts/{id}"), None)
        .await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let mut edited = json!({
        "title": "Lønsystem",
        "supplier_id": s.supplier_id,
        "start_on": "2024-01-01",
        "notice_period_months": 3,
        "options_exercised": 1,
    });
    for (k, v) in body.as_object().unwrap() {
        edited[k] = v.clone();
    }
    edited["end_on"] = json!(end + Duration::days(30));
    let put = s
        .app
        .request(
            Method::PUT,
            &format!("/api/v1/contracts/{id}"),
            Some(&s.editor),
        )
        .header("if-match", etag)
        .json(&edited)
        .send()
        .await
        .unwrap();
    expect_json(put, StatusCode::OK).await;
    let kinds: Vec<String> = s
        .deadlines_of("Lønsystem")
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    assert_eq!(kinds, ["retender_start", "notice_deadline"]);

    let listed = s
        .get(&s.editor, &format!("/contracts/{id}/decisions"))
        .await;
    let kinds: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["retender", "option_exercised", "continue"]);
}

async fn only_the_owner_s_editors_decide_and_partners_only_read(app: TestApp) {
    let s = setup(app).await;
    let (sorø, ringsted, næstved) = (
        s.admins[0].clone(),
        s.admins[1].clone(),
        s.admins[2].clone(),
    );
    let end = today().checked_add_months(Months::new(8)).unwrap();
    let c = s.contract("Fælles ESDH", json!({"end_on": end})).await;
    let id = c["id"].as_str().unwrap().to_owned();
    let made = s
        .decide(
            &sorø,
            &id,
            json!({"kind": "continue", "decided_on": today(), "reference": "J-1"}),
        )
        .await;
    let decision = expect_json(made, StatusCode::CREATED).await;
    assert_eq!(decision["decided_by_name"], "Test admin@soroe.dk");

    // Shared with Ringsted through a collaboration.
    let cid = s
        .app
        .collaboration(&sorø, "Midtsjælland", &[(&ringsted, "329")])
        .await;
    let shared = s
        .call(
            &sorø,
            Method::POST,
            &format!("/contracts/{id}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await;
    assert!(shared.status().is_success());

    let body = json!({"kind": "retender", "decided_on": today()});
    // A viewer reads but does not decide.
    let listed = s
        .get(&s.viewer, &format!("/contracts/{id}/decisions"))
        .await;
    assert_eq!(listed["total"], 1);
    expect_problem(
        s.decide(&s.viewer, &id, body.clone()).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // The partner reads, without who decided, and does not decide.
    let theirs = s
        .get(&ringsted, &format!("/contracts/{id}/decisions"))
        .await;
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["items"][0]["reference"], "J-1");
    assert!(theirs["items"][0].get("decided_by_name").is_none());
    assert!(theirs["items"][0].get("decided_by_user_id").is_none());
    expect_problem(
        s.decide(&ringsted, &id, body.clone()).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // Another municipality finds nothing.
    for path in [
        format!("/contracts/{id}/decisions"),
        format!("/contracts/{id}/notice-preview?given_on={}", today()),
    ] {
        expect_problem(
            s.call(&næstved, Method::GET, &path, None).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    expect_problem(
        s.decide(&næstved, &id, body.clone()).await,
        StatusCode::NOT_FOUND,
    )
    .await;

    // Bad input: a 422 naming the field, and nothing changes.
    let other_user = s.get(&ringsted, "/me").await;
    let other_user_id = other_user["id"]
        .as_str()
        .or(other_user["user_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    for (bad, field) in [
        (
            json!({"kind": "retender", "decided_on": today() + Duration::days(1)}),
            "decided_on",
        ),
        (
            json!({"kind": "retender", "decided_on": "2020-01-01"}),
            "decided_on",
        ),
        (
            json!({"kind": "retender", "decided_on": today(), "attachment_id": uuid::Uuid::new_v4()}),
            "attachment_id",
        ),
        (
            json!({"kind": "retender", "decided_on": today(), "decided_by_user_id": other_user_id}),
            "decided_by_user_id",
        ),
        (json!({"kind": "opsagt", "decided_on": today()}), "kind"),
    ] {
        let refused = s.decide(&s.editor, &id, bad.clone()).await;
        let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            problem.to_string().contains(&format!("\"{field}\"")),
            "{bad}: {problem}"
        );
    }
    let listed = s
        .get(&s.editor, &format!("/contracts/{id}/decisions"))
        .await;
    assert_eq!(listed["total"], 1);
}
