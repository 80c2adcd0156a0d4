//! Test harness: the real server on port 0 with a fresh database, SQLite by
//! default and PostgreSQL when `SAMUDBUD_TEST_POSTGRES_URL` names a server
//! (a URL of a database the test role may connect to; the role needs
//! CREATEDB, and should not be a superuser so that row-level security binds).
//!
//! With `SAMUDBUD_TEST_POSTGRES_APP_URL` as well (the same server as an
//! ordinary login role without privileges of its own, e.g.
//! `postgres://samudbud_app:samudbud_app@127.0.0.1:5432/samudbud`), the
//! fresh database is created and migrated by the first role, which owns it,
//! and the server serves as the second, as in production; only the database
//! name of that URL is replaced. CI sets both.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

pub mod kitos;
pub mod receiver;
pub mod replica;
pub mod smtp;

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use samudbud_domain::principal::Principal;
use samudbud_domain::tenants::{self, NewTenant};
use samudbud_domain::users::{self, NewUser};
use samudbud_domain::{Db, Role, TenantId};
use samudbud_server::app::{BoundServer, connect_and_migrate_roles};
use samudbud_server::config::Settings;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

pub const PASSWORD: &str = "Korrekt-hest-batteri-42";

/// A municipality made on `db` by the console.
pub async fn create_tenant(db: &Db, name: &str, code: &str) -> TenantId {
    let tenant = tenants::create_tenant(
        db,
        &Principal::Console,
        NewTenant {
            name: name.into(),
            municipality_code: code.into(),
            cvr: None,
        },
    )
    .await
    .expect("create tenant");
    TenantId(tenant.id)
}

/// A user of `tenant` made on `db` by the console, with [`PASSWORD`].
pub async fn create_user(db: &Db, tenant: TenantId, email: &str, role: Role) -> Uuid {
    users::create_user_in(
        db,
        &Principal::Console,
        tenant,
        NewUser {
            email: email.into(),
            name: format!("Test {email}"),
            role,
            password: PASSWORD.into(),
        },
    )
    .await
    .expect("create user")
    .id
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// The internal metrics address, when the settings give one.
    pub metrics_base: Option<String>,
    pub db: Db,
    pub backend: Backend,
    /// The URL the server serves on: the application's role.
    pub database_url: String,
    /// The owner role's URL, when the server runs with two roles.
    pub owner_database_url: Option<String>,
    /// A client as browsers are: it takes gzip and inflates it.
    pub client: reqwest::Client,
    /// A client that inflates nothing, for tests of the bytes as sent.
    raw_client: reqwest::Client,
    /// The key the server seals stored secrets with.
    pub secrets: samudbud_domain::secrets::SecretBox,
    _dir: tempfile::TempDir,
    /// The PostgreSQL database, dropped after the server's pool (fields
    /// drop in order).
    _dropped: Option<DroppedAtEnd>,
}

/// The PostgreSQL server for tests, if any. In CI it must be there.
pub fn postgres_url() -> Option<String> {
    match std::env::var("SAMUDBUD_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set SAMUDBUD_TEST_POSTGRES_URL so that PostgreSQL is tested"
            );
            None
        }
    }
}

/// The application role's URL for the test PostgreSQL server, if any. In CI
/// it must be there.
pub fn postgres_app_url() -> Option<String> {
    match std::env::var("SAMUDBUD_TEST_POSTGRES_APP_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set SAMUDBUD_TEST_POSTGRES_APP_URL so that the server is tested \
                 on a role that does not own the tables"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (url, String::new()),
    };
    let base = without_query
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("a database URL with a path");
    format!("{base}/{name}{query}")
}

/// A fresh database on the test PostgreSQL server, copied from a migrated
/// template; its name. Migrating takes most of a second per test on
/// PostgreSQL; copying the template takes a fraction of that. The server
/// still runs its migrations on the copy at start (finding nothing to do)
/// and grants the application role its privileges as in production.
async fn fresh_postgres_database(admin_url: &str) -> String {
    let template = postgres_template(admin_url).await;
    let name = format!("samudbud_test_{}", Uuid::new_v4().simple());
    let admin = Database::connect(admin_url)
        .await
        .expect("connect to SAMUDBUD_TEST_POSTGRES_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create a test database (does the role have CREATEDB?)");
    admin.close().await.ok();
    name
}

/// The name of the migrated template database for the migrations as they
/// are in the source tree, created by the first test that needs it (an
/// advisory lock keeps parallel test processes from creating it twice). The
/// name carries a digest of the migrations' source, so that a changed or
/// new migration gets a template of its own.
async fn postgres_template(admin_url: &str) -> String {
    use samudbud_migration::MigratorTrait;
    use sha2::{Digest, Sha256};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the migrations' source")
        .map(|entry| entry.expect("a migration file").path())
        .collect();
    files.sort();
    let mut digest = Sha256::new();
    for file in files {
        digest.update(file.file_name().unwrap().as_encoded_bytes());
        digest.update(std::fs::read(&file).expect("a migration file"));
    }
    let hex: String = digest
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let name = format!("samudbud_template_{hex}");

    // One connection, so that the session's advisory lock is held by the
    // connection that builds the template (CREATE DATABASE cannot run in a
    // transaction).
    let mut options = sea_orm::ConnectOptions::new(admin_url);
    options.max_connections(1).min_connections(1);
    let admin = Database::connect(options)
        .await
        .expect("connect to SAMUDBUD_TEST_POSTGRES_URL");
    admin
        .execute_unprepared("SELECT pg_advisory_lock(7261202)")
        .await
        .expect("take the template lock");
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("look for the template")
        .is_some();
    if !exists {
        let building = format!("{name}_{}", Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {building}"))
            .await
            .expect("create the template database (does the role have CREATEDB?)");
        let conn = Db::connect_for_migrations(&with_database(admin_url, &building))
            .await
            .expect("connect to the template database");
        samudbud_migration::Migrator::up(&conn, None)
            .await
            .expect("migrate the template database");
        conn.close().await.expect("close the template database");
        admin
            .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await
            .expect("name the template database");
    }
    admin
        .execute_unprepared("SELECT pg_advisory_unlock(7261202)")
        .await
        .expect("release the template lock");
    admin.close().await.ok();
    name
}

/// A fresh PostgreSQL database for one test.
pub struct PostgresDatabase {
    /// The URL a server serves on: the application's role when
    /// `SAMUDBUD_TEST_POSTGRES_APP_URL` is set, else the owner's.
    pub url: String,
    /// The owner role's URL, when the server runs with two roles.
    pub owner_url: Option<String>,
    /// Drops the database when the test is done with it.
    pub dropped: DroppedAtEnd,
}

/// Drops a test database as it goes out of scope, so that test runs do not
/// leave thousands of databases behind (each makes the server's start after
/// a crash slower: it syncs every file of every database). `WITH (FORCE)`
/// ends the sessions the test's server still holds.
pub struct DroppedAtEnd {
    admin_url: String,
    name: String,
}

impl Drop for DroppedAtEnd {
    fn drop(&mut self) {
        // A runtime of its own on a thread of its own: the test's runtime
        // may be the one this runs on, and may be a single thread.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database on");
            runtime.block_on(async move {
                let admin = Database::connect(admin_url.as_str()).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("the test database {} was not dropped: {error}", self.name);
        }
    }
}

/// A fresh, migrated database on the test PostgreSQL server, or `None`
/// when no server is configured (outside CI).
pub async fn fresh_postgres() -> Option<PostgresDatabase> {
    let owner_url = postgres_url()?;
    let name = fresh_postgres_database(&owner_url).await;
    let (url, owner) = match postgres_app_url() {
        Some(app_url) => (
            with_database(&app_url, &name),
            Some(with_database(&owner_url, &name)),
        ),
        None => (with_database(&owner_url, &name), None),
    };
    Some(PostgresDatabase {
        url,
        owner_url: owner,
        dropped: DroppedAtEnd {
            admin_url: owner_url,
            name,
        },
    })
}

impl TestApp {
    /// Starts the server on `backend`, or `None` for PostgreSQL when no
    /// server is configured (outside CI).
    pub async fn start(backend: Backend) -> Option<Self> {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts the server as `start` does, with settings changed by `configure`.
    pub async fn start_with(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
    ) -> Option<Self> {
        // Logs show up with a failing test's output.
        samudbud_server::telemetry::init(false);
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, owner_database_url, dropped) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
                None,
                None,
            ),
            Backend::Postgres => {
                let database = fresh_postgres().await?;
                (database.url, database.owner_url, Some(database.dropped))
            }
        };
        let db = connect_and_migrate_roles(&database_url, owner_database_url.as_deref())
            .await
            .expect("migrate");
        let mut settings = Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.clone(),
            owner_database_url: owner_database_url.clone(),
            data_dir: dir.path().to_path_buf(),
            jwt_secret: b"a test secret that is long enough to sign".to_vec(),
            secrets: samudbud_domain::secrets::SecretBox::new(&[5; 32]),
            web_dir: None::<PathBuf>,
            // The tests play the proxy: they say where a request comes from.
            trusted_proxies: "127.0.0.0/8,::1".parse().unwrap(),
            body_limit_bytes: 64 * 1024,
            response_cache_bytes: samudbud_server::responses::DEFAULT_BUDGET_BYTES,
            session_lifetime: samudbud_domain::auth::tokens::DEFAULT_SESSION_LIFETIME,
            metrics: Default::default(),
            site: Default::default(),
            public_url: None,
            reminders: Default::default(),
            webhooks: Default::default(),
        };
        configure(&mut settings);
        let server = BoundServer::bind(&settings, db.clone())
            .await
            .expect("bind");
        let addr = server.local_addr().expect("local address");
        let metrics_base = server.metrics_addr().map(|addr| format!("http://{addr}"));
        tokio::spawn(server.run_forever());
        Some(Self {
            base: format!("http://{addr}"),
            metrics_base,
            db,
            backend,
            database_url,
            owner_database_url,
            client: reqwest::Client::new(),
            raw_client: reqwest::Client::builder()
                .no_gzip()
                .build()
                .expect("raw client"),
            secrets: settings.secrets.clone(),
            _dir: dir,
            _dropped: dropped,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to `path` (e.g. `/api/v1/users`), with a bearer token if given.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut builder = self.client.request(method, self.url(path));
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        builder
    }

    /// As [`TestApp::request`], but the answer is read as sent: no
    /// `accept-encoding` unless the test sets one, and nothing inflated.
    pub fn request_as_sent(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> RequestBuilder {
        let mut builder = self.raw_client.request(method, self.url(path));
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        builder
    }

    pub async fn create_tenant(&self, name: &str, code: &str) -> TenantId {
        create_tenant(&self.db, name, code).await
    }

    pub async fn create_user(&self, tenant: TenantId, email: &str, role: Role) -> Uuid {
        create_user(&self.db, tenant, email, role).await
    }

    pub async fn create_operator(&self, email: &str) -> Uuid {
        users::create_operator(&self.db, &Principal::Console, email, "Operator", PASSWORD)
            .await
            .expect("create operator")
            .id
    }

    /// Logs in and returns the token response.
    pub async fn login_with(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login", None)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request")
    }

    /// Logs in with the test password and returns (access, refresh).
    pub async fn login(&self, email: &str) -> (String, String) {
        let response = self.login_with(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let body: Value = response.json().await.expect("token json");
        (
            body["access_token"].as_str().expect("access").to_owned(),
            body["refresh_token"].as_str().expect("refresh").to_owned(),
        )
    }

    pub async fn token(&self, email: &str) -> String {
        self.login(email).await.0
    }

    /// Founds the collaboration `name` as `founder` (an admin's token) and
    /// has each of `members` (an admin's token and the municipality's code)
    /// invited and accept; returns the collaboration's id.
    pub async fn collaboration(
        &self,
        founder: &str,
        name: &str,
        members: &[(&str, &str)],
    ) -> String {
        let post = |token: &str, path: String, body: Option<Value>| {
            let mut request = self.request(Method::POST, &format!("/api/v1{path}"), Some(token));
            if let Some(body) = body {
                request = request.json(&body);
            }
            request.send()
        };
        let created = post(
            founder,
            "/collaborations".into(),
            Some(json!({"name": name})),
        );
        let created = expect_json(created.await.unwrap(), StatusCode::CREATED).await;
        let id = created["id"].as_str().unwrap().to_owned();
        for (admin, code) in members {
            let body = json!({"municipality_code": code});
            let invited = post(
                founder,
                format!("/collaborations/{id}/invitations"),
                Some(body),
            );
            expect_json(invited.await.unwrap(), StatusCode::OK).await;
            let accepted = post(admin, format!("/collaborations/{id}/accept"), None);
            expect_json(accepted.await.unwrap(), StatusCode::OK).await;
        }
        id
    }

    /// Sorø, Ringsted and Næstved, each with an admin `admin@<domain>` and a
    /// viewer `laeser@<domain>`: the municipalities of the collaboration
    /// tests. Returns their ids and their admins' tokens, in that order.
    pub async fn three_municipalities(&self) -> (Vec<TenantId>, Vec<String>) {
        let mut tenants = Vec::new();
        let mut admins = Vec::new();
        for (name, code, domain) in [
            ("Sorø Kommune", "340", "soroe.dk"),
            ("Ringsted Kommune", "329", "ringsted.dk"),
            ("Næstved Kommune", "370", "naestved.dk"),
        ] {
            let tenant = self.create_tenant(name, code).await;
            self.create_user(tenant, &format!("admin@{domain}"), Role::Admin)
                .await;
            self.create_user(tenant, &format!("laeser@{domain}"), Role::Viewer)
                .await;
            tenants.push(tenant);
            admins.push(self.token(&format!("admin@{domain}")).await);
        }
        (tenants, admins)
    }

    /// Trades a refresh token for a new pair and returns the response.
    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/refresh", None)
            .json(&json!({"refresh_token": refresh_token}))
            .send()
            .await
            .expect("refresh request")
    }

    /// Creates an API client through the API as the admin holding
    /// `admin_token`; returns its id, client id and secret.
    pub async fn create_api_client(
        &self,
        admin_token: &str,
        name: &str,
        scopes: &[&str],
    ) -> (Uuid, String, String) {
        let response = self
            .request(Method::POST, "/api/v1/api-clients", Some(admin_token))
            .json(&json!({"name": name, "scopes": scopes}))
            .send()
            .await
            .unwrap();
        let body = expect_json(response, StatusCode::CREATED).await;
        (
            body["client"]["id"].as_str().unwrap().parse().unwrap(),
            body["client"]["client_id"].as_str().unwrap().to_owned(),
            body["client_secret"].as_str().unwrap().to_owned(),
        )
    }

    /// The token endpoint's answer for these credentials.
    pub async fn request_client_token(
        &self,
        client_id: &str,
        secret: &str,
        scope: Option<&str>,
    ) -> Response {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        self.request(Method::POST, "/api/v1/auth/token", None)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// An access token for an API client.
    /// Sends only the head of a request that announces a body of `length`
    /// bytes, and returns the status and body of the answer. A server that
    /// refuses by the announced length answers before any body arrives;
    /// sending the body as well races that answer (the client may see the
    /// connection close while it still writes).
    pub async fn announce_body(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        length: u64,
    ) -> (StatusCode, String, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let authority = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {authority}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {length}\r\n"
        );
        if let Some(token) = token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            stream.read_to_end(&mut answer),
        )
        .await;
        assert!(read.is_ok(), "the server waited for the body it refuses");
        let answer = String::from_utf8(answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .and_then(|code| StatusCode::from_u16(code).ok())
            .unwrap();
        let content_type = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-type")
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default();
        (status, content_type, body.to_owned())
    }

    pub async fn client_token(&self, client_id: &str, secret: &str) -> String {
        let response = self.request_client_token(client_id, secret, None).await;
        let body = expect_json(response, StatusCode::OK).await;
        body["access_token"].as_str().unwrap().to_owned()
    }
}

/// Asserts an RFC 9457 problem with `status`, and returns its body.
pub async fn expect_problem(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(actual, status, "unexpected status; body: {body}");
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    let problem: Value = serde_json::from_str(&body).expect("problem json");
    assert_eq!(problem["status"], status.as_u16(), "{problem}");
    assert!(
        problem["type"].as_str().is_some_and(|t| !t.is_empty()),
        "{problem}"
    );
    assert!(
        problem["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{problem}"
    );
    problem
}

/// Asserts that an answer from [`TestApp::announce_body`] is an RFC 9457
/// problem with `status`, and returns its body.
pub fn expect_announced_problem(
    (actual, content_type, body): (StatusCode, String, String),
    status: StatusCode,
) -> Value {
    assert_eq!(actual, status, "unexpected status; body: {body}");
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    let problem: Value = serde_json::from_str(&body).expect("problem json");
    assert_eq!(problem["status"], status.as_u16(), "{problem}");
    problem
}

/// Asserts `status` and returns the JSON body.
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(actual, status, "unexpected status; body: {body}");
    serde_json::from_str(&body).expect("json body")
}

/// Runs each listed test case against SQLite, and against PostgreSQL when
/// one is configured. A case is `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! on_both_databases {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let app = $crate::TestApp::start($crate::Backend::Sqlite)
                        .await
                        .expect("SQLite is always available");
                    super::$case(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    match $crate::TestApp::start($crate::Backend::Postgres).await {
                        Some(app) => super::$case(app).await,
                        None => eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set"),
                    }
                }
            )*
        }
    };
}

/// As `on_both_databases!`, with the server's settings changed by
/// `configure` (a `fn(&mut Settings)`); the cases live in module `group`.
#[macro_export]
macro_rules! on_both_databases_with {
    ($group:ident, $configure:ident; $($case:ident),* $(,)?) => {
        mod $group {
            mod sqlite {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        let app = $crate::TestApp::start_with(
                            $crate::Backend::Sqlite,
                            super::super::$configure,
                        )
                        .await
                        .expect("SQLite is always available");
                        super::super::$case(app).await;
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        match $crate::TestApp::start_with(
                            $crate::Backend::Postgres,
                            super::super::$configure,
                        )
                        .await
                        {
                            Some(app) => super::super::$case(app).await,
                            None => eprintln!("skipped: SAMUDBUD_TEST_POSTGRES_URL is not set"),
                        }
                    }
                )*
            }
        }
    };
}
