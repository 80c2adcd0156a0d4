//! Reading a municipality's Kitos: what the importer needs, behind
//! `KitosSource`, and the HTTP implementation of it against the Kitos API
//! v2 (`HttpKitos`): a token from `GetToken`, fetched again before it
//! expires; lists paged by 250 until a short page. Every failure becomes a
//! `KitosError` that says, in Danish, what the admin can do about it.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use uuid::Uuid;

use super::model::{DeletedEntity, KitosContract, KitosSystemUsage, Organization, TokenEnvelope};
use crate::error::{DomainError, FieldError};

/// Kitos' largest page.
pub const PAGE_SIZE: usize = 250;

/// What went wrong when Kitos was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KitosError {
    /// 401: the e-mail and password are wrong, or the user is no API user.
    #[error("Kitos afviste brugeren")]
    Rejected,
    /// 403: the user may not read what was asked (Kitos' own words).
    #[error("Kitos nægtede adgang: {0}")]
    Forbidden(String),
    /// 404: no such address or object (Kitos' own words).
    #[error("Kitos fandt ikke det efterspurgte: {0}")]
    NotFound(String),
    /// No answer: a wrong address, a network failure or a timeout.
    #[error("Kitos kunne ikke nås: {0}")]
    Unreachable(String),
    /// An answer that is not what the Kitos API gives.
    #[error("Kitos svarede uventet: {0}")]
    Unexpected(String),
}

impl From<KitosError> for DomainError {
    fn from(e: KitosError) -> Self {
        match e {
            KitosError::Rejected => DomainError::Validation(vec![FieldError::new(
                "password",
                "rejected",
                "Kitos afviste brugeren: tjek e-mail og adgangskode, og at brugeren er \
                 API-bruger og medlem af kommunens organisation i Kitos",
            )]),
            KitosError::Forbidden(text) => DomainError::Validation(vec![FieldError::new(
                "email",
                "forbidden",
                format!(
                    "Kitos-brugeren har ikke adgang til kommunens data i Kitos ({})",
                    short(&text)
                ),
            )]),
            KitosError::NotFound(text) => DomainError::Validation(vec![FieldError::new(
                "base_url",
                "not_found",
                format!(
                    "Kitos kender ikke adressen eller organisationen ({}); tjek Kitos-adressen",
                    short(&text)
                ),
            )]),
            KitosError::Unreachable(why) => {
                DomainError::Upstream(format!("Kitos kunne ikke nås: {why}"))
            }
            KitosError::Unexpected(why) => {
                DomainError::Upstream(format!("Kitos svarede uventet: {why}"))
            }
        }
    }
}

/// Kitos' plain-text error bodies, shortened for a message.
fn short(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return "intet svar".into();
    }
    let cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

pub type KitosResult<T> = Result<T, KitosError>;

/// What the importer reads from a municipality's Kitos.
pub trait KitosSource: Send + Sync {
    /// Checks the credentials (fetches a token).
    fn authenticate(&self) -> impl Future<Output = KitosResult<()>> + Send;

    /// The organisation's contracts changed at or after `since` (all, when
    /// `None`), oldest change first.
    fn contracts(
        &self,
        organization: Uuid,
        since: Option<DateTime<Utc>>,
    ) -> impl Future<Output = KitosResult<Vec<KitosContract>>> + Send;

    /// The organisation's IT-system usages changed at or after `since`.
    fn system_usages(
        &self,
        organization: Uuid,
        since: Option<DateTime<Utc>>,
    ) -> impl Future<Output = KitosResult<Vec<KitosSystemUsage>>> + Send;

    /// Objects of `entity_type` (`ItContract`, `ItSystemUsage`) deleted at
    /// or after `since`, in every organisation.
    fn deleted(
        &self,
        entity_type: &str,
        since: Option<DateTime<Utc>>,
    ) -> impl Future<Output = KitosResult<Vec<DeletedEntity>>> + Send;

    /// The organisation whose CVR number is exactly `cvr`, if any.
    fn organization_by_cvr(
        &self,
        cvr: &str,
    ) -> impl Future<Output = KitosResult<Option<Organization>>> + Send;
}

/// A Kitos at `base` read as an API user.
pub struct HttpKitos {
    base: Url,
    email: String,
    password: String,
    http: reqwest::Client,
    page_size: usize,
    token: Mutex<Option<(String, DateTime<Utc>)>>,
}

/// A token this close to its expiry is fetched again.
const TOKEN_MARGIN_SECS: i64 = 300;

fn time_param(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl HttpKitos {
    pub fn new(base: &str, email: &str, password: &str) -> KitosResult<Self> {
        let mut base = Url::parse(base).map_err(|e| KitosError::Unexpected(e.to_string()))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Samudbud/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| KitosError::Unexpected(e.to_string()))?;
        Ok(Self {
            base,
            email: email.to_owned(),
            password: password.to_owned(),
            http,
            page_size: PAGE_SIZE,
            token: Mutex::new(None),
        })
    }

    /// Pages of `size` instead of Kitos' largest (for tests of paging).
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = size.clamp(1, PAGE_SIZE);
        self
    }

    fn url(&self, path: &str) -> KitosResult<Url> {
        self.base
            .join(path)
            .map_err(|e| KitosError::Unexpected(e.to_string()))
    }

    async fn fetch_token(&self) -> KitosResult<(String, DateTime<Utc>)> {
        let response = self
            .http
            .post(self.url("api/authorize/GetToken")?)
            .json(&serde_json::json!({"email": self.email, "password": self.password}))
            .send()
            .await
            .map_err(unreachable)?;
        let envelope: TokenEnvelope = read(response).await?;
        if !envelope.response.login_successful || envelope.response.token.is_empty() {
            return Err(KitosError::Rejected);
        }
        Ok((envelope.response.token, envelope.response.expires))
    }

    async fn bearer(&self) -> KitosResult<String> {
        let mut held = self.token.lock().await;
        if let Some((token, expires)) = held.as_ref()
            && *expires - chrono::Duration::seconds(TOKEN_MARGIN_SECS) > Utc::now()
        {
            return Ok(token.clone());
        }
        let (token, expires) = self.fetch_token().await?;
        *held = Some((token.clone(), expires));
        Ok(token)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> KitosResult<T> {
        let token = self.bearer().await?;
        let response = self
            .http
            .get(self.url(path)?)
            .query(query)
            .bearer_auth(token)
            .send()
            .await
            .map_err(unreachable)?;
        read(response).await
    }

    /// Every page of a list, until a short page.
    async fn all_pages<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Vec<(&str, String)>,
    ) -> KitosResult<Vec<T>> {
        let mut found = Vec::new();
        for page in 0.. {
            let mut params = query.clone();
            params.push(("page", page.to_string()));
            params.push(("pageSize", self.page_size.to_string()));
            let items: Vec<T> = self.get(path, &params).await?;
            let short = items.len() < self.page_size;
            found.extend(items);
            if short {
                break;
            }
        }
        Ok(found)
    }
}

fn unreachable(e: reqwest::Error) -> KitosError {
    let why = if e.is_timeout() {
        "den svarede ikke i tide".to_owned()
    } else if e.is_connect() {
        "forbindelsen kunne ikke oprettes; tjek Kitos-adressen".to_owned()
    } else {
        e.to_string()
    };
    KitosError::Unreachable(why)
}

async fn read<T: DeserializeOwned>(response: reqwest::Response) -> KitosResult<T> {
    let status = response.status();
    let body = response.text().await.map_err(unreachable)?;
    match status {
        s if s.is_success() => serde_json::from_str(&body)
            .map_err(|e| KitosError::Unexpected(format!("svaret kunne ikke læses ({e})"))),
        StatusCode::UNAUTHORIZED => Err(KitosError::Rejected),
        StatusCode::FORBIDDEN => Err(KitosError::Forbidden(body)),
        StatusCode::NOT_FOUND => Err(KitosError::NotFound(body)),
        other => Err(KitosError::Unexpected(format!(
            "HTTP {} ({})",
            other.as_u16(),
            short(&body)
        ))),
    }
}

impl KitosSource for HttpKitos {
    async fn authenticate(&self) -> KitosResult<()> {
        self.bearer().await.map(|_| ())
    }

    async fn contracts(
        &self,
        organization: Uuid,
        since: Option<DateTime<Utc>>,
    ) -> KitosResult<Vec<KitosContract>> {
        let mut query = vec![("organizationUuid", organization.to_string())];
        if let Some(since) = since {
            query.push(("changedSinceGtEq", time_param(since)));
        }
        self.all_pages("api/v2/it-contracts", query).await
    }

    async fn system_usages(
        &self,
        organization: Uuid,
        since: Option<DateTime<Utc>>,
    ) -> KitosResult<Vec<KitosSystemUsage>> {
        let mut query = vec![("organizationUuid", organization.to_string())];
        if let Some(since) = since {
            query.push(("changedSinceGtEq", time_param(since)));
        }
        self.all_pages("api/v2/it-system-usages", query).await
    }

    async fn deleted(
        &self,
        entity_type: &str,
        since: Option<DateTime<Utc>>,
    ) -> KitosResult<Vec<DeletedEntity>> {
        let mut query = vec![("entityType", entity_type.to_owned())];
        if let Some(since) = since {
            query.push(("deletedSinceUTC", time_param(since)));
        }
        self.all_pages("api/v2/delta-feed/deleted-entities", query)
            .await
    }

    async fn organization_by_cvr(&self, cvr: &str) -> KitosResult<Option<Organization>> {
        let wanted = cvr.trim();
        // `cvrContent` matches a substring: keep the exact one.
        let found: Vec<Organization> = self
            .all_pages(
                "api/v2/organizations",
                vec![("cvrContent", wanted.to_owned())],
            )
            .await?;
        Ok(found
            .into_iter()
            .find(|o| o.cvr.as_deref().map(str::trim) == Some(wanted)))
    }
}
