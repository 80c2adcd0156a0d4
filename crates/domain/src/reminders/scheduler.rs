//! The digest run, one tick at a time: take the job's lease, create the
//! delivery row of every user whose digest is due (once per user and
//! period, by the table's unique key), then claim and send the pending
//! deliveries whose time has come. Any number of servers may tick at once:
//! the lease keeps them from creating rows side by side, and a claim
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite writes one at a time)
//! moves a delivery's next attempt ahead before it is sent, so no other
//! server takes it. A server that dies mid-send leaves the claim to run out,
//! and the delivery is tried again.
//!
//! A failed send is retried with exponential backoff until `MAX_ATTEMPTS`;
//! then the delivery is `failed` with the error kept.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::digest::{self, DigestContext};
use super::mailer::Mailer;
use super::period::{self, Frequency};
use super::{agenda_items, horizon, role_default, stored_frequency, window};
use crate::db::{Db, Scope, all_tenants, all_tenants_update, platform};
use crate::entities::{digest_delivery, reminder_setting, tenant, user};
use crate::error::DomainResult;
use crate::jobs;
use crate::observe::{Job, MailKind};
use crate::principal::{Principal, Role, TenantId};

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
/// Nothing to report: no mail, and the period is not tried again.
pub const EMPTY: &str = "empty";
/// The user was deactivated or turned reminders off before it went out.
pub const SKIPPED: &str = "skipped";
pub const FAILED: &str = "failed";

/// The job's name in the lease table.
pub const JOB: &str = "reminder-digests";
/// Tries before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a claimed delivery is left to its claimant before another
/// server may try it.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(10);
/// How many deliveries one claim takes.
const BATCH: u64 = 25;

/// The wait after the `attempts`-th failed try: 1, 4, 16, 64 minutes.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 6) - 1).unwrap_or(0);
    Duration::minutes(4_i64.pow(exponent))
}

/// What the scheduler needs besides the database.
#[derive(Debug, Clone)]
pub struct DigestRun {
    pub mailer: Mailer,
    /// The web app's base URL for the links.
    pub public_url: String,
    /// Who this server is in the lease table.
    pub holder: String,
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Whether this server held the lease and so created the due deliveries.
    pub leased: bool,
    pub created: usize,
    pub sent: usize,
    pub empty: usize,
    pub skipped: usize,
    /// Failed tries that will be retried.
    pub retried: usize,
    /// Deliveries given up.
    pub failed: usize,
}

impl TickReport {
    /// Whether the tick created or dealt with any delivery.
    pub fn did_anything(&self) -> bool {
        self.created + self.sent + self.empty + self.skipped + self.retried + self.failed > 0
    }
}

/// One tick as of `now`. The server calls it with the clock; tests with the
/// time they want.
pub async fn tick(db: &Db, run: &DigestRun, now: DateTime<Utc>) -> DomainResult<TickReport> {
    let mut report = TickReport::default();
    if jobs::lease_at(db, JOB, &run.holder, CLAIM_TIMEOUT, now).await? {
        report.leased = true;
        let created = create_due(db, now).await;
        jobs::release(db, JOB, &run.holder).await?;
        report.created = created?;
    }
    loop {
        let claimed = claim(db, now).await?;
        if claimed.is_empty() {
            break;
        }
        for delivery in claimed {
            match deliver(db, run, &delivery, now).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::Empty => report.empty += 1,
                Outcome::Skipped => report.skipped += 1,
                Outcome::Retry => report.retried += 1,
                Outcome::Failed => report.failed += 1,
            }
        }
    }
    Ok(report)
}

/// Ticks every `every` until `stop` turns true (or its sender is dropped):
/// the scheduler a server runs beside its requests. A failed tick is logged
/// and the next one tries again.
pub async fn run_until(
    db: Db,
    run: DigestRun,
    every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(every_secs = every.as_secs(), mailer = ?run.mailer, "reminder scheduler started");
    loop {
        match jobs::observed(&db, Job::ReminderDigests, tick(&db, &run, Utc::now())).await {
            Ok(report) if report.did_anything() => {
                tracing::info!(?report, "reminder digests");
            }
            Ok(_) => {}
            Err(err) => tracing::error!(%err, "the reminder digests' tick failed"),
        }
        // The sync feed's entries past their retention go with the same
        // periodic work; the delete is idempotent, so every replica may run it.
        let pruned = crate::changes::prune(&db, Utc::now());
        if let Err(err) = jobs::observed(&db, Job::ChangeLogRetention, pruned).await {
            tracing::error!(%err, "pruning the change log failed");
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
        }
    }
    tracing::info!("reminder scheduler stopped");
}

/// The users of every municipality who get a digest, with their setting.
struct Recipient {
    user: user::Model,
    role: Role,
    setting: Option<reminder_setting::Model>,
}

impl Recipient {
    fn frequency(&self) -> Frequency {
        stored_frequency(self.setting.as_ref()).unwrap_or_else(|| role_default(self.role))
    }
}

async fn active_user<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Option<Recipient>> {
    let Some(user) = all_tenants::<user::Entity>()
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::TenantId.is_not_null())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let Ok(role) = user.role.parse::<Role>() else {
        return Ok(None);
    };
    let setting = all_tenants::<reminder_setting::Entity>()
        .filter(reminder_setting::Column::UserId.eq(id))
        .one(conn)
        .await?;
    Ok(Some(Recipient {
        user,
        role,
        setting,
    }))
}

/// Makes `user`'s digest of `period` pending from `now`, unless the period
/// has a delivery already; 1 when it made one, 0 otherwise.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    tenant_id: Uuid,
    user: Uuid,
    period: String,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    Ok(
        digest_delivery::Entity::insert(digest_delivery::ActiveModel {
            id: Set(Uuid::new_v4()),
            tenant_id: Set(tenant_id),
            user_id: Set(user),
            period: Set(period),
            status: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            item_count: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                digest_delivery::Column::UserId,
                digest_delivery::Column::Period,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?,
    )
}

/// Creates the pending delivery of each active user whose digest is due at
/// `now` and has none for the period yet; the number created.
async fn create_due(db: &Db, now: DateTime<Utc>) -> DomainResult<usize> {
    let txn = db.write(Scope::System).await?;
    let users = all_tenants::<user::Entity>()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::TenantId.is_not_null())
        .all(&txn)
        .await?;
    let settings: std::collections::HashMap<Uuid, reminder_setting::Model> =
        all_tenants::<reminder_setting::Entity>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| (s.user_id, s))
            .collect();
    let mut created = 0;
    for user in users {
        let (Some(tenant_id), Ok(role)) = (user.tenant_id, user.role.parse::<Role>()) else {
            continue;
        };
        let recipient = Recipient {
            setting: settings.get(&user.id).cloned(),
            user,
            role,
        };
        let Some(key) = period::due_period(recipient.frequency(), now) else {
            continue;
        };
        let inserted = enqueue(&txn, tenant_id, recipient.user.id, key, now).await?;
        created += usize::try_from(inserted).unwrap_or(0);
    }
    txn.commit().await?;
    Ok(created)
}

/// Takes up to `BATCH` pending deliveries due at `now` for this server:
/// counts the attempt and moves the next one `CLAIM_TIMEOUT` ahead, so that
/// no other server takes them meanwhile.
async fn claim(db: &Db, now: DateTime<Utc>) -> DomainResult<Vec<digest_delivery::Model>> {
    let txn = db.write(Scope::System).await?;
    let mut due = all_tenants::<digest_delivery::Entity>()
        .filter(digest_delivery::Column::Status.eq(PENDING))
        .filter(digest_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(digest_delivery::Column::NextAttemptAt)
        .limit(BATCH);
    if txn.get_database_backend() == DbBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut claimed = due.all(&txn).await?;
    if claimed.is_empty() {
        txn.commit().await?;
        return Ok(claimed);
    }
    let ids: Vec<Uuid> = claimed.iter().map(|d| d.id).collect();
    all_tenants_update::<digest_delivery::Entity>()
        .col_expr(
            digest_delivery::Column::Attempts,
            Expr::col(digest_delivery::Column::Attempts).add(1),
        )
        .col_expr(
            digest_delivery::Column::NextAttemptAt,
            Expr::value(now + CLAIM_TIMEOUT),
        )
        .filter(digest_delivery::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    for delivery in &mut claimed {
        delivery.attempts += 1;
    }
    Ok(claimed)
}

enum Outcome {
    Sent,
    Empty,
    Skipped,
    Retry,
    Failed,
}

/// Renders and sends one claimed delivery and records how it went.
async fn deliver(
    db: &Db,
    run: &DigestRun,
    delivery: &digest_delivery::Model,
    now: DateTime<Utc>,
) -> DomainResult<Outcome> {
    let txn = db.read(Scope::System).await?;
    let recipient = active_user(&txn, delivery.user_id).await?;
    let municipality = platform::<tenant::Entity>()
        .filter(tenant::Column::Id.eq(delivery.tenant_id))
        .one(&txn)
        .await?;
    txn.commit().await?;
    let (Some(recipient), Some(municipality)) = (recipient, municipality) else {
        finish(db, delivery, SKIPPED, None, None, now).await?;
        return Ok(Outcome::Skipped);
    };
    let frequency = recipient.frequency();
    if frequency == Frequency::Off {
        finish(db, delivery, SKIPPED, None, None, now).await?;
        return Ok(Outcome::Skipped);
    }
    let principal = Principal::User {
        user_id: recipient.user.id,
        tenant_id: TenantId(delivery.tenant_id),
        role: recipient.role,
        email: recipient.user.email.clone(),
    };
    let today = period::local_date(now);
    let (from, until) = window(today, horizon(recipient.setting.as_ref()));
    let tenant = TenantId(delivery.tenant_id);
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let coverage = crate::agenda::Coverage::resolve(
        &txn,
        tenant,
        recipient.user.id,
        recipient
            .setting
            .as_ref()
            .and_then(|s| s.contract_scope.as_deref()),
    )
    .await?;
    txn.commit().await?;
    let items = agenda_items(db, &principal, from, until, &run.public_url, coverage).await?;
    let public_url = run.public_url.trim_end_matches('/');
    let Some(digest) = digest::render(
        &DigestContext {
            recipient_name: &recipient.user.name,
            municipality: &municipality.name,
            frequency,
            today: from,
            until,
            public_url,
        },
        items,
    ) else {
        finish(db, delivery, EMPTY, Some(0), None, now).await?;
        return Ok(Outcome::Empty);
    };
    let sent = run
        .mailer
        .send(&recipient.user.name, &recipient.user.email, &digest)
        .await;
    db.observer()
        .mail_sent(MailKind::ReminderDigest, sent.is_ok());
    match sent {
        Ok(()) => {
            let count = i32::try_from(digest.items.len()).unwrap_or(i32::MAX);
            finish(db, delivery, SENT, Some(count), None, now).await?;
            Ok(Outcome::Sent)
        }
        Err(err) if delivery.attempts >= MAX_ATTEMPTS => {
            tracing::error!(delivery = %delivery.id, attempts = delivery.attempts, %err, "a reminder digest could not be sent; giving up");
            finish(db, delivery, FAILED, None, Some(err.0), now).await?;
            Ok(Outcome::Failed)
        }
        Err(err) => {
            tracing::warn!(delivery = %delivery.id, attempts = delivery.attempts, %err, "a reminder digest could not be sent; it will be retried");
            let txn = db.write(Scope::System).await?;
            all_tenants_update::<digest_delivery::Entity>()
                .col_expr(
                    digest_delivery::Column::NextAttemptAt,
                    Expr::value(now + backoff(delivery.attempts)),
                )
                .col_expr(digest_delivery::Column::LastError, Expr::value(err.0))
                .filter(digest_delivery::Column::Id.eq(delivery.id))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            Ok(Outcome::Retry)
        }
    }
}

/// Records a delivery's last state.
async fn finish(
    db: &Db,
    delivery: &digest_delivery::Model,
    status: &str,
    item_count: Option<i32>,
    error: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let txn = db.write(Scope::System).await?;
    let mut update = all_tenants_update::<digest_delivery::Entity>()
        .col_expr(digest_delivery::Column::Status, Expr::value(status))
        .col_expr(digest_delivery::Column::ItemCount, Expr::value(item_count));
    if status == SENT || status == EMPTY {
        update = update.col_expr(digest_delivery::Column::SentAt, Expr::value(now));
    }
    if let Some(error) = error {
        update = update.col_expr(digest_delivery::Column::LastError, Expr::value(error));
    }
    update
        .filter(digest_delivery::Column::Id.eq(delivery.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(4));
        assert_eq!(backoff(3), Duration::minutes(16));
        assert_eq!(backoff(4), Duration::minutes(64));
    }
}
