//! Importing from OS2Kitos, against a fake Kitos on 127.0.0.1: the
//! connection (password sealed, write-only), a preview that writes nothing,
//! a first import of contracts, suppliers, IT systems and their links with
//! Kitos uuids, runs that find nothing changed, incremental runs that take
//! Kitos edits, report conflicts with edits made here and archive what
//! Kitos deleted, paging, Kitos' errors as problems, and isolation.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::kitos::{self, FakeKitos};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases_with};
use samudbud_domain::Role;
use samudbud_domain::contracts::{self, ContractInput};
use samudbud_domain::principal::Principal;
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_server::config::Settings;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

fn loopback(settings: &mut Settings) {
    settings.webhooks.allow_loopback_http = true;
}

on_both_databases_with!(
    kitos_import, loopback;
    a_preview_writes_nothing_and_an_import_brings_everything_once,
    a_later_run_takes_kitos_edits_keeps_local_ones_and_archives_deletions,
    long_lists_are_read_page_by_page,
    kitos_errors_and_bad_addresses_are_problems,
    other_municipalities_and_editors_see_nothing,
);

const C1: &str = "0b000000-0000-4000-8000-000000000001";
const C2: &str = "0b000000-0000-4000-8000-000000000002";
const C3: &str = "0b000000-0000-4000-8000-000000000003";
const C5: &str = "0b000000-0000-4000-8000-000000000005";

struct Fixture {
    app: TestApp,
    kitos: FakeKitos,
    admin: String,
    editor: String,
    editor_id: Uuid,
    tenant: samudbud_domain::TenantId,
}

async fn fixture(app: TestApp) -> Fixture {
    let tenant = tenants::create_tenant(
        &app.db,
        &Principal::Console,
        NewTenant {
            name: "Sorø Kommune".into(),
            municipality_code: "340".into(),
            cvr: Some(kitos::MUNICIPALITY_CVR.into()),
        },
    )
    .await
    .unwrap();
    let tenant = samudbud_domain::TenantId(tenant.id);
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    let editor_id = app
        .create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let kitos = FakeKitos::start().await;
    Fixture {
        app,
        kitos,
        admin,
        editor,
        editor_id,
        tenant,
    }
}

async fn call(
    f: &Fixture,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = f
        .app
        .request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn connect(f: &Fixture, password: &str) -> Value {
    let response = call(
        f,
        &f.admin,
        Method::PUT,
        "/kitos/connection",
        Some(json!({"base_url": f.kitos.url, "email": kitos::EMAIL, "password": password})),
    )
    .await;
    expect_json(response, StatusCode::OK).await
}

async fn preview(f: &Fixture) -> Value {
    let response = call(f, &f.admin, Method::POST, "/kitos/preview", None).await;
    expect_json(response, StatusCode::OK).await
}

/// Starts an import and waits for it to end; its run.
async fn import(f: &Fixture) -> Value {
    let response = call(f, &f.admin, Method::POST, "/kitos/import", None).await;
    let run = expect_json(response, StatusCode::ACCEPTED).await;
    let id = run["id"].as_str().unwrap().to_owned();
    for _ in 0..600 {
        let response = call(f, &f.admin, Method::GET, &format!("/kitos/runs/{id}"), None).await;
        let run = expect_json(response, StatusCode::OK).await;
        match run["state"].as_str().unwrap() {
            "done" => return run,
            "failed" => panic!("the run failed: {run}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("the run did not finish");
}

async fn contracts_of(f: &Fixture, token: &str) -> Vec<Value> {
    let response = call(
        f,
        token,
        Method::GET,
        "/contracts?page_size=200&include_archived=true",
        None,
    )
    .await;
    let list = expect_json(response, StatusCode::OK).await;
    list["items"].as_array().unwrap().clone()
}

fn by_kitos<'a>(contracts: &'a [Value], uuid: &str) -> &'a Value {
    contracts
        .iter()
        .find(|c| c["kitos_uuid"] == uuid)
        .unwrap_or_else(|| panic!("no contract with Kitos uuid {uuid}"))
}

fn item<'a>(report: &'a Value, uuid: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kitos_uuid"] == uuid)
        .unwrap_or_else(|| panic!("no item for {uuid} in {report}"))
}

fn counts(report: &Value, kind: &str) -> [u64; 6] {
    let c = &report[kind];
    [
        "new",
        "updated",
        "unchanged",
        "conflict",
        "archived",
        "rejected",
    ]
    .map(|k| c[k].as_u64().unwrap())
}

async fn a_preview_writes_nothing_and_an_import_brings_everything_once(app: TestApp) {
    let f = fixture(app).await;
    let saved = connect(&f, kitos::PASSWORD).await;
    assert_eq!(saved["password_stored"], true);
    assert!(saved.get("password").is_none(), "{saved}");
    // The password is stored sealed, never as given.
    let read = expect_json(
        call(&f, &f.admin, Method::GET, "/kitos/connection", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(!read.to_string().contains(kitos::PASSWORD));
    let txn = f
        .app
        .db
        .read(samudbud_domain::Scope::Tenant(f.tenant))
        .await
        .unwrap();
    let row = samudbud_domain::entities::kitos_connection::Entity::find_by_id(f.tenant.0)
        .one(&txn)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    assert!(row.password_sealed.starts_with("v1:"));
    assert!(!row.password_sealed.contains(kitos::PASSWORD));

    let report = preview(&f).await;
    assert_eq!(report["incremental"], false);
    // Five contracts: four come in, the one with a German supplier cannot.
    assert_eq!(counts(&report, "contracts"), [4, 0, 0, 0, 0, 1], "{report}");
    assert_eq!(counts(&report, "systems"), [3, 0, 0, 0, 0, 0]);
    assert_eq!(counts(&report, "suppliers")[0], 2);
    let german = item(&report, "0b000000-0000-4000-8000-000000000004");
    assert_eq!(german["outcome"], "rejected");
    assert!(
        german["problems"][0]
            .as_str()
            .unwrap()
            .contains("DE811115368")
    );
    // A wordy notice period counts as 0 and is kept in the description.
    let supplement = item(&report, C2);
    assert!(
        supplement["not_transferred"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["label"] == "Opsigelsesvarsel" && n["value"] == "Løbende"),
        "{supplement}"
    );
    let first = item(&report, C1);
    assert!(
        first["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "title" && c["kitos"] == "Økonomisystem Opus")
    );
    // Nothing written.
    assert!(contracts_of(&f, &f.admin).await.is_empty());
    let runs = expect_json(
        call(&f, &f.admin, Method::GET, "/kitos/runs", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(runs["total"], 0);

    let run = import(&f).await;
    assert_eq!(run["incremental"], false);
    assert_eq!(counts(&run["report"], "contracts"), [4, 0, 0, 0, 0, 1]);
    let found = contracts_of(&f, &f.admin).await;
    assert_eq!(found.len(), 4);
    let c1 = by_kitos(&found, C1);
    let c2 = by_kitos(&found, C2);
    let c3 = by_kitos(&found, C3);
    let c5 = by_kitos(&found, C5);
    assert_eq!(c1["title"], "Økonomisystem Opus");
    assert_eq!(c1["reference"], "K-2024-01");
    assert_eq!(c1["supplier"]["cvr"], "26911745");
    assert_eq!(c1["annual_value"], "120000.00");
    assert_eq!(c1["notice_period_months"], 3);
    assert_eq!(c1["notice_to"], "quarter");
    assert_eq!(c1["criticality"], "high");
    assert_eq!(c1["end_on"], "2027-12-31");
    assert!(
        c1["description"]
            .as_str()
            .unwrap()
            .contains("Kontraktskabelon: K02")
    );
    // The supplement hangs under its main contract.
    assert_eq!(c2["parent_id"], c1["id"]);
    assert_eq!(c2["contract_type"], "supplementary");
    assert_eq!(c2["notice_period_months"], 0);
    // Two contracts share one IT system.
    let opus = |c: &Value| {
        c["systems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Opus")
            .map(|s| s["id"].clone())
    };
    assert!(opus(c1).is_some());
    assert_eq!(opus(c1), opus(c5));
    assert_eq!(c5["options_total"], 2);
    assert_eq!(c5["options_exercised"], 1);
    assert_eq!(c3["supplier"]["cvr"], "25775635");
    // The status comes from the dates.
    assert_eq!(c1["status"], "active");
    // Systems keep their usage uuid; the one read model shows it.
    let system = expect_json(
        call(
            &f,
            &f.admin,
            Method::GET,
            &format!("/systems/{}", opus(c1).unwrap().as_str().unwrap()),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(system["kitos_uuid"], "0f000000-0000-4000-8000-000000000001");
    // The changes feed shows the imported contracts.
    let feed = expect_json(
        call(&f, &f.admin, Method::GET, "/changes?limit=200", None).await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "contract")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    for c in [c1, c2, c3, c5] {
        assert!(ids.contains(&c["id"].as_str().unwrap()), "{feed}");
    }

    // Run again: nothing changed, nothing written.
    let again = import(&f).await;
    assert_eq!(again["incremental"], true);
    let report = &again["report"];
    assert_eq!(counts(report, "contracts")[..4], [0, 0, 1, 0], "{report}");
    let after = contracts_of(&f, &f.admin).await;
    for c in &after {
        let before = found.iter().find(|b| b["id"] == c["id"]).unwrap();
        assert_eq!(c["updated_at"], before["updated_at"], "{}", c["title"]);
    }
    // The second run asked Kitos only for what changed since the first.
    let asked = f.kitos.state().requests.clone();
    assert!(
        asked
            .iter()
            .any(|r| r.starts_with("it-contracts?changedSinceGtEq=2026-01-05")),
        "{asked:?}"
    );
    let runs = expect_json(
        call(&f, &f.admin, Method::GET, "/kitos/runs", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(runs["total"], 2);
}

async fn a_later_run_takes_kitos_edits_keeps_local_ones_and_archives_deletions(app: TestApp) {
    let f = fixture(app).await;
    connect(&f, kitos::PASSWORD).await;
    import(&f).await;
    let found = contracts_of(&f, &f.admin).await;
    let c1_id: Uuid = by_kitos(&found, C1)["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // Here an editor renames the contract and writes a note.
    let editor = Principal::User {
        user_id: f.editor_id,
        tenant_id: f.tenant,
        role: Role::Editor,
        email: "redaktoer@soroe.dk".into(),
    };
    let current = contracts::get_contract(&f.app.db, &editor, c1_id)
        .await
        .unwrap();
    let mut input = ContractInput::from(&current);
    input.title = "Opus økonomi (lokal titel)".into();
    contracts::update_contract(&f.app.db, &editor, c1_id, Some(current.version), input)
        .await
        .unwrap();
    // In Kitos the name and the contract number change; the supplement is
    // deleted.
    f.kitos.edit_contract(C1, |c| {
        c["name"] = json!("Økonomisystem Opus 2");
        c["general"]["contractId"] = json!("K-2024-01-B");
    });
    f.kitos.delete_contract(C5);

    let report = preview(&f).await;
    let conflict = item(&report, C1);
    assert_eq!(conflict["outcome"], "conflict", "{report}");
    assert_eq!(conflict["conflicts"][0]["field"], "title");
    assert_eq!(
        conflict["conflicts"][0]["local"],
        "Opus økonomi (lokal titel)"
    );
    assert_eq!(conflict["conflicts"][0]["kitos"], "Økonomisystem Opus 2");
    assert_eq!(conflict["conflicts"][0]["imported"], "Økonomisystem Opus");
    assert_eq!(conflict["changes"][0]["field"], "reference");
    assert_eq!(item(&report, C5)["outcome"], "archived");
    // The preview wrote nothing.
    let c1 = by_kitos(&contracts_of(&f, &f.admin).await, C1).clone();
    assert_eq!(c1["reference"], "K-2024-01");

    let run = import(&f).await;
    let report = &run["report"];
    assert_eq!(counts(report, "contracts")[3..5], [1, 1], "{report}");
    let after = contracts_of(&f, &f.admin).await;
    let c1 = by_kitos(&after, C1);
    // The local title stays; the untouched field is taken from Kitos.
    assert_eq!(c1["title"], "Opus økonomi (lokal titel)");
    assert_eq!(c1["reference"], "K-2024-01-B");
    assert!(by_kitos(&after, C5)["archived_at"].is_string());
    let listed = expect_json(
        call(&f, &f.admin, Method::GET, "/kitos/runs", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"][0]["report"]["contracts"]["conflict"], 1);

    // Reported once: the next run finds nothing new.
    let quiet = import(&f).await;
    assert_eq!(
        counts(&quiet["report"], "contracts")[..5],
        [0, 0, 1, 0, 0],
        "{}",
        quiet["report"]
    );
    // A field edited here only is never overwritten by an unchanged Kitos.
    let still = contracts_of(&f, &f.admin).await;
    assert_eq!(by_kitos(&still, C1)["title"], "Opus økonomi (lokal titel)");
}

async fn long_lists_are_read_page_by_page(app: TestApp) {
    let f = fixture(app).await;
    f.kitos.add_copies(260);
    connect(&f, kitos::PASSWORD).await;
    let run = import(&f).await;
    assert_eq!(counts(&run["report"], "contracts")[0], 264);
    assert_eq!(run["objects_total"].as_u64(), run["objects_done"].as_u64());
    let asked = f.kitos.state().requests.clone();
    let pages: Vec<&String> = asked
        .iter()
        .filter(|r| r.starts_with("it-contracts"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].contains("page=0") && pages[0].contains("pageSize=250"));
    assert!(pages[1].contains("page=1"));
    let response = call(&f, &f.admin, Method::GET, "/contracts?page_size=1", None).await;
    assert_eq!(expect_json(response, StatusCode::OK).await["total"], 264);
}

async fn kitos_errors_and_bad_addresses_are_problems(app: TestApp) {
    let f = fixture(app).await;
    // Not HTTPS (loopback HTTP is allowed for tests only).
    let response = call(
        &f,
        &f.admin,
        Method::PUT,
        "/kitos/connection",
        Some(
            json!({"base_url": "http://kitos.example.dk", "email": kitos::EMAIL, "password": "x"}),
        ),
    )
    .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "base_url");
    // The first connection needs a password.
    let response = call(
        &f,
        &f.admin,
        Method::PUT,
        "/kitos/connection",
        Some(json!({"base_url": f.kitos.url, "email": kitos::EMAIL})),
    )
    .await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    // No connection yet.
    let response = call(&f, &f.admin, Method::POST, "/kitos/preview", None).await;
    expect_problem(response, StatusCode::NOT_FOUND).await;

    // A wrong password: Kitos refuses the user.
    connect(&f, "forkert").await;
    for path in ["/kitos/preview", "/kitos/import"] {
        let response = call(&f, &f.admin, Method::POST, path, None).await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], "password");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("Kitos afviste brugeren")
        );
    }
    // Writing the connection again without a password keeps the stored one.
    let kept = call(
        &f,
        &f.admin,
        Method::PUT,
        "/kitos/connection",
        Some(json!({"base_url": f.kitos.url, "email": kitos::EMAIL})),
    )
    .await;
    assert_eq!(
        expect_json(kept, StatusCode::OK).await["password_stored"],
        true
    );
    // Kitos unreachable: a bad gateway, not a server error.
    let response = call(
        &f,
        &f.admin,
        Method::PUT,
        "/kitos/connection",
        Some(json!({"base_url": "http://127.0.0.1:9", "email": kitos::EMAIL, "password": kitos::PASSWORD})),
    )
    .await;
    expect_json(response, StatusCode::OK).await;
    let response = call(&f, &f.admin, Method::POST, "/kitos/preview", None).await;
    let problem = expect_problem(response, StatusCode::BAD_GATEWAY).await;
    assert!(problem["detail"].as_str().unwrap().contains("Kitos"));
    // Removed: gone.
    let response = call(&f, &f.admin, Method::DELETE, "/kitos/connection", None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = call(&f, &f.admin, Method::GET, "/kitos/connection", None).await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

async fn other_municipalities_and_editors_see_nothing(app: TestApp) {
    let f = fixture(app).await;
    connect(&f, kitos::PASSWORD).await;
    let run = import(&f).await;
    let run_id = run["id"].as_str().unwrap().to_owned();
    let other = f.app.create_tenant("Ringsted Kommune", "329").await;
    f.app
        .create_user(other, "admin@ringsted.dk", Role::Admin)
        .await;
    let stranger = f.app.token("admin@ringsted.dk").await;

    let run_path = format!("/kitos/runs/{run_id}");
    let operations: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/kitos/connection", None),
        (
            Method::PUT,
            "/kitos/connection",
            Some(
                json!({"base_url": f.kitos.url, "email": kitos::EMAIL, "password": kitos::PASSWORD}),
            ),
        ),
        (Method::POST, "/kitos/preview", None),
        (Method::POST, "/kitos/import", None),
        (Method::GET, "/kitos/runs", None),
        (Method::GET, &run_path, None),
        (Method::DELETE, "/kitos/connection", None),
    ];
    for (method, path, body) in &operations {
        let response = call(&f, &f.editor, method.clone(), path, body.clone()).await;
        expect_problem(response, StatusCode::FORBIDDEN).await;
    }
    // Another municipality's admin has no connection and no runs here.
    for (method, path) in [
        (Method::GET, "/kitos/connection"),
        (Method::POST, "/kitos/preview"),
        (Method::POST, "/kitos/import"),
        (Method::GET, run_path.as_str()),
        (Method::DELETE, "/kitos/connection"),
    ] {
        let response = call(&f, &stranger, method, path, None).await;
        expect_problem(response, StatusCode::NOT_FOUND).await;
    }
    let runs = expect_json(
        call(&f, &stranger, Method::GET, "/kitos/runs", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(runs["total"], 0);
    assert!(contracts_of(&f, &stranger).await.is_empty());
    let systems = expect_json(
        call(&f, &stranger, Method::GET, "/systems", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(systems["total"], 0);
    // The editor reads the imported register as any other.
    assert_eq!(contracts_of(&f, &f.editor).await.len(), 4);
    // The connection of the first municipality is untouched.
    let still = expect_json(
        call(&f, &f.admin, Method::GET, "/kitos/connection", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["password_stored"], true);
}
