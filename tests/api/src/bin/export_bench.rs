//! Export times and the server's peak memory on a large register.
//!
//!     cargo build --release --bin samudbud
//!     cargo run --release -p samudbud-api-tests --bin export-bench -- [CONTRACTS]
//!
//! Seeds a fresh SQLite database with one municipality of CONTRACTS
//! contracts (default 100,000; every other one publishable), starts the
//! release server (`target/release/samudbud`, or `SAMUDBUD_BIN`) on it as a
//! process of its own, downloads the register as XLSX, CSV and OCDS over
//! HTTP, and prints each download's time and size and the server's peak
//! resident memory (`VmHWM` of /proc/PID/status) before and after.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use samudbud_domain::contracts::ContractInput;
use samudbud_domain::contracts::import::import_contracts;
use samudbud_domain::principal::Principal;
use samudbud_domain::systems::{SystemInput, create_system};
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_domain::users::{self, NewUser};
use samudbud_domain::{Role, TenantId, suppliers};
use serde_json::{Value, json};

const PASSWORD: &str = "Korrekt-hest-batteri-42";
const EMAIL: &str = "redaktoer@bench.dk";

/// Peak and current resident memory of a process, in MiB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

async fn seed(url: &str, contracts: usize) {
    let db = samudbud_server::app::connect_and_migrate_roles(url, None)
        .await
        .unwrap();
    let tenant = tenants::create_tenant(
        &db,
        &Principal::Console,
        NewTenant {
            name: "Bench Kommune".into(),
            municipality_code: "101".into(),
            cvr: Some("29189919".into()),
        },
    )
    .await
    .unwrap();
    let tenant = TenantId(tenant.id);
    let user = users::create_user_in(
        &db,
        &Principal::Console,
        tenant,
        NewUser {
            email: EMAIL.into(),
            name: "Redaktør".into(),
            role: Role::Editor,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let editor = Principal::User {
        user_id: user.id,
        tenant_id: tenant,
        role: Role::Editor,
        email: EMAIL.into(),
    };
    let cvr = samudbud_domain::values::Cvr::parse("cvr", "18957981").unwrap();
    let txn = db.write(samudbud_domain::Scope::System).await.unwrap();
    let supplier = suppliers::register_in(&txn, &cvr, "Leverandør A/S")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let mut systems = Vec::new();
    for word in ["ESDH", "Økonomi", "Løn", "Omsorg"] {
        let input = SystemInput {
            name: format!("{word}system"),
            ..Default::default()
        };
        systems.push(create_system(&db, &editor, input).await.unwrap().id);
    }
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let seeding = Instant::now();
    for chunk in (0..contracts).collect::<Vec<_>>().chunks(5_000) {
        let rows: Vec<ContractInput> = chunk
            .iter()
            .map(|&n| ContractInput {
                title: format!("Kontrakt nr. {n} om drift og vedligehold af fagsystemet"),
                reference: Some(format!("K-{n:06}")),
                description: Some("Drift, vedligehold, support og videreudvikling.".into()),
                supplier_id: Some(supplier.id),
                system_ids: vec![systems[n % systems.len()]],
                category: Some("Fagsystem".into()),
                cpv_code: Some("48000000-8".into()),
                agreement_elements: vec!["licence".into(), "operation".into()],
                procedure: Some("open".into()),
                annual_value: Some(Decimal::new(123_456_789 + n as i64, 2)),
                total_value: Some(Decimal::new(493_827_156 + n as i64, 2)),
                start_on: Some(start),
                end_on: start.checked_add_days(Days::new(400 + (n as u64 * 37) % 2500)),
                notice_period_months: Some(6),
                system_owner: Some("Digitalisering og IT".into()),
                publishable: n % 2 == 0,
                ..Default::default()
            })
            .collect();
        import_contracts(&db, &editor, rows)
            .await
            .map_err(|e| format!("{e:?}"))
            .unwrap();
    }
    println!(
        "seeded {contracts} contracts in {:.0} s",
        seeding.elapsed().as_secs_f64()
    );
}

fn start_server(bin: &str, dir: &std::path::Path, url: &str, port: u16) -> Child {
    Command::new(bin)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("SAMUDBUD_DATABASE_URL", url)
        .env("SAMUDBUD_DATA_DIR", dir)
        .env(
            "SAMUDBUD_JWT_SECRET",
            "a benchmark secret that is long enough",
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin}: {e} (build it: cargo build --release --bin samudbud)"))
}

#[tokio::main]
async fn main() {
    let contracts: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let bin = std::env::var("SAMUDBUD_BIN").unwrap_or_else(|_| "target/release/samudbud".into());
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    seed(&url, contracts).await;

    let port = 20_000 + (std::process::id() % 10_000) as u16;
    let mut server = start_server(&bin, dir.path(), &url, port);
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let mut token = None;
    for _ in 0..100 {
        if let Ok(response) = client
            .post(format!("{base}/auth/login"))
            .json(&json!({"email": EMAIL, "password": PASSWORD}))
            .send()
            .await
        {
            let body: Value = response.json().await.unwrap();
            token = body["access_token"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token.expect("the server answers a login");
    let (peak, rss) = memory(server.id());
    println!(
        "export-bench: {contracts} contracts; server started: peak {peak:.0} MiB, now {rss:.0} MiB"
    );
    for format in ["xlsx", "csv", "ocds"] {
        let started = Instant::now();
        let mut response = client
            .get(format!("{base}/contracts/export?format={format}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        let first = started.elapsed();
        let mut bytes = 0usize;
        while let Some(chunk) = response.chunk().await.unwrap() {
            bytes += chunk.len();
        }
        let (peak, rss) = memory(server.id());
        println!(
            "  {format:<4}: {:>6.1} s ({:.2} s to the first byte), {:>6.1} MiB; server peak {peak:.0} MiB, now {rss:.0} MiB",
            started.elapsed().as_secs_f64(),
            first.as_secs_f64(),
            bytes as f64 / 1_048_576.0,
        );
    }
    server.kill().ok();
    server.wait().ok();
}
