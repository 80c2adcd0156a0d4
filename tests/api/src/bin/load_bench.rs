//! The contract register under concurrent load, against a bare endpoint
//! measured in the same run.
//!
//!     cargo build --release --workspace --bins
//!     SAMUDBUD_TEST_POSTGRES_URL=… SAMUDBUD_TEST_POSTGRES_APP_URL=… \
//!       target/release/load-bench [--connections 64] [--seconds 10] \
//!       [--tenants 100] [--contracts 1000] [--server target/release/samudbud] \
//!       [--warm-up 2] [--only LABEL] [--keep] [--reuse]
//!
//! Seeds TENANTS municipalities × CONTRACTS contracts (bulk inserts through
//! the import), starts the server binary as its own process on that
//! database (PostgreSQL with the application role, so row-level security
//! is on, when the variables are set; a SQLite file otherwise), logs one
//! editor in per municipality, and drives each request type in turn with
//! CONNECTIONS concurrent connections for SECONDS seconds, after WARM-UP
//! seconds of the same requests that are not counted (the first answers of
//! each type are not kept yet: their p99 is printed as "warm-up p99", so
//! that the cold start shows as well). Before and after
//! the register's requests it drives a bare poem-openapi endpoint — this
//! binary started again as a separate process — that returns a 50-item
//! JSON page without a database: the ceiling of the stack on this machine.
//! Prints requests per second, p50/p95/p99, errors per request type, the
//! share of the bare endpoint's rate, the CPU time each request cost the
//! server process (and, on PostgreSQL, the database's processes on this
//! machine) and the server's resident memory. CPU per request varies less
//! than the rate on a shared machine, so it is the figure to compare two
//! builds by. The
//! PostgreSQL database `samudbud_load_bench` is dropped at the end unless
//! `--keep` is given (then the next run with `--reuse` skips seeding).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot run should stop loudly
#![allow(clippy::disallowed_methods)] // it reads ids across municipalities to drive requests

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, OpenApiService};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use samudbud_domain::contracts::ContractInput;
use samudbud_domain::contracts::import::import_contracts;
use samudbud_domain::entities::contract;
use samudbud_domain::principal::Principal;
use samudbud_domain::systems::{SystemInput, create_system};
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_domain::users::{self, NewUser};
use samudbud_domain::{Db, Role, Scope, TenantId, suppliers};
use samudbud_server::app::connect_and_migrate_roles;
use sea_orm::{ConnectionTrait, Database, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

const PASSWORD: &str = "Korrekt-hest-batteri-42";
const DATABASE: &str = "samudbud_load_bench";

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

// ---------------------------------------------------------------- bare ---

/// One row of the bare endpoint's page, shaped like a short contract.
#[derive(Object, Clone)]
struct BareItem {
    id: Uuid,
    title: String,
    reference: String,
    supplier: String,
    status: String,
    start_on: NaiveDate,
    end_on: Option<NaiveDate>,
    notice_deadline: Option<NaiveDate>,
    annual_value: String,
    version: i32,
}

#[derive(Object, Clone)]
struct BarePage {
    items: Vec<BareItem>,
    total: u64,
    page: u64,
    page_size: u64,
}

struct BareApi {
    page: BarePage,
}

#[OpenApi]
impl BareApi {
    /// A fixed 50-item page, no database: the stack's ceiling.
    #[oai(path = "/page", method = "get", operation_id = "barePage")]
    async fn page(&self) -> Json<BarePage> {
        Json(self.page.clone())
    }
}

async fn serve_bare(addr: SocketAddr) {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let items = (0..50)
        .map(|n| BareItem {
            id: Uuid::new_v4(),
            title: format!("{} drift nr. {n}", WORDS[n % WORDS.len()]),
            reference: format!("K-{n:04}"),
            supplier: format!("Leverandør {n} A/S"),
            status: "active".into(),
            start_on: start,
            end_on: start.checked_add_days(Days::new(400 + n as u64)),
            notice_deadline: start.checked_add_days(Days::new(300 + n as u64)),
            annual_value: format!("{}.00", 10_000 + n * 7_919),
            version: 1,
        })
        .collect();
    let api = OpenApiService::new(
        BareApi {
            page: BarePage {
                items,
                total: 1000,
                page: 1,
                page_size: 50,
            },
        },
        "bare",
        "1",
    );
    poem::Server::new(poem::listener::TcpListener::bind(addr))
        .run(poem::Route::new().nest("/api", api))
        .await
        .unwrap();
}

// ------------------------------------------------------------- seeding ---

fn valid_cvr(n: u32) -> Option<String> {
    let seven = format!("{}", 3_000_000 + n * 1_013);
    let weights = [2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = seven
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    (check != 10).then(|| format!("{seven}{check}"))
}

fn email(index: usize) -> String {
    format!("redaktoer{index}@bench.dk")
}

async fn seed_tenant(db: &Db, index: usize, contracts: usize, supplier_ids: &[Uuid]) {
    let tenant = tenants::create_tenant(
        db,
        &Principal::Console,
        NewTenant {
            name: format!("Bench Kommune {index}"),
            municipality_code: format!("{}", 101 + index),
            cvr: None,
        },
    )
    .await
    .unwrap();
    let tenant = TenantId(tenant.id);
    let user_id = users::create_user_in(
        db,
        &Principal::Console,
        tenant,
        NewUser {
            email: email(index),
            name: format!("Redaktør {index}"),
            role: Role::Editor,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
    .id;
    let editor = Principal::User {
        user_id,
        tenant_id: tenant,
        role: Role::Editor,
        email: email(index),
    };
    let mut systems = Vec::new();
    for word in WORDS {
        let input = SystemInput {
            name: format!("{word}system"),
            ..Default::default()
        };
        systems.push(create_system(db, &editor, input).await.unwrap().id);
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
            supplier_id: Some(supplier_ids[(n + index) % supplier_ids.len()]),
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
            category: Some(WORDS[n % WORDS.len()].into()),
            ..Default::default()
        })
        .collect();
    import_contracts(db, &editor, rows)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
}

async fn seed(db: &Db, tenants: usize, contracts: usize) {
    let started = Instant::now();
    let mut supplier_ids = Vec::new();
    for n in 0..40u32 {
        let Some(cvr) = valid_cvr(n) else { continue };
        let cvr = samudbud_domain::values::Cvr::parse("cvr", &cvr).unwrap();
        let txn = db.write(samudbud_domain::Scope::System).await.unwrap();
        let supplier = suppliers::register_in(&txn, &cvr, &format!("Leverandør {n} A/S"))
            .await
            .unwrap();
        txn.commit().await.unwrap();
        supplier_ids.push(supplier.id);
    }
    let supplier_ids = Arc::new(supplier_ids);
    // A few municipalities at a time: the import is one transaction each.
    let mut next = 0;
    while next < tenants {
        let batch: Vec<_> = (next..(next + 4).min(tenants))
            .map(|index| {
                let db = db.clone();
                let ids = supplier_ids.clone();
                tokio::spawn(async move { seed_tenant(&db, index, contracts, &ids).await })
            })
            .collect();
        for task in batch {
            task.await.unwrap();
        }
        next += 4;
        if next % 20 == 0 {
            eprintln!(
                "  seeded {next} municipalities ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "seeded {} contracts in {:.1} s",
        tenants * contracts,
        started.elapsed().as_secs_f64()
    );
}

// -------------------------------------------------------------- driver ---

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Bare,
    List,
    Search,
    AllBySupplier,
    ById,
    Overview,
    Deadlines,
    Filtered,
    Edit,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Bare => "bare poem-openapi page",
            Kind::List => "GET /contracts (first page)",
            Kind::Search => "GET /contracts?q=drift",
            Kind::AllBySupplier => "GET /contracts?scope=all&sort=supplier",
            Kind::ById => "GET /contracts/{id}",
            Kind::Overview => "GET /overview",
            Kind::Deadlines => "GET /deadlines",
            Kind::Filtered => "GET /contracts?status=…&criticality=…",
            Kind::Edit => "GET + PUT /contracts/{id} (If-Match)",
        }
    }
}

struct Target {
    base: String,
    bare: String,
    /// Per municipality: its editor's token and some of its contract ids.
    tenants: Vec<(String, Vec<Uuid>)>,
    /// How many workers drive requests at once.
    workers: usize,
}

#[derive(Default)]
struct Outcome {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

/// One request of `kind` by worker `worker` on its `n`-th round; `Ok` when
/// the response was what the request expects.
async fn one(
    client: &reqwest::Client,
    target: &Target,
    kind: Kind,
    worker: usize,
    n: usize,
) -> Result<(), String> {
    let (token, ids) = &target.tenants[(worker + n * 7) % target.tenants.len()];
    let get = |path: String| {
        client
            .get(format!("{}{path}", target.base))
            .bearer_auth(token)
    };
    let request = match kind {
        Kind::Bare => client.get(&target.bare),
        Kind::List => get("/api/v1/contracts".into()),
        Kind::Search => get("/api/v1/contracts?q=drift".into()),
        Kind::AllBySupplier => get("/api/v1/contracts?scope=all&sort=supplier".into()),
        Kind::ById => get(format!("/api/v1/contracts/{}", ids[n % ids.len()])),
        Kind::Overview => get("/api/v1/overview".into()),
        Kind::Deadlines => get("/api/v1/deadlines".into()),
        Kind::Filtered => get(format!(
            "/api/v1/contracts?status=active&criticality={}&sort=-notice_deadline",
            ["low", "normal", "high"][n % 3]
        )),
        Kind::Edit => {
            // Each worker edits contracts of its own (the indexes equal to
            // it modulo the number of workers), so edits do not race.
            let slots = (ids.len() / target.workers).max(1);
            let id = ids[(worker + target.workers * (n % slots)) % ids.len()];
            let path = format!("{}/api/v1/contracts/{id}", target.base);
            let read = client
                .get(&path)
                .bearer_auth(token)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if read.status() != StatusCode::OK {
                return Err(format!("read {}", read.status()));
            }
            let etag = read.headers()["etag"].to_str().unwrap().to_owned();
            let c: Value = read.json().await.map_err(|e| e.to_string())?;
            let body = json!({
                "title": c["title"],
                "reference": c["reference"],
                "supplier_id": c["supplier"]["id"],
                "system_ids": c["systems"].as_array().unwrap().iter().map(|s| s["id"].clone()).collect::<Vec<_>>(),
                "category": c["category"],
                "annual_value": c["annual_value"],
                "start_on": c["start_on"],
                "end_on": c["end_on"],
                "notice_period_months": c["notice_period_months"],
                "notice_to": c["notice_to"],
                "criticality": c["criticality"],
                "notes": format!("Gennemgået {n}"),
            });
            client
                .request(Method::PUT, &path)
                .bearer_auth(token)
                .header("if-match", etag)
                .json(&body)
        }
    };
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))
    }
}

async fn drive(
    target: Arc<Target>,
    kind: Kind,
    connections: usize,
    duration: Duration,
) -> (Outcome, f64) {
    // One client per connection: each keeps its own keep-alive connection.
    let started = Instant::now();
    let until = started + duration;
    let workers: Vec<_> = (0..connections)
        .map(|worker| {
            let target = target.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap();
                let mut outcome = Outcome::default();
                let mut n = 0;
                while Instant::now() < until {
                    let sent = Instant::now();
                    let result = one(&client, &target, kind, worker, n).await;
                    let took = sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                    match result {
                        Ok(()) => outcome.latencies_us.push(took),
                        Err(e) => {
                            outcome.errors += 1;
                            outcome.first_error.get_or_insert(e);
                        }
                    }
                    n += 1;
                }
                outcome
            })
        })
        .collect();
    let mut all = Outcome::default();
    for worker in workers {
        let o = worker.await.unwrap();
        all.latencies_us.extend(o.latencies_us);
        all.errors += o.errors;
        if all.first_error.is_none() {
            all.first_error = o.first_error;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    (all, elapsed)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The CPU time, user and system, `pid` has used so far, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name (the second field) is in parentheses and may hold
    // spaces; utime and stime are the 14th and 15th fields, in clock ticks.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|t| t.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / clock_ticks(),
        _ => 0.0,
    }
}

/// The CPU time of every PostgreSQL process on this machine, in seconds.
fn postgres_cpu_seconds() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(cpu_seconds)
        .sum()
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

async fn wait_until_up(url: &str) {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = client.get(url).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL with a path");
    format!("{base}/{name}")
}

const USAGE: &str = "usage: load-bench [--connections 64] [--seconds 10] [--tenants 100] \
[--contracts 1000] [--server target/release/samudbud] [--warm-up 2] [--only LABEL] [--keep] \
[--reuse]

Seeds a register, starts the server on it and drives each request type in turn
(only those whose label contains LABEL with --only), beside a bare endpoint,
each after --warm-up seconds of the same requests that are not counted.
PostgreSQL when SAMUDBUD_TEST_POSTGRES_URL (and _APP_URL) are set, else SQLite.
--keep keeps the PostgreSQL database; --reuse then skips seeding it.";

struct Args {
    connections: usize,
    seconds: u64,
    tenants: usize,
    contracts: usize,
    server: PathBuf,
    keep: bool,
    reuse: bool,
    only: Option<String>,
    warm_up: u64,
}

fn args() -> Args {
    let mut a = Args {
        connections: 64,
        seconds: 10,
        tenants: 100,
        contracts: 1000,
        server: PathBuf::from("target/release/samudbud"),
        keep: false,
        reuse: false,
        only: None,
        warm_up: 2,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after the option");
        match arg.as_str() {
            "--connections" => a.connections = value().parse().unwrap(),
            "--seconds" => a.seconds = value().parse().unwrap(),
            "--tenants" => a.tenants = value().parse().unwrap(),
            "--contracts" => a.contracts = value().parse().unwrap(),
            "--server" => a.server = value().into(),
            "--only" => a.only = Some(value()),
            "--warm-up" => a.warm_up = value().parse().unwrap(),
            "--keep" => a.keep = true,
            "--reuse" => a.reuse = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => {
                eprintln!("unknown option {other}\n\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    a
}

#[tokio::main]
async fn main() {
    let mut raw = std::env::args().skip(1);
    if raw.next().as_deref() == Some("--bare-server") {
        let addr: SocketAddr = raw.next().unwrap().parse().unwrap();
        serve_bare(addr).await;
        return;
    }
    let args = args();
    let dir = tempfile::tempdir().unwrap();
    let postgres = samudbud_api_tests::postgres_url();
    let (database_url, owner_url) = match &postgres {
        Some(owner) => {
            let admin = Database::connect(owner.as_str()).await.unwrap();
            if !args.reuse {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {DATABASE}"))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {DATABASE}"))
                    .await
                    .unwrap();
            }
            admin.close().await.ok();
            let owner_url = with_database(owner, DATABASE);
            match samudbud_api_tests::postgres_app_url() {
                Some(app) => (with_database(&app, DATABASE), Some(owner_url)),
                None => (owner_url, None),
            }
        }
        None => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            None,
        ),
    };
    let backend = if postgres.is_some() {
        "PostgreSQL (row-level security on)"
    } else {
        "SQLite"
    };
    println!(
        "load-bench: {backend}, {} municipalities × {} contracts, {} connections, {} s per request type",
        args.tenants, args.contracts, args.connections, args.seconds
    );
    let db = connect_and_migrate_roles(&database_url, owner_url.as_deref())
        .await
        .unwrap();
    if !args.reuse {
        seed(&db, args.tenants, args.contracts).await;
    }
    if postgres.is_some() {
        db.system_connection()
            .execute_unprepared("VACUUM ANALYZE")
            .await
            .ok();
    }
    // Some contract ids of every municipality, for reads by id and edits,
    // read as that municipality (row-level security admits nothing else).
    let codes: HashMap<String, Uuid> =
        samudbud_domain::db::platform::<samudbud_domain::entities::tenant::Entity>()
            .all(db.system_connection())
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.id))
            .collect();
    let mut ids: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for tenant in codes.values() {
        let txn = db.read(Scope::Tenant(TenantId(*tenant))).await.unwrap();
        let these: Vec<Uuid> = samudbud_domain::db::scoped::<contract::Entity>(TenantId(*tenant))
            .select_only()
            .column(contract::Column::Id)
            .limit(200)
            .into_tuple()
            .all(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        ids.insert(*tenant, these);
    }
    drop(db);

    // The server and the bare endpoint, each a process of its own.
    let port = free_port();
    let mut server = tokio::process::Command::new(&args.server)
        .arg("serve")
        .env("SAMUDBUD_ADDR", format!("127.0.0.1:{port}"))
        .env("SAMUDBUD_DATA_DIR", dir.path())
        .env("SAMUDBUD_DATABASE_URL", &database_url)
        .env(
            "SAMUDBUD_JWT_SECRET",
            "a bench secret that is long enough to sign",
        )
        .env("SAMUDBUD_REMINDERS", "off")
        .env("SAMUDBUD_WEB_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .envs(owner_url.iter().map(|u| ("SAMUDBUD_OWNER_DATABASE_URL", u)))
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let bare_port = free_port();
    let mut bare = tokio::process::Command::new(std::env::current_exe().unwrap())
        .arg("--bare-server")
        .arg(format!("127.0.0.1:{bare_port}"))
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{base}/healthz")).await;
    let bare_url = format!("http://127.0.0.1:{bare_port}/api/page");
    wait_until_up(&bare_url).await;

    let client = reqwest::Client::new();
    let mut tenants = Vec::new();
    for index in 0..args.tenants {
        let response = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": email(index), "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "login {index}");
        let body: Value = response.json().await.unwrap();
        let tenant = codes[&format!("Bench Kommune {index}")];
        tenants.push((
            body["access_token"].as_str().unwrap().to_owned(),
            ids.remove(&tenant).unwrap_or_default(),
        ));
    }
    let target = Arc::new(Target {
        base,
        bare: bare_url,
        tenants,
        workers: args.connections,
    });

    let kinds = [
        Kind::Bare,
        Kind::List,
        Kind::Search,
        Kind::AllBySupplier,
        Kind::ById,
        Kind::Overview,
        Kind::Deadlines,
        Kind::Filtered,
        Kind::Edit,
        Kind::Bare,
    ];
    let duration = Duration::from_secs(args.seconds);
    // Warm up: connections, statement caches.
    drive(
        target.clone(),
        Kind::List,
        args.connections,
        Duration::from_secs(1),
    )
    .await;
    let server_pid = server.id().unwrap();
    let bare_pid = bare.id().unwrap();
    let mut results = Vec::new();
    let mut peak_rss = 0.0_f64;
    for kind in kinds {
        if let Some(only) = &args.only
            && kind != Kind::Bare
            && !kind.label().contains(only.as_str())
        {
            continue;
        }
        eprintln!("  driving {} for {} s", kind.label(), duration.as_secs());
        let pid = if kind == Kind::Bare {
            bare_pid
        } else {
            server_pid
        };
        let warm_up = if args.warm_up > 0 && kind != Kind::Bare {
            let (mut outcome, _) = drive(
                target.clone(),
                kind,
                args.connections,
                Duration::from_secs(args.warm_up),
            )
            .await;
            outcome.latencies_us.sort_unstable();
            Some(percentile(&outcome.latencies_us, 0.99))
        } else {
            None
        };
        let cpu_before = (cpu_seconds(pid), postgres_cpu_seconds());
        let (mut outcome, elapsed) = drive(target.clone(), kind, args.connections, duration).await;
        let cpu = (
            cpu_seconds(pid) - cpu_before.0,
            postgres_cpu_seconds() - cpu_before.1,
        );
        outcome.latencies_us.sort_unstable();
        let (rss, _) = rss_mb(server_pid);
        if kind != Kind::Bare {
            peak_rss = peak_rss.max(rss);
        }
        results.push((kind, outcome, elapsed, cpu, warm_up));
    }
    let bare_rates: Vec<f64> = results
        .iter()
        .filter(|(k, ..)| *k == Kind::Bare)
        .map(|(_, o, e, ..)| o.latencies_us.len() as f64 / e)
        .collect();
    let bare_rate = bare_rates.iter().sum::<f64>() / bare_rates.len() as f64;

    println!();
    println!(
        "{:<42} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>11} {:>9} {:>11}",
        "request",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "of bare",
        "server CPU",
        "db CPU",
        "warm-up p99"
    );
    for (kind, outcome, elapsed, (server_cpu, db_cpu), warm_up) in &results {
        let requests = outcome.latencies_us.len().max(1) as f64;
        let rate = outcome.latencies_us.len() as f64 / elapsed;
        // Milliseconds of CPU per request.
        let per_request = |seconds: f64| 1000.0 * seconds / requests;
        let db = if postgres.is_some() && *kind != Kind::Bare {
            format!("{:.2} ms", per_request(*db_cpu))
        } else {
            "–".to_owned()
        };
        println!(
            "{:<42} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>8} {:>7.1}% {:>8.2} ms {:>9} {:>11}",
            kind.label(),
            rate,
            percentile(&outcome.latencies_us, 0.50),
            percentile(&outcome.latencies_us, 0.95),
            percentile(&outcome.latencies_us, 0.99),
            outcome.errors,
            100.0 * rate / bare_rate,
            per_request(*server_cpu),
            db,
            warm_up.map_or("–".to_owned(), |p99| format!("{p99:.1} ms")),
        );
        if let Some(e) = &outcome.first_error {
            println!("    first error: {e}");
        }
    }
    let (rss, hwm) = rss_mb(server_pid);
    println!();
    println!(
        "server memory: {rss:.0} MB resident after the run, {peak_rss:.0} MB at most between request types, {hwm:.0} MB peak"
    );

    server.kill().await.ok();
    bare.kill().await.ok();
    if let (Some(owner), false) = (&postgres, args.keep) {
        let admin = Database::connect(owner.as_str()).await.unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
            .await
            .ok();
    }
}
