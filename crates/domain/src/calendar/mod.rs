//! Private calendar feeds: a secret address per user from which a calendar
//! program (Outlook, Google Calendar, Apple Calendar) subscribes to the
//! municipality's agenda (`agenda`). The address is the only credential,
//! so it is shown once, stored as a hash, replaced by creating a new one and
//! revoked at will; a deactivated user's feed stops answering at once.
//!
//! A token is a 16-character selector followed by a 43-character secret
//! (URL-safe base64). The selector finds the row across municipalities in
//! the system scope, as login and token refresh find theirs; the hash of the
//! whole token is then compared in constant time.

pub mod ics;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::agenda::{self, AgendaItem};
use crate::audit::{Change, record};
use crate::auth::tokens::{random_secret, token_hash};
use crate::db::{Db, Scope, all_tenants, platform_by_id, scoped, scoped_update};
use crate::entities::{calendar_feed, reminder_setting, tenant};
use crate::error::{DomainError, DomainResult};
use crate::policy::{Action, authorize};
use crate::principal::{Principal, TenantId};

const SELECTOR_LEN: usize = 16;
const TOKEN_LEN: usize = SELECTOR_LEN + 43;
const KIND: &str = "calendar_feed";

/// How far back and ahead the feed reaches: recent past items stay visible,
/// and notice deadlines are often years away.
pub const DAYS_BACK: u64 = 90;
pub const DAYS_AHEAD: u64 = 5 * 366;

/// A feed as its owner sees it: never the token.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeedStatus {
    pub active: bool,
    pub token_hint: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A new feed with its token, which exists only in this answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedFeed {
    pub token: String,
    pub token_hint: String,
    pub created_at: DateTime<Utc>,
}

/// The feed's content, ready to be written.
#[derive(Debug, Clone)]
pub struct Feed {
    pub tenant_name: String,
    pub items: Vec<AgendaItem>,
}

fn user_of(principal: &Principal) -> DomainResult<(TenantId, Uuid)> {
    authorize(principal, Action::UseCalendarFeed)?;
    match principal {
        Principal::User {
            tenant_id, user_id, ..
        } => Ok((*tenant_id, *user_id)),
        _ => Err(DomainError::Forbidden(
            "calendar feeds belong to a municipality's users",
        )),
    }
}

/// The caller's active feed, if any.
pub async fn feed_status(db: &Db, principal: &Principal) -> DomainResult<FeedStatus> {
    let (tenant, user_id) = user_of(principal)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let active = active_feed(&txn, tenant, user_id).await?;
    txn.commit().await?;
    Ok(match active {
        Some(feed) => FeedStatus {
            active: true,
            token_hint: Some(feed.token_hint),
            created_at: Some(feed.created_at),
            last_used_at: feed.last_used_at,
        },
        None => FeedStatus {
            active: false,
            token_hint: None,
            created_at: None,
            last_used_at: None,
        },
    })
}

/// A new feed address for the caller; the one it had stops working.
pub async fn create_feed(db: &Db, principal: &Principal) -> DomainResult<IssuedFeed> {
    let (tenant, user_id) = user_of(principal)?;
    let token = new_token();
    let token_hint = hint(&token);
    let now = Utc::now();
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let replaced = revoke_active(
        &txn,
        principal,
        tenant,
        user_id,
        now,
        "calendar_feed.replaced",
    )
    .await?;
    let created = calendar_feed::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        user_id: Set(user_id),
        selector: Set(token[..SELECTOR_LEN].to_owned()),
        token_hash: Set(token_hash(&token)),
        token_hint: Set(token_hint.clone()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        principal,
        Some(tenant),
        Change {
            action: "calendar_feed.created",
            object_kind: KIND,
            object_id: created.id,
            before: None,
            after: Some(json!({
                "user_id": user_id,
                "token_hint": token_hint,
                "replaces": replaced,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedFeed {
        token,
        token_hint,
        created_at: now,
    })
}

/// Revokes the caller's feed; nothing happens when there is none.
pub async fn revoke_feed(db: &Db, principal: &Principal) -> DomainResult<()> {
    let (tenant, user_id) = user_of(principal)?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    revoke_active(
        &txn,
        principal,
        tenant,
        user_id,
        Utc::now(),
        "calendar_feed.revoked",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the feed at `token` shows today, or `NotFound` for an unknown,
/// revoked or malformed token and for a user who is no longer active.
pub async fn feed(db: &Db, token: &str) -> DomainResult<Feed> {
    feed_on(db, token, crate::clock::today()).await
}

/// `feed` as of `today`.
pub async fn feed_on(db: &Db, token: &str, today: NaiveDate) -> DomainResult<Feed> {
    if token.len() != TOKEN_LEN
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(DomainError::NotFound);
    }
    let presented = token_hash(token);
    let txn = db.read(Scope::System).await?;
    let found = all_tenants::<calendar_feed::Entity>()
        .filter(calendar_feed::Column::Selector.eq(&token[..SELECTOR_LEN]))
        .one(&txn)
        .await?;
    txn.commit().await?;
    let feed = found
        .filter(|f| constant_time_eq(f.token_hash.as_bytes(), presented.as_bytes()))
        .filter(|f| f.revoked_at.is_none())
        .ok_or(DomainError::NotFound)?;
    let tenant = TenantId(feed.tenant_id);
    // The user as they are now: a deactivated user's feed answers nothing.
    let principal = agenda::user_principal(db, tenant, feed.user_id).await?;
    let from = today
        .checked_sub_days(Days::new(DAYS_BACK))
        .unwrap_or(today);
    let to = today
        .checked_add_days(Days::new(DAYS_AHEAD))
        .unwrap_or(today);
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let stored = scoped::<reminder_setting::Entity>(tenant)
        .filter(reminder_setting::Column::UserId.eq(feed.user_id))
        .one(&txn)
        .await?
        .and_then(|r| r.calendar_contract_scope);
    let coverage = agenda::Coverage::resolve(&txn, tenant, feed.user_id, stored.as_deref()).await?;
    txn.commit().await?;
    let items = agenda::upcoming(db, &principal, from, to, coverage).await?;
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let tenant_name = platform_by_id::<tenant::Entity, _>(tenant.0)
        .one(&txn)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    mark_used(&txn, tenant, feed.id, Utc::now()).await?;
    txn.commit().await?;
    Ok(Feed { tenant_name, items })
}

/// Notes when a calendar program last fetched the feed, at most once a
/// minute, so that polling does not turn every read into a write.
async fn mark_used<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let recent = now - chrono::Duration::minutes(1);
    scoped_update::<calendar_feed::Entity>(tenant)
        .col_expr(calendar_feed::Column::LastUsedAt, Expr::value(now))
        .filter(calendar_feed::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(calendar_feed::Column::LastUsedAt.is_null())
                .add(calendar_feed::Column::LastUsedAt.lt(recent)),
        )
        .exec(conn)
        .await?;
    Ok(())
}

async fn active_feed<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
) -> DomainResult<Option<calendar_feed::Model>> {
    Ok(scoped::<calendar_feed::Entity>(tenant)
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .order_by_desc(calendar_feed::Column::CreatedAt)
        .one(conn)
        .await?)
}

/// Revokes the user's active feed, with an audit record; its id, if any.
async fn revoke_active<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    tenant: TenantId,
    user_id: Uuid,
    now: DateTime<Utc>,
    action: &str,
) -> DomainResult<Option<Uuid>> {
    let Some(current) = active_feed(conn, tenant, user_id).await? else {
        return Ok(None);
    };
    scoped_update::<calendar_feed::Entity>(tenant)
        .col_expr(calendar_feed::Column::RevokedAt, Expr::value(now))
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    record(
        conn,
        principal,
        Some(tenant),
        Change {
            action,
            object_kind: KIND,
            object_id: current.id,
            before: Some(json!({
                "user_id": user_id,
                "token_hint": current.token_hint,
                "created_at": current.created_at,
            })),
            after: Some(json!({ "revoked_at": now })),
        },
    )
    .await?;
    Ok(Some(current.id))
}

fn new_token() -> String {
    let selector = random_secret();
    format!("{}{}", &selector[..SELECTOR_LEN], random_secret())
}

fn hint(token: &str) -> String {
    token[token.len().saturating_sub(4)..].to_owned()
}

/// Compares two equal-length hashes without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_url_safe_of_fixed_length_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), TOKEN_LEN);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a, b);
        assert_ne!(a[..SELECTOR_LEN], b[..SELECTOR_LEN]);
        assert_eq!(hint(&a), a[a.len() - 4..]);
    }

    #[test]
    fn hashes_compare_equal_only_when_equal() {
        let a = token_hash("one");
        assert!(constant_time_eq(a.as_bytes(), token_hash("one").as_bytes()));
        assert!(!constant_time_eq(
            a.as_bytes(),
            token_hash("two").as_bytes()
        ));
        assert!(!constant_time_eq(a.as_bytes(), &a.as_bytes()[1..]));
    }
}
