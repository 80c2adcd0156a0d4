//! A municipality's archive: export and import times and peak memory.
//!
//!     cargo build --release --bin samudbud
//!     cargo run --release -p samudbud-api-tests --bin archive-bench -- [CONTRACTS] [MIB_OF_ATTACHMENTS]
//!
//! Seeds a fresh SQLite database with one municipality of CONTRACTS
//! contracts (default 1,000) and MIB_OF_ATTACHMENTS MiB of attachments
//! (default 1,024, spread evenly over the contracts), then runs
//! `samudbud tenant export` on it and `samudbud tenant import` of the
//! archive into a second, fresh database, each as a process of its own
//! (`target/release/samudbud`, or `SAMUDBUD_BIN`), and prints each one's
//! time and peak resident memory (`VmHWM` of /proc/PID/status, sampled
//! until it exits). Exporting the imported municipality again must give
//! the same archive, which the bench checks byte for byte.

#![allow(clippy::unwrap_used)] // a benchmark that cannot run should stop loudly

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use samudbud_domain::contracts::ContractInput;
use samudbud_domain::contracts::attachments;
use samudbud_domain::contracts::import::import_contracts;
use samudbud_domain::principal::Principal;
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_domain::users::{self, NewUser};
use samudbud_domain::{Role, TenantId, suppliers};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

fn peak_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// Runs `samudbud ARGS` on the data directory `dir`: (seconds, peak MiB).
fn run(bin: &str, dir: &Path, args: &[&str]) -> (f64, f64) {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .env("SAMUDBUD_DATA_DIR", dir)
        .env_remove("SAMUDBUD_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut peak = 0.0f64;
    loop {
        if let Some(mib) = peak_mib(child.id()) {
            peak = peak.max(mib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "samudbud {args:?} failed");
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (started.elapsed().as_secs_f64(), peak)
}

async fn seed(dir: &Path, contracts: usize, mib: usize) {
    let url = format!("sqlite://{}?mode=rwc", dir.join("samudbud.db").display());
    let db = samudbud_server::app::connect_and_migrate_roles(&url, None)
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
    let email = "redaktoer@bench.dk";
    let user = users::create_user_in(
        &db,
        &Principal::Console,
        tenant,
        NewUser {
            email: email.into(),
            name: "Redaktør".into(),
            role: Role::Editor,
            password: "Korrekt-hest-batteri-42".into(),
        },
    )
    .await
    .unwrap();
    let editor = Principal::User {
        user_id: user.id,
        tenant_id: tenant,
        role: Role::Editor,
        email: email.into(),
    };
    let cvr = samudbud_domain::values::Cvr::parse("cvr", "18957981").unwrap();
    let txn = db.write(samudbud_domain::Scope::System).await.unwrap();
    let supplier = suppliers::register_in(&txn, &cvr, "Leverandør A/S")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let rows: Vec<ContractInput> = (0..contracts)
        .map(|n| ContractInput {
            title: format!("Kontrakt nr. {n} om drift af fagsystemet"),
            reference: Some(format!("K-{n:06}")),
            supplier_id: Some(supplier.id),
            start_on: Some(start),
            ..Default::default()
        })
        .collect();
    import_contracts(&db, &editor, rows)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let ids: Vec<uuid::Uuid> = db
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id FROM contracts ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("", "id").unwrap())
        .collect();
    let each = mib * 1024 * 1024 / contracts.max(1);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for (n, id) in ids.iter().enumerate() {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.reserve(each);
        while bytes.len() < each {
            // xorshift: bytes that do not compress, as scanned PDFs do not.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.extend_from_slice(&state.to_le_bytes());
        }
        bytes.truncate(each.max(16).saturating_sub(7));
        bytes.extend_from_slice(b"\n%%EOF\n");
        attachments::upload(&db, &editor, *id, &format!("bilag-{n}.pdf"), bytes)
            .await
            .unwrap();
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let contracts: usize = args.next().map_or(1_000, |a| a.parse().unwrap());
    let mib: usize = args.next().map_or(1_024, |a| a.parse().unwrap());
    let bin = std::env::var("SAMUDBUD_BIN").unwrap_or_else(|_| "target/release/samudbud".into());
    let source = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let seeding = Instant::now();
    seed(source.path(), contracts, mib).await;
    println!(
        "seeded {contracts} contracts and {mib} MiB of attachments in {:.0} s",
        seeding.elapsed().as_secs_f64()
    );
    let first = source.path().join("first.zip");
    let second = source.path().join("second.zip");
    let first_arg = first.to_str().unwrap();
    let (secs, peak) = run(
        &bin,
        source.path(),
        &["tenant", "export", "--code", "101", first_arg],
    );
    let size = std::fs::metadata(&first).unwrap().len() as f64 / 1024.0 / 1024.0;
    println!("export: {secs:.1} s, {size:.0} MiB archive, peak memory {peak:.0} MiB");
    let (secs, peak) = run(&bin, target.path(), &["tenant", "import", first_arg]);
    println!("import: {secs:.1} s, peak memory {peak:.0} MiB");
    let (secs, peak) = run(
        &bin,
        target.path(),
        &[
            "tenant",
            "export",
            "--code",
            "101",
            second.to_str().unwrap(),
        ],
    );
    println!("export of the imported copy: {secs:.1} s, peak memory {peak:.0} MiB");
    let same = std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap();
    println!(
        "the two archives are {}",
        if same { "identical" } else { "DIFFERENT" }
    );
    assert!(same);
}
