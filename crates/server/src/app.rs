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
use samudbud_domain::Db;
use samudbud_domain::auth::tokens::TokenKeys;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::api;
use crate::config::{Settings, redact_url};
use crate::metrics::Metrics;
use crate::middleware::{allow_methods, limit_body, observe, security_headers};
use crate::problem::ApiError;
use crate::state::AppState;

/// Connects to the database and brings its schema up to date.
pub async fn connect_and_migrate(database_url: &str) -> anyhow::Result<Db> {
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
    let db = Db::connect(database_url)
        .await
        .with_context(|| format!("connecting to {}", redact_url(database_url)))?;
    crate::migrate(&db)
        .await
        .context("migrating the database")?;
    warn_if_row_security_is_bypassed(&db).await;
    Ok(db)
}

/// Row-level security binds neither superusers nor roles with BYPASSRLS; the
/// backstop is then gone, which an operator should hear about.
async fn warn_if_row_security_is_bypassed(db: &Db) {
    if db.backend() != DbBackend::Postgres {
        return;
    }
    let query = Statement::from_string(
        DbBackend::Postgres,
        "SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user",
    );
    if let Ok(Some(row)) = db.connection().query_one_raw(query).await
        && row.try_get::<bool>("", "bypass").unwrap_or(false)
    {
        tracing::warn!(
            "the database role bypasses row-level security; connect as an ordinary role \
             so that tenant isolation has its database backstop"
        );
    }
}

pub fn state(db: Db, settings: &Settings) -> anyhow::Result<AppState> {
    Ok(AppState {
        db,
        keys: TokenKeys::from_secret(&settings.jwt_secret),
        metrics: Arc::new(Metrics::new()?),
        trust_forwarded_for: settings.trust_forwarded_for,
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

#[handler]
fn metrics(state: Data<&AppState>) -> Response {
    Response::builder()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}

pub fn routes(state: AppState, settings: &Settings) -> impl Endpoint + use<> {
    let api = api::service();
    let docs = api.swagger_ui();
    let mut route = Route::new()
        .nest(api::API_PREFIX, api)
        .at(format!("{}/openapi.json", api::API_PREFIX), openapi_json)
        .nest("/api/docs", docs)
        .at("/healthz", healthz)
        .at("/readyz", readyz)
        .at("/metrics", metrics);
    if let Some(web_dir) = settings
        .web_dir
        .as_ref()
        .filter(|dir| dir.join("index.html").is_file())
    {
        route = route.nest(
            "/",
            StaticFilesEndpoint::new(web_dir)
                .index_file("index.html")
                .fallback_to_index(),
        );
    }
    let body_limit = settings.body_limit_bytes;
    route
        .around(allow_methods)
        .around(move |next, req| limit_body(next, req, body_limit))
        .around(security_headers)
        .around(observe)
        .with(poem::middleware::CatchPanic::new().with_handler(|_| {
            tracing::error!("a request handler panicked");
            ApiError::internal()
        }))
        .data(state)
}

/// A bound, not yet serving, server: tests bind port 0 and read the address.
pub struct BoundServer {
    acceptor: poem::listener::TcpAcceptor,
    app: poem::endpoint::BoxEndpoint<'static, Response>,
}

impl BoundServer {
    pub async fn bind(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        let state = state(db, settings)?;
        let acceptor = TcpListener::bind(settings.addr)
            .into_acceptor()
            .await
            .with_context(|| format!("listening on {}", settings.addr))?;
        Ok(Self {
            acceptor,
            app: routes(state, settings).map_to_response().boxed(),
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
    }

    /// Serves until ctrl-c or SIGTERM, then lets running requests finish.
    pub async fn run(self) -> anyhow::Result<()> {
        poem::Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(
                self.app,
                shutdown_signal(),
                Some(std::time::Duration::from_secs(10)),
            )
            .await
            .context("serving")
    }

    /// Serves until the process ends (for tests).
    pub async fn run_forever(self) -> std::io::Result<()> {
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
