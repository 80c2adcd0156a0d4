//! What every request can reach: the database, the token keys, the metrics,
//! the trusted proxies and who may read the metrics.

use std::sync::Arc;

use samudbud_domain::Db;
use samudbud_domain::auth::tokens::TokenKeys;

use crate::metrics::Metrics;
use crate::proxies::TrustedProxies;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub metrics: Arc<Metrics>,
    pub trusted_proxies: Arc<TrustedProxies>,
    /// The bearer token `/metrics` requires, if any.
    pub metrics_token: Option<Arc<str>>,
}
