//! Importing a contract register over HTTP: analyse, dry run, all or
//! nothing, valid rows with the rejected rows to download, duplicates,
//! suppliers and systems created on the way, refused files, another
//! municipality kept out; and the sample files in `tests/imports/` with
//! their expected reports.

use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    TestApp, expect_announced_problem, expect_json, expect_problem, on_both_databases,
};
use serde_json::{Value, json};

on_both_databases!(
    analyse_dry_run_all_or_nothing_and_valid_rows,
    duplicates_main_contracts_and_new_suppliers,
    files_and_mappings_that_cannot_be_imported,
    sample_registers_give_their_expected_reports,
);

fn form(name: &str, bytes: Vec<u8>, options: Option<Value>) -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let mut form = reqwest::multipart::Form::new().part("file", part);
    if let Some(options) = options {
        form = form.text("options", options.to_string());
    }
    form
}

async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
    options: Option<Value>,
) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/contracts/imports", Some(token))
        .multipart(form(name, bytes, options))
        .send()
        .await
        .unwrap()
}

/// Polls the import until its run is over.
async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let import = expect_json(
            app.request(
                Method::GET,
                &format!("/api/v1/contracts/imports/{id}"),
                Some(token),
            )
            .send()
            .await
            .unwrap(),
            StatusCode::OK,
        )
        .await;
        if import["state"] == "done" || import["state"] == "failed" {
            return import;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import {id} did not finish");
}

async fn run(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    let accepted = app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/imports/{id}/run"),
            Some(token),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_json(accepted, StatusCode::ACCEPTED).await;
    finished(app, token, id).await
}

async fn contract_count(app: &TestApp, token: &str) -> u64 {
    let page = expect_json(
        app.request(Method::GET, "/api/v1/contracts?page_size=1", Some(token))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    page["total"].as_u64().unwrap()
}

fn error_fields(report: &Value) -> Vec<(u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const REGISTER: &str = "Kontraktregister 2026;;;\n\
\n\
Titel;Referencenummer;Leverandør CVR;Leverandør;IT-systemer;Startdato;Slutdato;Årlig værdi (kr.);Status\n\
Drift af ESDH  ;K-1;10403782;Netcompany A/S;\"ESDH; Outlook\";01-01-2026;31.12.2028;1.250.000,50;Aktiv\n\
Forkert CVR;K-2;12345678;Firma;;01-01-2026;;100;\n\
Slut før start;K-3;10403782;Netcompany A/S;;01-06-2026;01-01-2026;-5;\n";

async fn analyse_dry_run_all_or_nothing_and_valid_rows(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let (sorø, ringsted) = (&admins[0], &admins[1]);
    let before = contract_count(&app, sorø).await;

    // Analyse: the format, the header below the title, the columns.
    let analysed = expect_json(
        upload(
            &app,
            sorø,
            "register.csv",
            REGISTER.as_bytes().to_vec(),
            None,
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(analysed["state"], "done", "{analysed}");
    assert_eq!(analysed["mode"], "analyse");
    assert_eq!(analysed["format"]["kind"], "csv");
    assert_eq!(analysed["format"]["delimiter"], ";");
    assert_eq!(analysed["format"]["encoding"], "UTF-8");
    assert_eq!(analysed["header_row"], 3);
    assert_eq!(analysed["progress"]["rows_total"], 3);
    let columns = analysed["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 9);
    assert_eq!(columns[2]["header"], "Leverandør CVR");
    assert_eq!(columns[2]["suggested_field"], "supplier_cvr");
    assert_eq!(
        columns[0]["samples"],
        json!(["Drift af ESDH", "Forkert CVR", "Slut før start"])
    );
    assert_eq!(analysed["mapping"]["Årlig værdi (kr.)"], "annual_value");
    assert!(analysed.get("report").is_none());
    let id = analysed["id"].as_str().unwrap().to_owned();

    // Another municipality sees none of it.
    for (method, path) in [
        (Method::GET, format!("/api/v1/contracts/imports/{id}")),
        (
            Method::GET,
            format!("/api/v1/contracts/imports/{id}/rejected-rows?format=csv"),
        ),
    ] {
        let response = app
            .request(method, &path, Some(ringsted))
            .send()
            .await
            .unwrap();
        expect_problem(response, StatusCode::NOT_FOUND).await;
    }
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/imports/{id}/run"),
            Some(ringsted),
        )
        .json(&json!({"mode": "valid_rows"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::NOT_FOUND).await;
    // Nor can a viewer of the municipality import.
    let viewer = app.token("laeser@soroe.dk").await;
    let response = upload(
        &app,
        &viewer,
        "register.csv",
        REGISTER.as_bytes().to_vec(),
        None,
    )
    .await;
    expect_problem(response, StatusCode::FORBIDDEN).await;

    // A dry run reports every problem and stores nothing.
    let tried = run(&app, sorø, &id, json!({"mode": "dry_run"})).await;
    assert_eq!(tried["state"], "done", "{tried}");
    let report = &tried["report"];
    assert_eq!(report["rows_total"], 3);
    assert_eq!(report["rows_valid"], 1);
    assert_eq!(report["rows_imported"], 0);
    assert_eq!(report["rows_rejected"], 2);
    assert_eq!(
        error_fields(report),
        vec![
            (5, "supplier_cvr".to_owned()),
            (6, "annual_value".to_owned()),
            (6, "end_on".to_owned()),
        ]
    );
    let cvr_error = &report["errors"][0];
    assert_eq!(cvr_error["column"], "Leverandør CVR");
    assert_eq!(cvr_error["value"], "12345678");
    assert!(
        cvr_error["message"]
            .as_str()
            .unwrap()
            .contains("CVR-nummeret er ugyldigt")
    );
    assert_eq!(
        report["errors"][2]["message"],
        "Slutdatoen ligger før startdatoen"
    );
    // What the valid rows would register and create.
    assert_eq!(
        report["created_suppliers"],
        json!([{"cvr": "10403782", "name": "Netcompany A/S"}])
    );
    assert_eq!(report["created_systems"], json!(["ESDH", "Outlook"]));
    assert_eq!(contract_count(&app, sorø).await, before);

    // All or nothing: nothing, because two rows have problems.
    let refused = run(&app, sorø, &id, json!({"mode": "all_or_nothing"})).await;
    assert_eq!(refused["report"]["rows_imported"], 0);
    assert_eq!(refused["report"]["rows_rejected"], 3);
    assert_eq!(refused["report"]["created_suppliers"], json!([]));
    assert_eq!(contract_count(&app, sorø).await, before);

    // Valid rows: the first is stored, with its new supplier and systems.
    let done = run(&app, sorø, &id, json!({"mode": "valid_rows"})).await;
    let report = &done["report"];
    assert_eq!(report["rows_imported"], 1, "{done}");
    assert_eq!(report["rows_rejected"], 2);
    assert_eq!(report["rejected_rows"], json!([5, 6]));
    assert_eq!(report["created_systems"], json!(["ESDH", "Outlook"]));
    assert_eq!(contract_count(&app, sorø).await, before + 1);
    let contract_id = report["contract_ids"][0].as_str().unwrap();
    let contract = expect_json(
        app.request(
            Method::GET,
            &format!("/api/v1/contracts/{contract_id}"),
            Some(sorø),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(contract["title"], "Drift af ESDH");
    assert_eq!(contract["end_on"], "2028-12-31");
    assert_eq!(contract["annual_value"], "1250000.50");
    assert_eq!(contract["supplier"]["cvr"], "10403782");
    assert!(contract.get("status_override").is_none(), "{contract}");
    assert_eq!(contract["systems"].as_array().unwrap().len(), 2);

    // The rejected rows, with the reasons, as CSV and XLSX.
    let csv = app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/imports/{id}/rejected-rows?format=csv"),
            Some(sorø),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].ends_with(";Fejl"), "{text}");
    assert!(lines[1].starts_with("Forkert CVR;K-2;12345678"), "{text}");
    assert!(
        lines[2].contains("Slutdatoen ligger før startdatoen"),
        "{text}"
    );
    let xlsx = app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/imports/{id}/rejected-rows"),
            Some(sorø),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    // Imported once only; the mapping is kept for next time.
    let again = app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/imports/{id}/run"),
            Some(sorø),
        )
        .json(&json!({"mode": "valid_rows"}))
        .send()
        .await
        .unwrap();
    expect_problem(again, StatusCode::CONFLICT).await;
    let mapping = expect_json(
        app.request(Method::GET, "/api/v1/contracts/import-mapping", Some(sorø))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(mapping["mapping"]["Leverandør CVR"], "supplier_cvr");
    assert_eq!(mapping["fields"].as_array().unwrap().len(), 36);
    let theirs = expect_json(
        app.request(
            Method::GET,
            "/api/v1/contracts/import-mapping",
            Some(ringsted),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["mapping"], json!({}));
}

async fn duplicates_main_contracts_and_new_suppliers(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let sorø = &admins[0];
    let first = "Titel,Ref,CVR,Leverandørnavn,Start,Hovedkontrakt\n\
        Hovedaftale,H-1,10403782,Netcompany A/S,2026-01-01,\n";
    let created = expect_json(
        upload(
            &app,
            sorø,
            "foerste.csv",
            first.as_bytes().to_vec(),
            Some(json!({"mode": "all_or_nothing"})),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(created["format"]["delimiter"], ",");
    let done = finished(&app, sorø, created["id"].as_str().unwrap()).await;
    assert_eq!(done["report"]["rows_imported"], 1, "{done}");
    assert_eq!(
        done["report"]["created_suppliers"],
        json!([{"cvr": "10403782", "name": "Netcompany A/S"}])
    );
    let main_id = done["report"]["contract_ids"][0]
        .as_str()
        .unwrap()
        .to_owned();

    // H-1 exists; T-1 twice; T-2 hangs under T-1 of the same file, T-3 under H-1.
    let second = "Titel,Ref,CVR,Leverandørnavn,Start,Hovedkontrakt\n\
        Igen,H-1,10403782,,2026-01-01,\n\
        Tillæg,T-1,10403782,,2026-02-01,H-1\n\
        Tillæg igen,T-1,10403782,,2026-02-01,\n\
        Under tillæg,T-2,10403782,,2026-03-01,T-1\n\
        Ukendt leverandør,T-3,10000009,,2026-03-01,H-1\n\
        Ukendt hoved,T-4,10403782,,2026-03-01,X-9\n";
    let created = expect_json(
        upload(
            &app,
            sorø,
            "anden.csv",
            second.as_bytes().to_vec(),
            Some(json!({"mode": "valid_rows"})),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let done = finished(&app, sorø, created["id"].as_str().unwrap()).await;
    let report = &done["report"];
    assert_eq!(
        report["duplicates"],
        json!([
            {"row": 2, "reference": "H-1", "existing_contract_id": main_id},
            {"row": 4, "reference": "T-1", "first_row": 3},
        ])
    );
    assert_eq!(
        error_fields(report),
        vec![
            (2, "reference".to_owned()),
            (4, "reference".to_owned()),
            (6, "supplier_cvr".to_owned()),
            (7, "parent_reference".to_owned()),
        ]
    );
    assert_eq!(report["rows_imported"], 2, "{report}");
    let ids = report["contract_ids"].as_array().unwrap();
    let get = |id: &str| {
        app.request(Method::GET, &format!("/api/v1/contracts/{id}"), Some(sorø))
            .send()
    };
    let supplementary =
        expect_json(get(ids[0].as_str().unwrap()).await.unwrap(), StatusCode::OK).await;
    assert_eq!(supplementary["reference"], "T-1");
    assert_eq!(supplementary["parent_id"], main_id.as_str());
    let under = expect_json(get(ids[1].as_str().unwrap()).await.unwrap(), StatusCode::OK).await;
    assert_eq!(under["parent_id"], supplementary["id"]);
}

async fn files_and_mappings_that_cannot_be_imported(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let sorø = &admins[0];
    let before = contract_count(&app, sorø).await;
    let pdf = upload(
        &app,
        sorø,
        "kontrakt.pdf",
        b"%PDF-1.4\n%%EOF\n".to_vec(),
        None,
    )
    .await;
    expect_problem(pdf, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let xls = upload(
        &app,
        sorø,
        "gammel.xls",
        vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        None,
    )
    .await;
    let problem = expect_problem(xls, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert!(
        problem["detail"].as_str().unwrap().contains(".xlsx"),
        "{problem}"
    );
    let fake = upload(
        &app,
        sorø,
        "ark.xlsx",
        b"PK\x03\x04 ikke en projektmappe".to_vec(),
        None,
    )
    .await;
    expect_problem(fake, StatusCode::UNPROCESSABLE_ENTITY).await;
    let empty = upload(&app, sorø, "tom.csv", b"\n\n".to_vec(), None).await;
    expect_problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Refused by its announced length, before a byte of it is read.
    let large = app
        .announce_body(
            Method::POST,
            "/api/v1/contracts/imports",
            Some(sorø),
            "multipart/form-data; boundary=x",
            20 * 1024 * 1024 + 1,
        )
        .await;
    expect_announced_problem(large, StatusCode::PAYLOAD_TOO_LARGE);

    // A run needs the title, the supplier's CVR and the start date mapped.
    let file = b"Navn;Firma;Start\nDrift;10403782;01-01-2026\n".to_vec();
    let incomplete = upload(
        &app,
        sorø,
        "register.csv",
        file.clone(),
        Some(json!({"mode": "dry_run", "mapping": {"Navn": "title"}})),
    )
    .await;
    let problem = expect_problem(incomplete, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2, "{problem}");
    let unknown_field = upload(
        &app,
        sorø,
        "register.csv",
        file.clone(),
        Some(json!({"mode": "dry_run", "mapping": {"Navn": "titel"}})),
    )
    .await;
    expect_problem(unknown_field, StatusCode::UNPROCESSABLE_ENTITY).await;
    let bad_options = upload(
        &app,
        sorø,
        "register.csv",
        file.clone(),
        Some(json!({"mode": "alt"})),
    )
    .await;
    assert!(
        bad_options.status().is_client_error(),
        "{}",
        bad_options.status()
    );
    // By column index, the mapping is complete.
    let by_index = expect_json(
        upload(
            &app,
            sorø,
            "register.csv",
            file,
            Some(json!({"mode": "all_or_nothing", "mapping": {"0": "title", "1": "supplier_cvr", "2": "start_on"}})),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let done = finished(&app, sorø, by_index["id"].as_str().unwrap()).await;
    // The supplier is unknown and the file names none: reported, nothing stored.
    assert_eq!(done["report"]["rows_imported"], 0, "{done}");
    assert_eq!(done["report"]["errors"][0]["field"], "supplier_cvr");
    assert_eq!(contract_count(&app, sorø).await, before);
    let response = app
        .request(
            Method::GET,
            &format!("/api/v1/contracts/imports/{}", uuid::Uuid::new_v4()),
            Some(sorø),
        )
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

fn samples() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../imports"))
}

/// Each sample file next to its `.expected.json`: a dry run reports exactly
/// the expected counts, problems (row and field) and duplicates.
async fn sample_registers_give_their_expected_reports(app: TestApp) {
    let (_, admins) = app.three_municipalities().await;
    let sorø = &admins[0];
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    entries.sort();
    for expected_path in entries {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let file = expected_path.with_file_name(expected["file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let mut options = json!({"mode": "dry_run"});
        if let Some(sheet) = expected.get("sheet") {
            options["sheet"] = sheet.clone();
        }
        let created = expect_json(
            upload(&app, sorø, &name, bytes, Some(options)).await,
            StatusCode::ACCEPTED,
        )
        .await;
        let done = finished(&app, sorø, created["id"].as_str().unwrap()).await;
        assert_eq!(done["state"], "done", "{name}: {done}");
        for key in ["kind", "delimiter", "encoding"] {
            if let Some(want) = expected["format"].get(key) {
                assert_eq!(&done["format"][key], want, "{name}: format {key}");
            }
        }
        assert_eq!(
            done["header_row"], expected["header_row"],
            "{name}: header row"
        );
        let report = &done["report"];
        for key in ["rows_total", "rows_valid"] {
            assert_eq!(report[key], expected[key], "{name}: {key}");
        }
        let errors: Vec<Value> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| json!([e["row"], e["field"]]))
            .collect();
        assert_eq!(Value::Array(errors), expected["errors"], "{name}: {report}");
        let duplicates: Vec<Value> = report["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| json!([d["row"], d["reference"]]))
            .collect();
        assert_eq!(
            Value::Array(duplicates),
            expected.get("duplicates").cloned().unwrap_or(json!([])),
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} sample registers");
}
