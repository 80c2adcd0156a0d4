//! What every request can reach: the database and the token keys.

use std::sync::Arc;

use samudbud_domain::Db;
use samudbud_domain::auth::tokens::TokenKeys;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub metrics: Arc<Metrics>,
    pub trust_forwarded_for: bool,
}
