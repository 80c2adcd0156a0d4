//! Contract import times for a large register file, over HTTP against the
//! real server, from the upload to the finished import.
//!
//!     cargo run --release -p samudbud-api-tests --bin import-bench -- [ROWS]
//!
//! Writes a register of ROWS contracts (default 10,000) as XLSX and as CSV,
//! with 40 suppliers (half of them new to the catalogue, registered by the
//! import) and 60 IT systems (created by the import), and imports each into
//! its own municipality, all or nothing; prints the file sizes and the time
//! of a dry run and of the import, and the peak resident memory so far of
//! this process, which runs the server (and holds the generated files).
//! SQLite by default; PostgreSQL with SAMUDBUD_TEST_POSTGRES_URL.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use reqwest::Method;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use samudbud_api_tests::{Backend, TestApp};
use samudbud_domain::Role;
use serde_json::{Value, json};

const HEADERS: [&str; 14] = [
    "Titel",
    "Referencenummer",
    "Leverandør CVR",
    "Leverandør",
    "IT-systemer",
    "Kategori",
    "Aftaleelementer",
    "Årlig værdi (kr.)",
    "Startdato",
    "Slutdato",
    "Opsigelsesvarsel (måneder)",
    "Opsigelse til udgangen af",
    "Kritikalitet",
    "Hovedkontrakt (referencenummer)",
];

fn cvr(n: u32) -> String {
    let mut seven = 4_000_000 + n * 7_919;
    loop {
        let digits = seven.to_string();
        let sum: u32 = digits
            .bytes()
            .zip([2, 7, 6, 5, 4, 3, 2])
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            return format!("{digits}{check}");
        }
        seven += 1;
    }
}

struct Row {
    cells: Vec<String>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    value: f64,
}

fn rows(count: usize) -> Vec<Row> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    (0..count)
        .map(|n| {
            let supplier = n % 40;
            let begins = start.checked_add_days(Days::new((n % 700) as u64)).unwrap();
            Row {
                cells: vec![
                    format!(
                        "{} nr. {n}",
                        ["Drift", "Licens", "Support", "Hosting"][n % 4]
                    ),
                    format!("IMP-{n:05}"),
                    cvr(supplier as u32),
                    format!("Leverandør {supplier} A/S"),
                    format!("System {}; System {}", n % 60, (n + 7) % 60),
                    ["Økonomi", "Skole", "Omsorg"][n % 3].to_owned(),
                    ["Licens; Drift", "Support", "Hosting; Vedligehold"][n % 3].to_owned(),
                    String::new(),
                    String::new(),
                    String::new(),
                    ["3", "6", "12"][n % 3].to_owned(),
                    [
                        "Enhver dag",
                        "Udgangen af en måned",
                        "Udgangen af et kvartal",
                    ][n % 3]
                        .to_owned(),
                    ["Lav", "Normal", "Høj"][n % 3].to_owned(),
                    // Every tenth contract is a supplement to the one before.
                    if n % 10 == 9 {
                        format!("IMP-{:05}", n - 1)
                    } else {
                        String::new()
                    },
                ],
                start: begins,
                end: (n % 5 != 0).then(|| begins.checked_add_days(Days::new(1_000)).unwrap()),
                value: 10_000.0 + ((n * 7_919) % 2_000_000) as f64 + 0.25,
            }
        })
        .collect()
}

fn xlsx(rows: &[Row]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let excel = |d: NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).unwrap()
    };
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r, c as u16, cell).unwrap();
            }
        }
        sheet.write_number(r, 7, row.value).unwrap();
        sheet
            .write_datetime_with_format(r, 8, excel(row.start), &date)
            .unwrap();
        if let Some(end) = row.end {
            sheet
                .write_datetime_with_format(r, 9, excel(end), &date)
                .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn csv(rows: &[Row]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    writer.write_record(HEADERS).unwrap();
    for row in rows {
        let mut cells = row.cells.clone();
        cells[7] = format!("{:.2}", row.value).replace('.', ",");
        cells[8] = row.start.format("%d-%m-%Y").to_string();
        cells[9] = row
            .end
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_default();
        writer.write_record(&cells).unwrap();
    }
    writer.into_inner().unwrap()
}

async fn import(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
    mode: &str,
) -> (Duration, Value) {
    let started = Instant::now();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
        .text("options", json!({"mode": mode}).to_string());
    let response = app
        .request(Method::POST, "/api/v1/contracts/imports", Some(token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    loop {
        let import: Value = app
            .request(
                Method::GET,
                &format!("/api/v1/contracts/imports/{id}"),
                Some(token),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if import["state"] == "done" || import["state"] == "failed" {
            return (started.elapsed(), import);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The peak resident memory of this process (the server runs in it), MiB.
fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let backend = if samudbud_api_tests::postgres_url().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    // The server's own upload limit (25 MiB), not the tests' small one.
    let app = TestApp::start_with(backend, |settings| {
        settings.body_limit_bytes = 25 * 1024 * 1024;
    })
    .await
    .unwrap();
    // Half of the suppliers are in the catalogue already.
    for n in 0..20u32 {
        let cvr = samudbud_domain::values::Cvr::parse("cvr", &cvr(n)).unwrap();
        let txn = app.db.write(samudbud_domain::Scope::System).await.unwrap();
        samudbud_domain::suppliers::register_in(&txn, &cvr, &format!("Leverandør {n} A/S"))
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
    let rows = rows(count);
    println!("import-bench: {backend:?}, {count} rows");
    for (index, (name, bytes)) in [("bench.xlsx", xlsx(&rows)), ("bench.csv", csv(&rows))]
        .into_iter()
        .enumerate()
    {
        let tenant = app
            .create_tenant(
                &format!("Import Kommune {index}"),
                &format!("{}", 101 + index),
            )
            .await;
        let email = format!("redaktoer{index}@import.dk");
        app.create_user(tenant, &email, Role::Editor).await;
        let token = app.token(&email).await;
        let size = bytes.len();
        let (tried, report) = import(&app, &token, name, bytes.clone(), "dry_run").await;
        assert_eq!(
            report["report"]["rows_valid"], count,
            "{}",
            report["report"]["errors"][0]
        );
        let (took, report) = import(&app, &token, name, bytes, "all_or_nothing").await;
        assert_eq!(report["state"], "done", "{report}");
        assert_eq!(
            report["report"]["rows_imported"], count,
            "{}",
            report["report"]["errors"][0]
        );
        println!(
            "  {name:<11} {:>6.2} MB   dry run {:>6.2} s   import {:>6.2} s   peak memory {:>6.0} MiB   ({} suppliers and {} systems created)",
            size as f64 / 1e6,
            tried.as_secs_f64(),
            took.as_secs_f64(),
            peak_memory_mib(),
            report["report"]["created_suppliers"]
                .as_array()
                .unwrap()
                .len(),
            report["report"]["created_systems"]
                .as_array()
                .unwrap()
                .len(),
        );
    }
}
