//! Joint tender opportunities over HTTP: groups from the contracts shared
//! with a collaboration and nothing else, active members only, the reader's
//! own contracts that others re-tender too, and a planned tender created
//! from an opportunity with every municipality invited and pending.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    groups_come_only_from_what_is_shared_with_the_collaboration,
    only_active_members_read_the_opportunities,
    my_contracts_are_matched_with_what_others_share,
    a_planned_tender_is_created_from_an_opportunity,
);

/// The window every test reads: 1 January 2027 and 18 months on.
const WINDOW: &str = "from=2027-01-01&window_months=18";

/// Sorø coordinates "Vestsjællands Udbud" (A) with Ringsted and Næstved;
/// Sorø and Ringsted also share "Andet samarbejde" (B). Slagelse stands
/// outside with an admin of its own.
struct Setup {
    app: TestApp,
    admins: Vec<String>,
    outsider: String,
    a: String,
    b: String,
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

async fn collaboration(app: &TestApp, admins: &[String], name: &str, members: &[usize]) -> String {
    let created = expect_json(
        call(
            app,
            &admins[0],
            Method::POST,
            "/collaborations",
            Some(json!({ "name": name })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    for &member in members {
        let code = ["340", "329", "370"][member];
        expect_json(
            call(
                app,
                &admins[0],
                Method::POST,
                &format!("/collaborations/{id}/invitations"),
                Some(json!({ "municipality_code": code })),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        expect_json(
            call(
                app,
                &admins[member],
                Method::POST,
                &format!("/collaborations/{id}/accept"),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    id
}

async fn setup(app: TestApp) -> Setup {
    let (_, admins) = app.three_municipalities().await;
    let a = collaboration(&app, &admins, "Vestsjællands Udbud", &[1, 2]).await;
    let b = collaboration(&app, &admins, "Andet samarbejde", &[1]).await;
    let slagelse = app.create_tenant("Slagelse Kommune", "330").await;
    app.create_user(slagelse, "admin@slagelse.dk", Role::Admin)
        .await;
    let outsider = app.token("admin@slagelse.dk").await;
    Setup {
        app,
        admins,
        outsider,
        a,
        b,
    }
}

impl Setup {
    async fn call(
        &self,
        who: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        call(&self.app, &self.admins[who], method, path, body).await
    }

    /// A contract of municipality `who` whose re-tender starts on `retender`
    /// (no notice period, no lead time), shared with `shared_with`.
    #[allow(clippy::too_many_arguments)]
    async fn contract(
        &self,
        who: usize,
        title: &str,
        cpv: &str,
        category: &str,
        retender: &str,
        total: &str,
        shared_with: &[&str],
    ) -> String {
        let supplier = expect_json(
            self.call(
                who,
                Method::POST,
                "/suppliers",
                Some(json!({"cvr": "29403473", "name": "Eksempel Software A/S"})),
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
                    "end_on": retender,
                    "cpv_code": cpv,
                    "category": category,
                    "notice_period_months": 0,
                    "retender_lead_months": 0,
                    "annual_value": "100000.00",
                    "total_value": total,
                })),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(contract["retender_start"], retender, "{contract}");
        let id = contract["id"].as_str().unwrap().to_owned();
        for collaboration in shared_with {
            let shared = self
                .call(
                    who,
                    Method::POST,
                    &format!("/contracts/{id}/shares"),
                    Some(json!({ "collaboration_id": collaboration })),
                )
                .await;
            assert!(shared.status().is_success(), "{}", shared.status());
        }
        id
    }

    /// The contracts of the tests: support at CPV group 72250 in Sorø and
    /// Ringsted, maintenance at 72251 in Næstved, and what must never show.
    async fn register(&self) -> Contracts {
        let (a, b) = (self.a.as_str(), self.b.as_str());
        Contracts {
            soroe: self
                .contract(
                    0,
                    "Systemsupport Sorø",
                    "72250000-2",
                    "Drift",
                    "2027-01-01",
                    "800000.00",
                    &[a],
                )
                .await,
            ringsted: self
                .contract(
                    1,
                    "Systemsupport Ringsted",
                    "72250000-2",
                    "Drift",
                    "2028-07-01",
                    "900000.00",
                    &[a],
                )
                .await,
            unshared: self
                .contract(
                    1,
                    "Hemmelig support",
                    "72250000-2",
                    "Drift",
                    "2027-06-01",
                    "50000.00",
                    &[],
                )
                .await,
            other_collaboration: self
                .contract(
                    1,
                    "Kun i andet samarbejde",
                    "72250000-2",
                    "Drift",
                    "2027-06-01",
                    "60000.00",
                    &[b],
                )
                .await,
            naestved_contract: self
                .contract(
                    2,
                    "Vedligehold Næstved",
                    "72251000-9",
                    "drift ",
                    "2027-10-01",
                    "400000.00",
                    &[a],
                )
                .await,
            too_late: self
                .contract(
                    2,
                    "For sent",
                    "72250000-2",
                    "Drift",
                    "2028-07-02",
                    "70000.00",
                    &[a],
                )
                .await,
        }
    }

    async fn opportunities(&self, who: usize, query: &str) -> Value {
        expect_json(
            self.call(
                who,
                Method::GET,
                &format!("/opportunities?collaboration_id={}&{WINDOW}{query}", self.a),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await
    }
}

struct Contracts {
    soroe: String,
    ringsted: String,
    unshared: String,
    other_collaboration: String,
    naestved_contract: String,
    too_late: String,
}

fn ids(group: &Value) -> Vec<&str> {
    group["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

async fn groups_come_only_from_what_is_shared_with_the_collaboration(app: TestApp) {
    let s = setup(app).await;
    let c = s.register().await;

    let listed = s.opportunities(0, "").await;
    let text = listed.to_string();
    assert_eq!(listed["level"], "group");
    assert_eq!(listed["window"]["from"], "2027-01-01");
    assert_eq!(listed["window"]["to"], "2028-07-01");
    assert_eq!(listed["total"], 1, "{listed}");
    let group = &listed["items"][0];
    assert_eq!(group["key"], "cpv:72250");
    // First and last day of the window inside, the day after outside.
    assert_eq!(ids(group), vec![c.soroe.as_str(), c.ringsted.as_str()]);
    for hidden in [&c.unshared, &c.other_collaboration, &c.too_late] {
        assert!(!text.contains(hidden.as_str()), "{hidden} leaked: {text}");
    }
    for title in ["Hemmelig support", "Kun i andet samarbejde", "For sent"] {
        assert!(!text.contains(title), "{title} leaked");
    }
    let names: Vec<&str> = group["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Sorø Kommune") && names.contains(&"Ringsted Kommune"));
    assert_eq!(group["total_value"], "1700000.00");
    assert_eq!(group["annual_value"], "200000.00");
    assert_eq!(group["earliest_retender_start"], "2027-01-01");
    assert_eq!(group["latest_retender_start"], "2028-07-01");
    assert_eq!(group["threshold"]["above"], true, "{group}");
    assert_eq!(group["threshold"]["crosses_only_in_aggregate"], true);
    assert!(
        group["reason"]
            .as_str()
            .unwrap()
            .starts_with("2 kommuner skal genudbyde 2 kontrakter i CPV-gruppe 72250"),
        "{group}"
    );
    assert_eq!(group["contracts"][0]["own"], true);
    assert_eq!(group["contracts"][1]["own"], false);
    assert_eq!(
        group["contracts"][1]["supplier_name"],
        "Eksempel Software A/S"
    );
    assert_eq!(group["covered_by"], json!([]));

    // Four digits take Næstved's maintenance contract along.
    let class = s.opportunities(1, "&level=class").await;
    assert_eq!(class["total"], 1, "{class}");
    assert_eq!(class["items"][0]["key"], "cpv:7225");
    assert_eq!(
        class["items"][0]["municipalities"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(ids(&class["items"][0]).contains(&c.naestved_contract.as_str()));
    assert_eq!(
        class["items"][0]["contracts"][2]["own"], true,
        "Ringsted's view"
    );

    // The same category, whatever its case and spacing.
    let category = s.opportunities(2, "&level=category").await;
    assert_eq!(category["items"][0]["key"], "category:drift", "{category}");
    assert_eq!(
        category["items"][0]["contracts"].as_array().unwrap().len(),
        3
    );
    let filtered = s.opportunities(2, "&level=class&category=Licenser").await;
    assert_eq!(filtered["total"], 0);

    // Bad input is a problem and nothing else.
    for query in [
        "&level=sektor",
        "&window_months=0",
        "&window_months=121",
        "&from=0001-01-01",
    ] {
        let response = s
            .call(
                0,
                Method::GET,
                &format!("/opportunities?collaboration_id={}{query}", s.a),
                None,
            )
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(problem["errors"][0]["field"].is_string(), "{problem}");
    }
    let missing = s.call(0, Method::GET, "/opportunities", None).await;
    expect_problem(missing, StatusCode::BAD_REQUEST).await;
}

async fn only_active_members_read_the_opportunities(app: TestApp) {
    let s = setup(app).await;
    let c = s.register().await;
    let path = format!(
        "/opportunities?collaboration_id={}&{WINDOW}&level=class",
        s.a
    );

    // Another municipality's user, and a collaboration that does not exist.
    let outsider = call(&s.app, &s.outsider, Method::GET, &path, None).await;
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
    let unknown = s
        .call(
            0,
            Method::GET,
            &format!("/opportunities?collaboration_id={}", uuid::Uuid::new_v4()),
            None,
        )
        .await;
    expect_problem(unknown, StatusCode::NOT_FOUND).await;
    // Næstved is not in B.
    let not_member = s
        .call(
            2,
            Method::GET,
            &format!("/opportunities?collaboration_id={}", s.b),
            None,
        )
        .await;
    expect_problem(not_member, StatusCode::NOT_FOUND).await;
    // A viewer reads them.
    let viewer = s.app.token("laeser@ringsted.dk").await;
    let read = call(&s.app, &viewer, Method::GET, &path, None).await;
    expect_json(read, StatusCode::OK).await;

    // Næstved leaves A: it reads nothing more, and its share stops counting.
    let left = s
        .call(
            2,
            Method::POST,
            &format!("/collaborations/{}/leave", s.a),
            None,
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let gone = s.call(2, Method::GET, &path, None).await;
    expect_problem(gone, StatusCode::NOT_FOUND).await;
    let class = s.opportunities(0, "&level=class").await;
    assert_eq!(
        class["items"][0]["municipalities"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(!class.to_string().contains(c.naestved_contract.as_str()));
}

async fn my_contracts_are_matched_with_what_others_share(app: TestApp) {
    let s = setup(app).await;
    let c = s.register().await;
    let mine = expect_json(
        s.call(
            0,
            Method::GET,
            &format!("/opportunities/mine?{WINDOW}"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let text = mine.to_string();
    assert_eq!(mine["total"], 1, "{mine}");
    let item = &mine["items"][0];
    assert_eq!(item["contract"]["id"], c.soroe.as_str());
    assert_eq!(item["contract"]["own"], true);
    let matched: Vec<(&str, &str)> = item["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["contract"]["id"].as_str().unwrap(),
                m["collaboration"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    // By re-tender start: B's contract (June 2027) before A's (July 2028);
    // the same category takes Næstved's 72251 contract along.
    assert_eq!(
        matched,
        vec![
            (c.other_collaboration.as_str(), "Andet samarbejde"),
            (c.naestved_contract.as_str(), "Vestsjællands Udbud"),
            (c.ringsted.as_str(), "Vestsjællands Udbud"),
        ]
    );
    assert!(!text.contains(c.unshared.as_str()));
    assert!(!text.contains(c.too_late.as_str()));

    // Næstved is not in B: Ringsted's contract there is not its to see.
    let from_naestved = expect_json(
        s.call(
            2,
            Method::GET,
            &format!("/opportunities/mine?{WINDOW}"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        !from_naestved
            .to_string()
            .contains(c.other_collaboration.as_str())
    );
    // The outsider has nothing.
    let outsider = expect_json(
        call(
            &s.app,
            &s.outsider,
            Method::GET,
            &format!("/opportunities/mine?{WINDOW}"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(outsider["total"], 0);
}

async fn a_planned_tender_is_created_from_an_opportunity(app: TestApp) {
    let s = setup(app).await;
    let c = s.register().await;
    let plan = expect_json(
        s.call(
            0,
            Method::POST,
            "/tender-plans",
            Some(json!({
                "name": "Fælles udbudsplan",
                "period_start": "2027-01-01",
                "period_end": "2028-12-31",
                "collaboration_id": s.a,
            })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let plan_id = plan["id"].as_str().unwrap();
    let body = |key: &str, plan: &str| {
        json!({
            "collaboration_id": s.a,
            "group_key": key,
            "level": "group",
            "window_months": 18,
            "from": "2027-01-01",
            "plan_id": plan,
        })
    };

    // Who may not: a member that does not coordinate the plan, a viewer,
    // another municipality; and a plan that is not the collaboration's.
    let ringsted = s
        .call(
            1,
            Method::POST,
            "/opportunities/planned-tenders",
            Some(body("cpv:72250", plan_id)),
        )
        .await;
    expect_problem(ringsted, StatusCode::FORBIDDEN).await;
    let viewer = s.app.token("laeser@soroe.dk").await;
    let read_only = call(
        &s.app,
        &viewer,
        Method::POST,
        "/opportunities/planned-tenders",
        Some(body("cpv:72250", plan_id)),
    )
    .await;
    expect_problem(read_only, StatusCode::FORBIDDEN).await;
    let outsider = call(
        &s.app,
        &s.outsider,
        Method::POST,
        "/opportunities/planned-tenders",
        Some(body("cpv:72250", plan_id)),
    )
    .await;
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
    let own_plan = expect_json(
        s.call(
            0,
            Method::POST,
            "/tender-plans",
            Some(json!({"name": "Sorøs egen plan", "period_start": "2027-01-01", "period_end": "2027-12-31"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let wrong_plan = s
        .call(
            0,
            Method::POST,
            "/opportunities/planned-tenders",
            Some(body("cpv:72250", own_plan["id"].as_str().unwrap())),
        )
        .await;
    let problem = expect_problem(wrong_plan, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "plan_id");
    // A group that is not there (a single municipality at 72251).
    let vanished = s
        .call(
            0,
            Method::POST,
            "/opportunities/planned-tenders",
            Some(body("cpv:72251", plan_id)),
        )
        .await;
    expect_problem(vanished, StatusCode::CONFLICT).await;
    let listed = expect_json(
        s.call(
            0,
            Method::GET,
            &format!("/tender-plans/{plan_id}/tenders"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"], json!([]), "nothing was created");

    let response = s
        .call(
            0,
            Method::POST,
            "/opportunities/planned-tenders",
            Some(body("cpv:72250", plan_id)),
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let tender = expect_json(response, StatusCode::CREATED).await;
    let tender_id = tender["id"].as_str().unwrap();
    assert_eq!(
        location,
        format!("/api/v1/tender-plans/{plan_id}/tenders/{tender_id}")
    );
    assert_eq!(tender["subject"], "Fælles udbud: CPV 72250");
    assert_eq!(tender["cpv"]["code"], "72250000-2");
    assert_eq!(tender["category"], "Drift");
    assert_eq!(tender["procedure"], "open", "above the threshold");
    assert_eq!(tender["aggregate_value"], "1700000.00");
    let participants = tender["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2, "{tender}");
    let part = |tender: &Value, name: &str| -> Value {
        tender["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["tenant"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is not invited: {tender}"))
    };
    for (name, contract, value) in [
        ("Sorø Kommune", &c.soroe, "800000.00"),
        ("Ringsted Kommune", &c.ringsted, "900000.00"),
    ] {
        let participant = part(&tender, name);
        assert_eq!(participant["state"], "pending");
        assert_eq!(participant["estimated_value"], value);
        assert_eq!(
            participant["replaced_contracts"][0]["id"],
            contract.as_str()
        );
        assert_eq!(
            participant["replaced_contracts"].as_array().unwrap().len(),
            1
        );
    }

    // The opportunity is now covered by the tender.
    let again = s.opportunities(1, "").await;
    assert_eq!(
        again["items"][0]["covered_by"][0]["tender_id"], tender_id,
        "{again}"
    );
    assert_eq!(
        again["items"][0]["covered_by"][0]["plan_name"],
        "Fælles udbudsplan"
    );

    // Ringsted confirms the proposal itself.
    let confirmed = expect_json(
        s.app
            .request(
                Method::POST,
                &format!(
                    "/api/v1/tender-plans/{plan_id}/tenders/{tender_id}/participants/{}/confirm",
                    part(&tender, "Ringsted Kommune")["tenant"]["id"]
                        .as_str()
                        .unwrap()
                ),
                Some(&s.admins[1]),
            )
            .header("if-match", "\"0\"")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let ringsted = part(&confirmed, "Ringsted Kommune");
    assert_eq!(ringsted["state"], "confirmed", "{confirmed}");
    assert_eq!(ringsted["estimated_value"], "900000.00");
    assert_eq!(ringsted["replaced_contracts"][0]["id"], c.ringsted.as_str());
    assert_eq!(part(&confirmed, "Sorø Kommune")["state"], "pending");
}
