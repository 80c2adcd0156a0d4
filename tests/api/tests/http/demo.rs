//! The demo's joint tender plan, read over HTTP as its municipalities see it.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, on_both_databases};
use samudbud_domain::demo;
use serde_json::Value;

on_both_databases!(the_demo_plan_shows_each_kind_of_planned_tender);

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app
        .request(Method::GET, path, Some(token))
        .send()
        .await
        .unwrap();
    expect_json(response, StatusCode::OK).await
}

async fn login(app: &TestApp, email: &str) -> String {
    let response = app.login_with(email, demo::DEMO_PASSWORD).await;
    expect_json(response, StatusCode::OK).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn tender<'a>(tenders: &'a [Value], subject: &str) -> &'a Value {
    tenders
        .iter()
        .find(|t| t["subject"] == subject)
        .unwrap_or_else(|| panic!("no planned tender {subject}"))
}

fn participant<'a>(tender: &'a Value, municipality: &str) -> &'a Value {
    tender["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["tenant"]["name"] == municipality)
        .unwrap_or_else(|| panic!("{municipality} does not take part"))
}

async fn the_demo_plan_shows_each_kind_of_planned_tender(app: TestApp) {
    demo::seed(&app.db).await.unwrap();
    // Seeding again leaves the plan as it is.
    demo::seed(&app.db).await.unwrap();

    let soroe = login(&app, "redaktoer@soroe.dk").await;
    let plans = get(&app, &soroe, "/api/v1/tender-plans").await;
    let named: Vec<&Value> = plans["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == demo::PLAN)
        .collect();
    assert_eq!(named.len(), 1, "{plans}");
    let plan = named[0];
    assert_eq!(plan["owner"]["kind"], "collaboration");
    assert_eq!(plan["owner"]["name"], demo::COLLABORATION);
    let id = plan["id"].as_str().unwrap();
    let listed = get(&app, &soroe, &format!("/api/v1/tender-plans/{id}/tenders")).await;
    let tenders = listed["items"].as_array().unwrap();
    assert_eq!(tenders.len(), 5, "{listed}");

    // Each alone below the EU threshold, together above it.
    let esdh = tender(tenders, "Fælles ESDH-system");
    assert_eq!(esdh["threshold"]["above"], true, "{esdh}");
    assert_eq!(esdh["threshold"]["crosses_only_in_aggregate"], true);
    assert_eq!(participant(esdh, "Sorø Kommune")["state"], "confirmed");
    assert_eq!(participant(esdh, "Ringsted Kommune")["state"], "confirmed");
    assert_eq!(
        participant(esdh, "Ringsted Kommune")["replaced_contracts"][0]["title"],
        "ESDH og dokumenthåndtering"
    );

    // Ringsted's contract ends before the new one starts.
    let building = tender(tenders, "Byggesags- og miljøsystem");
    let codes: Vec<&str> = building["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"gap"), "{building}");

    // Næstved has been invited and not answered.
    let citizen = tender(tenders, "Borgerservice og selvbetjening");
    assert_eq!(participant(citizen, "Næstved Kommune")["state"], "pending");
    let naestved_admin = login(&app, "admin@naestved.dk").await;
    let commitments = get(&app, &naestved_admin, "/api/v1/commitments").await;
    assert!(
        commitments["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(
                |c| c["tender"]["subject"] == "Borgerservice og selvbetjening"
                    && c["state"] == "pending"
            ),
        "{commitments}"
    );

    // Created from an opportunity: both municipalities invited, pending,
    // with their shared contracts as replaced contracts.
    let telephony = tender(tenders, "Fælles telefoni- og kontaktcenterplatform");
    for municipality in ["Sorø Kommune", "Næstved Kommune"] {
        let part = participant(telephony, municipality);
        assert_eq!(part["state"], "pending", "{telephony}");
        assert_eq!(part["replaced_contracts"].as_array().unwrap().len(), 1);
    }

    // The collaboration's opportunities: at least three groups, the
    // telephony one covered by that tender.
    let collaboration = plan["owner"]["id"].as_str().unwrap();
    let found = get(
        &app,
        &soroe,
        &format!("/api/v1/opportunities?collaboration_id={collaboration}"),
    )
    .await;
    let groups = found["items"].as_array().unwrap();
    assert!(groups.len() >= 3, "{found}");
    for key in ["cpv:72250", "cpv:48190", "cpv:32500"] {
        assert!(groups.iter().any(|g| g["key"] == key), "{key}: {found}");
    }
    let covered = groups.iter().find(|g| g["key"] == "cpv:32500").unwrap();
    assert_eq!(covered["covered_by"][0]["tender_id"], telephony["id"]);

    // A call-off from a framework agreement.
    let pcs = tender(tenders, "Pc'er og skærme (SKI 02.19)");
    assert_eq!(pcs["procedure"], "framework_mini_competition");
    assert!(
        pcs["framework_agreement"]
            .as_str()
            .unwrap()
            .starts_with("SKI 02.19")
    );
}
