//! No acknowledged write is lost when the server dies: the real `samudbud`
//! binary takes concurrent creates, is killed with SIGKILL in the middle of
//! them, and started again on the same database, where every contract it
//! answered 201 for must be found. On SQLite, and on PostgreSQL when
//! `SAMUDBUD_TEST_POSTGRES_URL` names a server.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

const WRITERS: usize = 8;
const EMAIL: &str = "redaktoer@soroe.dk";
const PASSWORD: &str = "Korrekt-hest-batteri-42";

fn samudbud(data_dir: &Path, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samudbud"));
    command
        .env("SAMUDBUD_DATA_DIR", data_dir)
        .env("SAMUDBUD_DATABASE_URL", database_url)
        .env("SAMUDBUD_PASSWORD", PASSWORD)
        .env("SAMUDBUD_WEB_DIR", data_dir.join("no-web-app"))
        .env_remove("SAMUDBUD_JWT_SECRET")
        .env_remove("SAMUDBUD_TRUSTED_PROXIES")
        .env_remove("SAMUDBUD_TRUST_FORWARDED_FOR")
        .env("RUST_LOG", "error");
    command
}

fn run_ok(mut command: Command) {
    let output = command.output().expect("run samudbud");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A server on a free port, and its base URL (read from what it prints).
fn start(data_dir: &Path, database_url: &str) -> (Child, String) {
    let mut child = samudbud(data_dir, database_url)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start samudbud serve");
    let stderr = child.stderr.take().expect("stderr");
    let (found, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Samudbud is listening on ")
                && let Some(sender) = found.take()
            {
                let base = rest.split_whitespace().next().unwrap_or_default();
                sender.send(base.trim_end_matches('/').to_owned()).ok();
            }
            // Keep draining, so the server never blocks on a full pipe.
        }
    });
    let base = wait
        .recv_timeout(Duration::from_secs(20))
        .expect("the server says where it listens");
    (child, base)
}

async fn login(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let body: Value = response.json().await.expect("token json");
    body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// Creates contracts until the server stops answering; records each id the
/// server acknowledged.
async fn writer(
    client: reqwest::Client,
    base: String,
    token: String,
    supplier_id: String,
    writer: usize,
    acknowledged: Arc<Mutex<Vec<Uuid>>>,
) {
    for n in 0.. {
        let sent = client
            .post(format!("{base}/api/v1/contracts"))
            .bearer_auth(&token)
            .json(&json!({
                "title": format!("Kontrakt {writer}-{n}"),
                "supplier_id": supplier_id,
                "start_on": "2024-01-01",
            }))
            .send()
            .await;
        let Ok(response) = sent else { return };
        if response.status() != reqwest::StatusCode::CREATED {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            eprintln!("writer {writer} stops: {status} {body}");
            return;
        }
        let Ok(body) = response.json::<Value>().await else {
            return;
        };
        let id = body["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("an id");
        acknowledged.lock().expect("lock").push(id);
    }
}

async fn acknowledged_creates_survive_kill_9(database_url: &str) {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    let mut tenant = samudbud(data, database_url);
    tenant.args([
        "tenant",
        "create",
        "--name",
        "Sorø Kommune",
        "--code",
        "340",
    ]);
    run_ok(tenant);
    let mut user = samudbud(data, database_url);
    user.args([
        "user", "create", "--tenant", "340", "--email", EMAIL, "--role", "editor",
    ]);
    run_ok(user);

    let (mut server, base) = start(data, database_url);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let token = login(&client, &base).await;
    let supplier = client
        .post(format!("{base}/api/v1/suppliers"))
        .bearer_auth(&token)
        .json(&json!({"cvr": "1895 7981", "name": "KMD A/S"}))
        .send()
        .await
        .expect("create a supplier");
    assert!(supplier.status().is_success(), "{}", supplier.status());
    let supplier: Value = supplier.json().await.expect("supplier json");
    let supplier_id = supplier["id"].as_str().expect("supplier id").to_owned();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| {
            tokio::spawn(writer(
                client.clone(),
                base.clone(),
                token.clone(),
                supplier_id.clone(),
                n,
                acknowledged.clone(),
            ))
        })
        .collect();

    // Kill it in the middle of the stream.
    let deadline = Instant::now() + Duration::from_secs(8);
    while acknowledged.lock().expect("lock").len() < 60 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().expect("kill -9");
    server.wait().expect("reap the server");
    for task in writers {
        task.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 10,
        "the server acknowledged only {} creates",
        acknowledged.len()
    );

    let (mut server, base) = start(data, database_url);
    let token = login(&client, &base).await;
    let mut missing = Vec::new();
    for id in &acknowledged {
        let response = client
            .get(format!("{base}/api/v1/contracts/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("read a contract");
        if response.status() != reqwest::StatusCode::OK {
            missing.push((*id, response.status()));
        }
    }
    server.kill().ok();
    server.wait().ok();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged contracts are gone: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
    eprintln!(
        "{} acknowledged creates survived kill -9 ({:.1} s)",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("kill9.db").display()
    );
    acknowledged_creates_survive_kill_9(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_survive_kill_9_on_postgres() {
    let Some(admin_url) = std::env::var("SAMUDBUD_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
        return;
    };
    let name = format!("samudbud_kill9_{}", Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to SAMUDBUD_TEST_POSTGRES_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let (without_query, query) = match admin_url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin_url.as_str(), String::new()),
    };
    let base = without_query
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("a database URL with a path");
    acknowledged_creates_survive_kill_9(&format!("{base}/{name}{query}")).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .ok();
}
