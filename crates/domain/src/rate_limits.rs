//! Request rate limits of API clients. Each client may make its
//! `rate_limit_per_minute` requests a minute, in bursts up to that many; the
//! budget is counted in the database, so every server behind the load
//! balancer draws on the same one. People using the web app are not limited
//! here.
//!
//! The algorithm is the generic cell rate algorithm: a client's state is one
//! time, the "theoretical arrival time" (TAT). A request at `now` moves it
//! to `max(TAT, now) + interval` (interval = one minute / limit) and is
//! admitted when that lies at most a minute ahead of `now`. The move and the
//! test are one atomic upsert, so two servers admitting requests of the same
//! client at once cannot both spend the last one.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DeriveIden};
use uuid::Uuid;

use crate::db::{Db, Scope, scoped_get};
use crate::entities::api_client;
use crate::error::{DomainError, DomainResult};
use crate::principal::{Principal, TenantId};

/// Requests per minute of a client whose admin has not chosen.
pub const DEFAULT_PER_MINUTE: i32 = 600;
/// The range an admin may choose from.
pub const MIN_PER_MINUTE: i32 = 1;
pub const MAX_PER_MINUTE: i32 = 6000;
/// The window the limit is counted over, in milliseconds.
const WINDOW_MS: i64 = 60_000;

#[derive(DeriveIden)]
enum ApiClientRates {
    Table,
    ClientId,
    TenantId,
    TatMs,
}

/// The limiter's answer to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    pub admitted: bool,
    /// Requests per window.
    pub limit: u32,
    pub window_secs: u32,
    /// Requests left in the window after this one.
    pub remaining: u32,
    /// Seconds until the whole budget is available again.
    pub reset_secs: u64,
    /// When refused: seconds until a request will be admitted.
    pub retry_after_secs: u64,
}

/// Checks a limit an admin chose.
pub fn check_limit(per_minute: i32) -> DomainResult<i32> {
    if (MIN_PER_MINUTE..=MAX_PER_MINUTE).contains(&per_minute) {
        Ok(per_minute)
    } else {
        Err(DomainError::invalid(
            "rate_limit_per_minute",
            "out_of_range",
            format!(
                "the limit must be between {MIN_PER_MINUTE} and {MAX_PER_MINUTE} requests a minute"
            ),
        ))
    }
}

/// Counts one request of `principal` against its limit. `None`: the
/// principal is not an API client and is not limited.
pub async fn admit(db: &Db, principal: &Principal) -> DomainResult<Option<Admission>> {
    admit_at(db, principal, Utc::now()).await
}

/// `admit` as of `now`.
pub async fn admit_at(
    db: &Db,
    principal: &Principal,
    now: DateTime<Utc>,
) -> DomainResult<Option<Admission>> {
    let Principal::Client {
        client_id,
        tenant_id,
        ..
    } = principal
    else {
        return Ok(None);
    };
    let txn = db.write(Scope::Tenant(*tenant_id)).await?;
    let client = scoped_get::<api_client::Entity, _>(&txn, *tenant_id, *client_id).await?;
    let limit = client
        .rate_limit_per_minute
        .clamp(MIN_PER_MINUTE, MAX_PER_MINUTE);
    let admission = spend(&txn, *tenant_id, *client_id, limit, now.timestamp_millis()).await?;
    txn.commit().await?;
    Ok(Some(admission))
}

async fn spend<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    client: Uuid,
    limit: i32,
    now: i64,
) -> DomainResult<Admission> {
    let interval = (WINDOW_MS + i64::from(limit) - 1) / i64::from(limit);
    let tat = || Expr::col((ApiClientRates::Table, ApiClientRates::TatMs));
    let start: SimpleExpr = CaseStatement::new()
        .case(tat().gt(now), tat())
        .finally(Expr::value(now))
        .into();
    let next = start.add(interval);
    let statement = Query::insert()
        .into_table(ApiClientRates::Table)
        .columns([
            ApiClientRates::ClientId,
            ApiClientRates::TenantId,
            ApiClientRates::TatMs,
        ])
        .values_panic([client.into(), tenant.0.into(), (now + interval).into()])
        .on_conflict(
            OnConflict::column(ApiClientRates::ClientId)
                .value(ApiClientRates::TatMs, next.clone())
                .action_and_where(next.sub(now).lte(WINDOW_MS))
                .to_owned(),
        )
        .returning_col(ApiClientRates::TatMs)
        .to_owned();
    let backend = conn.get_database_backend();
    let admitted_tat: Option<i64> = match conn.query_one_raw(backend.build(&statement)).await? {
        Some(row) => Some(row.try_get("", "tat_ms")?),
        None => None,
    };
    let limit_u = u32::try_from(limit).unwrap_or(1);
    let admission = match admitted_tat {
        Some(tat) => {
            let ahead = Ord::max(tat - now, 0);
            Admission {
                admitted: true,
                limit: limit_u,
                window_secs: 60,
                remaining: u32::try_from((WINDOW_MS - ahead) / interval).unwrap_or(0),
                reset_secs: ceil_secs(ahead),
                retry_after_secs: 0,
            }
        }
        None => {
            let current = Query::select()
                .column(ApiClientRates::TatMs)
                .from(ApiClientRates::Table)
                .and_where(Expr::col(ApiClientRates::ClientId).eq(client))
                .and_where(Expr::col(ApiClientRates::TenantId).eq(tenant.0))
                .to_owned();
            let tat: i64 = match conn.query_one_raw(backend.build(&current)).await? {
                Some(row) => row.try_get("", "tat_ms")?,
                None => now,
            };
            let ahead = Ord::max(tat - now, 0);
            Admission {
                admitted: false,
                limit: limit_u,
                window_secs: 60,
                remaining: 0,
                reset_secs: ceil_secs(ahead),
                retry_after_secs: Ord::max(ceil_secs(ahead + interval - WINDOW_MS), 1),
            }
        }
    };
    Ok(admission)
}

fn ceil_secs(ms: i64) -> u64 {
    u64::try_from((Ord::max(ms, 0) + 999) / 1000).unwrap_or(0)
}
