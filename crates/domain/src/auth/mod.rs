//! Logging in and staying logged in: password login with throttling,
//! rotating refresh tokens with reuse detection, logout, and turning an
//! access token into a `Principal`.

pub mod password;
pub mod throttle;
pub mod tokens;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryResult, Set};
use uuid::Uuid;

use crate::contracts::{ContractAhead, ContractRider};
use crate::db::{Db, Scope, all_tenants, all_tenants_update};
use crate::entities::{api_client, refresh_token, user};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::principal::{CLIENT_ROLE, ClientScope, OPERATOR_ROLE, Principal, TenantId};
use crate::values::{Lines, check_chars};
use crate::view_versions::ViewVersion;
use tokens::{ACCESS_TOKEN_TTL, TokenKeys, random_secret, token_hash};

/// What a successful login or refresh hands out.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in_secs: i64,
}

pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    /// The client's address, for per-address throttling.
    pub client_address: String,
}

const WRONG_CREDENTIALS: &str = "wrong e-mail or password";

pub async fn login(db: &Db, keys: &TokenKeys, attempt: LoginAttempt) -> DomainResult<TokenPair> {
    let mut missing = Vec::new();
    if attempt.email.trim().is_empty() {
        missing.push(FieldError::new(
            "email",
            "required",
            "an e-mail address is required",
        ));
    }
    if attempt.password.is_empty() {
        missing.push(FieldError::new(
            "password",
            "required",
            "a password is required",
        ));
    }
    if let Err(e) = check_chars("email", &attempt.email, Lines::Single) {
        missing.push(e);
    }
    if !missing.is_empty() {
        return Err(DomainError::Validation(missing));
    }
    let email = attempt.email.trim().to_lowercase();
    let account_key = throttle::account_key(&email);
    let address_key = throttle::address_key(&attempt.client_address);
    let now = Utc::now();

    // The attempt takes its place in both counts first; a refusal rolls
    // both back, so an attempt that is not evaluated is not counted.
    let found = {
        let txn = db.write(Scope::System).await?;
        if let Err(refused) = reserve_attempt(&txn, &address_key, &account_key, now).await {
            txn.rollback().await?;
            return Err(refused);
        }
        let found = all_tenants::<user::Entity>()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        txn.commit().await?;
        found
    };

    let verified = password::verify_password(
        attempt.password,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;

    // A failure keeps its reservations: they are the failure counts.
    let Some(account) = found.filter(|_| verified) else {
        return Err(DomainError::Unauthenticated(WRONG_CREDENTIALS));
    };
    let txn = db.write(Scope::System).await?;
    throttle::release(&txn, &address_key).await?;
    if !account.active {
        throttle::release(&txn, &account_key).await?;
        txn.commit().await?;
        return Err(DomainError::Unauthenticated(
            "this account has been deactivated",
        ));
    }
    throttle::clear(&txn, &account_key).await?;
    all_tenants_update::<user::Entity>()
        .col_expr(user::Column::LastLoginAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let session_ends_at = now + keys.session_lifetime();
    let refresh_token =
        insert_refresh_token(&txn, &account, Uuid::new_v4(), session_ends_at).await?;
    txn.commit().await?;

    tracing::info!(user_id = %account.id, "login");
    session_pair(keys, &account, refresh_token, session_ends_at)
}

/// Exchanges a refresh token for a new pair. Each refresh token works once;
/// presenting a used or revoked one means it was copied, so the whole
/// session (the token family) is revoked.
pub async fn refresh(db: &Db, keys: &TokenKeys, presented: &str) -> DomainResult<TokenPair> {
    let now = Utc::now();
    let txn = db.write(Scope::System).await?;
    let Some(stored) = all_tenants::<refresh_token::Entity>()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(&txn)
        .await?
    else {
        return Err(DomainError::Unauthenticated(
            "the refresh token is not valid",
        ));
    };

    if stored.used_at.is_some() || stored.revoked_at.is_some() {
        let reused = stored.revoked_at.is_none();
        revoke_family(&txn, stored.family_id).await?;
        txn.commit().await?;
        if reused {
            tracing::warn!(user_id = %stored.user_id, family = %stored.family_id,
                "refresh token reused; session revoked");
        }
        return Err(DomainError::Unauthenticated("the session has been revoked"));
    }
    if stored.expires_at <= now {
        return Err(DomainError::Unauthenticated("the session has expired"));
    }

    // Marks the token used only if nobody else did in the meantime.
    let marked = all_tenants_update::<refresh_token::Entity>()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(stored.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        revoke_family(&txn, stored.family_id).await?;
        txn.commit().await?;
        return Err(DomainError::Unauthenticated("the session has been revoked"));
    }

    let account = all_tenants::<user::Entity>()
        .filter(user::Column::Id.eq(stored.user_id))
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or(DomainError::Unauthenticated(
            "this account has been deactivated",
        ))?;
    // The session's end travels from token to token: refreshing never
    // moves it.
    let refresh_token =
        insert_refresh_token(&txn, &account, stored.family_id, stored.expires_at).await?;
    txn.commit().await?;

    session_pair(keys, &account, refresh_token, stored.expires_at)
}

/// Ends the session the refresh token belongs to. Unknown tokens are
/// ignored, so logging out twice is harmless.
pub async fn logout(db: &Db, presented: &str) -> DomainResult<()> {
    let txn = db.write(Scope::System).await?;
    if let Some(stored) = all_tenants::<refresh_token::Entity>()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(&txn)
        .await?
    {
        revoke_family(&txn, stored.family_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Turns a bearer access token into the acting principal. The user (or API
/// client) is read on every request, in one round trip, so a deactivation,
/// role change or revocation applies at once, on every server, rather than
/// when the token expires. A municipality's account comes with its view
/// version, read in the same round trip on PostgreSQL; an operator has none.
///
/// A request that reads one contract names it (`contract`): the account
/// then comes with that contract too, read in the same statement where it
/// can be ([`ContractAhead`]), for `contracts::get_contract_read_ahead` to
/// give once the principal may read it.
pub async fn authenticate(
    db: &Db,
    keys: &TokenKeys,
    bearer: &str,
    contract: Option<Uuid>,
) -> DomainResult<(Principal, Option<ViewVersion>, Option<ContractAhead>)> {
    let claims = keys.check_access(bearer)?;
    let rider = |tenant| contract.and_then(|id| ContractRider::new(db, tenant, id));
    let gone = DomainError::Unauthenticated("the account no longer exists or is deactivated");
    let revoked = || DomainError::Unauthenticated("the API client has been revoked");
    if claims.role == CLIENT_ROLE {
        let tenant = TenantId(claims.tid.ok_or(DomainError::Unauthenticated(
            "the access token is not valid",
        ))?);
        let rider = rider(tenant);
        let (client, view, row) = db
            .account_at_once::<api_client::Entity>(
                tenant,
                claims.sub,
                rider.as_ref().map(|r| &r.rider),
            )
            .await
            .map_err(|e| not_there_is(e, revoked()))?;
        if client.revoked_at.is_some() {
            return Err(revoked());
        }
        let ahead = read_ahead(rider, row)?;
        // What the token asked for, as far as the client is still granted it.
        let carried = ClientScope::parse_list(claims.scope.as_deref().unwrap_or_default());
        let scopes = ClientScope::parse_list(&client.scopes)
            .into_iter()
            .filter(|s| carried.contains(s))
            .collect();
        let principal = Principal::Client {
            client_id: client.id,
            tenant_id: tenant,
            name: client.name,
            scopes,
        };
        return Ok((principal, Some(view), ahead));
    }
    match claims.tid {
        Some(tid) => {
            let tenant = TenantId(tid);
            let rider = rider(tenant);
            let (account, view, row) = db
                .account_at_once::<user::Entity>(
                    tenant,
                    claims.sub,
                    rider.as_ref().map(|r| &r.rider),
                )
                .await
                .map_err(|e| not_there_is(e, gone))?;
            if !account.active {
                return Err(DomainError::Unauthenticated(
                    "the account no longer exists or is deactivated",
                ));
            }
            let role = account
                .role
                .parse()
                .map_err(|()| DomainError::Internal(format!("unknown role {}", account.role)))?;
            let principal = Principal::User {
                user_id: account.id,
                tenant_id: tenant,
                role,
                email: account.email,
            };
            Ok((principal, Some(view), read_ahead(rider, row)?))
        }
        None => {
            let txn = db.read(Scope::System).await?;
            let account = all_tenants::<user::Entity>()
                .filter(user::Column::Id.eq(claims.sub))
                .filter(user::Column::TenantId.is_null())
                .filter(user::Column::Role.eq(OPERATOR_ROLE))
                .filter(user::Column::Active.eq(true))
                .one(&txn)
                .await?
                .ok_or(gone)?;
            txn.commit().await?;
            let principal = Principal::Operator {
                user_id: account.id,
                email: account.email,
            };
            Ok((principal, None, None))
        }
    }
}

/// An account's read that found no account is `refusal`; any other error
/// (the database's) is itself, not a reason to send the caller to log in
/// again.
fn not_there_is(error: DomainError, refusal: DomainError) -> DomainError {
    match error {
        DomainError::NotFound => refusal,
        other => other,
    }
}

/// The contract `rider` read into the account's `row`, if it rode along.
fn read_ahead(
    rider: Option<ContractRider>,
    row: Option<QueryResult>,
) -> DomainResult<Option<ContractAhead>> {
    match (rider, row) {
        (Some(rider), Some(row)) => Ok(Some(rider.read(&row)?)),
        _ => Ok(None),
    }
}

/// What the client-credentials grant hands out.
#[derive(Debug, Clone)]
pub struct ClientToken {
    pub access_token: String,
    pub expires_in_secs: i64,
    pub scopes: Vec<ClientScope>,
}

pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
    /// Space-separated scopes asked for; absent means all granted ones.
    pub scope: Option<String>,
    pub client_address: String,
}

/// The OAuth 2.0 client-credentials grant: an API client's id and secret
/// for a short-lived access token that acts for its municipality within its
/// scopes. Failures are throttled like password logins.
pub async fn client_token(
    db: &Db,
    keys: &TokenKeys,
    credentials: ClientCredentials,
) -> DomainResult<ClientToken> {
    check_chars("client_id", &credentials.client_id, Lines::Single)?;
    let now = Utc::now();
    let account_key = throttle::client_key(&credentials.client_id);
    let address_key = throttle::address_key(&credentials.client_address);
    let found = {
        let txn = db.write(Scope::System).await?;
        if let Err(refused) = reserve_attempt(&txn, &address_key, &account_key, now).await {
            txn.rollback().await?;
            return Err(refused);
        }
        let found = all_tenants::<api_client::Entity>()
            .filter(api_client::Column::ClientId.eq(credentials.client_id.as_str()))
            .one(&txn)
            .await?;
        txn.commit().await?;
        found
    };
    let valid = found.filter(|c| {
        c.revoked_at.is_none()
            && constant_time_eq(
                c.secret_hash.as_bytes(),
                token_hash(&credentials.client_secret).as_bytes(),
            )
    });
    let Some(client) = valid else {
        return Err(DomainError::Unauthenticated(
            "unknown client, wrong secret or revoked client",
        ));
    };
    let txn = db.write(Scope::System).await?;
    throttle::release(&txn, &address_key).await?;
    throttle::clear(&txn, &account_key).await?;
    let granted = ClientScope::parse_list(&client.scopes);
    let scopes = match credentials
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => granted,
        Some(asked) => {
            let mut chosen = Vec::new();
            for word in asked.split_whitespace() {
                match word.parse::<ClientScope>() {
                    Ok(scope) if granted.contains(&scope) => chosen.push(scope),
                    _ => {
                        txn.commit().await?;
                        return Err(DomainError::invalid(
                            "scope",
                            "invalid_scope",
                            format!("the client is not granted the scope {word}"),
                        ));
                    }
                }
            }
            chosen
        }
    };
    all_tenants_update::<api_client::Entity>()
        .col_expr(api_client::Column::LastUsedAt, Expr::value(now))
        .filter(api_client::Column::Id.eq(client.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(ClientToken {
        access_token: keys.issue_access_with_scope(
            client.id,
            Some(client.tenant_id),
            CLIENT_ROLE,
            Some(ClientScope::join(&scopes)),
        )?,
        expires_in_secs: ACCESS_TOKEN_TTL.num_seconds(),
        scopes,
    })
}

/// Counts an attempt against its address and its account, always in that
/// order so that concurrent reservations cannot deadlock.
async fn reserve_attempt<C: ConnectionTrait>(
    conn: &C,
    address_key: &str,
    account_key: &str,
    now: chrono::DateTime<Utc>,
) -> DomainResult<()> {
    throttle::reserve(conn, address_key, throttle::PER_ADDRESS, now).await?;
    throttle::reserve(conn, account_key, throttle::PER_ACCOUNT, now).await
}

/// Compares two equal-length hashes without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn session_pair(
    keys: &TokenKeys,
    account: &user::Model,
    refresh_token: String,
    session_ends_at: chrono::DateTime<Utc>,
) -> DomainResult<TokenPair> {
    let (access_token, lifetime) = keys.issue_session_access(
        account.id,
        account.tenant_id,
        &account.role,
        session_ends_at,
    )?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        expires_in_secs: lifetime.num_seconds().max(0),
    })
}

/// A new refresh token of the session `family_id`; it, like every token of
/// the session, expires when the session ends.
async fn insert_refresh_token<C: ConnectionTrait>(
    conn: &C,
    account: &user::Model,
    family_id: Uuid,
    session_ends_at: chrono::DateTime<Utc>,
) -> DomainResult<String> {
    let token = random_secret();
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        family_id: Set(family_id),
        user_id: Set(account.id),
        tenant_id: Set(account.tenant_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(session_ends_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

async fn revoke_family<C: ConnectionTrait>(conn: &C, family_id: Uuid) -> DomainResult<()> {
    all_tenants_update::<refresh_token::Entity>()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user (on deactivation or password change).
pub async fn revoke_all_sessions<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
) -> DomainResult<()> {
    crate::db::scoped_update::<refresh_token::Entity>(tenant)
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
