//! Throttling of failed logins, per account and per client address, over a
//! fixed window. The counts live in the database so that all replicas share
//! them.
//!
//! An attempt reserves its place before the password is checked: one
//! upsert counts it and returns the new count, and the row stays locked
//! until the reserving transaction ends, so parallel attempts queue on it
//! and no more than `limit` of them per window get as far as the password.
//! A refused attempt rolls its reservations back (it was not evaluated, so
//! it is no failure); a successful one releases them afterwards. A failed
//! attempt keeps its reservation, which is the failure count.
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
    /// Attempts evaluated within one window; the next is refused.
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
    key("account", email)
}

pub fn client_key(client_id: &str) -> String {
    key("client", client_id)
}

pub fn address_key(address: &str) -> String {
    key("address", address)
}

/// `kind:value`, or the value's hash when it is long or holds control
/// characters: what a client sends must always fit the key column.
fn key(kind: &str, value: &str) -> String {
    if value.len() <= 200 && !value.chars().any(char::is_control) {
        format!("{kind}:{value}")
    } else {
        format!("{kind}#{}", super::tokens::token_hash(value))
    }
}

/// Counts one attempt against `key` and refuses it with `TooManyRequests`
/// when it is over the limit. Must run in a write transaction, which the
/// caller rolls back on refusal and commits before the slow password check:
/// the row lock taken here lasts until then, so concurrent reservations of
/// one key are counted one after the other.
pub async fn reserve<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let counted = Entity::insert(login_throttle::ActiveModel {
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
    .exec_with_returning(conn)
    .await?;
    // An ended window starts again with this attempt. The row is locked by
    // the upsert, so nobody changes it in between.
    let (count, window_started_at) = if counted.window_started_at + rule.window <= now {
        Entity::update_many()
            .col_expr(Column::Failures, Expr::value(1))
            .col_expr(Column::WindowStartedAt, Expr::value(now))
            .filter(Column::Key.eq(key))
            .exec(conn)
            .await?;
        (1, now)
    } else {
        (counted.failures, counted.window_started_at)
    };
    refuse_over_limit(count, window_started_at, rule, now)
}

/// The verdict on an attempt that is the `count`th of a window.
fn refuse_over_limit(
    count: i32,
    window_started_at: DateTime<Utc>,
    rule: Rule,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if count <= rule.limit {
        return Ok(());
    }
    let window_end = window_started_at + rule.window;
    let retry_after_secs =
        u64::try_from(Ord::max((window_end - now).num_seconds(), 1)).unwrap_or(1);
    Err(DomainError::TooManyRequests { retry_after_secs })
}

/// Gives back a reservation of an attempt that turned out not to be a failure.
pub async fn release<C: ConnectionTrait>(conn: &C, key: &str) -> DomainResult<()> {
    Entity::update_many()
        .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
        .filter(Column::Key.eq(key))
        .filter(Column::Failures.gt(0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Forgets `key`'s failures (a successful login clears its account's).
pub async fn clear<C: ConnectionTrait>(conn: &C, key: &str) -> DomainResult<()> {
    Entity::delete_many()
        .filter(Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_always_fit_their_column() {
        assert_eq!(account_key("anne@soroe.dk"), "account:anne@soroe.dk");
        assert_eq!(address_key("203.0.113.9"), "address:203.0.113.9");
        let long = "x".repeat(5000);
        assert!(client_key(&long).len() < 300);
        assert_ne!(client_key(&long), client_key(&"y".repeat(5000)));
        assert!(!account_key("a\0b@c.dk").contains('\0'));
    }

    #[test]
    fn the_attempt_after_the_limit_is_refused_until_the_window_ends() {
        let start = Utc::now();
        let rule = PER_ACCOUNT;
        assert!(refuse_over_limit(1, start, rule, start).is_ok());
        assert!(refuse_over_limit(rule.limit, start, rule, start).is_ok());
        let later = start + Duration::minutes(5);
        match refuse_over_limit(rule.limit + 1, start, rule, later) {
            Err(DomainError::TooManyRequests { retry_after_secs }) => {
                assert_eq!(retry_after_secs, 10 * 60);
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Never a zero Retry-After.
        let at_end = start + rule.window;
        assert!(matches!(
            refuse_over_limit(rule.limit + 1, start, rule, at_end),
            Err(DomainError::TooManyRequests {
                retry_after_secs: 1
            })
        ));
    }
}
