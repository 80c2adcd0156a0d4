//! A municipality's archive: its admins download it, an operator imports it
//! into another instance, and the municipality comes back unchanged.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{Backend, TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::demo::{self, DEMO_PASSWORD};
use samudbud_domain::principal::Principal;
use samudbud_domain::{Role, TenantId};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use sha2::{Digest, Sha256};

on_both_databases!(
    a_municipality_moves_to_a_fresh_instance_and_exports_the_same,
    only_a_municipality_s_admins_download_it_and_only_operators_import
);

/// Every file of a ZIP archive by name.
fn files(archive: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).expect("a ZIP archive");
    let mut files = BTreeMap::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().to_owned(), bytes);
    }
    files
}

async fn demo_token(app: &TestApp, email: &str) -> String {
    let response = app.login_with(email, DEMO_PASSWORD).await;
    let body = expect_json(response, StatusCode::OK).await;
    body["access_token"].as_str().unwrap().to_owned()
}

/// The archive of `tenant` as the console writes it.
async fn console_archive(app: &TestApp, tenant: TenantId) -> Vec<u8> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let db = app.db.clone();
    let producer = tokio::spawn(async move {
        samudbud_domain::archive::export_archive_at_console(&db, &Principal::Console, tenant, tx)
            .await
    });
    let mut bytes = Vec::new();
    while let Some(chunk) = rx.recv().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    producer.await.unwrap().unwrap();
    bytes
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let conn = app.db.system_connection();
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn a_municipality_moves_to_a_fresh_instance_and_exports_the_same(app: TestApp) {
    demo::seed(&app.db).await.unwrap();
    let admin = demo_token(&app, "admin@soroe.dk").await;
    let contracts = expect_json(
        app.request(Method::GET, "/api/v1/contracts?page_size=2", Some(&admin))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let mut uploaded = Vec::new();
    for (n, contract) in contracts["items"].as_array().unwrap().iter().enumerate() {
        let bytes = format!("%PDF-1.4\n% bilag {n} æøå\n%%EOF\n").into_bytes();
        let part = reqwest::multipart::Part::bytes(bytes.clone())
            .file_name(format!("bilag-{n}.pdf"))
            .mime_str("application/pdf")
            .unwrap();
        let response = app
            .request(
                Method::POST,
                &format!(
                    "/api/v1/contracts/{}/attachments",
                    contract["id"].as_str().unwrap()
                ),
                Some(&admin),
            )
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        let attachment = expect_json(response, StatusCode::CREATED).await;
        uploaded.push((attachment["id"].as_str().unwrap().to_owned(), bytes));
    }

    // The admin's download.
    let response = app
        .request(Method::GET, "/api/v1/tenant/archive", Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let first = response.bytes().await.unwrap().to_vec();
    let first_files = files(&first);

    // The manifest's checksums hold, and it lists every other file.
    let manifest: Value = serde_json::from_slice(&first_files["manifest.json"]).unwrap();
    assert_eq!(manifest["municipality_code"], "340");
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), first_files.len() - 1);
    for file in listed {
        let bytes = &first_files[file["path"].as_str().unwrap()];
        let hash: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(file["sha256"], hash.as_str());
        assert_eq!(file["size"], bytes.len() as u64);
    }
    // Attachments are files; secrets stay behind; other municipalities too.
    for (id, bytes) in &uploaded {
        assert_eq!(&first_files[&format!("files/attachments/{id}")], bytes);
    }
    let users = String::from_utf8(first_files["data/users.json"].clone()).unwrap();
    assert!(users.contains("admin@soroe.dk"));
    assert!(!users.contains("password") && !users.contains("$argon2"));
    let clients = String::from_utf8(first_files["data/api_clients.json"].clone()).unwrap();
    assert!(!clients.contains("secret_hash"));
    let everything: String = first_files
        .iter()
        .filter(|(name, _)| name.starts_with("data/"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(
        !everything.contains("ringsted.dk"),
        "another municipality's users"
    );
    assert!(first_files.contains_key("README.md"));
    assert!(first_files.contains_key("schemas/contracts.schema.json"));
    // Each data file is what its schema says.
    for (name, bytes) in &first_files {
        let Some(table) = name
            .strip_prefix("data/")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let schema: Value =
            serde_json::from_slice(&first_files[&format!("schemas/{table}.schema.json")]).unwrap();
        let data: Value = serde_json::from_slice(bytes).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| e.to_string())
            .take(3)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }

    // An operator imports it into a fresh instance.
    let target = TestApp::start_with(app.backend, |settings| {
        settings.body_limit_bytes = 16 * 1024 * 1024;
    })
    .await
    .unwrap();
    target.create_operator("drift@samudbud.dk").await;
    let operator = target.token("drift@samudbud.dk").await;
    let response = target
        .request(Method::POST, "/api/v1/tenants/import", Some(&operator))
        .header("content-type", "application/octet-stream")
        .body(first.clone())
        .send()
        .await
        .unwrap();
    let report = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(report["municipality_code"], "340");
    assert_eq!(report["files"], uploaded.len() as u64);
    let tenant = TenantId(report["tenant_id"].as_str().unwrap().parse().unwrap());

    // Exporting it again gives the same files, checksums included.
    let second_files = files(&console_archive(&target, tenant).await);
    assert_eq!(
        first_files.keys().collect::<Vec<_>>(),
        second_files.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first_files {
        assert!(
            second_files[name] == *bytes,
            "{name} differs after the round trip"
        );
    }

    // A second import conflicts and changes nothing.
    let tenants_before = count(&target, "SELECT count(*) AS n FROM tenants").await;
    let contracts_before = count(&target, "SELECT count(*) AS n FROM contracts").await;
    let response = target
        .request(Method::POST, "/api/v1/tenants/import", Some(&operator))
        .header("content-type", "application/octet-stream")
        .body(first.clone())
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, StatusCode::CONFLICT).await;
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("code 340"), "{detail}");
    assert!(detail.contains("contracts:"), "{detail}");
    assert_eq!(
        count(&target, "SELECT count(*) AS n FROM tenants").await,
        tenants_before
    );
    assert_eq!(
        count(&target, "SELECT count(*) AS n FROM contracts").await,
        contracts_before
    );

    // A damaged archive is refused with a reason.
    let mut damaged = first_files.clone();
    damaged.insert("data/contracts.json".into(), b"[\n]\n".to_vec());
    let mut rewritten = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut rewritten));
        for (name, bytes) in &damaged {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    let fresh = TestApp::start_with(app.backend, |settings| {
        settings.body_limit_bytes = 16 * 1024 * 1024;
    })
    .await
    .unwrap();
    fresh.create_operator("drift@samudbud.dk").await;
    let operator = fresh.token("drift@samudbud.dk").await;
    let response = fresh
        .request(Method::POST, "/api/v1/tenants/import", Some(&operator))
        .header("content-type", "application/octet-stream")
        .body(rewritten)
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem.to_string().contains("checksum"), "{problem}");
    assert_eq!(count(&fresh, "SELECT count(*) AS n FROM tenants").await, 0);
    let _ = Backend::Sqlite;
}

async fn only_a_municipality_s_admins_download_it_and_only_operators_import(app: TestApp) {
    let sorø = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    app.create_user(sorø, "admin@soroe.dk", Role::Admin).await;
    app.create_user(sorø, "redaktoer@soroe.dk", Role::Editor)
        .await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    app.create_operator("drift@samudbud.dk").await;

    // Another municipality's admin gets their own archive, never Sorø's.
    let ringsted_admin = app.token("admin@ringsted.dk").await;
    let response = app
        .request(Method::GET, "/api/v1/tenant/archive", Some(&ringsted_admin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let archive = files(&response.bytes().await.unwrap());
    let manifest: Value = serde_json::from_slice(&archive["manifest.json"]).unwrap();
    assert_eq!(manifest["municipality_code"], "329");
    let users = String::from_utf8(archive["data/users.json"].clone()).unwrap();
    assert!(!users.contains("soroe.dk"));

    for who in ["redaktoer@soroe.dk", "drift@samudbud.dk"] {
        let token = app.token(who).await;
        let response = app
            .request(Method::GET, "/api/v1/tenant/archive", Some(&token))
            .send()
            .await
            .unwrap();
        expect_problem(response, StatusCode::FORBIDDEN).await;
    }
    let admin = app.token("admin@soroe.dk").await;
    let response = app
        .request(Method::POST, "/api/v1/tenants/import", Some(&admin))
        .header("content-type", "application/octet-stream")
        .body(b"PK".to_vec())
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::FORBIDDEN).await;
    let operator = app.token("drift@samudbud.dk").await;
    let response = app
        .request(Method::POST, "/api/v1/tenants/import", Some(&operator))
        .header("content-type", "application/octet-stream")
        .body(b"not an archive".to_vec())
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}
