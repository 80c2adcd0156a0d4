//! Joint tender opportunity times on large registers.
//!
//!     cargo run --release -p samudbud-api-tests --bin opportunities-bench -- [TENANTS] [CONTRACTS] [MEMBERS]
//!
//! Seeds TENANTS municipalities (default 100) with CONTRACTS contracts each
//! (default 1,000; CPV codes, categories and end dates spread so that
//! re-tender starts fall over six years), the way `register-bench` does
//! (all-or-nothing row import), and a collaboration of the first MEMBERS
//! municipalities (default 10) in which each member shares half of its
//! contracts. Then measures `GET /opportunities` at each level and
//! `GET /opportunities/mine` for a member, over HTTP against the real
//! server, and prints median and 95th-percentile times. SQLite by default;
//! PostgreSQL with SAMUDBUD_TEST_POSTGRES_URL.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use reqwest::Method;
use rust_decimal::Decimal;
use samudbud_api_tests::{Backend, TestApp};
use samudbud_domain::contracts::ContractInput;
use samudbud_domain::contracts::import::import_contracts;
use samudbud_domain::db::scoped;
use samudbud_domain::entities::contract;
use samudbud_domain::principal::Principal;
use samudbud_domain::{Role, Scope, TenantId, collaborations, shares, suppliers};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// CPV codes (with their check digits) the contracts are spread over.
const CPV: [&str; 12] = [
    "48311000-1",
    "48180000-3",
    "48443000-5",
    "48450000-7",
    "48190000-6",
    "48000000-8",
    "72510000-3",
    "32400000-7",
    "72000000-5",
    "32500000-8",
    "72250000-2",
    "72251000-9",
];

const CATEGORIES: [&str; 8] = [
    "Sagsbehandling",
    "Sundhed og omsorg",
    "Økonomi",
    "Løn og HR",
    "Skole og dagtilbud",
    "Infrastruktur",
    "Borgerservice",
    "Licenser",
];

/// The window measured: from this day, 18 months.
const FROM: &str = "2027-01-01";

async fn seed_tenant(
    app: &TestApp,
    index: usize,
    contracts: usize,
    supplier_ids: &[Uuid],
) -> (Principal, String) {
    let code = format!("{}", 101 + index);
    let tenant = app
        .create_tenant(&format!("Bench Kommune {index}"), &code)
        .await;
    let email = format!("admin{index}@bench.dk");
    let user_id = app.create_user(tenant, &email, Role::Admin).await;
    let admin = Principal::User {
        user_id,
        tenant_id: tenant,
        role: Role::Admin,
        email: email.clone(),
    };
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let rows: Vec<ContractInput> = (0..contracts)
        .map(|n| {
            let spread = n * 7 + index * 13;
            ContractInput {
                title: format!("{} nr. {n}", CATEGORIES[n % CATEGORIES.len()]),
                reference: Some(format!("K-{n:04}")),
                supplier_id: Some(supplier_ids[n % supplier_ids.len()]),
                category: Some(CATEGORIES[(n / 3) % CATEGORIES.len()].into()),
                cpv_code: Some(CPV[spread % CPV.len()].into()),
                annual_value: Some(Decimal::from(10_000 + (n as i64 * 7_919) % 2_000_000)),
                total_value: Some(Decimal::from(40_000 + (n as i64 * 31_667) % 8_000_000)),
                start_on: Some(start),
                // Ends from 2025 to 2031: re-tender starts 18 months earlier.
                end_on: Some(
                    start
                        .checked_add_days(Days::new(1_100 + (spread as u64 * 37) % 2_200))
                        .unwrap(),
                ),
                notice_period_months: Some(6),
                retender_lead_months: Some(12),
                ..Default::default()
            }
        })
        .collect();
    import_contracts(&app.db, &admin, rows)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    (admin, email)
}

/// Shares every other contract of `owner` with `collaboration`.
async fn share_half(app: &TestApp, owner: &Principal, collaboration: Uuid) -> usize {
    let tenant: TenantId = owner.tenant_id().unwrap();
    let txn = app.db.write(Scope::Tenant(tenant)).await.unwrap();
    let ids: Vec<Uuid> = scoped::<contract::Entity>(tenant)
        .filter(contract::Column::ArchivedAt.is_null())
        .order_by_asc(contract::Column::Reference)
        .select_only()
        .column(contract::Column::Id)
        .into_tuple()
        .all(&txn)
        .await
        .unwrap();
    let mut shared = 0;
    for id in ids.iter().step_by(2) {
        shares::share_object(&txn, tenant, "contract", *id, collaboration, None)
            .await
            .unwrap();
        shared += 1;
    }
    txn.commit().await.unwrap();
    shared
}

async fn measure(app: &TestApp, token: &str, path: &str) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for round in 0..35 {
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
        let body = response.bytes().await.unwrap();
        if round >= 5 {
            times.push(started.elapsed());
        }
        size = body.len();
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100], size)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let tenants: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let contracts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let members: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10)
        .clamp(2, tenants.max(2));
    let backend = if samudbud_api_tests::postgres_url().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let app = TestApp::start(backend).await.unwrap();
    println!(
        "opportunities-bench: {backend:?}, {tenants} municipalities × {contracts} contracts, \
         a collaboration of {members} sharing half of theirs"
    );

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
        let txn = app.db.write(Scope::System).await.unwrap();
        let supplier = suppliers::register_in(&txn, &cvr, &format!("Leverandør {n} A/S"))
            .await
            .unwrap();
        txn.commit().await.unwrap();
        supplier_ids.push(supplier.id);
    }

    let seeding = Instant::now();
    let mut admins = Vec::new();
    for index in 0..tenants {
        let (admin, email) = seed_tenant(&app, index, contracts, &supplier_ids).await;
        if index < members {
            admins.push((admin, email));
        }
        if index % 10 == 9 {
            println!(
                "  seeded {} municipalities ({:.0} s)",
                index + 1,
                seeding.elapsed().as_secs_f64()
            );
        }
    }
    let coordinator = &admins[0].0;
    let collaboration =
        collaborations::create_collaboration(&app.db, coordinator, "Bench-samarbejdet", None)
            .await
            .unwrap();
    for (index, (admin, _)) in admins.iter().enumerate().skip(1) {
        collaborations::invite(
            &app.db,
            coordinator,
            collaboration.id,
            &format!("{}", 101 + index),
        )
        .await
        .unwrap();
        collaborations::respond(&app.db, admin, collaboration.id, true)
            .await
            .unwrap();
    }
    let mut shared = 0;
    for (admin, _) in &admins {
        shared += share_half(&app, admin, collaboration.id).await;
    }
    println!(
        "seeded {} contracts and {shared} shares in {:.0} s",
        tenants * contracts,
        seeding.elapsed().as_secs_f64()
    );

    let token = app.token(&admins[1].1).await;
    let base = format!(
        "/api/v1/opportunities?collaboration_id={}&from={FROM}",
        collaboration.id
    );
    let requests = [
        ("group (5 digits), 18 months", base.clone()),
        ("class (4 digits), 18 months", format!("{base}&level=class")),
        (
            "division (2 digits), 18 months",
            format!("{base}&level=division"),
        ),
        ("category, 18 months", format!("{base}&level=category")),
        ("group, 60 months", format!("{base}&window_months=60")),
        (
            "mine, 18 months",
            format!("/api/v1/opportunities/mine?from={FROM}"),
        ),
    ];
    println!();
    println!(
        "{:<34} {:>24} {:>12}",
        "GET /opportunities (a member)", "median / p95", "response"
    );
    for (name, path) in &requests {
        let (median, p95, size) = measure(&app, &token, path).await;
        println!(
            "{name:<34} {:>10.1} / {:>7.1} ms {:>9} kB",
            ms(median),
            ms(p95),
            size / 1024
        );
    }
}
