//! Periodic background work that several servers may run at once: a lease
//! per job name makes one server at a time the holder, for a while. The
//! claim is one atomic statement (an upsert that only overwrites an expired
//! lease or the holder's own), on PostgreSQL and SQLite alike. A job must
//! still be idempotent: a lease can run out while its holder works.
//!
//! Each run of a job, on whichever server and whether or not it held the
//! lease, is timed and reported to the `Db`'s observer (`observed`).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DeriveIden};

use crate::db::{Db, Scope};
use crate::error::DomainResult;
use crate::observe::Job;

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    LeaseUntil,
}

/// Takes (or renews) the lease on the job `name` for `holder` until `ttl`
/// from now. `true`: the holder may run the job; `false`: another holder's
/// lease has not run out.
pub async fn lease(db: &Db, name: &str, holder: &str, ttl: Duration) -> DomainResult<bool> {
    lease_at(db, name, holder, ttl, Utc::now()).await
}

/// `lease` as of `now` (tests drive the clock).
pub async fn lease_at(
    db: &Db,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let until = now + ttl;
    let statement = Query::insert()
        .into_table(JobLeases::Table)
        .columns([JobLeases::Name, JobLeases::Holder, JobLeases::LeaseUntil])
        .values_panic([name.into(), holder.into(), until.into()])
        .on_conflict(
            OnConflict::column(JobLeases::Name)
                .update_columns([JobLeases::Holder, JobLeases::LeaseUntil])
                .action_and_where(
                    Expr::col((JobLeases::Table, JobLeases::LeaseUntil))
                        .lt(now)
                        .or(Expr::col((JobLeases::Table, JobLeases::Holder)).eq(holder)),
                )
                .to_owned(),
        )
        .returning_col(JobLeases::Holder)
        .to_owned();
    let txn = db.write(Scope::System).await?;
    let backend = txn.get_database_backend();
    let taken = txn
        .query_one_raw(backend.build(&statement))
        .await?
        .is_some();
    txn.commit().await?;
    Ok(taken)
}

/// Gives the lease up early, if `holder` still holds it, so that the next
/// run need not wait for it to run out.
pub async fn release(db: &Db, name: &str, holder: &str) -> DomainResult<()> {
    let statement = Query::delete()
        .from_table(JobLeases::Table)
        .and_where(Expr::col(JobLeases::Name).eq(name))
        .and_where(Expr::col(JobLeases::Holder).eq(holder))
        .to_owned();
    let txn = db.write(Scope::System).await?;
    let backend = txn.get_database_backend();
    txn.execute_raw(backend.build(&statement)).await?;
    txn.commit().await?;
    Ok(())
}

/// Runs `work`, one run of `job`, and reports how long it took and whether
/// it failed.
pub async fn observed<T>(
    db: &Db,
    job: Job,
    work: impl Future<Output = DomainResult<T>>,
) -> DomainResult<T> {
    let started = std::time::Instant::now();
    let result = work.await;
    db.observer()
        .job_ran(job, started.elapsed(), result.is_ok());
    result
}
