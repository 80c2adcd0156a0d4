//! Joint tender plans: a collaboration's plan, a planned tender, invited
//! municipalities stating their own value and replaced contracts and
//! confirming, the aggregate crossing the EU threshold; who may do what;
//! the XLSX export; CPV search and reference data.

use std::io::Read;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::principal::Principal;
use samudbud_domain::reference::{self, CpvEntry};
use samudbud_domain::tender_plans::model::{seed_thresholds, seed_time_limits};
use samudbud_domain::{Role, TenantId};
use serde_json::{Value, json};

on_both_databases!(
    a_joint_tender_crosses_the_threshold_in_aggregate,
    only_a_participant_answers_for_itself,
    declining_and_withdrawing_need_a_reason,
    outsiders_see_no_plan,
    the_export_is_a_workbook_with_typed_cells,
    cpv_codes_are_imported_and_searched,
    reference_data_is_seeded_and_corrected_by_operators,
);

/// Sorø coordinates "Vestsjællands Udbud" with Ringsted as member; Næstved
/// stands outside. Each has an admin; Ringsted also a viewer.
struct Setup {
    app: TestApp,
    tenants: Vec<TenantId>,
    admins: Vec<String>,
    ringsted_viewer: String,
    collaboration: String,
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

async fn setup(app: TestApp) -> Setup {
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
    let id = collaboration["id"].as_str().unwrap().to_owned();
    expect_json(
        call(
            &app,
            &admins[0],
            Method::POST,
            &format!("/collaborations/{id}/invitations"),
            Some(json!({"municipality_code": "329"})),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        call(
            &app,
            &admins[1],
            Method::POST,
            &format!("/collaborations/{id}/accept"),
            None,
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ringsted_viewer = app.token("laeser@ringsted.dk").await;
    Setup {
        app,
        tenants,
        admins,
        ringsted_viewer,
        collaboration: id,
    }
}

impl Setup {
    async fn call(
        &self,
        who: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        call(&self.app, &self.admins[who], method, path, body, if_match).await
    }

    /// A contract of municipality `who`, ending `end`.
    async fn contract(&self, who: usize, title: &str, end: &str) -> String {
        let supplier = expect_json(
            self.call(
                who,
                Method::POST,
                "/suppliers",
                Some(json!({"cvr": "29403473", "name": "Eksempel Software A/S"})),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        let contract = expect_json(
            self.call(
                who,
                Method::POST,
                "/contracts",
                Some(json!({
                    "title": title,
                    "supplier_id": supplier["id"],
                    "start_on": "2022-01-01",
                    "end_on": end,
                    "notice_period_months": 6,
                })),
                None,
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        contract["id"].as_str().unwrap().to_owned()
    }

    /// The collaboration's plan with one planned tender; both ids.
    async fn plan_with_tender(&self) -> (String, String) {
        let plan = expect_json(
            self.call(
                0,
                Method::POST,
                "/tender-plans",
                Some(json!({
                    "name": "Fælles udbudsplan 2026–2029",
                    "period_start": "2026-01-01",
                    "period_end": "2029-12-31",
                    "collaboration_id": self.collaboration,
                })),
                None,
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(plan["owner"]["kind"], "collaboration");
        assert_eq!(plan["owner"]["name"], "Vestsjællands Udbud");
        assert_eq!(plan["editable"], true);
        let plan_id = plan["id"].as_str().unwrap().to_owned();
        let tender = expect_json(
            self.call(
                0,
                Method::POST,
                &format!("/tender-plans/{plan_id}/tenders"),
                Some(json!({
                    "subject": "Fælles ESDH-system",
                    "cpv_code": "48000000-8",
                    "procedure": "open",
                    "status": "planned",
                    "term_months": 48,
                    "option_months": 24,
                    "milestones": [
                        {"kind": "publication", "date": "2026-09-01"},
                        {"kind": "bid_deadline", "date": "2026-10-12"},
                        {"kind": "award", "date": "2026-11-16"},
                        {"kind": "contract_start", "date": "2027-04-01"},
                    ],
                })),
                None,
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(tender["status_history"].as_array().unwrap().len(), 1);
        (plan_id, tender["id"].as_str().unwrap().to_owned())
    }

    async fn invite(&self, plan: &str, tender: &str, who: usize) -> reqwest::Response {
        self.call(
            0,
            Method::POST,
            &format!("/tender-plans/{plan}/tenders/{tender}/participants"),
            Some(json!({"tenant_id": self.tenants[who].to_string()})),
            None,
        )
        .await
    }

    fn participant(&self, plan: &str, tender: &str, who: usize) -> String {
        format!(
            "/tender-plans/{plan}/tenders/{tender}/participants/{}",
            self.tenants[who]
        )
    }
}

fn participant_of(tender: &Value, tenant: TenantId) -> &Value {
    tender["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["tenant"]["id"] == tenant.to_string())
        .expect("the participant")
}

async fn a_joint_tender_crosses_the_threshold_in_aggregate(app: TestApp) {
    let s = setup(app).await;
    let (plan, tender) = s.plan_with_tender().await;
    let ringsted_contract = s.contract(1, "ESDH, Ringsted", "2027-03-31").await;
    for who in [0, 1] {
        expect_json(s.invite(&plan, &tender, who).await, StatusCode::CREATED).await;
    }
    // Invited twice is a conflict; an outsider cannot be invited.
    expect_problem(s.invite(&plan, &tender, 1).await, StatusCode::CONFLICT).await;
    let refused = expect_problem(
        s.invite(&plan, &tender, 2).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "tenant_id");

    // Sorø: 1.000.000 kr., confirmed.
    let sorø = s.participant(&plan, &tender, 0);
    expect_json(
        s.call(
            0,
            Method::PUT,
            &sorø,
            Some(json!({"estimated_value": "1000000.00"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        s.call(
            0,
            Method::POST,
            &format!("{sorø}/confirm"),
            None,
            Some("\"1\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    // Ringsted: 900.000 kr. and its own contract; pending until it confirms.
    let ringsted = s.participant(&plan, &tender, 1);
    let stated = expect_json(
        s.call(
            1,
            Method::PUT,
            &ringsted,
            Some(json!({
                "estimated_value": "900000.00",
                "replaced_contract_ids": [ringsted_contract],
            })),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let part = participant_of(&stated, s.tenants[1]);
    assert_eq!(part["state"], "pending");
    assert_eq!(part["replaced_contracts"][0]["title"], "ESDH, Ringsted");
    assert_eq!(part["replaced_contracts"][0]["end_date"], "2027-03-31");
    assert_eq!(stated["aggregate_value"], "1900000.00");

    // A stale or missing If-Match changes nothing.
    expect_problem(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"0\""),
        )
        .await,
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    expect_problem(
        s.call(1, Method::POST, &format!("{ringsted}/confirm"), None, None)
            .await,
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;

    let confirmed = expect_json(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"1\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let part = participant_of(&confirmed, s.tenants[1]);
    assert_eq!(part["state"], "confirmed");
    assert!(part["responded_at"].is_string());
    assert_eq!(part["responded_by"], "admin@ringsted.dk");
    let threshold = &confirmed["threshold"];
    assert_eq!(threshold["dkk"], "1611360.00", "{threshold}");
    assert_eq!(threshold["applies_from"], "2026-01-01");
    assert_eq!(threshold["above"], true);
    assert_eq!(threshold["crosses_only_in_aggregate"], true);
    let consequence = threshold["consequence"].as_str().unwrap();
    assert!(consequence.contains("EU-udbud"), "{consequence}");
    assert!(consequence.contains("1.900.000 kr."), "{consequence}");
    // Ringsted's contract ends the day before the contract start: no gap.
    assert!(
        confirmed["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["code"] != "gap"),
        "{}",
        confirmed["warnings"]
    );
    assert_eq!(confirmed["backplan"]["required_start"], "2027-04-01");

    // A status change keeps the date of each change.
    let read = s
        .call(
            0,
            Method::GET,
            &format!("/tender-plans/{plan}/tenders/{tender}"),
            None,
            None,
        )
        .await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let mut body = json!({
        "subject": "Fælles ESDH-system",
        "cpv_code": "48000000-8",
        "procedure": "open",
        "status": "preparing",
        "milestones": [
            {"kind": "publication", "date": "2026-09-01"},
            {"kind": "contract_start", "date": "2027-06-01"},
        ],
    });
    let updated = expect_json(
        s.call(
            0,
            Method::PUT,
            &format!("/tender-plans/{plan}/tenders/{tender}"),
            Some(body.clone()),
            Some(&etag),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let history = updated["status_history"].as_array().unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h["status"].clone())
            .collect::<Vec<_>>(),
        [json!("planned"), json!("preparing")]
    );
    assert!(history.iter().all(|h| h["changed_at"].is_string()));
    // Now Ringsted's contract ends two months before the new one starts.
    assert!(
        updated["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "gap" && w["message"].as_str().unwrap().contains("Ringsted")),
        "{}",
        updated["warnings"]
    );
    // Ringsted, a member, reads the tender but cannot change it.
    body["status"] = json!("cancelled");
    expect_problem(
        s.call(
            1,
            Method::PUT,
            &format!("/tender-plans/{plan}/tenders/{tender}"),
            Some(body),
            Some("\"2\""),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // Ringsted's commitments.
    let commitments = expect_json(
        s.call(1, Method::GET, "/commitments", None, None).await,
        StatusCode::OK,
    )
    .await;
    let items = commitments["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{commitments}");
    assert_eq!(items[0]["state"], "confirmed");
    assert_eq!(items[0]["estimated_value"], "900000.00");
    assert_eq!(items[0]["tender"]["subject"], "Fælles ESDH-system");
    assert_eq!(items[0]["next_milestone"]["kind"], "publication");
    // Næstved has none.
    let none = expect_json(
        s.call(2, Method::GET, "/commitments", None, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["items"], json!([]));

    // The plan lists with its tender count; the filter by participant works.
    let plans = expect_json(
        s.call(1, Method::GET, "/tender-plans", None, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plans["items"][0]["tender_count"], 1);
    assert_eq!(plans["items"][0]["editable"], false);
    let mine = expect_json(
        s.call(
            1,
            Method::GET,
            &format!("/tender-plans/{plan}/tenders?tenant_id={}", s.tenants[2]),
            None,
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["items"], json!([]));
}

async fn only_a_participant_answers_for_itself(app: TestApp) {
    let s = setup(app).await;
    let (plan, tender) = s.plan_with_tender().await;
    let sorø_contract = s.contract(0, "ESDH, Sorø", "2027-03-31").await;
    expect_json(s.invite(&plan, &tender, 1).await, StatusCode::CREATED).await;
    let ringsted = s.participant(&plan, &tender, 1);

    // The coordinator cannot state or confirm for Ringsted.
    expect_problem(
        s.call(
            0,
            Method::PUT,
            &ringsted,
            Some(json!({"estimated_value": "5000000.00"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(
        s.call(
            0,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"0\""),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // Ringsted's viewer cannot either.
    expect_problem(
        call(
            &s.app,
            &s.ringsted_viewer,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"0\""),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // Ringsted cannot claim Sorø's contract.
    let refused = expect_problem(
        s.call(
            1,
            Method::PUT,
            &ringsted,
            Some(json!({"estimated_value": "100.00", "replaced_contract_ids": [sorø_contract]})),
            Some("\"0\""),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "replaced_contract_ids");
    // Confirming needs a value first.
    expect_problem(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"0\""),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // Nothing changed: still pending, no value.
    let read = expect_json(
        s.call(
            0,
            Method::GET,
            &format!("/tender-plans/{plan}/tenders/{tender}"),
            None,
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let part = participant_of(&read, s.tenants[1]);
    assert_eq!(part["state"], "pending");
    assert!(part.get("estimated_value").is_none(), "{part}");
    assert_eq!(part["version"], 0);
    assert_eq!(part["own"], false);
    assert_eq!(read["aggregate_value"], "0.00");
}

async fn declining_and_withdrawing_need_a_reason(app: TestApp) {
    let s = setup(app).await;
    let (plan, tender) = s.plan_with_tender().await;
    expect_json(s.invite(&plan, &tender, 1).await, StatusCode::CREATED).await;
    let ringsted = s.participant(&plan, &tender, 1);
    let missing = expect_problem(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/decline"),
            Some(json!({"reason": "  "})),
            Some("\"0\""),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(missing["errors"][0]["field"], "reason");
    // Withdrawing needs a confirmation first.
    expect_problem(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/withdraw"),
            Some(json!({"reason": "Budgettet er skåret"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_json(
        s.call(
            1,
            Method::PUT,
            &ringsted,
            Some(json!({"estimated_value": "400000.00"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/confirm"),
            None,
            Some("\"1\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let withdrawn = expect_json(
        s.call(
            1,
            Method::POST,
            &format!("{ringsted}/withdraw"),
            Some(json!({"reason": "Kommunen forlænger sin nuværende kontrakt."})),
            Some("\"2\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let part = participant_of(&withdrawn, s.tenants[1]);
    assert_eq!(part["state"], "withdrawn");
    assert_eq!(part["reason"], "Kommunen forlænger sin nuværende kontrakt.");
    assert_eq!(withdrawn["aggregate_value"], "0.00");

    // Declining a pending invitation keeps the reason too.
    let (_, second) = s.plan_with_tender().await;
    let plans = expect_json(
        s.call(0, Method::GET, "/tender-plans", None, None).await,
        StatusCode::OK,
    )
    .await;
    let second_plan = plans["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .find(|id| *id != plan)
        .unwrap();
    expect_json(
        s.invite(&second_plan, &second, 1).await,
        StatusCode::CREATED,
    )
    .await;
    let declined = expect_json(
        s.call(
            1,
            Method::POST,
            &format!("{}/decline", s.participant(&second_plan, &second, 1)),
            Some(json!({"reason": "Ikke relevant for Ringsted."})),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let part = participant_of(&declined, s.tenants[1]);
    assert_eq!(part["state"], "declined");
    assert_eq!(part["reason"], "Ikke relevant for Ringsted.");
}

async fn outsiders_see_no_plan(app: TestApp) {
    let s = setup(app).await;
    let (plan, tender) = s.plan_with_tender().await;
    expect_json(s.invite(&plan, &tender, 1).await, StatusCode::CREATED).await;
    let ringsted = s.participant(&plan, &tender, 1);
    let tender_path = format!("/tender-plans/{plan}/tenders/{tender}");
    let body = json!({"subject": "Overtaget", "procedure": "open"});
    for (method, path, body) in [
        (Method::GET, format!("/tender-plans/{plan}"), None),
        (
            Method::PUT,
            format!("/tender-plans/{plan}"),
            Some(json!({"name": "X", "period_start": "2026-01-01", "period_end": "2026-12-31"})),
        ),
        (Method::POST, format!("/tender-plans/{plan}/archive"), None),
        (Method::GET, format!("/tender-plans/{plan}/tenders"), None),
        (
            Method::POST,
            format!("/tender-plans/{plan}/tenders"),
            Some(body.clone()),
        ),
        (Method::GET, tender_path.clone(), None),
        (Method::PUT, tender_path.clone(), Some(body)),
        (
            Method::GET,
            format!("/tender-plans/{plan}/export.xlsx"),
            None,
        ),
        (
            Method::POST,
            format!("{tender_path}/participants"),
            Some(json!({"tenant_id": s.tenants[2].to_string()})),
        ),
        (
            Method::PUT,
            ringsted.clone(),
            Some(json!({"estimated_value": "1.00"})),
        ),
        (Method::POST, format!("{ringsted}/confirm"), None),
        (
            Method::POST,
            format!("{ringsted}/decline"),
            Some(json!({"reason": "x"})),
        ),
    ] {
        expect_problem(
            s.call(2, method.clone(), &path, body, Some("\"1\"")).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let plans = expect_json(
        s.call(2, Method::GET, "/tender-plans", None, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plans["items"], json!([]));
}

async fn the_export_is_a_workbook_with_typed_cells(app: TestApp) {
    let s = setup(app).await;
    let (plan, tender) = s.plan_with_tender().await;
    expect_json(s.invite(&plan, &tender, 1).await, StatusCode::CREATED).await;
    expect_json(
        s.call(
            1,
            Method::PUT,
            &s.participant(&plan, &tender, 1),
            Some(json!({"estimated_value": "1234567.89"})),
            Some("\"0\""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let response = s
        .call(
            1,
            Method::GET,
            &format!("/tender-plans/{plan}/export.xlsx"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let tenders = read("xl/worksheets/sheet1.xml");
    let participants = read("xl/worksheets/sheet2.xml");
    let strings = read("xl/sharedStrings.xml");
    assert!(strings.contains("Fælles ESDH-system"));
    assert!(strings.contains("Ringsted Kommune"));
    for sheet in [&tenders, &participants] {
        assert!(sheet.contains("ySplit=\"1\""), "the header row is frozen");
        assert!(sheet.contains("<autoFilter"), "the header row filters");
        assert!(sheet.contains("<cols>"), "columns have widths");
    }
    // The aggregate (column J) and the value (column E) are numbers, not text.
    assert!(
        tenders.contains("<c r=\"J2\" s=") && tenders.contains("<v>1234567.89</v>"),
        "{tenders}"
    );
    assert!(participants.contains("<v>1234567.89</v>"), "{participants}");
    // The publication date (column P) is a date serial: 2026-09-01 is 46266.
    assert!(tenders.contains("<v>46266</v>"), "{tenders}");
    let styles = read("xl/styles.xml");
    assert!(
        styles.contains("dd-mm-yyyy") && styles.contains("kr."),
        "{styles}"
    );
}

/// The official CPV list beside the repository, if there.
fn cpv_csv() -> Option<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    [
        "../shared/data/cpv/cpv-2008.csv",
        "../../shared/data/cpv/cpv-2008.csv",
    ]
    .iter()
    .map(|relative| std::path::Path::new(root).join(relative))
    .find_map(|path| std::fs::read(path).ok())
}

async fn cpv_codes_are_imported_and_searched(app: TestApp) {
    let s = setup(app).await;
    let Some(csv) = cpv_csv() else {
        eprintln!("skipped: ../shared/data/cpv/cpv-2008.csv is not beside the repository");
        return;
    };
    let parsed = samudbud_domain::cpv::parse_csv_bytes(&csv);
    assert!(parsed.errors.is_empty());
    let entries: Vec<CpvEntry> = parsed
        .rows
        .into_iter()
        .map(|r| CpvEntry {
            code: r.code.to_string(),
            label_da: r.da,
            label_en: r.en,
        })
        .collect();
    // Municipalities cannot load the list; the console (the CLI) can.
    let admin = Principal::User {
        user_id: uuid::Uuid::new_v4(),
        tenant_id: s.tenants[0],
        role: Role::Admin,
        email: "admin@soroe.dk".into(),
    };
    assert!(
        reference::import_cpv(&s.app.db, &admin, entries.clone())
            .await
            .is_err()
    );
    let done = reference::import_cpv(&s.app.db, &Principal::Console, entries)
        .await
        .unwrap();
    assert_eq!(done.imported, 9454);

    let found = expect_json(
        s.call(1, Method::GET, "/cpv?q=72000000", None, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["items"][0]["code"], "72000000-5");
    assert!(
        found["items"][0]["label_da"]
            .as_str()
            .unwrap()
            .starts_with("It-tjenester")
    );
    let by_text = expect_json(
        s.call(1, Method::GET, "/cpv?q=programmel&page_size=5", None, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_text["items"].as_array().unwrap().len(), 5);
    assert!(by_text["total"].as_u64().unwrap() > 5);

    // With the list loaded, a tender's CPV code must be in it, check digit included.
    let plan = expect_json(
        s.call(
            0,
            Method::POST,
            "/tender-plans",
            Some(json!({"name": "Sorøs plan", "period_start": "2026-01-01", "period_end": "2026-12-31"})),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/tender-plans/{}/tenders", plan["id"].as_str().unwrap());
    let wrong = expect_problem(
        s.call(
            0,
            Method::POST,
            &path,
            Some(json!({"subject": "It", "procedure": "open", "cpv_code": "72000000-4"})),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["errors"][0]["code"], "checksum", "{wrong}");
    let created = expect_json(
        s.call(
            0,
            Method::POST,
            &path,
            Some(json!({"subject": "It", "procedure": "open", "cpv_code": "72000000-5"})),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        created["cpv"]["label"]
            .as_str()
            .unwrap()
            .starts_with("It-tjenester")
    );
    // Contracts' CPV field is checked the same way.
    let contract_id = s.contract(0, "Driftsaftale", "2027-12-31").await;
    let contract = s
        .call(
            0,
            Method::GET,
            &format!("/contracts/{contract_id}"),
            None,
            None,
        )
        .await;
    let supplier = expect_json(contract, StatusCode::OK).await["supplier"]["id"].clone();
    for (code, reason) in [("48000000-9", "checksum"), ("48000000", "invalid")] {
        let refused = expect_problem(
            s.call(
                0,
                Method::POST,
                "/contracts",
                Some(json!({"title": "Kontrakt", "supplier_id": supplier, "start_on": "2026-01-01", "cpv_code": code})),
                None,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["errors"][0]["field"], "cpv_code", "{refused}");
        assert_eq!(refused["errors"][0]["code"], reason, "{refused}");
    }
}

async fn reference_data_is_seeded_and_corrected_by_operators(app: TestApp) {
    let s = setup(app).await;
    let thresholds = expect_json(
        s.call(1, Method::GET, "/reference/thresholds", None, None)
            .await,
        StatusCode::OK,
    )
    .await;
    let items = thresholds["items"].as_array().unwrap();
    let mut seeded = seed_thresholds();
    seeded.sort_by_key(|t| (t.kind.as_str(), t.valid_from));
    assert_eq!(items.len(), seeded.len());
    for (item, seed) in items.iter().zip(&seeded) {
        assert_eq!(item["kind"], seed.kind.as_str());
        assert_eq!(item["valid_from"], seed.valid_from.to_string());
        assert_eq!(item["eur"], format!("{:.2}", seed.eur));
        assert_eq!(
            item.get("dkk").and_then(Value::as_str).map(str::to_owned),
            seed.dkk.map(|d| format!("{d:.2}"))
        );
    }
    let limits = expect_json(
        s.call(1, Method::GET, "/reference/time-limits", None, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        limits["items"].as_array().unwrap().len(),
        seed_time_limits().len()
    );

    // A municipality's admin cannot correct them; an operator can.
    let correction = json!({"items": [{"procedure": "open", "min_days_from_notice": 30, "standstill_days": 10}]});
    expect_problem(
        s.call(
            0,
            Method::PUT,
            "/reference/time-limits",
            Some(correction.clone()),
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    s.app.create_operator("drift@samudbud.dk").await;
    let operator = s.app.token("drift@samudbud.dk").await;
    let set = expect_json(
        call(
            &s.app,
            &operator,
            Method::PUT,
            "/reference/time-limits",
            Some(correction),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let open = set["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["procedure"] == "open")
        .unwrap();
    assert_eq!(open["min_days_from_notice"], 30);
    let overlapping = json!({"items": [
        {"kind": "works", "valid_from": "2026-01-01", "valid_to": "2027-12-31", "eur": "5404000"},
        {"kind": "works", "valid_from": "2027-01-01", "valid_to": "2028-12-31", "eur": "5404000"},
    ]});
    expect_problem(
        call(
            &s.app,
            &operator,
            Method::PUT,
            "/reference/thresholds",
            Some(overlapping),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}
