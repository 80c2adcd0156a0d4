//! What every request can reach: the database, the token keys, the metrics,
//! the trusted proxies, who may read the metrics and who runs the site.

use std::sync::Arc;

use samudbud_domain::Db;
use samudbud_domain::auth::tokens::TokenKeys;

use crate::config::{SiteLogo, SiteSettings};
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
    /// The operator, as the web app's footer names them.
    pub site: Arc<SiteSettings>,
    pub logo: Option<Arc<SiteLogo>>,
    /// The service's public base URL, without a trailing slash: links in
    /// calendar feeds and reminder mails.
    pub public_url: Arc<str>,
    /// Which webhook endpoint addresses are accepted; the same rule holds
    /// for a municipality's Kitos address.
    pub webhook_urls: samudbud_domain::webhooks::UrlRules,
    /// Seals and opens stored secrets (a Kitos API user's password).
    pub secrets: samudbud_domain::secrets::SecretBox,
    /// The register's most read answers, kept while their data stands.
    pub responses: Arc<crate::responses::ResponseCache>,
}
