//! API clients: credentials a municipality admin issues to an integrator.
//! The secret is shown once, stored only as a hash, and can be rotated; a
//! revoked client's tokens stop working at once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ConnectionTrait, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::tokens::{random_secret, token_hash};
use crate::db::{Db, Scope, scoped, scoped_get};
use crate::entities::api_client;
use crate::error::{DomainError, DomainResult, check_version};
use crate::policy::{Action, authorize};
use crate::principal::{ClientScope, Principal, TenantId};
use crate::rate_limits;
use crate::values::required_text;
use crate::versioned::{apply_next_version, next_version};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApiClient {
    pub id: Uuid,
    pub name: String,
    pub client_id: String,
    #[serde(serialize_with = "serialize_scopes")]
    pub scopes: Vec<ClientScope>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub secret_rotated_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Requests per minute the client may make (`rate_limits`).
    pub rate_limit_per_minute: i32,
}

fn serialize_scopes<S: serde::Serializer>(scopes: &[ClientScope], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ClientScope::join(scopes))
}

impl From<api_client::Model> for ApiClient {
    fn from(m: api_client::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            client_id: m.client_id,
            scopes: ClientScope::parse_list(&m.scopes),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            secret_rotated_at: m.secret_rotated_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
            rate_limit_per_minute: m.rate_limit_per_minute,
        }
    }
}

/// A client together with its secret, which exists only in this answer.
#[derive(Debug, Clone)]
pub struct IssuedClient {
    pub client: ApiClient,
    pub client_secret: String,
}

fn admin_tenant(principal: &Principal) -> DomainResult<TenantId> {
    match authorize(principal, Action::ManageApiClients)? {
        Scope::Tenant(tenant) => Ok(tenant),
        Scope::System => Err(DomainError::Forbidden(
            "API clients belong to a municipality",
        )),
    }
}

fn check_scopes(scopes: &[ClientScope]) -> DomainResult<String> {
    if scopes.is_empty() {
        return Err(DomainError::invalid(
            "scopes",
            "required",
            "grant at least one scope",
        ));
    }
    let mut sorted = scopes.to_vec();
    sorted.sort();
    sorted.dedup();
    Ok(ClientScope::join(&sorted))
}

pub async fn list_api_clients(db: &Db, principal: &Principal) -> DomainResult<Vec<ApiClient>> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped::<api_client::Entity>(tenant)
        .order_by_asc(api_client::Column::Name)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.into_iter().map(ApiClient::from).collect())
}

pub async fn get_api_client(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<ApiClient> {
    let tenant = admin_tenant(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = scoped_get::<api_client::Entity, _>(&txn, tenant, id).await?;
    txn.commit().await?;
    Ok(found.into())
}

pub async fn create_api_client(
    db: &Db,
    principal: &Principal,
    name: &str,
    scopes: &[ClientScope],
    rate_limit_per_minute: Option<i32>,
) -> DomainResult<IssuedClient> {
    let tenant = admin_tenant(principal)?;
    let mut errors = Vec::new();
    let rate_limit = match rate_limit_per_minute.map(rate_limits::check_limit) {
        None => rate_limits::DEFAULT_PER_MINUTE,
        Some(Ok(limit)) => limit,
        Some(Err(DomainError::Validation(mut e))) => {
            errors.append(&mut e);
            rate_limits::DEFAULT_PER_MINUTE
        }
        Some(Err(other)) => return Err(other),
    };
    let name = required_text("name", name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let scopes = match check_scopes(scopes) {
        Ok(joined) => Some(joined),
        Err(DomainError::Validation(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(name), Some(scopes), true) = (name, scopes, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let secret = new_secret();
    let now = Utc::now();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let created: ApiClient = api_client::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        name: Set(name),
        client_id: Set(format!("sbc_{}", &random_secret()[..24])),
        secret_hash: Set(token_hash(&secret)),
        scopes: Set(scopes),
        version: Set(1),
        created_by: Set(principal.actor_id()),
        created_at: Set(now),
        updated_at: Set(now),
        secret_rotated_at: Set(None),
        last_used_at: Set(None),
        revoked_at: Set(None),
        rate_limit_per_minute: Set(rate_limit),
    }
    .insert(&txn)
    .await?
    .into();
    record(
        &txn,
        principal,
        tenant,
        "api_client.created",
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedClient {
        client: created,
        client_secret: secret,
    })
}

/// Changes a client's name, scopes or rate limit. Needs the version last read.
pub async fn update_api_client(
    db: &Db,
    principal: &Principal,
    id: Uuid,
    expected_version: Option<i32>,
    name: Option<&str>,
    scopes: Option<&[ClientScope]>,
    rate_limit_per_minute: Option<i32>,
) -> DomainResult<ApiClient> {
    let tenant = admin_tenant(principal)?;
    let name = name
        .map(|n| required_text("name", n, 200).map_err(|e| DomainError::Validation(vec![e])))
        .transpose()?;
    let scopes = scopes.map(check_scopes).transpose()?;
    let rate_limit = rate_limit_per_minute
        .map(rate_limits::check_limit)
        .transpose()?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<api_client::Entity, _>(&txn, tenant, id).await?;
    check_version(current.version, expected_version)?;
    if current.revoked_at.is_some() {
        return Err(DomainError::conflict(
            "the client is revoked; create a new one",
        ));
    }
    let mut update = next_version::<api_client::Entity>(tenant, &current);
    if let Some(name) = name {
        update = update.col_expr(api_client::Column::Name, Expr::value(name));
    }
    if let Some(scopes) = scopes {
        update = update.col_expr(api_client::Column::Scopes, Expr::value(scopes));
    }
    if let Some(limit) = rate_limit {
        update = update.col_expr(api_client::Column::RateLimitPerMinute, Expr::value(limit));
    }
    let after = apply_next_version::<api_client::Entity, _>(&txn, tenant, update, id)
        .await?
        .into();
    record(
        &txn,
        principal,
        tenant,
        "api_client.updated",
        Some(&current.into()),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Replaces the secret; the old one stops working at once.
pub async fn rotate_secret(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<IssuedClient> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<api_client::Entity, _>(&txn, tenant, id).await?;
    if current.revoked_at.is_some() {
        return Err(DomainError::conflict(
            "the client is revoked; create a new one",
        ));
    }
    let secret = new_secret();
    let update = next_version::<api_client::Entity>(tenant, &current)
        .col_expr(
            api_client::Column::SecretHash,
            Expr::value(token_hash(&secret)),
        )
        .col_expr(api_client::Column::SecretRotatedAt, Expr::value(Utc::now()));
    let after = apply_next_version::<api_client::Entity, _>(&txn, tenant, update, id)
        .await?
        .into();
    record(
        &txn,
        principal,
        tenant,
        "api_client.secret_rotated",
        Some(&current.into()),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedClient {
        client: after,
        client_secret: secret,
    })
}

/// Revokes a client for good; revoking twice is harmless.
pub async fn revoke_api_client(db: &Db, principal: &Principal, id: Uuid) -> DomainResult<()> {
    let tenant = admin_tenant(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let current = scoped_get::<api_client::Entity, _>(&txn, tenant, id).await?;
    if current.revoked_at.is_none() {
        let update = next_version::<api_client::Entity>(tenant, &current)
            .col_expr(api_client::Column::RevokedAt, Expr::value(Utc::now()));
        let after = apply_next_version::<api_client::Entity, _>(&txn, tenant, update, id)
            .await?
            .into();
        record(
            &txn,
            principal,
            tenant,
            "api_client.revoked",
            Some(&current.into()),
            Some(&after),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

fn new_secret() -> String {
    format!("sbs_{}", random_secret())
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    action: &str,
    before: Option<&ApiClient>,
    after: Option<&ApiClient>,
) -> DomainResult<()> {
    let object_id = after.or(before).map(|c| c.id).unwrap_or_default();
    audit::record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: "api_client",
            object_id,
            before: before.and_then(|c| serde_json::to_value(c).ok()),
            after: after.and_then(|c| serde_json::to_value(c).ok()),
        },
    )
    .await
}
