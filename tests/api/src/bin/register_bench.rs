//! Contract-register list and search times on a large register.
//!
//!     cargo run --release -p samudbud-api-tests --bin register-bench -- [TENANTS] [CONTRACTS]
//!
//! Seeds one municipality with CONTRACTS contracts (default 1,000) and
//! measures list and search requests against the real server over HTTP;
//! then seeds TENANTS − 1 more municipalities of the same size (default
//! 100 in all) and measures the same requests for the first municipality
//! again. Prints median and 95th-percentile times and the ratio between the
//! two rounds, which shows what the other municipalities' data costs one
//! municipality. SQLite by default; PostgreSQL with
//! SAMUDBUD_TEST_POSTGRES_URL.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use reqwest::Method;
use rust_decimal::Decimal;
use samudbud_api_tests::{Backend, TestApp};
use samudbud_domain::contracts::ContractInput;
use samudbud_domain::contracts::import::import_contracts;
use samudbud_domain::principal::Principal;
use samudbud_domain::systems::{SystemInput, create_system};
use samudbud_domain::{Role, TenantId, suppliers};

const QUERIES: [(&str, &str); 7] = [
    ("first page, by title", "/api/v1/contracts"),
    (
        "200 rows, by notice deadline",
        "/api/v1/contracts?page_size=200&sort=-notice_deadline",
    ),
    ("search, common word", "/api/v1/contracts?q=drift"),
    ("search, rare word", "/api/v1/contracts?q=K-0777"),
    (
        "filter status + criticality",
        "/api/v1/contracts?status=active&criticality=high",
    ),
    (
        "notice within 90 days",
        "/api/v1/contracts?notice_within_days=90",
    ),
    ("sort by supplier", "/api/v1/contracts?sort=supplier"),
];

const WORDS: [&str; 8] = [
    "ESDH",
    "Omsorg",
    "Økonomi",
    "Løn",
    "Skole",
    "Jobcenter",
    "Drift",
    "Licens",
];

async fn seed_tenant(
    app: &TestApp,
    index: usize,
    contracts: usize,
    supplier_ids: &[uuid::Uuid],
) -> (TenantId, String) {
    let code = format!("{}", 101 + index);
    let tenant = app
        .create_tenant(&format!("Bench Kommune {index}"), &code)
        .await;
    let email = format!("redaktoer{index}@bench.dk");
    let user_id = app.create_user(tenant, &email, Role::Editor).await;
    let editor = Principal::User {
        user_id,
        tenant_id: tenant,
        role: Role::Editor,
        email: email.clone(),
    };
    let mut systems = Vec::new();
    for word in WORDS {
        let input = SystemInput {
            name: format!("{word}system"),
            ..Default::default()
        };
        systems.push(create_system(&app.db, &editor, input).await.unwrap().id);
    }
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let rows: Vec<ContractInput> = (0..contracts)
        .map(|n| ContractInput {
            title: format!(
                "{} {} nr. {n}",
                WORDS[n % WORDS.len()],
                ["kontrakt", "drift", "licens", "support"][n % 4]
            ),
            reference: Some(format!("K-{n:04}")),
            supplier_id: Some(supplier_ids[n % supplier_ids.len()]),
            system_ids: vec![systems[n % systems.len()]],
            annual_value: Some(Decimal::from(10_000 + (n as i64 * 7_919) % 2_000_000)),
            start_on: Some(start),
            end_on: (n % 5 != 0).then(|| {
                start
                    .checked_add_days(Days::new(400 + (n as u64 * 37) % 2500))
                    .unwrap()
            }),
            notice_period_months: Some([3, 6, 12][n % 3]),
            notice_to: Some(["none", "month", "quarter"][n % 3].into()),
            criticality: Some(["low", "normal", "high"][n % 3].into()),
            ..Default::default()
        })
        .collect();
    import_contracts(&app.db, &editor, rows)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    (tenant, email)
}

async fn measure(app: &TestApp, token: &str) -> Vec<(Duration, Duration)> {
    let mut results = Vec::new();
    for (_, path) in QUERIES {
        let mut times = Vec::new();
        for round in 0..45 {
            let started = Instant::now();
            let response = app
                .request(Method::GET, path, Some(token))
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.bytes().await.unwrap();
            if round >= 5 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        results.push((times[times.len() / 2], times[times.len() * 95 / 100]));
    }
    results
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let tenants: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let contracts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let backend = if samudbud_api_tests::postgres_url().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let app = TestApp::start(backend).await.unwrap();
    println!("register-bench: {backend:?}, {tenants} municipalities × {contracts} contracts");

    let mut supplier_ids = Vec::new();
    for n in 0..40u32 {
        // Valid CVR numbers: seven digits and the modulus-11 check digit.
        let seven = format!("{}", 3_000_000 + n * 1_013);
        let weights = [2, 7, 6, 5, 4, 3, 2];
        let sum: u32 = seven
            .bytes()
            .zip(weights)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let check = (11 - sum % 11) % 11;
        if check == 10 {
            continue;
        }
        let cvr = samudbud_domain::values::Cvr::parse("cvr", &format!("{seven}{check}")).unwrap();
        let txn = app.db.write(samudbud_domain::Scope::System).await.unwrap();
        let supplier = suppliers::register_in(&txn, &cvr, &format!("Leverandør {n} A/S"))
            .await
            .unwrap();
        txn.commit().await.unwrap();
        supplier_ids.push(supplier.id);
    }

    let seeding = Instant::now();
    let (_, email) = seed_tenant(&app, 0, contracts, &supplier_ids).await;
    let token = app.token(&email).await;
    let alone = measure(&app, &token).await;
    for index in 1..tenants {
        seed_tenant(&app, index, contracts, &supplier_ids).await;
        if index % 10 == 0 {
            println!(
                "  seeded {index} municipalities ({:.0} s)",
                seeding.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "seeded {} contracts in {:.0} s",
        tenants * contracts,
        seeding.elapsed().as_secs_f64()
    );
    let token = app.token(&email).await;
    let crowded = measure(&app, &token).await;

    println!();
    println!(
        "{:<32} {:>22} {:>22} {:>8}",
        "request (one municipality)", "alone: median / p95", "among all: median / p95", "ratio"
    );
    for (((name, _), (a_med, a_p95)), (c_med, c_p95)) in QUERIES.iter().zip(&alone).zip(&crowded) {
        println!(
            "{name:<32} {:>10.1} / {:>6.1} ms {:>12.1} / {:>6.1} ms {:>8.2}",
            ms(*a_med),
            ms(*a_p95),
            ms(*c_med),
            ms(*c_p95),
            c_med.as_secs_f64() / a_med.as_secs_f64()
        );
    }
}
