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
    start_with(data_dir, database_url, &[])
}

/// `start` with more environment variables.
fn start_with(data_dir: &Path, database_url: &str, env: &[(&str, &str)]) -> (Child, String) {
    let mut command = samudbud(data_dir, database_url);
    command.envs(env.iter().copied());
    let mut child = command
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

/// A webhook receiver that holds the first request it gets (as if the
/// receiver were slow) and answers 200 to the rest, recording them.
#[derive(Default)]
struct Receiver {
    held: tokio::sync::Notify,
    requests: Mutex<Vec<(String, String, String, String)>>,
    arrived: tokio::sync::Notify,
}

#[poem::handler]
async fn receive(
    receiver: poem::web::Data<&Arc<Receiver>>,
    headers: &poem::http::HeaderMap,
    body: String,
) -> poem::http::StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let first = {
        let mut requests = receiver.requests.lock().expect("lock");
        requests.push((
            header("webhook-id"),
            header("webhook-timestamp"),
            header("webhook-signature"),
            body,
        ));
        requests.len() == 1
    };
    receiver.arrived.notify_waiters();
    if first {
        receiver.held.notify_waiters();
        // Held until the server that sent it is gone.
        tokio::time::sleep(Duration::from_secs(120)).await;
    }
    poem::http::StatusCode::OK
}

fn signature(secret: &str, id: &str, timestamp: &str, body: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use hmac::Mac;
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("a base64 secret");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// A webhook delivery whose server dies while the receiver holds it is
/// sent again by the restarted server: at least once, signed the same way.
async fn a_webhook_delivery_survives_kill_9(database_url: &str) {
    use poem::EndpointExt;
    use poem::listener::{Acceptor, Listener};
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
        "user", "create", "--tenant", "340", "--email", EMAIL, "--role", "admin",
    ]);
    run_ok(user);

    let receiver = Arc::new(Receiver::default());
    let acceptor = poem::listener::TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .expect("bind the receiver");
    let addr = *acceptor.local_addr()[0]
        .as_socket_addr()
        .expect("a socket address");
    let app = poem::Route::new()
        .at("/hook", poem::post(receive))
        .data(receiver.clone());
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));

    let env = [
        ("SAMUDBUD_WEBHOOK_ALLOW_LOOPBACK_HTTP", "on"),
        ("SAMUDBUD_WEBHOOK_TICK", "50ms"),
        ("SAMUDBUD_WEBHOOK_TIMEOUT", "2s"),
        ("SAMUDBUD_REMINDERS", "off"),
    ];
    let (mut server, base) = start_with(data, database_url, &env);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let token = login(&client, &base).await;
    let endpoint: Value = client
        .post(format!("{base}/api/v1/webhooks/endpoints"))
        .bearer_auth(&token)
        .json(&json!({"url": format!("http://{addr}/hook"), "event_types": ["contract.created"]}))
        .send()
        .await
        .expect("register an endpoint")
        .json()
        .await
        .expect("endpoint json");
    let secret = endpoint["secret"].as_str().expect("a secret").to_owned();
    let supplier: Value = client
        .post(format!("{base}/api/v1/suppliers"))
        .bearer_auth(&token)
        .json(&json!({"cvr": "1895 7981", "name": "KMD A/S"}))
        .send()
        .await
        .expect("create a supplier")
        .json()
        .await
        .expect("supplier json");
    let held = receiver.held.notified();
    let created = client
        .post(format!("{base}/api/v1/contracts"))
        .bearer_auth(&token)
        .json(
            &json!({"title": "Kontrakt", "supplier_id": supplier["id"], "start_on": "2024-01-01"}),
        )
        .send()
        .await
        .expect("create a contract");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    tokio::time::timeout(Duration::from_secs(10), held)
        .await
        .expect("the delivery reaches the receiver");
    // Dies mid-delivery: the receiver has not answered.
    server.kill().expect("kill -9");
    server.wait().expect("reap the server");

    let (mut server, _) = start_with(data, database_url, &env);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let arrived = receiver.arrived.notified();
        if receiver.requests.lock().expect("lock").len() >= 2 {
            break;
        }
        if tokio::time::timeout_at(deadline, arrived).await.is_err() {
            break;
        }
    }
    server.kill().ok();
    server.wait().ok();
    let requests = receiver.requests.lock().expect("lock").clone();
    assert!(
        requests.len() >= 2,
        "the restarted server delivers again: {} requests",
        requests.len()
    );
    let (first_id, ..) = &requests[0];
    let (id, timestamp, signed, body) = &requests[1];
    assert_eq!(id, first_id, "the same message, so the receiver can tell");
    assert_eq!(signed, &signature(&secret, id, timestamp, body));
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(body["type"], "contract.created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_delivery_survives_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("hook.db").display());
    a_webhook_delivery_survives_kill_9(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_delivery_survives_kill_9_on_postgres() {
    let Some(url) = fresh_postgres("samudbud_hook").await else {
        eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set");
        return;
    };
    a_webhook_delivery_survives_kill_9(&url).await;
}

/// A fresh database on the test PostgreSQL server, if one is configured.
async fn fresh_postgres(prefix: &str) -> Option<String> {
    let admin_url = std::env::var("SAMUDBUD_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())?;
    let name = format!("{prefix}_{}", Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to SAMUDBUD_TEST_POSTGRES_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    admin.close().await.ok();
    let (without_query, query) = match admin_url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin_url.as_str(), String::new()),
    };
    let base = without_query
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("a database URL with a path");
    Some(format!("{base}/{name}{query}"))
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
