//! Hostile input gets a 4xx problem naming the field, and changes nothing:
//! page numbers past any database integer, dates past any calendar, searches
//! of a thousand words, control and bidirectional characters in every kind
//! of text (JSON, query, path, Basic credentials, file names), files whose
//! content lies about their type. And money keeps every digit.

use reqwest::{Method, Response, StatusCode};
use rust_decimal::Decimal;
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    page_numbers_are_bounded,
    dates_are_bounded,
    searches_are_capped,
    control_characters_are_refused_in_bodies,
    control_characters_are_refused_in_parameters_and_credentials,
    attachments_are_checked_by_name_and_content,
    money_keeps_every_digit,
);

/// A municipality with an admin and an editor, a supplier and a contract.
struct Setup {
    app: TestApp,
    admin: String,
    editor: String,
    supplier_id: String,
    contract_id: String,
}

async fn setup(app: TestApp) -> Setup {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "admin@soroe.dk", Role::Admin).await;
    app.create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let admin = app.token("admin@soroe.dk").await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let supplier = expect_json(
        app.request(Method::POST, "/api/v1/suppliers", Some(&editor))
            .json(&json!({"cvr": "18957981", "name": "KMD A/S"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let supplier_id = supplier["id"].as_str().unwrap().to_owned();
    let contract = expect_json(
        app.request(Method::POST, "/api/v1/contracts", Some(&editor))
            .json(&json!({
                "title": "Hosting",
                "supplier_id": supplier_id,
                "start_on": "2024-01-01",
            }))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    Setup {
        app,
        admin,
        editor,
        supplier_id,
        contract_id: contract["id"].as_str().unwrap().to_owned(),
    }
}

impl Setup {
    async fn get(&self, token: &str, path_and_query: &str) -> Response {
        self.app
            .request(
                Method::GET,
                &format!("/api/v1{path_and_query}"),
                Some(token),
            )
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Response {
        self.app
            .request(Method::POST, &format!("/api/v1{path}"), Some(token))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn total(&self, token: &str, list: &str) -> u64 {
        let body = expect_json(self.get(token, list).await, StatusCode::OK).await;
        body["total"]
            .as_u64()
            .or_else(|| body["items"].as_array().map(|a| a.len() as u64))
            .or_else(|| body.as_array().map(|a| a.len() as u64))
            .unwrap()
    }

    async fn contract(&self) -> Value {
        expect_json(
            self.get(&self.editor, &format!("/contracts/{}", self.contract_id))
                .await,
            StatusCode::OK,
        )
        .await
    }
}

/// Asserts a problem with `status` whose `errors` name `field`, and returns
/// the code given for it.
async fn refused(response: Response, status: StatusCode, field: &str) -> String {
    let problem = expect_problem(response, status).await;
    assert!(
        problem["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{problem}"
    );
    let errors = problem["errors"].as_array().cloned().unwrap_or_default();
    let named = errors
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field}: {problem}"));
    named["code"].as_str().unwrap().to_owned()
}

async fn page_numbers_are_bounded(app: TestApp) {
    let s = setup(app).await;
    for list in ["/contracts", "/systems", "/users", "/audit-events"] {
        let response = s
            .get(
                &s.admin,
                &format!("{list}?page=1000000000000000000&page_size=200"),
            )
            .await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], "page", "{list}: {problem}");
        assert_eq!(problem["errors"][0]["code"], "out_of_range", "{problem}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("1 and 1000000"), "{message}");
        // The last allowed page is simply empty.
        let last = expect_json(
            s.get(&s.admin, &format!("{list}?page=1000000&page_size=200"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(last["items"], json!([]), "{list}");
    }
}

async fn dates_are_bounded(app: TestApp) {
    let s = setup(app).await;
    let before = s.contract().await;
    let etag = s
        .get(&s.editor, &format!("/contracts/{}", s.contract_id))
        .await
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    for (field, date) in [
        ("start_on", "+262142-12-31"),
        ("start_on", "1899-12-31"),
        ("end_on", "2201-01-01"),
        ("signed_on", "-0001-01-01"),
        ("irrevocable_until", "+10000-01-01"),
        ("terminated_on", "9999-12-31"),
    ] {
        let mut body = json!({
            "title": "Fra fremtiden",
            "supplier_id": s.supplier_id,
            "start_on": "2024-01-01",
        });
        body[field] = json!(date);
        let code = refused(
            s.post(&s.editor, "/contracts", body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
        assert_eq!(code, "out_of_range", "{field} {date}");

        let update = s
            .app
            .request(
                Method::PUT,
                &format!("/api/v1/contracts/{}", s.contract_id),
                Some(&s.editor),
            )
            .header("if-match", etag.clone())
            .json(&body)
            .send()
            .await
            .unwrap();
        refused(update, StatusCode::UNPROCESSABLE_ENTITY, field).await;
    }
    assert_eq!(s.total(&s.editor, "/contracts").await, 1);
    assert_eq!(s.contract().await, before);

    // The bounds themselves are fine.
    let edge = s
        .post(
            &s.editor,
            "/contracts",
            json!({
                "title": "Lang aftale",
                "supplier_id": s.supplier_id,
                "start_on": "1900-01-01",
                "end_on": "2200-12-31",
                "option_months": 240,
                "options_total": 20,
                "notice_period_months": 120,
            }),
        )
        .await;
    let edge = expect_json(edge, StatusCode::CREATED).await;
    assert_eq!(edge["latest_end"], "2600-12-31");

    for query in [
        "/contracts?ends_before=%2B262142-12-31",
        "/contracts?ends_after=1000-01-01",
        "/contracts?changed_since=9999-01-01T00:00:00Z",
    ] {
        let field = query
            .split_once('?')
            .and_then(|(_, q)| q.split_once('='))
            .map(|(name, _)| name)
            .unwrap();
        refused(
            s.get(&s.editor, query).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    for query in [
        "/audit-events?from=0001-01-01T00:00:00Z",
        "/audit-events?to=%2B10000-01-01T00:00:00Z",
    ] {
        let response = s.get(&s.admin, query).await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            ["from", "to"].contains(&problem["errors"][0]["field"].as_str().unwrap()),
            "{problem}"
        );
    }
}

async fn searches_are_capped(app: TestApp) {
    let s = setup(app).await;
    let many = vec!["kontrakt"; 999].join("+");
    let long = "x".repeat(101);
    for list in ["/contracts", "/systems", "/users", "/suppliers"] {
        let code = refused(
            s.get(&s.admin, &format!("{list}?q={many}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "q",
        )
        .await;
        assert_eq!(code, "too_many_words", "{list}");
        let code = refused(
            s.get(&s.admin, &format!("{list}?q={long}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "q",
        )
        .await;
        assert_eq!(code, "too_long", "{list}");
    }
    // Ten words are a search.
    let ten = ["hosting"; 10].join("+");
    let found = expect_json(
        s.get(&s.editor, &format!("/contracts?q={ten}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
}

async fn control_characters_are_refused_in_bodies(app: TestApp) {
    let s = setup(app).await;
    let before = s.contract().await;
    let lists = [
        ("/contracts", &s.editor),
        ("/systems", &s.editor),
        ("/users", &s.admin),
        ("/api-clients", &s.admin),
        ("/collaborations", &s.admin),
    ];
    let mut totals = Vec::new();
    for (list, token) in lists {
        totals.push(s.total(token, list).await);
    }

    let contract = |field: &str, value: &str| {
        let mut body = json!({
            "title": "Hosting",
            "supplier_id": s.supplier_id,
            "start_on": "2024-01-01",
        });
        body[field] = json!(value);
        body
    };
    let attempts: Vec<(&str, &str, Value, &str)> = vec![
        (
            "/contracts",
            &s.editor,
            contract("title", "Host\u{0}ing"),
            "title",
        ),
        (
            "/contracts",
            &s.editor,
            contract("title", "Host\ning"),
            "title",
        ),
        (
            "/contracts",
            &s.editor,
            contract("reference", "K\u{1b}[31m"),
            "reference",
        ),
        (
            "/contracts",
            &s.editor,
            contract("category", "Dr\tift"),
            "category",
        ),
        (
            "/contracts",
            &s.editor,
            contract("notes", "ok\u{0}"),
            "notes",
        ),
        (
            "/contracts",
            &s.editor,
            contract("description", "x\u{202E}y"),
            "description",
        ),
        ("/systems", &s.editor, json!({"name": "ESDH\u{0}"}), "name"),
        (
            "/systems",
            &s.editor,
            json!({"name": "ESDH", "description": "\u{7}"}),
            "description",
        ),
        (
            "/suppliers",
            &s.editor,
            json!({"cvr": "29188955", "name": "Sorø\u{0}"}),
            "name",
        ),
        (
            "/users",
            &s.admin,
            json!({"email": "ny@soroe.dk", "name": "Ny\u{0}", "role": "editor", "password": samudbud_api_tests::PASSWORD}),
            "name",
        ),
        (
            "/users",
            &s.admin,
            json!({"email": "ny\u{0}@soroe.dk", "name": "Ny", "role": "editor", "password": samudbud_api_tests::PASSWORD}),
            "email",
        ),
        (
            "/api-clients",
            &s.admin,
            json!({"name": "ERP\u{0}", "scopes": ["contracts:read"]}),
            "name",
        ),
        (
            "/collaborations",
            &s.admin,
            json!({"name": "Fælles\u{0}udbud"}),
            "name",
        ),
        (
            "/collaborations",
            &s.admin,
            json!({"name": "Fælles", "description": "\u{0}"}),
            "description",
        ),
    ];
    for (path, token, body, field) in attempts {
        let code = refused(
            s.post(token, path, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
        assert_eq!(code, "invalid_character", "{path} {body}");
    }

    // Login, without being logged in.
    let login = s
        .app
        .request(Method::POST, "/api/v1/auth/login", None)
        .json(&json!({"email": "admin\u{0}@soroe.dk", "password": "x"}))
        .send()
        .await
        .unwrap();
    refused(login, StatusCode::UNPROCESSABLE_ENTITY, "email").await;

    // Nothing was stored, and the supplier catalogue has no new name.
    for ((list, token), total) in lists.into_iter().zip(totals) {
        assert_eq!(s.total(token, list).await, total, "{list}");
    }
    assert_eq!(s.contract().await, before);
    let suppliers = expect_json(
        s.get(&s.editor, "/suppliers?q=29188955").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        suppliers["items"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{suppliers}"
    );

    // Multi-line text keeps its line breaks and tabs.
    let notes = "Linje 1\r\nLinje 2\n\tindrykket";
    let created = expect_json(
        s.post(&s.editor, "/contracts", contract("notes", notes))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["notes"], notes);
}

async fn control_characters_are_refused_in_parameters_and_credentials(app: TestApp) {
    let s = setup(app).await;
    for (query, field) in [
        ("/contracts?q=a%00b", "q"),
        ("/contracts?category=Drift%00", "category"),
        ("/contracts?owner=%1B", "owner"),
        ("/contracts?cpv=4800%00", "cpv"),
        ("/contracts?status=active%00", "status"),
        ("/contracts?sort=title%0A", "sort"),
        ("/systems?q=%E2%80%AEevil", "q"),
        ("/users?q=%00", "q"),
        ("/suppliers?q=KMD%00", "q"),
        ("/audit-events?actor=%00", "actor"),
        ("/audit-events?action=contract.%00", "action"),
        ("/contracts/%00", "path"),
    ] {
        let code = refused(
            s.get(&s.admin, query).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
        assert_eq!(code, "invalid_character", "{query}");
    }

    // An API client's id, in the form and as Basic credentials.
    let form = s
        .app
        .request_client_token("sb_\u{0}client", "secret", None)
        .await;
    refused(form, StatusCode::UNPROCESSABLE_ENTITY, "client_id").await;
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("sb_\u{0}client:secret");
    let response = s
        .app
        .request(Method::POST, "/api/v1/auth/token", None)
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    refused(response, StatusCode::UNPROCESSABLE_ENTITY, "client_id").await;

    // If-Match that names no version changes nothing.
    let before = s.contract().await;
    let response = s
        .app
        .request(
            Method::PUT,
            &format!("/api/v1/contracts/{}", s.contract_id),
            Some(&s.editor),
        )
        .header("if-match", "\"1\t\"")
        .json(&json!({"title": "Ændret", "supplier_id": s.supplier_id, "start_on": "2024-01-01"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
    assert_eq!(s.contract().await, before);
}

/// A minimal ZIP archive (stored members, no content) with `names`.
fn zip_of(names: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for name in names {
        let offset = u32::try_from(out.len()).unwrap();
        let name_len = u16::try_from(name.len()).unwrap();
        out.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        directory.extend_from_slice(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0");
        directory.extend_from_slice(&[0; 12]);
        directory.extend_from_slice(&name_len.to_le_bytes());
        directory.extend_from_slice(&[0; 12]);
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let start = u32::try_from(out.len()).unwrap();
    let size = u32::try_from(directory.len()).unwrap();
    let count = u16::try_from(names.len()).unwrap();
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

async fn attachments_are_checked_by_name_and_content(app: TestApp) {
    let s = setup(app).await;
    let upload = |token: &str, name: &str, bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        s.app
            .request(
                Method::POST,
                &format!("/api/v1/contracts/{}/attachments", s.contract_id),
                Some(token),
            )
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let docx = zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);

    for (name, bytes, code) in [
        ("faktura\u{202E}fdp.pdf", pdf.clone(), "invalid_character"),
        // (NUL cannot reach a multipart header at all; a tab can.)
        ("kontrakt\t.pdf", pdf.clone(), "invalid_character"),
        (
            "kontrakt.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>".to_vec(),
            "unsupported_type",
        ),
        (
            "kontrakt.pdf",
            b"<html>%PDF-1.4\n%%EOF".to_vec(),
            "unsupported_type",
        ),
        (
            "bilag.docx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "unsupported_type",
        ),
        ("bilag.docx", xlsx.clone(), "unsupported_type"),
        ("priser.xlsx", docx.clone(), "unsupported_type"),
    ] {
        let got = refused(
            upload(&s.editor, name, bytes).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        )
        .await;
        assert_eq!(got, code, "{name:?}");
    }
    let list = format!("/contracts/{}/attachments", s.contract_id);
    assert_eq!(s.total(&s.editor, &list).await, 0);

    for (name, bytes, content_type) in [
        ("kontrakt.pdf", pdf, "application/pdf"),
        (
            "bilag.docx",
            docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "priser.xlsx",
            xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ] {
        let created = expect_json(
            upload(&s.editor, name, bytes).await.unwrap(),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(created["content_type"], content_type);
        assert_eq!(created["filename"], name);
    }
    assert_eq!(s.total(&s.editor, &list).await, 3);

    // Another municipality cannot attach to the contract at all.
    let other = s.app.create_tenant("Ringsted Kommune", "329").await;
    s.app
        .create_user(other, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    let intruder = s.app.token("redaktoer@ringsted.dk").await;
    expect_problem(
        upload(&intruder, "kontrakt.pdf", b"%PDF-1.7\n%%EOF".to_vec())
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(s.total(&s.editor, &list).await, 3);
}

/// Amounts at the full 14+2 digits come back exactly, one by one, in the
/// list, sorted, and summed in the overview.
async fn money_keeps_every_digit(app: TestApp) {
    let s = setup(app).await;
    // A fixed pseudo-random sequence (xorshift), so a failure repeats.
    let mut state: u64 = 0x5eed_cafe_f00d_beef;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut amounts = vec![
        "99999999999999.99".to_owned(),
        "0.01".to_owned(),
        "0.00".to_owned(),
        "12345678901234.56".to_owned(),
        "10000000000000.10".to_owned(),
    ];
    for _ in 0..60 {
        let ore = next() % 10_000_000_000_000_000;
        amounts.push(format!("{}.{:02}", ore / 100, ore % 100));
    }

    let mut created = Vec::new();
    for (i, amount) in amounts.iter().enumerate() {
        let body = json!({
            "title": format!("Beløb {i:02}"),
            "supplier_id": s.supplier_id,
            "start_on": "2024-01-01",
            "annual_value": amount,
            "total_value": amount,
        });
        let contract = expect_json(
            s.post(&s.editor, "/contracts", body).await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(contract["annual_value"], json!(amount), "created {i}");
        created.push(contract["id"].as_str().unwrap().to_owned());
    }
    let mut changed = 0;
    for (id, amount) in created.iter().zip(&amounts) {
        let read = expect_json(
            s.get(&s.editor, &format!("/contracts/{id}")).await,
            StatusCode::OK,
        )
        .await;
        if read["annual_value"] != json!(amount) || read["total_value"] != json!(amount) {
            changed += 1;
            eprintln!(
                "{amount} came back as {} / {}",
                read["annual_value"], read["total_value"]
            );
        }
    }
    assert_eq!(changed, 0, "of {} amounts", amounts.len());

    // Sorted by value, exactly, on both databases.
    let listed = expect_json(
        s.get(
            &s.editor,
            "/contracts?sort=-annual_value&page_size=200&q=bel%C3%B8b",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let listed: Vec<Decimal> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["annual_value"].as_str().unwrap().parse().unwrap())
        .collect();
    let mut expected: Vec<Decimal> = amounts.iter().map(|a| a.parse().unwrap()).collect();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(listed, expected);

    // The overview sums them, to the øre.
    let overview = expect_json(s.get(&s.editor, "/overview").await, StatusCode::OK).await;
    let sum: Decimal = expected.iter().sum();
    let kmd = overview["spend_by_supplier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["label"] == "KMD A/S")
        .cloned()
        .unwrap();
    assert_eq!(
        kmd["annual_value"],
        json!(format!("{sum:.2}")),
        "{overview}"
    );

    // Negative amounts and a fifteenth digit are refused.
    for amount in ["-1.00", "100000000000000.00", "0.001"] {
        let response = s
            .post(
                &s.editor,
                "/contracts",
                json!({"title": "Forkert", "supplier_id": s.supplier_id, "start_on": "2024-01-01", "annual_value": amount}),
            )
            .await;
        assert!(
            response.status().is_client_error(),
            "{amount}: {}",
            response.status()
        );
    }
    assert_eq!(
        s.total(&s.editor, "/contracts").await,
        amounts.len() as u64 + 1
    );
}
