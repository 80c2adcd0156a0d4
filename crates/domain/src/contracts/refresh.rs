//! Keeping derived dates current. A running contract's earliest possible
//! end, and with it its notice deadline and re-tender start, moves with
//! time, and any contract's status changes on the days it starts and ends.
//! Each contract stores the day its dates were derived on (`derived_on`).
//!
//! A daily job (`run_until`, at Danish midnight, one server at a time by
//! the job lease) re-derives every municipality's rows derived before
//! today. Readers do not wait for it: the first read of a municipality's
//! register on a day does the same for that municipality (a single indexed
//! probe when the job has been), and the server remembers the day, so later
//! reads cost nothing. A contract whose derived values change gets a new
//! version and `updated_at`, so its ETag changes, `changed_since` delivers
//! it and `/changes` reports it updated (to the members who see it too);
//! one whose values stay the same only has its day moved on.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};

use super::rows::{apply_derived, status_on};
use crate::changes;
use crate::clock::{local_date, next_local_midnight};
use crate::db::{Db, Scope, platform, scoped, scoped_update};
use crate::entities::{contract, tenant};
use crate::error::DomainResult;
use crate::jobs;
use crate::observe::Job;
use crate::principal::TenantId;

/// The job's name in the lease table.
pub const JOB: &str = "contract-derived-dates";
/// How long a run may hold the lease before another server may take over.
const LEASE: Duration = Duration::minutes(30);

/// What one run of the job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeriveReport {
    /// Whether this server held the lease and so ran the job.
    pub leased: bool,
    pub municipalities: usize,
    /// Contracts whose derived dates or status changed (a new version).
    pub changed: usize,
}

/// The values derivation sets, and the status they give on a day.
#[derive(PartialEq, Eq)]
struct Derived {
    notice_deadline: Option<NaiveDate>,
    effective_end: Option<NaiveDate>,
    latest_end: Option<NaiveDate>,
    retender_start: Option<NaiveDate>,
    status: String,
}

fn derived_values(m: &contract::Model, day: NaiveDate) -> Derived {
    Derived {
        notice_deadline: m.notice_deadline,
        effective_end: m.effective_end,
        latest_end: m.latest_end,
        retender_start: m.retender_start,
        status: status_on(m, day),
    }
}

/// Re-derives `tenant`'s contracts derived before the Danish date at `now`:
/// those whose values change get a new version and `updated_at` (`now`),
/// the others only their derivation day. How many changed.
pub async fn refresh_tenant(db: &Db, tenant: TenantId, now: DateTime<Utc>) -> DomainResult<usize> {
    let today = local_date(now);
    let stale = || scoped::<contract::Entity>(tenant).filter(contract::Column::DerivedOn.lt(today));
    // The common case, a register already derived today, costs one
    // indexed probe and no write lock.
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let any: Option<uuid::Uuid> = stale()
        .select_only()
        .column(contract::Column::Id)
        .into_tuple()
        .one(&txn)
        .await?;
    txn.commit().await?;
    if any.is_none() {
        return Ok(0);
    }
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let mut changed = Vec::new();
    for model in stale().all(&txn).await? {
        let before = derived_values(&model, model.derived_on);
        let mut after = model.clone();
        apply_derived(&mut after, today);
        if derived_values(&after, today) == before {
            continue;
        }
        changed.push(model.id);
        scoped_update::<contract::Entity>(tenant)
            .col_expr(
                contract::Column::NoticeDeadline,
                Expr::value(after.notice_deadline),
            )
            .col_expr(
                contract::Column::EffectiveEnd,
                Expr::value(after.effective_end),
            )
            .col_expr(contract::Column::LatestEnd, Expr::value(after.latest_end))
            .col_expr(
                contract::Column::RetenderStart,
                Expr::value(after.retender_start),
            )
            .col_expr(contract::Column::DerivedOn, Expr::value(today))
            .col_expr(
                contract::Column::Version,
                Expr::col(contract::Column::Version).add(1),
            )
            .col_expr(contract::Column::UpdatedAt, Expr::value(now))
            .filter(contract::Column::Id.eq(model.id))
            .filter(contract::Column::DerivedOn.lt(today))
            .exec(&txn)
            .await?;
    }
    scoped_update::<contract::Entity>(tenant)
        .col_expr(contract::Column::DerivedOn, Expr::value(today))
        .filter(contract::Column::DerivedOn.lt(today))
        .exec(&txn)
        .await?;
    changes::derived_updates(&txn, tenant, &changed).await?;
    txn.commit().await?;
    Ok(changed.len())
}

/// Makes sure `tenant`'s stored derived dates are today's before a read
/// that filters, sorts or counts by them: once per municipality and day in
/// this server, nothing after that.
pub(crate) async fn ensure_fresh(db: &Db, tenant: TenantId) -> DomainResult<()> {
    let now = Utc::now();
    let today = local_date(now);
    if db.fresh_on(tenant, today) {
        return Ok(());
    }
    refresh_tenant(db, tenant, now).await?;
    db.mark_fresh(tenant, today);
    Ok(())
}

/// One run of the daily job as of `now`, if this server (`holder`) gets the
/// lease: every municipality's register re-derived for the Danish date.
/// Running it again on the same day changes nothing.
pub async fn run_job(db: &Db, holder: &str, now: DateTime<Utc>) -> DomainResult<DeriveReport> {
    let mut report = DeriveReport::default();
    if !jobs::lease_at(db, JOB, holder, LEASE, now).await? {
        return Ok(report);
    }
    report.leased = true;
    let result = async {
        let txn = db.read(Scope::System).await?;
        let tenants: Vec<uuid::Uuid> = platform::<tenant::Entity>()
            .select_only()
            .column(tenant::Column::Id)
            .into_tuple()
            .all(&txn)
            .await?;
        txn.commit().await?;
        for id in tenants {
            report.changed += refresh_tenant(db, TenantId(id), now).await?;
            report.municipalities += 1;
            db.mark_fresh(TenantId(id), local_date(now));
        }
        DomainResult::Ok(())
    }
    .await;
    jobs::release(db, JOB, holder).await?;
    result?;
    Ok(report)
}

/// Runs the job at every Danish midnight until `stop` turns true (or its
/// sender is dropped). A failed run is logged and tried again a minute later.
pub async fn run_until(db: Db, holder: String, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut next = next_local_midnight(Utc::now());
    loop {
        let wait = (next - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
                continue;
            }
        }
        let now = Utc::now();
        match jobs::observed(&db, Job::DerivedDates, run_job(&db, &holder, now)).await {
            Ok(report) => {
                if report.leased {
                    tracing::info!(?report, "contracts' derived dates");
                }
                next = next_local_midnight(now);
            }
            Err(err) => {
                tracing::error!(%err, "deriving the contracts' dates failed");
                next = now + Duration::minutes(1);
            }
        }
    }
}
