//! Putting the server together: state, routes, middleware, listening.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use poem::endpoint::StaticFilesEndpoint;
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{Endpoint, EndpointExt, IntoResponse, Response, Route, handler};
use samudbud_domain::auth::tokens::TokenKeys;
use samudbud_domain::reminders::mailer::Mailer;
use samudbud_domain::reminders::scheduler::{self, DigestRun};
use samudbud_domain::webhooks::dispatch::{self, Dispatcher};
use samudbud_domain::{Db, Scope};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::api;
use crate::assets;
use crate::config::{Settings, redact_url};
use crate::metrics::{self, Metrics};
use crate::middleware::{
    allow_methods, check_parameters, limit_body, observe, panicked, security_headers,
};
use crate::problem::ApiError;
use crate::state::AppState;

/// Connects to the database and brings its schema up to date, with one role
/// for everything.
pub async fn connect_and_migrate(database_url: &str) -> anyhow::Result<Db> {
    connect_and_migrate_roles(database_url, None).await
}

/// Connects to the database and brings its schema up to date. With
/// `owner_url` (PostgreSQL, a role that owns the tables), migrations and the
/// system scope's cross-tenant work run as the owner, everything else as the
/// application's role behind `database_url`, which is granted only the table
/// privileges it needs.
pub async fn connect_and_migrate_roles(
    database_url: &str,
    owner_url: Option<&str>,
) -> anyhow::Result<Db> {
    if let Some(path) = database_url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty() && *p != ":memory:")
        && let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the data directory {}", parent.display()))?;
    }
    let owner_url = owner_url.filter(|url| !url.is_empty() && *url != database_url);
    if owner_url.is_some() && !database_url.starts_with("postgres") {
        anyhow::bail!("an owner database URL is for PostgreSQL only; SQLite has no roles");
    }
    let db = match owner_url {
        Some(owner_url) => {
            let lock = MigrationLock::take(owner_url).await?;
            migrate_as(owner_url).await?;
            let db = Db::connect_with_owner(database_url, owner_url)
                .await
                .with_context(|| {
                    format!(
                        "connecting to {} and {}",
                        redact_url(database_url),
                        redact_url(owner_url)
                    )
                })?;
            grant_application_role(&db).await?;
            lock.release().await;
            check_system_scope(&db).await?;
            db
        }
        None if database_url.starts_with("postgres") => {
            let lock = MigrationLock::take(database_url).await?;
            migrate_as(database_url).await?;
            lock.release().await;
            Db::connect(database_url)
                .await
                .with_context(|| format!("connecting to {}", redact_url(database_url)))?
        }
        None => {
            let db = Db::connect(database_url)
                .await
                .with_context(|| format!("connecting to {}", redact_url(database_url)))?;
            crate::migrate(&db)
                .await
                .context("migrating the database")?;
            db
        }
    };
    warn_if_row_security_is_weak(&db).await;
    Ok(db)
}

/// One server at a time migrates and grants: replicas that start together
/// (a Deployment's pods, a restart of all of them) would otherwise apply the
/// same migration twice, or have PostgreSQL refuse their simultaneous
/// `GRANT`s ("tuple concurrently updated"), and fail to start. A session
/// advisory lock on a connection of its own, so that it is given up when
/// the holder releases it or dies.
struct MigrationLock(sea_orm::DatabaseConnection);

/// The advisory lock's key: "SAMUDMIG" in ASCII, apart from any other lock.
const MIGRATION_LOCK_KEY: i64 = 0x5341_4d55_444d_4947;

impl MigrationLock {
    async fn take(url: &str) -> anyhow::Result<Self> {
        let mut options = sea_orm::ConnectOptions::new(url);
        options
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let conn = sea_orm::Database::connect(options)
            .await
            .with_context(|| format!("connecting to {}", redact_url(url)))?;
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_lock($1)",
            [MIGRATION_LOCK_KEY.into()],
        ))
        .await
        .context("waiting for another server's migrations")?;
        Ok(Self(conn))
    }

    /// Gives the lock up; closing the session would too.
    async fn release(self) {
        self.0
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_unlock($1)",
                [MIGRATION_LOCK_KEY.into()],
            ))
            .await
            .ok();
        self.0.close().await.ok();
    }
}

/// Runs the migrations on PostgreSQL as the role behind `url`, in the
/// system scope.
async fn migrate_as(url: &str) -> anyhow::Result<()> {
    use samudbud_migration::MigratorTrait;
    let conn = Db::connect_for_migrations(url)
        .await
        .with_context(|| format!("connecting to {}", redact_url(url)))?;
    samudbud_migration::Migrator::up(&conn, None)
        .await
        .context("migrating the database")?;
    conn.close().await.ok();
    Ok(())
}

/// Grants the application's role what it needs and no more: the rows of the
/// tables (within their policies) and the sequences, now and for tables
/// created by later migrations; not the migrations' own bookkeeping. Run as
/// the owner after every migration, so it is idempotent.
async fn grant_application_role(db: &Db) -> anyhow::Result<()> {
    let app = db
        .connection()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text AS name",
        ))
        .await?
        .context("the application's role")?
        .try_get::<String>("", "name")?;
    let owner = db.system_connection();
    let quoted = owner
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT quote_ident($1) AS role, quote_ident(current_schema()) AS schema,                     current_user::text = $1 AS same",
            [app.into()],
        ))
        .await?
        .context("quoting the application's role")?;
    if quoted.try_get::<bool>("", "same")? {
        return Ok(());
    }
    let role: String = quoted.try_get("", "role")?;
    let schema: String = quoted.try_get("", "schema")?;
    owner
        .execute_unprepared(&format!(
            "GRANT USAGE ON SCHEMA {schema} TO {role}; \
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}; \
             REVOKE ALL ON TABLE {schema}.seaql_migrations FROM {role}; \
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}; \
             ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} \
               GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}; \
             ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} \
               GRANT USAGE, SELECT ON SEQUENCES TO {role};"
        ))
        .await
        .context("granting the application's role its table privileges")?;
    Ok(())
}

/// The owner's pool must be able to open the system scope: the policies
/// honour it for the role that ran the migrations only.
async fn check_system_scope(db: &Db) -> anyhow::Result<()> {
    let txn = db
        .read(Scope::System)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let open = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT samudbud_system_scope() AS open",
        ))
        .await?
        .and_then(|row| row.try_get::<bool>("", "open").ok())
        .unwrap_or(false);
    txn.rollback().await?;
    anyhow::ensure!(
        open,
        "the owner database role is not the role that ran the migrations (the tables' owner); \
         logins and other cross-municipality work would find nothing"
    );
    Ok(())
}

/// Row-level security binds neither superusers nor roles with BYPASSRLS,
/// and a role that owns the tables (or may act as their owner) can switch it
/// off and open the system scope; the backstop is then weak, which an
/// operator should hear about.
async fn warn_if_row_security_is_weak(db: &Db) {
    if db.backend() != DbBackend::Postgres {
        return;
    }
    let query = Statement::from_string(
        DbBackend::Postgres,
        "SELECT (r.rolsuper OR r.rolbypassrls) AS bypass, \
                EXISTS (SELECT 1 FROM pg_class c \
                        WHERE c.oid = to_regclass('contracts') \
                          AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owner \
         FROM pg_roles r WHERE r.rolname = current_user",
    );
    let Ok(Some(row)) = db.connection().query_one_raw(query).await else {
        return;
    };
    if row.try_get::<bool>("", "bypass").unwrap_or(false) {
        tracing::warn!(
            "the database role bypasses row-level security; connect as an ordinary role \
             so that tenant isolation has its database backstop"
        );
    } else if row.try_get::<bool>("", "owner").unwrap_or(false) {
        tracing::warn!(
            "the application's database role owns the tables: it could switch row-level \
             security off and read across municipalities; serve as a role with table \
             privileges only and give the owner's URL as SAMUDBUD_OWNER_DATABASE_URL"
        );
    }
}

/// The state requests share. The database handle reports to the metrics,
/// as do the background jobs, which start from the state's handle.
pub fn state(db: Db, settings: &Settings) -> anyhow::Result<AppState> {
    let metrics = Arc::new(Metrics::new()?);
    let responses = Arc::new(
        crate::responses::ResponseCache::new(settings.response_cache_bytes)
            .observed_by(metrics.clone()),
    );
    Ok(AppState {
        db: db.observed_by(metrics.clone()),
        keys: TokenKeys::from_secret(&settings.jwt_secret)
            .with_session_lifetime(settings.session_lifetime),
        metrics,
        trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
        metrics_token: settings.metrics.token.as_deref().map(Arc::from),
        site: Arc::new(settings.site.clone()),
        logo: settings.site.load_logo(&settings.data_dir)?.map(Arc::new),
        public_url: Arc::from(
            settings
                .public_url
                .clone()
                .unwrap_or_else(|| crate::config::default_public_url(settings.addr)),
        ),
        webhook_urls: samudbud_domain::webhooks::UrlRules {
            allow_loopback_http: settings.webhooks.allow_loopback_http,
        },
        secrets: settings.secrets.clone(),
        responses,
    })
}

/// Liveness: the process answers.
#[handler]
fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
#[handler]
async fn readyz(state: Data<&AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(%err, "readiness check failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not-ready",
                "Not ready",
                Some("the database is not reachable".to_owned()),
            )
            .into_response()
        }
    }
}

/// The OpenAPI document, as `samudbud openapi` prints it.
#[handler]
fn openapi_json() -> Response {
    Response::builder()
        .content_type("application/json")
        .body(api::spec_json())
}

pub fn routes(state: AppState, settings: &Settings) -> impl Endpoint + use<> {
    let api = api::service();
    let docs = api.swagger_ui();
    let mut route = Route::new()
        .nest(api::API_PREFIX, api)
        .at(format!("{}/openapi.json", api::API_PREFIX), openapi_json)
        .at(format!("{}/site/logo", api::API_PREFIX), api::site_logo)
        .nest("/api/docs", docs)
        .at("/healthz", healthz)
        .at("/readyz", readyz);
    // With a metrics address of its own, /metrics is served there only.
    if settings.metrics.addr.is_none() {
        route = route.at("/metrics", metrics::public_metrics);
    }
    if let Some(web_dir) = settings
        .web_dir
        .as_ref()
        .filter(|dir| dir.join("index.html").is_file())
    {
        let root = Arc::new(web_dir.clone());
        route = route.nest(
            "/",
            StaticFilesEndpoint::new(web_dir)
                .index_file("index.html")
                .fallback_to_index()
                .around(move |next, req| assets::precompressed(next, req, root.clone())),
        );
    }
    layered(route, state, settings.body_limit_bytes)
}

/// Wraps `endpoint` in the layers every request passes, outermost first:
/// state, request id and observation, security headers, body limit,
/// `Allow` on 405, parameter check, panic catcher.
pub fn layered<E: Endpoint + 'static>(
    endpoint: E,
    state: AppState,
    body_limit: usize,
) -> impl Endpoint + use<E> {
    endpoint
        .with(poem::middleware::CatchPanic::new().with_handler(panicked))
        .around(check_parameters)
        .around(allow_methods)
        .around(move |next, req| limit_body(next, req, body_limit))
        .around(security_headers)
        .around(observe)
        .data(state)
}

/// The internal address's routes: `/metrics` alone.
fn metrics_routes(state: AppState) -> impl Endpoint + use<> {
    Route::new()
        .at("/metrics", metrics::internal_metrics)
        .data(state)
}

type Listening = (
    poem::listener::TcpAcceptor,
    poem::endpoint::BoxEndpoint<'static, Response>,
);

async fn listen(addr: SocketAddr) -> anyhow::Result<poem::listener::TcpAcceptor> {
    TcpListener::bind(addr)
        .into_acceptor()
        .await
        .with_context(|| format!("listening on {addr}"))
}

fn first_addr(acceptor: &poem::listener::TcpAcceptor) -> Option<SocketAddr> {
    acceptor
        .local_addr()
        .first()
        .and_then(|addr| addr.as_socket_addr().copied())
}

/// A bound, not yet serving, server: tests bind port 0 and read the address.
pub struct BoundServer {
    acceptor: poem::listener::TcpAcceptor,
    app: poem::endpoint::BoxEndpoint<'static, Response>,
    /// The internal metrics address, when configured.
    metrics: Option<Listening>,
    /// The reminder scheduler, when this server runs it.
    reminders: Option<Scheduler>,
    /// The webhook dispatcher, when this server runs it.
    webhooks: Option<WebhookDispatcher>,
    /// The daily job that re-derives the contracts' dates.
    derivation: Derivation,
}

/// What the webhook dispatcher runs with.
struct WebhookDispatcher {
    db: Db,
    run: Dispatcher,
    every: std::time::Duration,
}

impl WebhookDispatcher {
    /// Starts the dispatcher; it stops when the returned sender says so or
    /// is dropped.
    fn spawn(
        self,
    ) -> (
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    ) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(dispatch::run_until(
            self.db,
            self.run,
            self.every,
            // The deadline events are written once a day per contract;
            // looking hourly catches a server that was down at midnight.
            std::time::Duration::from_secs(3600),
            stopped,
        ));
        (stop, task)
    }
}

/// The webhook dispatcher for `settings`, or `None` when it is off.
fn webhook_dispatcher(
    settings: &Settings,
    db: &Db,
    public_url: &str,
) -> anyhow::Result<Option<WebhookDispatcher>> {
    if !settings.webhooks.enabled {
        return Ok(None);
    }
    let mailer = Mailer::new(
        settings.reminders.smtp_url.as_deref(),
        &settings.reminders.mail_from,
    )
    .map_err(|err| anyhow::anyhow!("webhook notices: {err}"))?;
    let mut run = Dispatcher::new(
        mailer,
        public_url,
        settings.webhooks.timeout,
        settings.secrets.clone(),
    );
    run.first_retry = settings.webhooks.first_retry;
    run.retry_for = settings.webhooks.retry_for;
    Ok(Some(WebhookDispatcher {
        db: db.clone(),
        run,
        every: settings.webhooks.tick,
    }))
}

/// The daily derivation of the contracts' dates, run at Danish midnight by
/// whichever server takes the job's lease.
struct Derivation {
    db: Db,
    holder: String,
}

impl Derivation {
    fn spawn(
        self,
    ) -> (
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    ) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(samudbud_domain::contracts::refresh::run_until(
            self.db,
            self.holder,
            stopped,
        ));
        (stop, task)
    }
}

/// What the reminder scheduler runs with.
struct Scheduler {
    db: Db,
    run: DigestRun,
    every: std::time::Duration,
}

impl Scheduler {
    /// Starts the scheduler; it stops when the returned sender says so or
    /// is dropped.
    fn spawn(
        self,
    ) -> (
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    ) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(scheduler::run_until(self.db, self.run, self.every, stopped));
        (stop, task)
    }
}

/// The reminder scheduler for `settings`, or `None` when it is off. A
/// mail setting that cannot work stops the start with the reason.
fn reminder_scheduler(
    settings: &Settings,
    db: &Db,
    public_url: &str,
) -> anyhow::Result<Option<Scheduler>> {
    let mailer = Mailer::new(
        settings.reminders.smtp_url.as_deref(),
        &settings.reminders.mail_from,
    )
    .map_err(|err| anyhow::anyhow!("reminder mails: {err}"))?;
    if !settings.reminders.enabled {
        return Ok(None);
    }
    Ok(Some(Scheduler {
        db: db.clone(),
        run: DigestRun {
            mailer,
            public_url: public_url.trim_end_matches('/').to_owned(),
            holder: format!("server-{}", uuid::Uuid::new_v4().simple()),
        },
        every: settings.reminders.tick,
    }))
}

impl BoundServer {
    pub async fn bind(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        let acceptor = listen(settings.addr).await?;
        let mut state = state(db, settings)?;
        // Port 0 becomes a real port only now.
        if settings.public_url.is_none()
            && let Some(addr) = first_addr(&acceptor)
        {
            state.public_url = Arc::from(crate::config::default_public_url(addr));
        }
        let sealed = samudbud_domain::webhooks::seal_plain_secrets(&state.db, &state.secrets)
            .await
            .context("sealing the webhook secrets stored in the clear")?;
        if sealed > 0 {
            tracing::info!(sealed, "sealed webhook signing secrets stored in the clear");
        }
        let reminders = reminder_scheduler(settings, &state.db, &state.public_url)?;
        let webhooks = webhook_dispatcher(settings, &state.db, &state.public_url)?;
        let derivation = Derivation {
            db: state.db.clone(),
            holder: format!("server-{}", uuid::Uuid::new_v4().simple()),
        };
        let metrics = match settings.metrics.addr {
            Some(addr) => Some((
                listen(addr).await?,
                metrics_routes(state.clone()).map_to_response().boxed(),
            )),
            None => None,
        };
        Ok(Self {
            acceptor,
            app: routes(state, settings).map_to_response().boxed(),
            metrics,
            reminders,
            webhooks,
            derivation,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        first_addr(&self.acceptor)
    }

    /// Where `/metrics` is served, when it has an address of its own.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(acceptor, _)| first_addr(acceptor))
    }

    /// Serves the metrics address, if any, in the background.
    fn spawn_metrics(metrics: Option<Listening>) -> Option<tokio::task::JoinHandle<()>> {
        metrics.map(|(acceptor, app)| {
            tokio::spawn(async move {
                if let Err(err) = poem::Server::new_with_acceptor(acceptor).run(app).await {
                    tracing::error!(%err, "serving the metrics address failed");
                }
            })
        })
    }

    /// Serves until ctrl-c or SIGTERM, then lets running requests finish.
    pub async fn run(self) -> anyhow::Result<()> {
        let metrics = Self::spawn_metrics(self.metrics);
        let reminders = self.reminders.map(Scheduler::spawn);
        let webhooks = self.webhooks.map(WebhookDispatcher::spawn);
        let (stop_derivation, derivation) = self.derivation.spawn();
        let served = poem::Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(
                self.app,
                shutdown_signal(),
                Some(std::time::Duration::from_secs(10)),
            )
            .await
            .context("serving");
        if let Some(task) = metrics {
            task.abort();
        }
        stop_derivation.send(true).ok();
        derivation.await.ok();
        if let Some((stop, task)) = reminders {
            stop.send(true).ok();
            // A digest being sent may finish; a hung SMTP server may not
            // hold the shutdown up.
            if tokio::time::timeout(std::time::Duration::from_secs(10), task)
                .await
                .is_err()
            {
                tracing::warn!("the reminder scheduler did not stop in time");
            }
        }
        if let Some((stop, task)) = webhooks {
            stop.send(true).ok();
            // Deliveries in flight may finish; whatever does not is sent
            // again once its lease runs out.
            if tokio::time::timeout(std::time::Duration::from_secs(10), task)
                .await
                .is_err()
            {
                tracing::warn!("the webhook dispatcher did not stop in time");
            }
        }
        served
    }

    /// Serves until the process ends (for tests).
    pub async fn run_forever(self) -> std::io::Result<()> {
        let _metrics = Self::spawn_metrics(self.metrics);
        let _reminders = self.reminders.map(Scheduler::spawn);
        let _webhooks = self.webhooks.map(WebhookDispatcher::spawn);
        let _derivation = self.derivation.spawn();
        poem::Server::new_with_acceptor(self.acceptor)
            .run(self.app)
            .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use poem::test::TestClient;
    use tracing::Instrument;

    use super::*;

    #[handler]
    #[allow(clippy::panic)] // the panic is what is tested
    fn panics() -> &'static str {
        panic!("a bug in a handler")
    }

    #[handler]
    async fn logs_twice() -> &'static str {
        tracing::info!("in the handler");
        // Work a handler hands to a task of its own stays in the request.
        tokio::spawn(
            async { tracing::info!("in a task it spawned") }.instrument(tracing::Span::current()),
        )
        .await
        .ok();
        "ok"
    }

    /// What a log collector gets, as a writer the subscriber can make.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut buffer) = self.0.lock() {
                buffer.extend_from_slice(bytes);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A server state on an empty in-memory database, for the layers' tests.
    async fn bare_state() -> AppState {
        AppState {
            db: Db::connect("sqlite::memory:").await.unwrap(),
            keys: TokenKeys::from_secret(&[7; 32]),
            metrics: Arc::new(Metrics::new().unwrap()),
            trusted_proxies: Arc::default(),
            metrics_token: None,
            site: Arc::default(),
            logo: None,
            public_url: Arc::from("http://localhost"),
            webhook_urls: Default::default(),
            secrets: samudbud_domain::secrets::SecretBox::new(&[3; 32]),
            responses: Arc::new(crate::responses::ResponseCache::new(0)),
        }
    }

    /// Every JSON log line of a request, a spawned task's included, names
    /// the request id that its response carries.
    #[tokio::test]
    async fn log_lines_carry_the_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        // Other tests of this process may have run these call sites with no
        // subscriber, which tracing caches as "never interested".
        tracing::callsite::rebuild_interest_cache();
        let state = bare_state().await;
        let app = layered(Route::new().at("/logs", logs_twice), state, 1024);
        let response = TestClient::new(app)
            .get("/logs")
            .header("x-request-id", "log-test-7")
            .send()
            .await;
        response.assert_status_is_ok();
        response.assert_header("x-request-id", "log-test-7");

        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        for message in ["in the handler", "in a task it spawned", "served"] {
            let line = lines
                .iter()
                .find(|line| line["message"] == message)
                .unwrap_or_else(|| panic!("{message}: {text}"));
            assert_eq!(line["span"]["request_id"], "log-test-7", "{line}");
        }
    }

    /// A panicking handler answers through every layer: problem+json 500
    /// with the request id, the security headers, and a count in the metrics.
    #[tokio::test]
    async fn a_panic_becomes_an_observed_problem() {
        let state = bare_state().await;
        let counters = state.metrics.clone();
        let db = state.db.clone();
        let app = layered(Route::new().at("/panics", panics), state, 1024);
        let client = TestClient::new(app);

        let response = client
            .get("/panics")
            .header("x-request-id", "panic-test-1")
            .send()
            .await;
        response.assert_status(StatusCode::INTERNAL_SERVER_ERROR);
        response.assert_content_type("application/problem+json");
        response.assert_header("x-request-id", "panic-test-1");
        response.assert_header("x-content-type-options", "nosniff");
        response.assert_header("x-frame-options", "DENY");
        let body = response.json().await;
        let problem = body.value().object();
        problem.get("status").assert_i64(500);
        problem.get("request_id").assert_string("panic-test-1");
        problem
            .get("type")
            .assert_string("https://samudbud.dk/problems/internal");

        let rendered = counters.render(&db);
        assert!(
            rendered
                .lines()
                .any(|line| line.starts_with("samudbud_http_requests_total")
                    && line.contains("status=\"500\"")
                    && line.ends_with(" 1")),
            "{rendered}"
        );
    }
}
