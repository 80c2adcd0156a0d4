//! Exports: the register as XLSX, CSV and an OCDS release package, and the
//! IT systems, deadlines and audit trail as spreadsheets; every matching
//! row in the list's order, only the municipality's own, to whoever may
//! read the list.

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    the_register_exports_as_typed_xlsx_and_danish_csv,
    a_filtered_export_holds_exactly_the_filtered_list,
    ocds_packages_are_valid_and_hold_only_published_contracts,
    exports_stay_within_the_municipality,
    systems_deadlines_and_the_audit_trail_export,
    an_exported_register_re_imports_with_no_difference,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Register {
    app: TestApp,
    admin: String,
    supplier: Value,
    system: Value,
}

impl Register {
    async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.app
            .request(Method::GET, &format!("/api/v1{path}"), Some(token))
            .send()
            .await
            .unwrap()
    }

    async fn create(&self, body: Value) -> Value {
        let response = self
            .app
            .request(Method::POST, "/api/v1/contracts", Some(&self.admin))
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await
    }

    /// The bytes of a successful download, checked for its type and name.
    async fn download(&self, token: &str, path: &str, content_type: &str, name: &str) -> Vec<u8> {
        let response = self.get(token, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{path}: {:?}",
            headers["content-type"]
        );
        let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
        let today = samudbud_domain::clock::today().format("%Y-%m-%d");
        assert!(
            disposition.contains(&format!("{name}-{today}.")),
            "{disposition}"
        );
        response.bytes().await.unwrap().to_vec()
    }
}

/// Sorø with an admin, a viewer, a supplier and a system.
async fn register(app: TestApp) -> Register {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "laeser@soroe.dk", Role::Viewer)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let supplier = app
        .request(Method::POST, "/api/v1/suppliers", Some(&admin))
        .json(&json!({"cvr": "1895 7981", "name": "Æblerød Økonomi ApS"}))
        .send()
        .await
        .unwrap();
    let supplier = expect_json(supplier, StatusCode::OK).await;
    let system = app
        .request(Method::POST, "/api/v1/systems", Some(&admin))
        .json(&json!({"name": "Opus Økonomi", "category": "Økonomi"}))
        .send()
        .await
        .unwrap();
    let system = expect_json(system, StatusCode::CREATED).await;
    Register {
        app,
        admin,
        supplier,
        system,
    }
}

/// A full contract: æøå, an amount with øre, every kind of cell.
fn full_contract(r: &Register, title: &str, reference: &str) -> Value {
    json!({
        "title": title,
        "reference": reference,
        "description": "Drift; vedligehold og \"support\"\nanden linje",
        "supplier_id": r.supplier["id"],
        "system_ids": [r.system["id"]],
        "category": "Økonomi",
        "cpv_code": "48000000-8",
        "agreement_elements": ["licence", "operation"],
        "procedure": "open",
        "annual_value": "1234567.89",
        "total_value": "4938271.56",
        "payment_model": "licence",
        "payment_frequency": "quarterly",
        "signed_on": "2023-03-14",
        "start_on": "2023-04-01",
        "end_on": "2030-03-31",
        "option_months": 12,
        "options_total": 2,
        "notice_period_months": 6,
        "notice_to": "month",
        "system_owner": "Søren Ærø",
        "criticality": "high",
        "publishable": true,
    })
}

fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn column(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| *h == Data::String(name.into()))
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The days since Excel's epoch, as a date cell holds them.
fn excel_serial(date: &str) -> f64 {
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (date - epoch).num_days() as f64
}

/// CSV lines split into fields, after checking the BOM.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a UTF-8 BOM");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn the_register_exports_as_typed_xlsx_and_danish_csv(app: TestApp) {
    let r = register(app).await;
    let first = r
        .create(full_contract(&r, "Økonomisystem, drift å år", "KK-1"))
        .await;
    r.create(json!({
        "title": "Tillæg til økonomisystemet",
        "reference": "KK-2",
        "contract_type": "supplementary",
        "parent_id": first["id"],
        "supplier_id": r.supplier["id"],
        "start_on": "2024-01-01",
    }))
    .await;

    let bytes = r
        .download(
            &r.admin,
            "/contracts/export?format=xlsx",
            XLSX,
            "kontrakter",
        )
        .await;
    let rows = sheet_rows(&bytes, "Kontrakter");
    assert_eq!(rows.len(), 3, "a header and two contracts");
    let header = &rows[0];
    assert_eq!(header[0], Data::String("Titel".into()));
    assert_eq!(
        header.len(),
        41,
        "36 register columns, the contract owner and 4 derived dates"
    );
    assert_eq!(
        header.last(),
        Some(&Data::String("Seneste slutdato".into()))
    );
    // Sorted by title, as the list is.
    let (full, supplementary) = (&rows[2], &rows[1]);
    assert_eq!(full[0], Data::String("Økonomisystem, drift å år".into()));
    assert_eq!(
        full[column(header, "Årlig værdi (kr.)")],
        Data::Float(1_234_567.89)
    );
    assert_eq!(
        full[column(header, "Samlet værdi (kr.)")],
        Data::Float(4_938_271.56)
    );
    match &full[column(header, "Startdato")] {
        Data::DateTime(date) => assert_eq!(date.as_f64(), excel_serial("2023-04-01")),
        other => panic!("a date cell, not {other:?}"),
    }
    assert_eq!(full[column(header, "Option (måneder)")], Data::Float(12.0));
    assert_eq!(
        full[column(header, "Kritikalitet")],
        Data::String("Høj".into())
    );
    assert_eq!(
        full[column(header, "Udbudsform")],
        Data::String("Offentligt udbud".into())
    );
    assert_eq!(
        full[column(header, "Aftaleelementer")],
        Data::String("Licens; Drift".into())
    );
    assert_eq!(
        full[column(header, "IT-systemer")],
        Data::String("Opus Økonomi".into())
    );
    assert_eq!(
        full[column(header, "Leverandør")],
        Data::String("Æblerød Økonomi ApS".into())
    );
    assert_eq!(
        full[column(header, "Offentliggøres (OCDS)")],
        Data::String("Ja".into())
    );
    assert_eq!(
        supplementary[column(header, "Hovedkontrakt (referencenummer)")],
        Data::String("KK-1".into())
    );
    assert_eq!(
        supplementary[column(header, "Kontrakttype")],
        Data::String("Tillægskontrakt".into())
    );
    assert_eq!(supplementary[column(header, "Slutdato")], Data::Empty);
    // Every column of the full contract is written but those it leaves out.
    let empty: Vec<String> = header
        .iter()
        .zip(full.iter())
        .filter(|(_, cell)| **cell == Data::Empty)
        .map(|(h, _)| h.to_string())
        .collect();
    assert_eq!(
        empty,
        [
            "Status",
            "Hovedkontrakt (referencenummer)",
            "Rammeaftale",
            "Prisregulering",
            "Uopsigelig til",
            "Opsagt pr.",
            "Ansvarlig enhed",
            "Kontaktperson hos leverandør",
            "Noter",
            "Kontraktejer",
        ]
    );

    let bytes = r
        .download(
            &r.admin,
            "/contracts/export?format=csv",
            "text/csv",
            "kontrakter",
        )
        .await;
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].len(), 41);
    assert_eq!(rows[0][0], "Titel");
    let at = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let full = &rows[2];
    assert_eq!(full[0], "Økonomisystem, drift å år");
    assert_eq!(full[at("Årlig værdi (kr.)")], "1234567,89");
    assert_eq!(full[at("Startdato")], "01-04-2023");
    assert_eq!(full[at("Underskrevet")], "14-03-2023");
    assert_eq!(
        full[at("Beskrivelse")],
        "Drift; vedligehold og \"support\"\nanden linje"
    );
    assert_eq!(full[at("Offentliggøres (OCDS)")], "Ja");
    assert_eq!(rows[1][at("Offentliggøres (OCDS)")], "Nej");

    // A filter or format the list refuses is refused before anything is sent.
    expect_problem(
        r.get(&r.admin, "/contracts/export?format=xlsx&sort=password")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    expect_problem(
        r.get(&r.admin, "/contracts/export?format=pdf").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    expect_problem(
        r.get(&r.admin, "/contracts/export").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

async fn a_filtered_export_holds_exactly_the_filtered_list(app: TestApp) {
    let r = register(app).await;
    for n in 0..7 {
        let mut body = full_contract(&r, &format!("Kontrakt {n}"), &format!("R-{n}"));
        body["criticality"] = json!(if n % 2 == 0 { "high" } else { "low" });
        body["annual_value"] = json!(format!("{}.50", 1000 * (7 - n)));
        r.create(body).await;
    }
    for query in [
        "criticality=high&sort=-annual_value",
        "q=kontrakt%205",
        "criticality=low&sort=reference",
        "ends_after=2031-01-01",
    ] {
        let list = expect_json(
            r.get(&r.admin, &format!("/contracts?{query}&page_size=200"))
                .await,
            StatusCode::OK,
        )
        .await;
        let listed: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["reference"].as_str().unwrap().to_owned())
            .collect();
        let bytes = r
            .download(
                &r.admin,
                &format!("/contracts/export?format=xlsx&{query}"),
                XLSX,
                "kontrakter",
            )
            .await;
        let rows = sheet_rows(&bytes, "Kontrakter");
        let reference = column(&rows[0], "Referencenummer");
        let exported: Vec<String> = rows[1..]
            .iter()
            .map(|row| row[reference].to_string())
            .collect();
        assert_eq!(exported, listed, "{query}");
        let bytes = r
            .download(
                &r.admin,
                &format!("/contracts/export?format=csv&{query}"),
                "text/csv",
                "kontrakter",
            )
            .await;
        let rows = csv_rows(&bytes);
        let exported: Vec<String> = rows[1..].iter().map(|row| row[1].clone()).collect();
        assert_eq!(exported, listed, "{query}");
    }
}

/// The OCDS 1.1 release package schema of the reference data, its remote
/// release schema read from the same directory; `None` without the data.
fn ocds_validator() -> Option<jsonschema::Validator> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ocds");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the OCDS reference data must be at {} in CI",
            dir.display()
        );
        eprintln!(
            "skipped the OCDS schema check: the reference data is not at {}",
            dir.display()
        );
        return None;
    }
    struct Local(PathBuf);
    impl jsonschema::Retrieve for Local {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
            let name = uri
                .as_str()
                .strip_prefix("https://standard.open-contracting.org/schema/1__1__5/")
                .ok_or_else(|| format!("not an OCDS 1.1.5 schema: {}", uri.as_str()))?;
            let text = std::fs::read_to_string(self.0.join(name))?;
            Ok(serde_json::from_str(&text)?)
        }
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("release-package-schema.json")).unwrap(),
    )
    .unwrap();
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .with_retriever(Local(dir))
            .build(&schema)
            .unwrap(),
    )
}

async fn ocds_packages_are_valid_and_hold_only_published_contracts(app: TestApp) {
    let r = register(app).await;
    let published = r.create(full_contract(&r, "Økonomisystem", "KK-1")).await;
    let mut unpublished = full_contract(&r, "Hemmelig kontrakt", "KK-2");
    unpublished["publishable"] = json!(false);
    let unpublished = r.create(unpublished).await;
    assert_eq!(unpublished["publishable"], false);
    // Left out, publishing is off: existing clients keep working.
    let plain = r
        .create(json!({"title": "Uden flag", "supplier_id": r.supplier["id"], "start_on": "2025-01-01"}))
        .await;
    assert_eq!(plain["publishable"], false);

    let bytes = r
        .download(
            &r.admin,
            "/contracts/export?format=ocds",
            "application/json",
            "kontrakter-ocds",
        )
        .await;
    let package: Value = serde_json::from_slice(&bytes).unwrap();
    if let Some(validator) = ocds_validator() {
        let errors: Vec<String> = validator
            .iter_errors(&package)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{package:#}");
    }
    assert_eq!(package["version"], "1.1");
    assert_eq!(package["publisher"]["name"], "Sorø Kommune");
    assert!(
        package["uri"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/contracts/export?format=ocds")
    );
    let releases = package["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 1, "only the publishable contract");
    let release = &releases[0];
    let id = published["id"].as_str().unwrap();
    assert_eq!(release["ocid"], format!("ocds-samudbud-{id}"));
    assert_eq!(release["tag"], json!(["contract"]));
    assert_eq!(release["initiationType"], "tender");
    let parties = release["parties"].as_array().unwrap();
    let supplier = parties
        .iter()
        .find(|p| p["roles"] == json!(["supplier"]))
        .unwrap();
    assert_eq!(supplier["identifier"]["scheme"], "DK-CVR");
    assert_eq!(supplier["identifier"]["id"], "18957981");
    let buyer = parties
        .iter()
        .find(|p| p["roles"] == json!(["buyer", "procuringEntity"]))
        .unwrap();
    assert_eq!(release["buyer"]["id"], buyer["id"]);
    let contract = &release["contracts"][0];
    assert_eq!(
        contract["value"],
        json!({"amount": 4938271.56, "currency": "DKK"})
    );
    assert_eq!(contract["period"]["startDate"], "2023-04-01T00:00:00Z");
    assert_eq!(contract["items"][0]["classification"]["scheme"], "CPV");
    assert_eq!(contract["items"][0]["classification"]["id"], "48000000");
    assert!(!String::from_utf8_lossy(&bytes).contains("Hemmelig"));

    // The filters apply: none of the published contracts is critical-low,
    // and a release package cannot be empty.
    let problem = expect_problem(
        r.get(&r.admin, "/contracts/export?format=ocds&criticality=low")
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("offentliggørelse"),
        "{problem}"
    );
}

async fn exports_stay_within_the_municipality(app: TestApp) {
    let r = register(app).await;
    r.create(full_contract(&r, "Sorøs kontrakt", "SOR-1")).await;
    let other = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(other, "admin@ringsted.dk", Role::Admin)
        .await;
    let ringsted = r.app.token("admin@ringsted.dk").await;
    let own = r
        .app
        .request(Method::POST, "/api/v1/contracts", Some(&ringsted))
        .json(
            &json!({"title": "Ringsteds kontrakt", "supplier_id": r.supplier["id"],
            "start_on": "2025-01-01", "publishable": true}),
        )
        .send()
        .await
        .unwrap();
    expect_json(own, StatusCode::CREATED).await;

    // The other municipality exports its own register, never Sorø's.
    for format in ["csv", "ocds"] {
        let response = r
            .get(
                &ringsted,
                &format!("/contracts/export?format={format}&scope=all"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(text.contains("Ringsteds kontrakt"), "{format}");
        assert!(!text.contains("Sorøs kontrakt"), "{format}");
        assert!(!text.contains("SOR-1"), "{format}");
    }
    let response = r
        .get(&ringsted, "/contracts/export?format=xlsx&q=sorø")
        .await;
    let rows = sheet_rows(&response.bytes().await.unwrap(), "Kontrakter");
    assert_eq!(rows.len(), 1, "a header only");
    for path in [
        "/systems/export?format=csv",
        "/audit-events/export?format=csv",
        "/deadlines/export?format=csv&within_days=3650",
    ] {
        let response = r.get(&ringsted, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.unwrap();
        assert!(!text.contains("Opus"), "{path}: {text}");
        assert!(!text.contains("Sorø"), "{path}: {text}");
    }

    // A viewer exports what it reads; the audit trail is for admins.
    let viewer = r.app.token("laeser@soroe.dk").await;
    let text = r
        .get(&viewer, "/contracts/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Sorøs kontrakt"));
    expect_problem(
        r.get(&viewer, "/audit-events/export?format=csv").await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(
        r.get("not a token", "/contracts/export?format=csv").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // An integrator with contracts:read exports; without it, no.
    let (_, client_id, secret) = r
        .app
        .create_api_client(&r.admin, "ERP", &["contracts:read"])
        .await;
    let token = r.app.client_token(&client_id, &secret).await;
    let text = r
        .get(&token, "/contracts/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Sorøs kontrakt"));
    let (_, client_id, secret) = r
        .app
        .create_api_client(&r.admin, "Samarbejde", &["collaborations:read"])
        .await;
    let token = r.app.client_token(&client_id, &secret).await;
    expect_problem(
        r.get(&token, "/contracts/export?format=csv").await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

async fn systems_deadlines_and_the_audit_trail_export(app: TestApp) {
    let r = register(app).await;
    let today = samudbud_domain::clock::today();
    let mut body = full_contract(&r, "Snart opsagt", "KK-9");
    body["start_on"] = json!((today - chrono::Days::new(400)).to_string());
    body["end_on"] = json!((today + chrono::Days::new(200)).to_string());
    body["options_total"] = json!(0);
    body["notice_period_months"] = json!(1);
    body["notice_to"] = json!("none");
    r.create(body).await;

    let bytes = r
        .download(&r.admin, "/systems/export?format=xlsx", XLSX, "it-systemer")
        .await;
    let rows = sheet_rows(&bytes, "IT-systemer");
    assert_eq!(rows[0][0], Data::String("Navn".into()));
    assert_eq!(rows[1][0], Data::String("Opus Økonomi".into()));
    assert_eq!(rows[0][5], Data::String("It-systemejer (bruger)".into()));
    assert_eq!(rows[1][6], Data::String("I drift".into()));
    let rows = csv_rows(
        &r.download(
            &r.admin,
            "/systems/export?format=csv&q=ingen",
            "text/csv",
            "it-systemer",
        )
        .await,
    );
    assert_eq!(rows.len(), 1, "the filter applies");

    let rows = csv_rows(
        &r.download(
            &r.admin,
            "/deadlines/export?format=csv&within_days=365",
            "text/csv",
            "frister",
        )
        .await,
    );
    assert_eq!(rows[0][0], "Frist");
    assert!(rows[1..].iter().all(|row| row[3] == "Snart opsagt"));
    assert!(
        rows[1..].iter().any(|row| row[2] == "Opsigelsesfrist"),
        "{rows:?}"
    );
    let bytes = r
        .download(
            &r.admin,
            "/deadlines/export?format=xlsx&within_days=365",
            XLSX,
            "frister",
        )
        .await;
    let rows = sheet_rows(&bytes, "Frister");
    assert!(matches!(rows[1][0], Data::DateTime(_)), "{:?}", rows[1][0]);

    let bytes = r
        .download(
            &r.admin,
            "/audit-events/export?format=xlsx&action=contract.",
            XLSX,
            "revisionsspor",
        )
        .await;
    let rows = sheet_rows(&bytes, "Revisionsspor");
    assert_eq!(rows.len(), 2, "one contract created: {rows:?}");
    assert_eq!(rows[1][2], Data::String("contract.created".into()));
    assert!(matches!(rows[1][0], Data::DateTime(_)));
    let rows = csv_rows(
        &r.download(
            &r.admin,
            "/audit-events/export?format=csv",
            "text/csv",
            "revisionsspor",
        )
        .await,
    );
    // The whole trail as the log lists it, newest first: the contract, the
    // system, then the municipality's users and the municipality itself.
    let listed = expect_json(
        r.get(&r.admin, "/audit-events?page_size=100").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    let exported: Vec<&str> = rows[1..].iter().map(|row| row[2].as_str()).collect();
    assert_eq!(exported, actions, "{rows:?}");
    assert_eq!(&exported[..2], ["contract.created", "it_system.created"]);
    expect_problem(
        r.get(
            &r.admin,
            "/audit-events/export?format=csv&from=0001-01-01T00:00:00Z",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

/// Imports `bytes` into the municipality of `token` as one all-or-nothing
/// run with the suggested mapping, and returns the finished import.
async fn import(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>, mode: &str) -> Value {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
        .text("options", json!({ "mode": mode }).to_string());
    let created = app
        .request(Method::POST, "/api/v1/contracts/imports", Some(token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let created = expect_json(created, StatusCode::ACCEPTED).await;
    let path = format!(
        "/api/v1/contracts/imports/{}",
        created["id"].as_str().unwrap()
    );
    for _ in 0..600 {
        let job = expect_json(
            app.request(Method::GET, &path, Some(token))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        if job["state"] == "done" || job["state"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import of {name} did not finish");
}

/// Sorø's register goes out to Excel and comes into Ringsted cell for cell
/// (suppliers, systems, main contracts, option labels, amounts with øre,
/// line breaks, the publishing flag); Ringsted's CSV comes into Næstved the
/// same way; and Sorø's own file read back finds every contract already
/// there and imports none twice.
async fn an_exported_register_re_imports_with_no_difference(app: TestApp) {
    let r = register(app).await;
    let main = r.create(full_contract(&r, "Økonomisystem", "KK-1")).await;
    let mut sub = full_contract(&r, "Tillæg: lønmodul", "KK-2");
    sub["contract_type"] = json!("supplementary");
    sub["parent_id"] = main["id"].clone();
    sub["publishable"] = json!(false);
    sub["annual_value"] = json!("0.05");
    sub["end_on"] = Value::Null;
    sub["notes"] = json!("  indrykket tekst; med semikolon  ");
    r.create(sub).await;
    let mut plain = full_contract(&r, "Support uden reference", "");
    plain.as_object_mut().unwrap().remove("reference");
    plain["system_ids"] = json!([]);
    plain["agreement_elements"] = json!([]);
    plain["criticality"] = json!("low");
    r.create(plain).await;

    let ringsted = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let ringsted_admin = r.app.token("admin@ringsted.dk").await;
    let third = r.app.create_tenant("Næstved Kommune", "370").await;
    r.app
        .create_user(third, "admin@naestved.dk", Role::Admin)
        .await;
    let third_admin = r.app.token("admin@naestved.dk").await;

    let sorø_xlsx = r
        .download(
            &r.admin,
            "/contracts/export?format=xlsx",
            XLSX,
            "kontrakter",
        )
        .await;
    let done = import(
        &r.app,
        &ringsted_admin,
        "kontrakter.xlsx",
        sorø_xlsx.clone(),
        "all_or_nothing",
    )
    .await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["report"]["rows_imported"], 3, "{done}");
    assert_eq!(done["report"]["errors"], json!([]), "{done}");
    let ringsted_xlsx = r
        .download(
            &ringsted_admin,
            "/contracts/export?format=xlsx",
            XLSX,
            "kontrakter",
        )
        .await;
    assert_eq!(
        sheet_rows(&ringsted_xlsx, "Kontrakter"),
        sheet_rows(&sorø_xlsx, "Kontrakter"),
        "the Excel file re-imports with no difference"
    );

    let ringsted_csv = r
        .download(
            &ringsted_admin,
            "/contracts/export?format=csv",
            "text/csv",
            "kontrakter",
        )
        .await;
    let done = import(
        &r.app,
        &third_admin,
        "kontrakter.csv",
        ringsted_csv.clone(),
        "all_or_nothing",
    )
    .await;
    assert_eq!(done["report"]["rows_imported"], 3, "{done}");
    let næstved_csv = r
        .download(
            &third_admin,
            "/contracts/export?format=csv",
            "text/csv",
            "kontrakter",
        )
        .await;
    assert_eq!(
        csv_rows(&næstved_csv),
        csv_rows(&ringsted_csv),
        "the CSV file re-imports with no difference"
    );

    // Into the municipality it came from: the contracts with a reference
    // are found, nothing is stored twice.
    let done = import(&r.app, &r.admin, "kontrakter.xlsx", sorø_xlsx, "dry_run").await;
    let mut duplicates: Vec<&str> = done["report"]["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["reference"].as_str().unwrap())
        .collect();
    duplicates.sort_unstable();
    assert_eq!(duplicates, ["KK-1", "KK-2"], "{done}");
    assert_eq!(done["report"]["rows_imported"], 0);
}
