//! Throttling of failed logins, per account and per client address, over a
//! fixed window. The counts live in the database so that all replicas share
//! them; a successful login clears the account's count.
// Reviewed exception to tenancy by construction: `login_throttle` belongs to
// no municipality (its keys are e-mails and addresses, counted before anyone
// is known), and this module alone reads and writes it.
#![allow(clippy::disallowed_methods)]

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::login_throttle::{self, Column, Entity};
use crate::error::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Failures allowed within one window; the next attempt is refused.
    pub limit: i32,
    pub window: Duration,
}

/// Five wrong passwords for one account within 15 minutes lock that account
/// for the rest of the window.
pub const PER_ACCOUNT: Rule = Rule {
    limit: 5,
    window: Duration::minutes(15),
};

/// Thirty failures from one address within 15 minutes (an office behind one
/// NAT address may legitimately produce a handful) lock that address.
pub const PER_ADDRESS: Rule = Rule {
    limit: 30,
    window: Duration::minutes(15),
};

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Refuses with `TooManyRequests` while `key` is locked.
pub async fn check<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(row) = Entity::find_by_id(key.to_owned()).one(conn).await? else {
        return Ok(());
    };
    let window_end = row.window_started_at + rule.window;
    if row.failures >= rule.limit && window_end > now {
        let retry_after_secs =
            u64::try_from(Ord::max((window_end - now).num_seconds(), 1)).unwrap_or(1);
        return Err(DomainError::TooManyRequests { retry_after_secs });
    }
    Ok(())
}

pub async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    match Entity::find_by_id(key.to_owned()).one(conn).await? {
        None => {
            // Two replicas may insert at once: the loser counts on the winner's row.
            Entity::insert(login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(1),
                window_started_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(Column::Key)
                    .value(
                        Column::Failures,
                        Expr::col((Entity, Column::Failures)).add(1),
                    )
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
        }
        Some(row) if row.window_started_at + rule.window <= now => {
            Entity::update_many()
                .col_expr(Column::Failures, Expr::value(1))
                .col_expr(Column::WindowStartedAt, Expr::value(now))
                .filter(Column::Key.eq(key))
                .exec(conn)
                .await?;
        }
        Some(_) => {
            Entity::update_many()
                .col_expr(Column::Failures, Expr::col(Column::Failures).add(1))
                .filter(Column::Key.eq(key))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

pub async fn clear<C: ConnectionTrait>(conn: &C, key: &str) -> DomainResult<()> {
    Entity::delete_many()
        .filter(Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}
